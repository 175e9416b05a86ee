"""Properties of every public function on arbitrary input: no exception escapes, the output is
valid UTF-8, and cleaning its own output (a text dump of real article paragraphs) changes nothing.

Hypothesis feeds arbitrary text, arbitrary bytes and HTML-ish strings built from real tags,
attributes, entities and odd characters. The examples are few enough (derandomised, no
deadline) for the suite to stay within a minute.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dehusk.api import clean, clean_records
from dehusk.document import ERROR_KINDS, Document
from dehusk.extract.flatten import flatten_html
from dehusk.readers import read
from dehusk.repair import _MENDABLE, repair_text
from dehusk.repair.characters import has_odd_characters
from dehusk.repair.decode import NotText, decode
from dehusk.repair.encoding import needs_ftfy
from dehusk.repair.hyphenation import has_breaks
from dehusk.repair.typos import WORD, find_words
from dehusk.writers.jsonl import dumps

SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

_TAGS = [
    "p", "div", "span", "a", "h1", "h2", "li", "ul", "table", "td", "tr", "nav", "footer", "article",
    "script", "style", "figure", "figcaption", "br", "img", "meta", "title", "head", "body", "html",
]  # fmt: skip
_ODD = [
    "&nbsp;", "&amp;", "&#x0;", "&#55296;", "&bogus;", "\u00ad", "\u200b", "\ufeff", "\x00", "\x1b", "\u202e",
    "Ã©", "â€™", "\ud800", "<!--", "-->", "<![CDATA[", "]]>", "<", ">", '"', "'", "\n\n",
]  # fmt: skip
_VOCABULARY = ("the council met on Monday and agreed a plan to repair bridge before winter Syria Idlib "
               "Moscow said will would 2015 ups upps it's über façade Ελλάδα Москва 東京 서울")  # fmt: skip
WORDS = st.sampled_from(_VOCABULARY.split())
SENTENCES = st.lists(WORDS, min_size=3, max_size=25).map(lambda w: " ".join(w).capitalize() + ".")
PARAGRAPHS = st.lists(SENTENCES, min_size=1, max_size=5).map(" ".join)


@st.composite
def html_ish(draw: st.DrawFn) -> str:
    """A string of real tags (opened, closed or not), attributes, entities, text and odd bits."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(_TAGS))
        if choice == 0:
            attr = draw(
                st.sampled_from(["", ' class="menu share"', " id='main'", ' href="/x?a=1&b=2"', " x=y"])
            )
            parts.append(f"<{tag}{attr}>")
        elif choice == 1:
            parts.append(f"</{tag}>")
        elif choice == 2:
            parts.append(draw(PARAGRAPHS))
        elif choice == 3:
            parts.append(draw(st.sampled_from(_ODD)))
        else:
            parts.append(draw(st.text(max_size=30)))
    return "".join(parts)


TEXTS = st.one_of(st.text(max_size=400), html_ish(), st.lists(PARAGRAPHS, max_size=8).map("\n\n".join))


def assert_valid(doc: Document) -> None:
    """A document's record serialises, as valid UTF-8, and a failure has a known kind."""
    record = doc.to_error_record() if doc.error else doc.to_record()
    dumps(record).decode("utf-8")
    if doc.error:
        assert doc.error.kind in ERROR_KINDS
    else:
        for value in (doc.text, doc.title or "", doc.description or ""):
            value.encode("utf-8")  # no lone surrogates


@SETTINGS
@given(TEXTS, st.sampled_from([None, "text", "html"]), st.sampled_from(["fast", "precise"]))
def test_clean_never_raises_and_gives_valid_utf8(content: str, fmt: str | None, mode: str) -> None:
    assert_valid(clean(content, format=fmt, mode=mode))


@SETTINGS
@given(st.binary(max_size=2000) | html_ish().map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_clean_bytes_never_raises(content: bytes) -> None:
    assert_valid(clean(content))


@SETTINGS
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "url", "text", "html"]), TEXTS | st.integers()), max_size=4
    )
)
def test_clean_records_gives_one_document_per_record(records: list[dict]) -> None:
    docs = list(clean_records(records))
    assert len(docs) == len(records)
    for doc in docs:
        assert_valid(doc)


@SETTINGS
@given(st.binary(max_size=3000))
def test_readers_turn_any_bytes_into_documents_or_errors(data: bytes) -> None:
    docs = list(read(["-"], stdin=io.BytesIO(data)))
    assert docs
    for doc in docs:
        assert doc.error is None or doc.error.kind in ERROR_KINDS


@SETTINGS
@given(st.binary(max_size=3000))
def test_decode_gives_text_or_refuses_binary(data: bytes) -> None:
    try:
        text, charset = decode(data)
    except NotText:
        return
    text.encode("utf-8", "surrogatepass")
    assert charset


@SETTINGS
@given(TEXTS)
def test_repair_is_idempotent_and_valid(text: str) -> None:
    once, _ = repair_text(text, "en")
    twice, changes = repair_text(once, "en")
    assert twice == once, changes
    once.encode("utf-8")


# words glued to punctuation, digits, apostrophes, underscores, odd spaces and other scripts
_WORDISH = st.text(st.sampled_from(list("ab é'’-_.,;()“”«»…/*0²½ \n\t\u00a0\u2009Яж学ـ")), max_size=60)


@SETTINGS
@given(_WORDISH | TEXTS)
def test_find_words_is_the_word_regex(text: str) -> None:
    assert find_words(text) == WORD.findall(text)


# pieces of one guard's signs (a hyphen ending a line, mojibake, an entity, odd characters), and
# plain ones around them: each text has one kind of sign or none
_SIGN_PIECES = [
    ["-", "\u2010", " ", "\t", "\n", "a"],
    ["Ã", "â", "©", "€", "é", " ", "a"],
    ["&amp;", "&#39;", "&#x2019;", "&", "#", ";", "amp", " ", "a"],
    ["\u00a0", "\x07", "\u200b", " ", "a"],
]
_SIGNISH = st.sampled_from(_SIGN_PIECES).flatmap(
    lambda pieces: st.lists(st.sampled_from(pieces), max_size=12)
)


@SETTINGS
@given(_SIGNISH.map("".join))
def test_one_search_finds_what_the_three_guards_find(text: str) -> None:
    either = needs_ftfy(text) or has_odd_characters(text) or has_breaks(text)
    assert (_MENDABLE.search(text) is not None) == either


@SETTINGS
@given(html_ish())
def test_flatten_never_raises(html: str) -> None:
    flatten_html(html).encode("utf-8", "surrogatepass")


#: Real article paragraphs (the seeds' expected texts): idempotence is a promise about articles.
#: Word salad ("The the ελλάδα.") is not one: its language, and so its repairs, change when
#: a pass removes a block, and the other properties cover it.
ARTICLE_PARAGRAPHS = sorted(
    {
        p
        for f in (Path(__file__).parent.parent / "fixtures" / "seeds-expected").glob("*.json")
        for p in json.loads(f.read_text(encoding="utf-8"))["text"].split("\n\n")
    }
)


ARTICLES = st.lists(st.sampled_from(ARTICLE_PARAGRAPHS), min_size=1, max_size=8, unique=True)


@settings(SETTINGS, max_examples=40)
@given(ARTICLES.map("\n\n".join))
def test_cleaning_its_own_output_changes_nothing(content: str) -> None:
    first = clean(content)
    if first.error or not first.text:
        return
    second = clean(first.text, format="text")
    assert second.text == first.text

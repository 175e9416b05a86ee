"""Hand-written news and blog pages, each built around one kind of boilerplate, cleaned for real.

fixtures/html holds the pages (an Indian-newspaper page with a weather widget and a city
picker, app and newsletter promos, a cookie banner, share bars, related links inside the
body, captions and credits, a comment thread, a German open thread whose discussion outweighs
its post, a paywall teaser, a category page that is only links, a German article, an article
written in <div>s with <br>, a Spanish one marked up as schema.org's articleBody without <p>
beside a column of opinion paragraphs), and
fixtures/html-expected what a careful reader takes from each: the title, the date, every
article paragraph (``text_contains``) and every piece of furniture that must not reach the
text (``text_excludes``); the links-only page must come out (nearly) empty (``max_words``).

A case the product gets wrong is marked xfail (strict) in XFAIL with the reason, so the
expectation stays as a person would write it and the mark must go once the product is fixed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from conftest import explained_blocks
from dehusk import cli
from dehusk.api import clean
from dehusk.document import Block, Document
from dehusk.extract import html_fast, html_precise
from dehusk.run import pipeline
from dehusk.writers.stats import RunStats

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "fixtures" / "html"
EXPECTED = sorted((ROOT / "fixtures" / "html-expected").glob("*.json"))

#: (check, case) -> why dehusk fails it today; each is an xfail(strict=True) case.
XFAIL: dict[tuple[str, str], str] = {
    (
        "drop",
        "paywall",
    ): "two <li> of the paywall box's benefits are kept: 'paywall' also wraps real articles",
    ("precise", "most-pages"): "7 of 13: a credit, a 'Related:' line, the paywall, index teasers kept, "
    "an open thread's longest comment taken for the article, a byline kept and a paragraph lost "
    "from an article marked up without <p>",
}


def _xfail(check: str, case: str) -> list:
    reason = XFAIL.get((check, case))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def _expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _cases(check: str) -> list:
    """One case per expectation file, marked xfail where XFAIL names it for this check."""
    return [pytest.param(path, id=path.stem, marks=_xfail(check, path.stem)) for path in EXPECTED]


def _clean(name: str, **options: object) -> Document:
    return clean((PAGES / f"{name}.html").read_bytes(), format="html", id=name, **options)


def _lost(doc: Document, exp: dict) -> list[str]:
    """The expected paragraphs missing from the text (whitespace-normalised)."""
    text = _norm(doc.text or "")
    return [p for p in exp["text_contains"] if _norm(p) not in text]


def _kept(doc: Document, exp: dict) -> list[str]:
    """The boilerplate strings that reached the text."""
    text = _norm(doc.text or "")
    return [s for s in exp["text_excludes"] if _norm(s) in text]


def _too_long(doc: Document, exp: dict) -> bool:
    return "max_words" in exp and len((doc.text or "").split()) > exp["max_words"]


@pytest.fixture(scope="module")
def fast() -> dict[str, Document]:
    """Every page cleaned once on the fast path with the default options."""
    return {path.stem: _clean(_expected(path)["id"]) for path in EXPECTED}


def test_every_expectation_has_its_page() -> None:
    assert len(EXPECTED) == 13
    for path in EXPECTED:
        assert _expected(path)["id"] == path.stem and (PAGES / f"{path.stem}.html").is_file()


@pytest.mark.parametrize("path", _cases("meta"))
def test_title_and_date(fast: dict[str, Document], path: Path) -> None:
    exp = _expected(path)
    doc = fast[exp["id"]]
    assert doc.error is None
    assert (doc.title, doc.date) == (exp["title"], exp["date"])


@pytest.mark.parametrize("path", _cases("keep"))
def test_keeps_every_article_paragraph(fast: dict[str, Document], path: Path) -> None:
    exp = _expected(path)
    doc = fast[exp["id"]]
    assert _lost(doc, exp) == []
    assert not _too_long(doc, exp), doc.text


@pytest.mark.parametrize("path", _cases("drop"))
def test_drops_the_boilerplate(fast: dict[str, Document], path: Path) -> None:
    exp = _expected(path)
    assert _kept(fast[exp["id"]], exp) == []


@pytest.mark.parametrize("case", [pytest.param("most-pages", marks=_xfail("precise", "most-pages"))])
def test_precise_path_gets_most_pages_whole(case: str) -> None:
    """trafilatura with dehusk's veto: every paragraph and no furniture on two pages in three."""
    failures: dict[str, dict] = {}
    for path in EXPECTED:
        exp = _expected(path)
        doc = _clean(exp["id"], mode="precise")
        lost, kept = _lost(doc, exp), _kept(doc, exp)
        if lost or kept or _too_long(doc, exp):
            failures[exp["id"]] = {
                "lost": [p[:50] for p in lost],
                "kept": kept,
                "words": len(doc.text.split()),
            }
    assert len(EXPECTED) - len(failures) >= 2 * len(EXPECTED) / 3, failures


#: The page the fallback tests hand over: an article with related links inside its body.
RELATED = ROOT / "fixtures" / "html-expected" / "related_links.json"


def test_an_unreliable_fast_result_is_redone_by_the_precise_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page the fast path is unsure of goes to trafilatura, whose paragraphs are kept."""
    monkeypatch.setattr(pipeline, "unreliable", lambda doc: "unsure")
    exp = _expected(RELATED)
    doc = _clean(exp["id"])
    assert doc.metadata["fallback"] == "unsure" and "precise" in doc.metadata
    assert _lost(doc, exp) == []


def test_a_precise_result_that_misses_the_article_is_declined(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura sometimes returns a box of headlines for the whole page (a Korean news site
    of the ScrapingHub set does): no paragraph of prose, and a sliver of what the fast path
    kept. The unsure fast result is then the better one, and it stays."""

    def headlines(doc: Document) -> None:
        doc.blocks = [Block(text="Storm closes the coastal road for a week", kind="content", score=1.0)]
        doc.metadata["precise"] = {"paragraphs": 1, "vetoed": 0}

    monkeypatch.setattr(pipeline, "unreliable", lambda doc: "unsure")
    monkeypatch.setattr(html_precise, "rescue", headlines)
    exp = _expected(RELATED)
    doc = _clean(exp["id"])
    assert "fallback" not in doc.metadata and "precise" not in doc.metadata
    declined = doc.metadata["fallback_declined"]
    assert re.fullmatch(r"unsure; the precise path kept 40 characters to \d{4,}", declined)
    assert _lost(doc, exp) == [] and "Storm closes" not in doc.text
    stats = RunStats()
    stats.add(doc)
    assert stats.fallbacks == 1  # the run's count is of pages handed over: what the fallback cost


def test_a_comment_thread_that_outweighs_its_post_is_not_taken_for_the_article() -> None:
    """An open thread: two paragraphs of post, then a discussion with eight times their words and
    one reply of four paragraphs, the page's longest run of prose. The fast path alone (no
    fallback to hide a miss) keeps the post and no comment; and the thread, removed as what its
    markup calls it, does not make the page look like one the fast path failed."""
    exp = _expected(ROOT / "fixtures" / "html-expected" / "de_offener_thread.json")
    alone = _clean(exp["id"], fallback=False)
    assert _lost(alone, exp) == [] and _kept(alone, exp) == []
    assert alone.metadata["removed"]["comments"] >= 14  # each comment's heading and its text
    assert "fallback" not in _clean(exp["id"]).metadata


_PROSE = "A sentence of prose that runs on, with commas, clauses and a full stop at its end, as articles do. "
_MARK = "<div itemprop='articleBody'{}>{}</div>"


@pytest.mark.parametrize(
    ("article", "container"),
    [
        pytest.param(_MARK.format(" id='mark'", f"{_PROSE * 3}<br><br>{_PROSE * 3}"), "mark", id="mark-wins"),
        pytest.param(
            _MARK.format(" id='mark'", _MARK.format("", _PROSE * 3)), "mark", id="nested-marks-are-one"
        ),
        pytest.param(
            _MARK.format(" id='mark'", _PROSE * 3) + _MARK.format("", _PROSE * 3),
            "mark",
            id="a-repeat-is-one",
        ),
        pytest.param(
            _MARK.format("", _PROSE * 3) + _MARK.format("", _PROSE * 4), "side", id="two-places-say-nothing"
        ),
        pytest.param(_MARK.format("", "Too short to believe."), "side", id="a-short-mark-says-nothing"),
        pytest.param(
            _MARK.format("", f"<div id='inner'>{f'<p>{_PROSE * 2}</p>' * 6}</div>Share this"),
            "inner",
            id="finer-prose-inside-stays",
        ),
    ],
)
def test_the_page_s_article_body_mark_chooses_the_container(article: str, container: str) -> None:
    """schema.org's articleBody beats the paragraphs of a column beside it, once it is one place
    holding some text; paragraphs inside the mark are the finer choice."""
    side = "".join(f"<p>{_PROSE * 2}</p>" for _ in range(4))
    page = f"<html><body><div id='story'>{article}</div><aside id='side'>{side}</aside></body></html>"
    found = html_fast.find_container(LexborHTMLParser(page).body)
    assert found.node.attributes.get("id") == container
    if container == "mark":
        assert found.share == 1.0  # the page's own word: as sure as a choice gets


#: Text in the weather widget and the city picker of fixture 1, and the kind explain must name it.
WIDGETS = {
    "Feb 19, 2024-Monday": "weather",
    "24°C": "weather",
    "Today in Pune, India": "weather",
    "Select City": "city-picker",
    "Metro Cities": "city-picker",
    "Mumbai": "city-picker",
    "Other Cities": "city-picker",
    "Kolhapur": "city-picker",
}


@pytest.fixture(scope="module")
def explained() -> list[tuple[str, str, str]]:
    result = CliRunner().invoke(cli.app, ["explain", str(PAGES / "in_weather_city.html")])
    assert result.exit_code == 0, result.output
    return explained_blocks(result.stdout)


@pytest.mark.parametrize(
    "words", [pytest.param(words, id=words, marks=_xfail("explain", words)) for words in WIDGETS]
)
def test_explain_names_the_weather_and_city_picker_blocks(
    explained: list[tuple[str, str, str]], words: str
) -> None:
    # the widget's own block: the one that is these words, else those that hold them ("Mumbai"
    # is a picker entry, and also in a related headline, rightly named related)
    holding = [(sign, kind) for sign, kind, text in explained if text == words] or [
        (sign, kind) for sign, kind, text in explained if words in text
    ]
    assert set(holding) == {("-", WIDGETS[words])}


def test_explain_keeps_the_article(explained: list[tuple[str, str, str]]) -> None:
    kept = [text for sign, kind, text in explained if sign == "+" and kind == "content"]
    assert len(kept) == 6 and "Kasba Peth" in kept[1]


_JAPANESE = (
    "市は来月から駅前の道路を広げる工事を始めると発表した。工事は二年かかる見込みで、"
    "その間はバスの停留所が北側に移る。住民の多くは渋滞を心配している。"
)


def _page(lang: str, blocks: list[Block]) -> Document:
    doc = Document(id="page", source="page.html", format="html", content=b"", lang=lang)
    doc.blocks = blocks
    return doc


def test_a_japanese_page_is_counted_in_characters_for_the_fallback() -> None:
    """Japanese writes no spaces: counted by spaces, a page of its prose is a few dozen words
    and the fast path dropping nearly all of it would go unnoticed; a long article kept beside
    a menu in Latin letters would look like a sliver of the page."""
    dropped = [Block(text=_JAPANESE, keep=False, kind="boilerplate", score=0.1) for _ in range(12)]
    sliver = _page("ja", [Block(text=_JAPANESE[:20], score=0.9), *dropped])
    assert re.fullmatch(r"kept 20 of \d+ characters and words", pipeline.unreliable(sliver) or "")

    article = [Block(text=_JAPANESE, score=0.9) for _ in range(8)]
    menu = [Block(text="Home News Sport Weather Travel Culture", keep=False, kind="nav", score=0.0)] * 70
    assert pipeline.unreliable(_page("ja", [*article, *menu])) is None
    assert pipeline.unreliable(_page("en", [*article, *menu])) is not None  # as spaces count it

"""The library face: ``clean``, ``clean_records`` and ``clean_paths`` on the seeds and small pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import html_page
from dehusk.api import clean, clean_paths, clean_records
from dehusk.document import ERROR_KINDS, Block, Document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
SEED_000 = SEEDS / "000_e5b2f53ae80714c2.txt"
SEED_002 = SEEDS / "002_9b3f2ec0a0e2ae96.txt"
SEED_004 = SEEDS / "004_9d7f267a3ae22dc7.txt"
FIRST_SENTENCE = "United States and Russian defence ministers have held their first talks"


def seed_text(path: Path = SEED_000) -> str:
    return path.read_text(encoding="utf-8")


def seed_page() -> str:
    return html_page([p for p in seed_text().split("\n\n") if p.strip()])


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return clean(seed_text(), id="seed-000", url="https://example.org/syria")


# ---------------------------------------------------------------- clean


def test_clean_text_gives_blocks_with_verdicts_and_metadata(seed_doc: Document) -> None:
    doc = seed_doc
    assert isinstance(doc, Document) and doc.error is None
    assert (doc.id, doc.url, doc.format) == ("seed-000", "https://example.org/syria", "text")
    assert (doc.title, doc.date) == ("Cold War foes discuss Syria", "2015-09-19")
    assert doc.lang == "en"
    assert doc.blocks and all(isinstance(b, Block) for b in doc.blocks)
    for block in doc.blocks:
        assert isinstance(block.kind, str) and block.kind
        assert isinstance(block.keep, bool)
        assert isinstance(block.reason, str) and block.reason
    kept = [b for b in doc.blocks if b.keep]
    removed = [b for b in doc.blocks if not b.keep]
    assert kept and removed
    assert doc.text == "\n\n".join(b.text for b in kept)
    assert doc.metadata["blocks"] == {"kept": len(kept), "removed": len(removed)}
    assert doc.text.startswith(FIRST_SENTENCE)


def test_clean_removes_title_dateline_and_caption_from_the_text(seed_doc: Document) -> None:
    by_text = {b.text: b for b in seed_doc.blocks}
    title = by_text["Cold War foes discuss Syria"]
    assert (title.kind, title.keep) == ("title", False)
    assert by_text["19 Sep 2015"].keep is False
    assert by_text["4:34 pm on 19 September 2015"].keep is False
    assert "Cold War foes discuss Syria" not in seed_doc.text
    assert "Photo: AFP" not in seed_doc.text


def test_a_template_s_declared_language_does_not_steer_the_repair() -> None:
    """``<html lang="en">`` over a German article: the record says German, and the repair leaves
    its words alone (English's lexicon would make ``beraten`` ``beaten``)."""
    page = (ROOT / "fixtures" / "html" / "de_fernwaerme.html").read_text(encoding="utf-8")
    right = clean(page, format="html")
    wrong = clean(page.replace('<html lang="de">', '<html lang="en">'), format="html")
    assert right.lang == wrong.lang == "de"
    assert wrong.metadata["declared_lang"] == "en" and "declared_lang" not in right.metadata
    assert wrong.text == right.text and "beraten" in wrong.text


def test_clean_sniffs_html(seed_doc: Document) -> None:
    doc = clean(seed_page())
    assert doc.error is None and doc.format == "html"
    assert (doc.title, doc.date) == ("Cold War foes discuss Syria", "2015-09-19")
    assert doc.text.startswith(FIRST_SENTENCE)
    assert "Home" not in doc.text and "<p>" not in doc.text and "©" not in doc.text
    assert_same_article(doc.text, seed_doc.text)


def assert_same_article(html_text: str, dump_text: str) -> None:
    """The HTML path (its own model, with DOM features) keeps what the dump path keeps.

    Every paragraph of the dump's article is in the page's; the page may keep a line the
    dump lost (its model sees no promo class here, as a real page would carry).
    """
    kept = html_text.split("\n\n")
    assert all(paragraph in kept for paragraph in dump_text.split("\n\n"))
    assert len(kept) <= len(dump_text.split("\n\n")) + 1


def test_format_overrides_the_sniffing() -> None:
    markup = seed_page()
    assert clean(markup, format="text").format == "text"
    assert clean(seed_text(), format="html").format == "html"


def test_clean_bytes_decodes(seed_doc: Document) -> None:
    utf8 = clean(seed_text().encode("utf-8"))
    assert utf8.error is None and utf8.metadata["charset"] == "utf-8"
    assert utf8.text == seed_doc.text and utf8.title == seed_doc.title
    with_bom = clean(b"\xef\xbb\xbf" + seed_text().encode("utf-8"))
    assert with_bom.text == seed_doc.text
    assert not with_bom.text.startswith("\ufeff")


def test_clean_bytes_in_a_legacy_charset() -> None:
    text = seed_text(SEED_004)  # curly quotes: the bytes differ between UTF-8 and cp1252
    legacy = text.encode("cp1252")
    assert legacy != text.encode("utf-8")
    assert clean(legacy).text == clean(text).text
    assert "’" in clean(legacy).text


def test_clean_html_bytes_sniffs_html() -> None:
    doc = clean(seed_page().encode("utf-8"))
    assert doc.format == "html" and doc.text.startswith(FIRST_SENTENCE)


@pytest.mark.parametrize(
    ("content", "kind"),
    [("", "empty"), (" \n\t\n ", "empty"), (b"", "empty"), (b"\x00\x01\x02\x03" * 64, "not-text")],
    ids=["empty-str", "whitespace", "empty-bytes", "binary"],
)
def test_clean_reports_what_cannot_be_cleaned(content: str | bytes, kind: str) -> None:
    doc = clean(content)
    assert doc.error is not None and doc.error.kind == kind and kind in ERROR_KINDS
    assert doc.text == ""


def test_options_reach_the_pipeline() -> None:
    text = seed_text(SEED_002)  # odd spaces that the repair stage fixes
    repaired = clean(text)
    assert repaired.metadata["repairs"]["characters"] > 0
    assert "repairs" not in clean(text, repair=False).metadata
    assert sum(b.keep for b in clean(text, threshold=1.0).blocks) < sum(b.keep for b in repaired.blocks)
    with pytest.raises(TypeError):
        clean(text, no_such_option=True)


# ---------------------------------------------------------------- clean_records


def test_clean_records_yields_one_document_per_record_failed_ones_included(seed_doc: Document) -> None:
    records = [
        {"id": "text", "url": "https://example.org/a", "text": seed_text()},
        {"id": "html", "html": seed_page()},
        {"id": "markup-in-text", "text": seed_page()},
        {"id": "no-field", "title": "only a title"},
        {"id": "blank", "text": "   "},
        {"id": "not-a-string", "text": 42},
    ]
    docs = list(clean_records(records))
    assert [d.id for d in docs] == [r["id"] for r in records]
    assert [d.error.kind if d.error else None for d in docs] == [
        None,
        None,
        None,
        "no-content-field",
        "empty",
        "no-content-field",
    ]
    assert [d.format for d in docs[:3]] == ["text", "html", "html"]
    assert docs[0].url == "https://example.org/a"
    for doc in docs[:3]:
        if doc.format == "html":
            assert_same_article(doc.text, seed_doc.text)
        else:
            assert doc.text == seed_doc.text
        assert doc.title == "Cold War foes discuss Syria"
    for doc in docs[3:]:
        assert doc.text == "" and doc.error is not None and doc.error.kind in ERROR_KINDS


def test_clean_records_is_lazy() -> None:
    taken: list[str] = []

    def records() -> Iterator[dict]:
        taken.append("first")
        yield {"id": "first", "text": seed_text()}
        raise RuntimeError("the second record must not be read before it is asked for")

    docs = clean_records(records())
    assert iter(docs) is docs
    assert taken == [], "nothing is read before the first document is asked for"
    first = next(docs)
    assert first.id == "first" and first.error is None and first.text.startswith(FIRST_SENTENCE)
    with pytest.raises(RuntimeError, match="second record"):
        next(docs)


# ---------------------------------------------------------------- clean_paths


def test_clean_paths_cleans_the_seeds(seed_doc: Document) -> None:
    docs = clean_paths([str(SEEDS)])
    assert iter(docs) is docs
    docs = list(docs)
    assert [d.id for d in docs] == SEED_IDS
    assert all(d.error is None and d.text and d.title for d in docs)
    assert docs[0].text == seed_doc.text
    assert docs[0].source == str(SEED_000)


def test_clean_paths_checks_paths_at_once(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing"):
        clean_paths([str(SEEDS), str(tmp_path / "missing")])


def test_clean_paths_turns_bad_files_into_failed_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(seed_text(), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": 7}\nnot json\n', encoding="utf-8")
    docs = list(clean_paths([str(tmp_path)]))
    assert [(d.id, d.error.kind if d.error else None) for d in docs] == [
        ("a", None),
        ("b", "empty"),
        ("c1", "no-content-field"),
        ("c:2", "bad-json"),
    ]


def test_forget_texts_empties_every_cache_of_answers_about_texts() -> None:
    """What a benchmark calls to meet pages as new ones: every per-text cache, named by nobody."""
    from dehusk.classify.context import names_comments
    from dehusk.classify.cues import cue_bits, cue_matches
    from dehusk.classify.features import normalize
    from dehusk.dates import find_dates
    from dehusk.extract.html_fast import _words
    from dehusk.memo import forget_texts
    from dehusk.repair import typos

    page = (ROOT / "fixtures" / "html" / "de_offener_thread.html").read_bytes()
    clean(page, format="html")
    typos.suspects(Counter(["Syriad", "Syria", "Syria", "Syria", "upps"]), "en")
    caches = [names_comments, cue_bits, cue_matches, normalize, find_dates, _words]
    assert all(cache.cache_info().currsize for cache in caches)
    assert typos._VERDICTS
    forget_texts()
    assert [cache.cache_info().currsize for cache in caches] == [0] * len(caches)
    assert not typos._VERDICTS

"""The five seed dumps against their hand-written expectations, paragraph by paragraph.

Each seed is a real dump of one news story from one site; fixtures/seeds-expected says
what must be kept, what must go (every removed block with its kind), and the title,
standfirst and date. These are checks of the whole pipeline, not of its parts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dehusk.api import clean_paths

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = sorted((ROOT / "fixtures" / "seeds-expected").glob("*.json"))


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\xa0", " ")).strip()


@pytest.fixture(scope="module")
def cleaned() -> dict:
    return {doc.id: doc for doc in clean_paths([str(ROOT / "seeds")])}


def expectation(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_seed_is_cleaned(cleaned: dict) -> None:
    assert sorted(cleaned) == [p.stem for p in EXPECTED]
    assert all(doc.error is None for doc in cleaned.values())


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem[:3])
def test_article_paragraphs_are_kept(cleaned: dict, path: Path) -> None:
    exp = expectation(path)
    text = norm(cleaned[exp["id"]].text)
    # typos are the repair stage's: compare with the typo repaired in the expectation only
    typos = {
        r["from"].rstrip(","): r["to"].rstrip(",") for r in exp["repairs"] if not r["from"].startswith("U+")
    }
    for paragraph in exp["text"].split("\n\n"):
        wanted = norm(paragraph)
        written = {wanted}
        for wrong, right in typos.items():
            written.add(wanted.replace(right, wrong, 1))
        assert any(w in text for w in written), f"lost {paragraph[:70]!r}"


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem[:3])
def test_boilerplate_is_removed(cleaned: dict, path: Path) -> None:
    exp = expectation(path)
    doc = cleaned[exp["id"]]
    text = norm(doc.text)
    for block in exp["removed"]:
        allowed = 1 if block["kind"] == "duplicate" else 0
        assert text.count(norm(block["text"])) <= allowed, f"kept {block['kind']} {block['text'][:60]!r}"
    for inline in exp["removed_inline"]:
        assert norm(inline["text"]) not in text, f"kept inline {inline['kind']} {inline['text']!r}"


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem[:3])
def test_title_date_and_standfirst(cleaned: dict, path: Path) -> None:
    exp = expectation(path)
    doc = cleaned[exp["id"]]
    assert norm(doc.title) == norm(exp["title"])
    assert doc.date == exp["date"]
    if exp["description"]:
        # the expected standfirst has its typo repaired; the typo is the repair stage's
        typos = [r for r in exp["repairs"] if not r["from"].startswith("U+")]
        wanted = norm(exp["description"])
        variants = {wanted} | {wanted.replace(r["to"], r["from"]) for r in typos}
        assert norm(doc.description) in variants


def test_removed_blocks_are_named(cleaned: dict) -> None:
    """The kinds a reader of explain needs: the widget, the picker, the caption, the promo."""
    kinds = {(doc.id[:3], b.kind) for doc in cleaned.values() for b in doc.blocks if not b.keep}
    for wanted in [("004", "weather"), ("004", "city-picker"), ("000", "caption"), ("000", "promo"),
                   ("001", "breadcrumb"), ("002", "byline"), ("002", "related"), ("003", "read-more"),
                   ("002", "header"), ("001", "comments"), ("001", "footer")]:  # fmt: skip
        assert wanted in kinds


def test_no_break_spaces_are_repaired(cleaned: dict) -> None:
    for doc in cleaned.values():
        assert "\xa0" not in doc.text
    assert cleaned["002_9b3f2ec0a0e2ae96"].metadata["repairs"]["characters"] > 0


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem[:3])
def test_typos_are_repaired(cleaned: dict, path: Path) -> None:
    exp = expectation(path)
    doc = cleaned[exp["id"]]
    written = " ".join(x or "" for x in (doc.title, doc.description, doc.text))
    for r in exp["repairs"]:
        if not r["from"].startswith("U+"):
            assert r["from"] not in written and r["to"].rstrip(",") in written


#: Words of the seeds a spell checker would "correct": they must come through as written.
NAMES = ("Shoigu", "Konashenkov", "Latakia", "Idlib", "Moualem", "Abdulrahman", "Raqqa", "Krivenko",
         "Sgiant4u", "deconfliction")  # fmt: skip


def test_no_other_word_is_changed(cleaned: dict) -> None:
    details = [d for doc in cleaned.values() for d in doc.metadata.get("repairs_detail", [])]
    assert sorted((d["from"], d["to"]) for d in details) == [
        ("Syriad", "Syria"),
        ("the the", "the"),
        ("upps", "ups"),
    ]
    expected = " ".join(expectation(p)["text"] for p in EXPECTED)
    written = " ".join(doc.text for doc in cleaned.values())
    for name in NAMES:
        assert (name in expected) <= (name in written), name

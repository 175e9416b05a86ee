"""Dumps of pages the models never saw, in other languages than the training pages' English.

fixtures/dumps holds hand-written flattened pages (a German news article, a Portuguese
recipe blog) with their expectations in fixtures/dumps-expected: every block that must
go, with its kind, and the paragraphs that must stay -- a recipe's ingredient list and
its subheadings among them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dehusk.api import clean_paths
from dehusk.classify.features import normalize

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = sorted((ROOT / "fixtures" / "dumps-expected").glob("*.json"))


@pytest.fixture(scope="module")
def cleaned() -> dict:
    return {doc.id: doc for doc in clean_paths([str(ROOT / "fixtures" / "dumps")])}


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_unseen_dump(cleaned: dict, path: Path) -> None:
    exp = json.loads(path.read_text(encoding="utf-8"))
    doc = cleaned[exp["id"]]
    assert doc.text == exp["text"]
    assert (doc.title, doc.description, doc.date) == (exp["title"], exp["description"], exp["date"])
    removed = {normalize(b.text): b.kind for b in doc.blocks if not b.keep}
    for block in exp["removed"]:
        assert removed.get(normalize(block["text"])) == block["kind"], block["text"][:60]


def test_language_is_detected(cleaned: dict) -> None:
    assert cleaned["de_radwege"].lang == "de"
    assert cleaned["pt_bolo"].lang == "pt"

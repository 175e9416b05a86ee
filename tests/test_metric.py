"""The ScrapingHub shingle metric and the gold/output loaders."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import zstandard

from dehusk.evaluate.gold import load_gold, load_outputs
from dehusk.evaluate.metric import (
    PageScore,
    aggregate,
    evaluate,
    page_scores,
    shingle_counts,
    shingles,
    tokenize,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEEDS_EXPECTED = ROOT / "fixtures" / "seeds-expected"


def test_tokenize_drops_punctuation_and_whitespace():
    assert tokenize("a b,cd:e(foo,bar) ") == ["a", "b", "cd", "e", "foo", "bar"]
    assert tokenize("") == [] and tokenize(None) == []


def test_tokenize_is_unicode():
    assert tokenize("Привет, мир! 東京 café naïve 2020-01-26") == [
        "Привет",
        "мир",
        "東京",
        "café",
        "naïve",
        "2020",
        "01",
        "26",
    ]


# The benchmark's documented cases, with 3-token shingles.
@pytest.mark.parametrize(
    ("gold", "pred", "want"),
    [
        ("a b c", "a b c", (1, 0, 0)),
        ("a b c d", "a b c", (0.5, 0, 0.5)),
        ("a b c", "a b c d", (0.5, 0.5, 0)),
        ("", "", (0, 0, 0)),
        ("a", "", (0, 0, 1)),
        ("", "a", (0, 1, 0)),
        ("a b c a b c", "a b c", (0.25, 0, 0.75)),
        ("a b c", "a b c a b c", (0.25, 0.75, 0)),
    ],
)
def test_documented_cases(gold, pred, want):
    assert shingle_counts(gold, pred, n=3) == pytest.approx(want, abs=1e-12)


def test_short_texts_make_one_short_shingle():
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert shingles([]) == {}
    assert sum(shingles(tokenize("one two three four five")).values()) == 2
    # 1-3 tokens on each side: one shingle each, equal only when the tokens are
    assert shingle_counts("hello world", "hello, world!") == (1.0, 0.0, 0.0)
    assert shingle_counts("hello world", "hello") == (0.0, 0.5, 0.5)


def test_shingles_are_a_multiset():
    # gold has "a b c d" twice; predicting it once finds one of the five shingles
    assert shingle_counts("a b c d a b c d", "a b c d") == pytest.approx((0.2, 0.0, 0.8))
    doubled = page_scores("one two three four five", "one two three four five one two three four five")
    assert doubled.recall == 1.0 and doubled.precision < 0.5


def test_identical_texts_score_one():
    text = "Cold War foes discuss Syria. The phone call followed signs that Moscow was active."
    s = page_scores(text, "  " + text.replace(". ", ".\n\n") + "\n")
    assert (s.precision, s.recall, s.f1, s.accuracy) == (1.0, 1.0, 1.0, 1.0)


def test_page_scores_by_definition():
    s = page_scores("w1 w2 w3 w4 w5 w6", "w1 w2 w3 w4 w5 x y")  # gold 3 shingles, pred 4, 2 shared
    assert (s.tp, s.fp, s.fn) == pytest.approx((2 / 5, 2 / 5, 1 / 5))
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert s.accuracy == 0.0
    nothing_right = page_scores("a b c d e", "v w x y z")
    assert (nothing_right.precision, nothing_right.recall, nothing_right.f1) == (0.0, 0.0, 0.0)


def test_empty_prediction_costs_recall_not_precision():
    gold = {"p1": "the quick brown fox jumps over", "p2": "a lazy dog sleeps in the sun"}
    scores, pages = evaluate({"p1": "the quick brown fox jumps over", "p2": ""}, gold)
    assert scores.precision == 1.0
    assert scores.recall == 0.5
    assert scores.f1 == pytest.approx(2 / 3)
    assert scores.n_empty == 1 and scores.n_missing == 0
    assert not pages["p2"].has_pred and pages["p2"].has_gold


def test_missing_and_extra_outputs():
    gold = {"p1": "the quick brown fox jumps over", "p2": "a lazy dog sleeps in the sun"}
    scores, pages = evaluate({"p1": "the quick brown fox", "other": "a lazy dog sleeps"}, gold)
    assert set(pages) == {"p1", "p2"}
    assert pages["p2"].missing and not pages["p1"].missing
    assert (scores.n_pages, scores.n_missing, scores.n_empty) == (2, 1, 1)
    assert scores.precision == 1.0 and scores.recall == pytest.approx(1 / 3 / 2)


def test_f1_is_harmonic_mean_of_means_not_mean_of_f1():
    pages = [page_scores("a b c d e f", "a b c d e f x y z"), page_scores("a b c d e f", "a b c d")]
    scores = aggregate(pages)
    p = (pages[0].precision + pages[1].precision) / 2
    r = (pages[0].recall + pages[1].recall) / 2
    assert scores.f1 == pytest.approx(2 * p * r / (p + r))
    assert scores.f1_page_mean == pytest.approx((pages[0].f1 + pages[1].f1) / 2)
    assert scores.f1 != pytest.approx(scores.f1_page_mean)
    assert scores.page_f1 == (pages[0].f1, pages[1].f1)


def test_pages_with_empty_gold_do_not_count_towards_recall():
    scores = aggregate([page_scores("", "some words here"), page_scores("a b c d", "a b c d")])
    assert scores.recall == 1.0 and scores.precision == 0.5
    both_empty = page_scores("", "")
    assert isinstance(both_empty, PageScore) and not both_empty.has_pred and not both_empty.has_gold
    assert aggregate([]).f1 == 0.0


def _write_jsonl(path: Path, records: list[dict]) -> bytes:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    path.write_bytes(data)
    return data


def test_load_gold_scrapinghub_json(tmp_path):
    truth = {"abc": {"articleBody": "Body one.", "url": "http://x"}, "def": {"articleBody": "Body två."}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert load_gold(tmp_path / "ground-truth.json") == {"abc": "Body one.", "def": "Body två."}
    wrapped = {"version": "1.0", "output": {"abc": {"articleBody": None}}}
    (tmp_path / "peer.json").write_text(json.dumps(wrapped), encoding="utf-8")
    assert load_outputs(tmp_path / "peer.json") == {"abc": ""}


def test_load_gold_expectation_folder():
    gold = load_gold(SEEDS_EXPECTED)
    assert set(gold) == {p.stem for p in SEEDS_EXPECTED.glob("*.json")} and len(gold) >= 5
    assert gold["000_e5b2f53ae80714c2"].startswith("United States and Russian defence ministers")


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst"])
def test_load_gold_and_outputs_jsonl(tmp_path, suffix):
    records = [{"id": "a", "text": "First text."}, {"id": 7, "text": None}, {"id": "c", "title": "no text"}]
    data = _write_jsonl(tmp_path / "plain.jsonl", records)
    path = tmp_path / f"gold.jsonl{suffix}"
    compress = {"": bytes, ".gz": gzip.compress, ".zst": zstandard.ZstdCompressor().compress}[suffix]
    path.write_bytes(compress(data))
    want = {"a": "First text.", "7": "", "c": ""}
    assert load_gold(path) == want
    assert load_outputs(path) == want


def test_load_rejects_what_it_cannot_score(tmp_path):
    bad = tmp_path / "out.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"out\.jsonl:2"):
        load_outputs(bad)
    snippets = tmp_path / "evaldata.json"
    snippets.write_text(json.dumps({"http://x": {"file": "x.html", "with": ["a"], "without": []}}))
    with pytest.raises(ValueError, match="snippet"):
        load_gold(snippets)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError):
        load_gold(tmp_path / "empty")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs the seeds")
def test_keep_everything_on_the_seeds(tmp_path):
    """The raw seed dumps as output, scored against their expectations.

    Reference numbers from the team's scoring script (tools/score.py) on the same files; they
    move only if a seed or its expectation changes.
    """
    out = tmp_path / "out.jsonl"
    _write_jsonl(
        out, [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]
    )
    scores, _ = evaluate(load_outputs(out), load_gold(SEEDS_EXPECTED))
    assert scores.n_pages == 5 and scores.n_missing == 0
    assert round(scores.precision, 4) == 0.8578
    assert round(scores.recall, 4) == 0.9873
    assert round(scores.f1, 4) == 0.9180

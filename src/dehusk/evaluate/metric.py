"""The ScrapingHub article-extraction-benchmark metric: shingle precision, recall and F1.

Written from the benchmark's definition so that our numbers can be set next to the
published table (scrapinghub/article-extraction-benchmark) and next to the peers':

- A text is cut into ``\\w+`` tokens (Unicode word characters; case, digits kept as they are).
- Its shingles are the windows of ``n`` (4) consecutive tokens, counted as a multiset: a
  paragraph repeated twice must be predicted twice. A text of 1 to n-1 tokens gives one short
  shingle of all its tokens; a text without tokens gives none.
- Per page, ``tp = Σ min(gold, pred)``, ``fp`` and ``fn`` the surpluses of each side, divided
  by their sum so that a long page weighs as much as a short one.
- Page precision is 1 when nothing is wrong (fp = fn = 0), 0 when nothing was predicted
  right, else tp / (tp + fp); recall likewise with fn.
- Dataset precision is the mean over pages whose output has a shingle (an empty output costs
  recall, never precision), recall the mean over pages whose gold has one, and F1 the harmonic
  mean of those two means -- not the mean of per-page F1s, which is given as ``f1_page_mean``.

>>> page_scores("a b c d e", "a b c d e").f1
1.0
>>> s = page_scores("one two three four five", "one two three four")
>>> round(s.precision, 3), round(s.recall, 3)
(1.0, 0.5)
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "PageScore",
    "Scores",
    "aggregate",
    "evaluate",
    "page_scores",
    "shingle_counts",
    "shingles",
    "tokenize",
]

#: Shingle width of the benchmark.
NGRAM = 4

_WORD = re.compile(r"\w+")


def tokenize(text: str | None) -> list[str]:
    """The ``\\w+`` tokens of ``text``: punctuation and whitespace never count."""
    return _WORD.findall(text) if text else []


def shingles(tokens: list[str], n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """The multiset of ``n``-token windows; a short text is one short shingle, none is none."""
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))  # windows end with the shortest


def shingle_counts(gold: str | None, pred: str | None, n: int = NGRAM) -> tuple[float, float, float]:
    """Length-normalised ``(tp, fp, fn)`` of one page; all zero when neither side has a shingle."""
    return _counts(shingles(tokenize(gold), n), shingles(tokenize(pred), n))


def _counts(gold: Counter[tuple[str, ...]], pred: Counter[tuple[str, ...]]) -> tuple[float, float, float]:
    # Only the overlap needs a loop: fp and fn are what each side has beyond it.
    small, large = (gold, pred) if len(gold) <= len(pred) else (pred, gold)
    tp = sum(min(c, large[k]) for k, c in small.items())  # a Counter gives 0 for what it lacks
    fp = pred.total() - tp
    fn = gold.total() - tp
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's normalised counts and scores; ``missing`` when the output had no record for it."""

    tp: float
    fp: float
    fn: float
    precision: float
    recall: float
    f1: float
    accuracy: float  # 1.0 when gold and prediction have the same tokens, else 0.0
    missing: bool = False

    @property
    def has_pred(self) -> bool:
        """The prediction produced a shingle: the page counts towards precision."""
        return self.tp + self.fp > 0

    @property
    def has_gold(self) -> bool:
        """The gold text has a shingle: the page counts towards recall."""
        return self.tp + self.fn > 0


def page_scores(gold: str | None, pred: str | None, n: int = NGRAM, *, missing: bool = False) -> PageScore:
    """Score one prediction against its gold text."""
    gold_tokens, pred_tokens = tokenize(gold), tokenize(pred)
    tp, fp, fn = _counts(shingles(gold_tokens, n), shingles(pred_tokens, n))
    if fp == 0 and fn == 0:
        precision = recall = 1.0
    else:
        precision = tp / (tp + fp) if tp or fp else 0.0
        recall = tp / (tp + fn) if tp or fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = float(gold_tokens == pred_tokens)
    return PageScore(tp, fp, fn, precision, recall, f1, accuracy, missing)


@dataclass(frozen=True, slots=True)
class Scores:
    """Dataset scores as the benchmark reports them, with the counts needed to read them."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    n_pages: int
    n_missing: int  # gold pages without an output record (scored as empty outputs)
    n_empty: int = 0  # pages whose output has no shingle, missing ones included
    f1_page_mean: float = 0.0  # mean of per-page F1: not the benchmark's F1
    page_f1: tuple[float, ...] = field(default=(), repr=False)

    def summary(self) -> str:
        """One line for a terminal or a log."""
        return (
            f"pages {self.n_pages} missing {self.n_missing} precision {self.precision:.4f} "
            f"recall {self.recall:.4f} f1 {self.f1:.4f} accuracy {self.accuracy:.4f}"
        )


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def aggregate(pages: Iterable[PageScore]) -> Scores:
    """Dataset precision, recall and F1 from per-page scores (see the module docstring)."""
    pages = list(pages)
    precision = _mean([p.precision for p in pages if p.has_pred])
    recall = _mean([p.recall for p in pages if p.has_gold])
    page_f1 = tuple(p.f1 for p in pages)
    return Scores(
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        accuracy=_mean([p.accuracy for p in pages]),
        n_pages=len(pages),
        n_missing=sum(p.missing for p in pages),
        n_empty=sum(not p.has_pred for p in pages),
        f1_page_mean=_mean(list(page_f1)),
        page_f1=page_f1,
    )


def evaluate(
    outputs: Mapping[str, str], gold: Mapping[str, str], n: int = NGRAM
) -> tuple[Scores, dict[str, PageScore]]:
    """Score every gold page; a page with no output counts as an empty output.

    Outputs for ids that are not in the gold are ignored: the gold decides what is measured.
    """
    pages = {
        page_id: page_scores(body, outputs.get(page_id, ""), n, missing=page_id not in outputs)
        for page_id, body in gold.items()
    }
    return aggregate(pages.values()), pages

"""Helpers of the benchmark suites: where the corpora are, per-page timing, and the speed ratios.

(Not in conftest.py: tests/ has a conftest module of its own, and a suite imports these by name.)
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from dehusk.evaluate.extractors import BASELINE
from dehusk.evaluate.metric import Scores
from dehusk.memo import forget_texts as forget_dehusk_texts

ROOT = Path(__file__).resolve().parents[1]
#: Pages in a --quick run.
QUICK_PAGES = 5

#: What each benchmark recorded, for the summary at the end of the run.
RECORDED: list[dict[str, Any]] = []
#: The same for the bulk runs (test_bulk.py), which have a summary of their own.
BULK: list[dict[str, Any]] = []


def corpora_root() -> Path:
    """``$DEHUSK_CORPORA``, else ``../shared/corpora`` beside the repository."""
    env = os.environ.get("DEHUSK_CORPORA")
    return Path(env) if env else ROOT.parent / "shared" / "corpora"


def per_page(
    benchmark: Any,
    fn: Callable[[Any], Any],
    items: Sequence[tuple[str, Any]],
    passes: int = 1,
) -> dict[str, Any]:
    """Time ``fn(arg)`` once per round, the ``(key, arg)`` items in turn; return each key's result.

    One round is one page, so the benchmark's statistics are per page, and they are the
    steady state: every item goes through ``fn`` once untimed first (imports, models, each
    language's lexicon: what a process loads once, and a corpus of any size pays once), then
    what the process remembers of the texts it saw is forgotten (``forget_texts``), so that
    the timed rounds meet the pages as new ones. With benchmarks disabled
    (``--benchmark-disable``) pytest-benchmark runs one round: the rest run here, untimed.
    """
    results: dict[str, Any] = {}
    for _, arg in items:
        fn(arg)
    forget_texts()
    feed = itertools.cycle(items)

    def setup() -> tuple[tuple[str, Any], dict[str, Any]]:
        return next(feed), {}

    def target(key: str, arg: Any) -> None:
        results[key] = fn(arg)

    benchmark.pedantic(target, setup=setup, rounds=len(items) * passes, warmup_rounds=0)
    for key, arg in items:
        if key not in results:
            results[key] = fn(arg)
    return results


def forget_texts() -> None:
    """Forget what the process remembers of texts it has seen: dehusk's answers about texts
    (``dehusk.memo``) and trafilatura's caches (its own ``reset_caches``), keeping what was
    loaded once."""
    forget_dehusk_texts()
    if "trafilatura" in sys.modules:
        from trafilatura.meta import reset_caches

        reset_caches()


def record_accuracy(
    benchmark: Any, extractor: str, scores: Scores, pages: int, passes: int, **info: Any
) -> None:
    """Accuracy (the shingle metric) and the run's size into ``extra_info``, then ``record``."""
    benchmark.extra_info.update(
        **info,
        pages=pages,
        passes=passes,
        precision=round(scores.precision, 4),
        recall=round(scores.recall, 4),
        f1=round(scores.f1, 4),
        empty=scores.n_empty,
    )
    record(benchmark, extractor)


def record(benchmark: Any, extractor: str) -> None:
    """Name the benchmark's extractor in ``extra_info`` and remember it for the run's summary."""
    benchmark.extra_info["extractor"] = extractor
    RECORDED.append({"group": benchmark.group, "extra_info": benchmark.extra_info, "fixture": benchmark})


def add_ratios(entries: Iterable[dict[str, Any]]) -> None:
    """Write speed ratios into each entry's ``extra_info``.

    ``entries``: dicts with ``group``, ``extractor``, ``mean``, ``median`` (seconds per page) and
    ``extra_info``. In a group with a trafilatura run, ``speed_vs_trafilatura`` is its mean time
    per page over this one's (2.0: twice as fast -- over the same pages, the ratio of pages/s)
    and ``median_vs_trafilatura`` the same with medians. (The repair stage's share of the fast
    path is measured in pairs by ``test_text.py::test_repair_share``, not divided out here.)
    """
    entries = list(entries)
    times = {(e["group"], e["extractor"]): (e["mean"], e["median"]) for e in entries if e["mean"]}
    for e in entries:
        if not e["mean"]:
            continue
        base = times.get((e["group"], BASELINE))
        if base:
            e["extra_info"]["speed_vs_trafilatura"] = round(base[0] / e["mean"], 4)
            e["extra_info"]["median_vs_trafilatura"] = round(base[1] / e["median"], 4)


def summary_lines(entries: Iterable[dict[str, Any]]) -> list[str]:
    """One line per benchmark: time per page, accuracy, ratios (after :func:`add_ratios`)."""
    lines = []
    for e in entries:
        info = e["extra_info"]
        parts = [f"{e['group']:<10} {info['extractor']:<22}"]
        if "share_of_fast_path" in info:  # a pair of passes per round: its times per page are its own
            parts.append(f"{info['repair_ms_per_page']:8.2f} ms/page of {info['fast_ms_per_page']:.2f}")
        else:
            parts.append(f"{1000 * e['mean']:8.2f} ms/page")
        if "f1" in info:
            parts.append(f"P {info['precision']:.3f} R {info['recall']:.3f} F1 {info['f1']:.3f}")
        if "speed_vs_trafilatura" in info:
            parts.append(f"{info['speed_vs_trafilatura']:.2f}× trafilatura")
        if "share_of_fast_path" in info:
            shares = ", ".join(f"{100 * share:.1f}" for share in info["shares"])
            parts.append(f"{100 * info['share_of_fast_path']:.1f}% of dehusk fast per page (pairs: {shares})")
            by_language = ", ".join(
                f"{lang} {100 * share:.1f}% ({n})"
                for lang, (n, share) in info.get("share_by_language", {}).items()
            )
            if by_language:
                parts.append(f"by language (pages): {by_language}")
        lines.append("  ".join(parts))
    return lines


def add_speedups(entries: Iterable[dict[str, Any]]) -> None:
    """Write each bulk run's speed-up over the one-worker run of its group into ``extra_info``.

    ``entries``: dicts with ``group``, ``mean`` (seconds per whole run, process start included)
    and ``extra_info``; those without ``pages_per_s`` (the engine's own clock) and ``workers``
    are not bulk runs and are left alone.
    ``speedup`` is the ratio of pages/s to the one-worker run's, ``speedup_wall`` the same for
    the whole command (``mean``), which also pays for starting Python and the workers.
    """
    entries = [e for e in entries if e["extra_info"].get("pages_per_s")]
    single = {e["group"]: e for e in entries if e["extra_info"].get("workers") == 1}
    for e in entries:
        base = single.get(e["group"])
        if base is None:
            continue
        info = e["extra_info"]
        info["speedup"] = round(info["pages_per_s"] / base["extra_info"]["pages_per_s"], 3)
        if base["mean"] and e["mean"]:  # not with --benchmark-disable
            info["speedup_wall"] = round(base["mean"] / e["mean"], 3)


def bulk_lines(entries: Iterable[dict[str, Any]]) -> list[str]:
    """One line per bulk run: throughput, per core, speed-up, peak memory (after :func:`add_speedups`)."""
    lines = []
    for e in entries:
        info = e["extra_info"]
        parts = [
            f"{e['group']:<10} workers {info['workers']}",
            f"{info['pages']:6d} pages {info['bytes'] / 1e6:7.1f} MB",
            f"{info['pages_per_s']:7.1f} pages/s {info['mb_per_s']:6.2f} MB/s",
            f"{info['mb_per_s_per_core']:5.2f} MB/s/core {info['mb_per_cpu_s']:5.2f} MB/CPU-s",
            f"{info['cores_busy']:4.2f} cores busy",
        ]
        if "speedup" in info:
            parts.append(f"{info['speedup']:.2f}× workers=1")
        worker = f"{info['peak_rss_worker_mb']:.0f}" if info["peak_rss_worker_mb"] else "-"
        parts.append(f"peak RSS parent {info['peak_rss_parent_mb']:.0f} MB worker {worker} MB")
        lines.append("  ".join(parts))
    return lines

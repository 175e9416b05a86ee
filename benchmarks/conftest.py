"""Set-up of the benchmark suites: options, the corpus, and the ratios written into the JSON.

The suites measure per page: every round of pytest-benchmark is one page (the pages taken in
turn), so a benchmark's mean is the mean time per page over the corpus and its median the
median page. Speed against trafilatura is never asserted: it is written as ratios into
``extra_info`` of the JSON (``--benchmark-json``, ``--benchmark-autosave``) and printed at the
end of the run. Corpora are found under ``$DEHUSK_CORPORA``, else ``../shared/corpora`` beside
the repository; a suite whose corpus is not there is skipped, saying where it looked.

The bulk suite (test_bulk.py) is the exception: one round is a whole ``dehusk clean`` run over
a JSONL.gz shard set or a WARC.gz, for 1 to 4 workers; its throughput, speed-ups and peak
memory are in ``extra_info`` and in a summary of their own.

    DEHUSK_CORPORA=../shared/corpora pytest benchmarks --benchmark-only --benchmark-json=b.json
    pytest benchmarks --benchmark-only --quick      # 5 pages, one round each: the CI smoke run
"""

from __future__ import annotations

from typing import Any

import pytest

from bench_support import (
    BULK,
    QUICK_PAGES,
    RECORDED,
    add_ratios,
    add_speedups,
    bulk_lines,
    corpora_root,
    summary_lines,
)
from dehusk.evaluate.corpus import Corpus, load_corpus


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dehusk benchmarks")
    group.addoption("--quick", action="store_true", help=f"{QUICK_PAGES} pages, one round each (CI).")
    group.addoption(
        "--bench-pages", type=int, default=None, help="Pages per suite, spread over the corpus [all]."
    )
    group.addoption("--bench-passes", type=int, default=1, help="Timed rounds per page [1].")
    group.addoption(
        "--bulk-copies", type=int, default=2, help="Copies of each page in the bulk inputs [2; --quick: 1]."
    )


@pytest.fixture(scope="session")
def passes(request: pytest.FixtureRequest) -> int:
    return 1 if request.config.getoption("--quick") else max(1, request.config.getoption("--bench-passes"))


@pytest.fixture(scope="session")
def scrapinghub(request: pytest.FixtureRequest) -> Corpus:
    """The ScrapingHub pages and their gold bodies, or a skip that says where they were looked for."""
    folder = corpora_root() / "scrapinghub"
    if not (folder / "ground-truth.json").is_file() or not (folder / "html").is_dir():
        pytest.skip(f"no ScrapingHub corpus at {folder} (set DEHUSK_CORPORA to the folder that holds it)")
    quick = request.config.getoption("--quick")
    return load_corpus(folder, limit=QUICK_PAGES if quick else request.config.getoption("--bench-pages"))


def pytest_benchmark_update_json(config: pytest.Config, benchmarks: Any, output_json: dict) -> None:
    """Speed ratios (bench_support.add_ratios) and bulk speed-ups (add_speedups) into the JSON."""
    entries = [
        {
            "group": b.get("group"),
            "extractor": b.get("extra_info", {}).get("extractor"),
            "mean": b["stats"]["mean"],
            "median": b["stats"]["median"],
            "extra_info": b.setdefault("extra_info", {}),
        }
        for b in output_json.get("benchmarks", [])
    ]
    add_ratios(entries)
    add_speedups(entries)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Accuracy and the ratios, one line per benchmark, after pytest-benchmark's own table."""
    entries = []
    for r in RECORDED:
        stats = getattr(getattr(r["fixture"], "stats", None), "stats", None)
        timed = stats is not None and stats.rounds > 0
        entries.append(
            {
                "group": r["group"],
                "extractor": r["extra_info"]["extractor"],
                "mean": stats.mean if timed else 0.0,
                "median": stats.median if timed else 0.0,
                "extra_info": dict(r["extra_info"]),
            }
        )
    if entries:
        add_ratios(entries)
        terminalreporter.section("dehusk: accuracy and speed against trafilatura (same run)")
        for line in summary_lines(entries):
            terminalreporter.write_line(line)
    bulk = [
        {"group": r["group"], "mean": _mean(r["fixture"]), "extra_info": dict(r["extra_info"])}
        for r in BULK
        if "pages_per_s" in r["extra_info"]
    ]
    if bulk:
        add_speedups(bulk)
        terminalreporter.section("dehusk: whole `dehusk clean --mode fast` runs (noisy on a shared machine)")
        for line in bulk_lines(bulk):
            terminalreporter.write_line(line)


def _mean(fixture: Any) -> float:
    stats = getattr(getattr(fixture, "stats", None), "stats", None)
    return stats.mean if stats is not None and stats.rounds > 0 else 0.0

"""``dehusk bench``: every installed extractor on one corpus, accuracy and speed side by side.

How it times, so that the numbers can be trusted on a shared machine:

- one process, the corpus read and decoded beforehand (no I/O is timed);
- a warm-up: every extractor on a few pages first (imports, models, caches);
- page-major order: each page is run by every extractor in turn (the order rotated from page
  to page), so a burst of load from elsewhere hits all of them alike;
- each call timed with both the process's CPU time and the wall clock; the table shows one
  (CPU by default: other processes do not inflate it); with ``repeat`` > 1 a page's time is the
  median of its runs; ms/page are the median and 95th percentile over pages, pages/s is the
  number of pages over the sum of their times, and the ratio to trafilatura is that of pages/s;
- memory in a separate pass (measuring it slows calls down): see :mod:`.memory`.

Accuracy is the ScrapingHub shingle metric (:mod:`.metric`) over the same pages; a call that
raises is scored as an empty output and counted in ``errors``.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from dehusk.evaluate.corpus import Corpus, load_corpus, spread
from dehusk.evaluate.extractors import BASELINE, Extractor, load_extractors
from dehusk.evaluate.memory import PeakMeter
from dehusk.evaluate.metric import Scores, evaluate

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = [
    "BenchReport",
    "ExtractorResult",
    "bench",
    "percentile",
    "render_table",
    "run_bench",
    "table_rows",
    "to_json",
    "to_markdown",
    "write_report",
]

CLOCKS = ("cpu", "wall")
#: (done, total, phase) -- for a progress bar.
Progress = Callable[[int, int, str], None]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks (numpy's default).

    >>> percentile([1, 2, 3, 4, 5], 95)
    4.8
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(slots=True)
class ExtractorResult:
    """One extractor's run: per-page times (seconds, in the corpus's page order), outputs, scores."""

    name: str
    label: str
    version: str
    cpu: list[float]
    wall: list[float]
    outputs: dict[str, str]
    errors: dict[str, str]
    scores: Scores
    page_f1: list[float] = field(default_factory=list)
    peak_bytes: int | None = None  # the largest per-call peak over the pages; None when not measured

    def seconds(self, clock: str) -> list[float]:
        """Per-page times by ``clock`` (``cpu`` or ``wall``)."""
        return self.cpu if clock == "cpu" else self.wall

    def ms_median(self, clock: str) -> float:
        values = self.seconds(clock)
        return 1000 * statistics.median(values) if values else 0.0

    def ms_p95(self, clock: str) -> float:
        return 1000 * percentile(self.seconds(clock), 95)

    def pages_per_second(self, clock: str) -> float:
        total = sum(self.seconds(clock))
        return len(self.cpu) / total if total > 0 else float("inf")


@dataclass(slots=True)
class BenchReport:
    """A whole bench run: the results, how they were measured, and where."""

    corpus: str
    path: str
    page_ids: list[str]
    results: list[ExtractorResult]
    clock: str = "cpu"
    warmup: int = 3
    repeat: int = 1
    memory_method: str | None = None  # PeakMeter.method, or None when memory was not measured
    missing: dict[str, str] = field(default_factory=dict)  # extractors not installed, and why
    environment: dict[str, Any] = field(default_factory=dict)
    baseline: str = BASELINE

    def result(self, name: str) -> ExtractorResult | None:
        return next((r for r in self.results if r.name == name), None)

    def ratio(self, result: ExtractorResult, clock: str | None = None) -> float | None:
        """Pages/s of ``result`` over the baseline's in this run (2.0: twice as fast); None without one."""
        clock = clock or self.clock
        base = self.result(self.baseline)
        if base is None:
            return None
        return result.pages_per_second(clock) / base.pages_per_second(clock)

    def method_note(self) -> str:
        """The timing method in one sentence, for every output."""
        clock = "CPU time of this process" if self.clock == "cpu" else "wall-clock time"
        runs = f"median of {self.repeat} runs per page" if self.repeat > 1 else "one run per page"
        return (
            f"Timing: {clock}, one process, {self.warmup} warm-up page(s) per extractor, page-major order "
            f"(each page run by every extractor in turn, the order rotated per page), {runs}; "
            f"ms/page: median and p95 over {len(self.page_ids)} pages; pages/s: pages over the sum of "
            f"their times; × {self.baseline}: pages/s over {self.baseline}'s in the same run."
        )

    def memory_header(self) -> str:
        if self.memory_method is None:
            return "peak MB"
        return "peak RSS MB/call" if self.memory_method == PeakMeter.RSS else "peak heap MB/call"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _environment() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in load] if load else None,
    }


def run_bench(
    corpus: Corpus,
    extractors: Sequence[Extractor],
    *,
    warmup: int = 3,
    repeat: int = 1,
    clock: str = "cpu",
    memory: bool = True,
    missing: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> BenchReport:
    """Run and score every extractor on every page of ``corpus`` (see the module docstring)."""
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {CLOCKS}, not {clock!r}")
    if repeat < 1 or warmup < 0:
        raise ValueError("repeat must be at least 1 and warmup at least 0")
    pages = corpus.pages
    environment = _environment()
    k = len(extractors)
    by_id = {p.id: p for p in pages}
    warm = [by_id[i] for i in spread([p.id for p in pages], warmup)]
    total = k * (len(warm) + repeat * len(pages) + (len(pages) if memory else 0))
    done = 0

    def tick(phase: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, phase)

    for page in warm:
        for extractor in extractors:
            extractor.extract(page)
            tick("warm-up")

    cpu: list[list[list[float]]] = [[[] for _ in pages] for _ in extractors]
    wall: list[list[list[float]]] = [[[] for _ in pages] for _ in extractors]
    outputs: list[dict[str, str]] = [{} for _ in extractors]
    errors: list[dict[str, str]] = [{} for _ in extractors]
    gc.collect()
    for _ in range(repeat):
        for i, page in enumerate(pages):
            for j in (*range(i % k, k), *range(i % k)) if k else ():
                w0, c0 = time.perf_counter_ns(), time.process_time_ns()
                text, error = extractors[j].extract(page)
                c1, w1 = time.process_time_ns(), time.perf_counter_ns()
                cpu[j][i].append((c1 - c0) / 1e9)
                wall[j][i].append((w1 - w0) / 1e9)
                outputs[j][page.id] = text
                if error:
                    errors[j][page.id] = error
                tick("timing")

    peaks: list[int | None] = [None] * k
    meter = PeakMeter() if memory else None
    if meter is not None:
        gc.freeze()  # what exists now is kept: each call's gc.collect() then only sees new objects
        try:
            for page in pages:
                for j, extractor in enumerate(extractors):
                    _, peak = meter.measure(extractor.extract, page)
                    peaks[j] = max(peaks[j] or 0, peak)
                    tick("memory")
        finally:
            gc.unfreeze()

    results = []
    for j, extractor in enumerate(extractors):
        scores, per_page = evaluate(outputs[j], corpus.gold)
        results.append(
            ExtractorResult(
                name=extractor.name,
                label=extractor.label,
                version=extractor.version,
                cpu=[_median(times) for times in cpu[j]],
                wall=[_median(times) for times in wall[j]],
                outputs=outputs[j],
                errors=errors[j],
                scores=scores,
                page_f1=[per_page[p.id].f1 for p in pages],
                peak_bytes=peaks[j],
            )
        )
    if hasattr(os, "getloadavg"):
        environment["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return BenchReport(
        corpus=corpus.name,
        path=corpus.path,
        page_ids=[p.id for p in pages],
        results=results,
        clock=clock,
        warmup=len(warm),
        repeat=repeat,
        memory_method=meter.method if meter is not None else None,
        missing=dict(missing or {}),
        environment=environment,
    )


# --- the table, in three shapes -------------------------------------------------------------------------

COLUMNS = (
    ("extractor", "extractor"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("f1", "F1"),
    ("ms_median", "ms/page median"),
    ("ms_p95", "ms/page p95"),
    ("pages_per_second", "pages/s"),
    ("ratio", "× trafilatura"),
    ("peak_mb", "peak MB"),
)


def table_rows(report: BenchReport) -> list[dict[str, Any]]:
    """The table's rows as numbers, in the report's extractor order."""
    rows = []
    for r in report.results:
        rows.append(
            {
                "extractor": r.label,
                "name": r.name,
                "version": r.version,
                "precision": r.scores.precision,
                "recall": r.scores.recall,
                "f1": r.scores.f1,
                "ms_median": r.ms_median(report.clock),
                "ms_p95": r.ms_p95(report.clock),
                "pages_per_second": r.pages_per_second(report.clock),
                "ratio": report.ratio(r),
                "peak_mb": r.peak_bytes / 2**20 if r.peak_bytes is not None else None,
                "errors": len(r.errors),
                "empty": r.scores.n_empty,
            }
        )
    return rows


def _cell(key: str, value: Any) -> str:
    """One cell as printed: three decimals for scores, ms with one, a ratio with two."""
    if value is None:
        return "–"
    if key in ("precision", "recall", "f1"):
        return f"{value:.3f}"
    if key in ("ms_median", "ms_p95"):
        return f"{value:.1f}"
    if key == "pages_per_second":
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    if key == "ratio":
        return f"{value:.2f}×"
    if key == "peak_mb":
        return f"{value:.1f}"
    return str(value)


def _headers(report: BenchReport) -> list[str]:
    names = {"peak_mb": report.memory_header(), "ratio": f"× {report.baseline}"}
    return [names.get(key, title) for key, title in COLUMNS]


def _footnotes(report: BenchReport) -> list[str]:
    notes = [report.method_note()]
    if report.memory_method:
        notes.append(f"Memory: {report.memory_method}; the largest over the pages, in a separate pass.")
    notes.append(
        "Accuracy: ScrapingHub shingle metric (4-token shingles; precision over pages with output, "
        "recall over all pages, F1 of the two means)."
    )
    failing = [f"{r.label} {len(r.errors)}" for r in report.results if r.errors]
    if failing:
        notes.append("Pages that raised (scored as empty): " + ", ".join(failing) + ".")
    if report.missing:
        notes.append("Not run: " + ", ".join(f"{n} ({why})" for n, why in report.missing.items()) + ".")
    return notes


def render_table(report: BenchReport) -> Table:
    """The table for a terminal (rich), headers on two lines, the method and notes as its caption."""
    from rich import box
    from rich.table import Table

    title = f"dehusk bench: {report.corpus}, {len(report.page_ids)} pages"
    table = Table(
        title=title,
        caption="\n".join(_footnotes(report)),
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    for i, header in enumerate(_headers(report)):
        # short enough for 80 columns; the caption says what they mean
        header = header.replace("ms/page ", "ms/page\n").replace(" MB", "\nMB").replace("precision", "prec.")
        header = "×\ntraf." if header.startswith("×") else header
        if i == 0:
            table.add_column(header, overflow="fold", ratio=1)
        else:
            table.add_column(header, justify="right", no_wrap=True)
    for row in table_rows(report):
        table.add_row(*(_cell(key, row[key]) for key, _ in COLUMNS))
    return table


def to_markdown(report: BenchReport) -> str:
    """The table as Markdown, with the method, the notes and the machine it ran on."""
    headers = _headers(report)
    lines = [
        f"# dehusk bench: {report.corpus} ({len(report.page_ids)} pages)",
        "",
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(["---"] + ["---:"] * (len(headers) - 1)) + " |",
    ]
    for row in table_rows(report):
        cells = [_cell(key, row[key]) for key, _ in COLUMNS]
        cells[0] = f"{row['extractor']} {row['version']}"
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"- {note}" for note in _footnotes(report)]
    env = report.environment
    if env:
        lines.append(
            f"- Run {env.get('date')} on {env.get('platform')}, Python {env.get('python')}, "
            f"{env.get('cpus')} CPUs, load average {env.get('load_before')} before, "
            f"{env.get('load_after')} after."
        )
    return "\n".join(lines) + "\n"


def _round(values: list[float], digits: int = 3) -> list[float]:
    return [round(v, digits) for v in values]


def report_dict(report: BenchReport) -> dict[str, Any]:
    """Everything measured, per extractor and per page, as plain data."""
    extractors = []
    for row, r in zip(table_rows(report), report.results, strict=True):
        extractors.append(
            {
                **row,
                "accuracy": r.scores.accuracy,
                "f1_page_mean": r.scores.f1_page_mean,
                "clocks": {
                    clock: {
                        "ms_median": r.ms_median(clock),
                        "ms_p95": r.ms_p95(clock),
                        "pages_per_second": r.pages_per_second(clock),
                        "ratio": report.ratio(r, clock),
                    }
                    for clock in CLOCKS
                },
                "error_pages": r.errors,
                "per_page": {
                    "cpu_ms": _round([1000 * s for s in r.cpu]),
                    "wall_ms": _round([1000 * s for s in r.wall]),
                    "f1": _round(r.page_f1, 4),
                },
            }
        )
    return {
        "corpus": {"name": report.corpus, "path": report.path, "pages": len(report.page_ids)},
        "method": {
            "clock": report.clock,
            "warmup_pages": report.warmup,
            "repeat": report.repeat,
            "order": "page-major, rotated",
            "note": report.method_note(),
            "memory": report.memory_method,
            "metric": "scrapinghub-shingles-4",
        },
        "baseline": report.baseline,
        "environment": report.environment,
        "extractors": extractors,
        "missing": report.missing,
        "page_ids": report.page_ids,
    }


def to_json(report: BenchReport) -> bytes:
    """The report as indented JSON (see :func:`report_dict`)."""
    return orjson.dumps(report_dict(report), option=orjson.OPT_INDENT_2)


def write_report(report: BenchReport, stem: str | Path) -> tuple[Path, Path]:
    """Write ``STEM.md`` and ``STEM.json``; return their paths."""
    stem = Path(stem)
    base = stem.with_suffix("") if stem.suffix in (".md", ".json") else stem
    md, js = base.with_name(base.name + ".md"), base.with_name(base.name + ".json")
    md.write_text(to_markdown(report), encoding="utf-8")
    js.write_bytes(to_json(report))
    return md, js


# --- the command ------------------------------------------------------------------------------------------


def bench(
    corpus: str | Path,
    *,
    gold: str | Path | None = None,
    extractors: Sequence[str] | None = None,
    pages: int | None = None,
    warmup: int = 3,
    repeat: int = 1,
    clock: str = "cpu",
    memory: bool = True,
    output: str | Path | None = "bench",
    plot: str | Path | None = None,
    console: Console | None = None,
) -> BenchReport:
    """``dehusk bench``: load, run, print the table, write Markdown/JSON and the plot.

    A progress bar goes to stderr on a terminal only. Raises ValueError for a bad argument
    (no extractor installed, an unknown name, a plot suffix other than .png/.svg).
    """
    from rich.console import Console

    if plot is not None and Path(plot).suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"--plot: {plot} must end in .png or .svg")
    try:
        chosen, missing = load_extractors(extractors)
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    if not chosen:
        raise ValueError("no extractor to run: " + ", ".join(f"{n} {why}" for n, why in missing.items()))
    if plot is not None:
        from dehusk.evaluate.plot import require_matplotlib

        require_matplotlib()  # before the long run, not after it
    console = console or Console(width=None if sys.stdout.isatty() else 120)  # a file gets it whole
    data = load_corpus(corpus, gold, pages)
    err = Console(stderr=True)
    if err.is_terminal:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("bench", total=None)

            def progress(done: int, total: int, phase: str) -> None:
                bar.update(task, completed=done, total=total, description=phase)

            report = run_bench(
                data, chosen, warmup=warmup, repeat=repeat, clock=clock, memory=memory, missing=missing,
                progress=progress,
            )  # fmt: skip
    else:
        report = run_bench(
            data, chosen, warmup=warmup, repeat=repeat, clock=clock, memory=memory, missing=missing
        )
    console.print(render_table(report))
    written: list[Path] = []
    if output is not None:
        written += write_report(report, output)
    if plot is not None:
        from dehusk.evaluate.plot import plot_report

        written.append(plot_report(report, plot))
    if written:
        err.print("dehusk: wrote " + ", ".join(str(p) for p in written), highlight=False)
    return report

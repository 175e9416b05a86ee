"""The command line: ``dehusk clean | repair | explain | eval | bench``; thin: each calls the library.

Usage mistakes (no such path, an unknown option) print one line and exit 2; a bad input
record becomes an error record and the run goes on (exit 0, or 1 with ``--strict``).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from dehusk.document import Document
from dehusk.options import Limits, Options
from dehusk.storage import StorageError

try:  # newer typer carries its own copy of click; its exceptions are not click's
    from typer._click import exceptions as click_exceptions
except ImportError:  # typer releases that run on click itself
    from click import exceptions as click_exceptions

UsageError = click_exceptions.UsageError
#: A bare ``dehusk``: the help, shown as it is, not as an error (older click exits 0 with it instead).
NoArgsIsHelp = getattr(click_exceptions, "NoArgsIsHelpError", ())

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Scraped web pages in, clean article text out.",
)


class Mode(StrEnum):
    fast = "fast"
    precise = "precise"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class Compression(StrEnum):
    zst = "zst"
    gz = "gz"
    none = "none"


class Typos(StrEnum):
    off = "off"
    safe = "safe"
    aggressive = "aggressive"


TyposOption = Annotated[Typos, typer.Option(help="Typo repair: off, safe (on evidence only), aggressive.")]
ProtectOption = Annotated[
    list[str] | None,
    typer.Option(help="A word the typo repair never touches, or a file of them (one a line); repeatable."),
]
OutputOption = Annotated[
    str,
    typer.Option("-o", "--output", help="- (stdout), FILE.jsonl[.gz|.zst], or DIR/ (a shard per input)."),
]
ErrorsOption = Annotated[str | None, typer.Option(help="Error records file [default: beside -o, or stderr].")]
StatsOption = Annotated[Path | None, typer.Option(help="Write the run's counts as JSON here.")]
StrictOption = Annotated[bool, typer.Option(help="Exit 1 when any record failed.")]
WorkersOption = Annotated[int, typer.Option(min=0, help="Worker processes [default: 0, every core].")]
TimeoutOption = Annotated[
    float, typer.Option(min=0.0, help="Seconds per document before it is stopped (0: no limit).")
]
ResumeOption = Annotated[bool, typer.Option(help="With -o DIR/: skip the output shards already done.")]
ShardIndexOption = Annotated[int, typer.Option(min=0, help="This machine's share: shards I, I+N, I+2N...")]
NumShardsOption = Annotated[int, typer.Option(min=1, help="... of N machines (Slurm arrays and the like).")]
CompressionOption = Annotated[Compression, typer.Option(help="Output shards' compression (with -o DIR/).")]
MaxDocumentOption = Annotated[
    float, typer.Option(min=0.001, help="Refuse a page or record past this many MB (decompressed).")
]
MaxFileOption = Annotated[
    float, typer.Option(min=0.001, help="Stop reading a file of records past this many GB.")
]
MaxLineOption = Annotated[
    int, typer.Option(min=100, help="Cut a text dump's lines longer than this (characters).")
]
MaxDepthOption = Annotated[int, typer.Option(min=16, help="Read HTML nested deeper than this as plain text.")]
ProgressOption = Annotated[
    bool | None, typer.Option(help="A progress bar [default: on a terminal, never in CI or a pipe].")
]


def _protected(values: list[str] | None) -> frozenset[str]:
    """Words from ``--protect``: each value a word, or a file of words, one a line."""
    words: set[str] = set()
    for value in values or ():
        path = Path(value)
        if path.is_file():
            words.update(
                line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            )
        else:
            words.add(value)
    return frozenset(words)


@app.command()
def clean(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    output: OutputOption = "-",
    mode: Annotated[Mode, typer.Option(help="HTML extraction path.")] = Mode.fast,
    errors: ErrorsOption = None,
    stats: StatsOption = None,
    report: Annotated[bool, typer.Option(help="Print what was removed, by kind.")] = False,
    strict: StrictOption = False,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Keep a block from this probability.")
    ] = 0.5,
    repair: Annotated[bool, typer.Option(help="Repair encodings, characters, hyphenation and typos.")] = True,
    typos: TyposOption = Typos.safe,
    protect: ProtectOption = None,
    model: Annotated[str | None, typer.Option(help="A block model JSON of your own.")] = None,
    fallback: Annotated[
        bool, typer.Option(help="Redo an unreliable fast HTML result with the precise path.")
    ] = True,
    templates: Annotated[
        bool,
        typer.Option(
            help="Remove lines a site prints on many of its pages (learned per host as the run streams;"
            " off by default: no gain measured on ScrapingHub or on a multi-page-per-site corpus)."
        ),
    ] = False,
    two_pass: Annotated[
        bool,
        typer.Option(
            "--two-pass",
            help="Count templates over all inputs first, then clean (reads them twice; not stdin, not ray).",
        ),
    ] = False,
    workers: WorkersOption = 0,
    timeout: TimeoutOption = 120.0,
    resume: ResumeOption = False,
    shard_index: ShardIndexOption = 0,
    num_shards: NumShardsOption = 1,
    compression: CompressionOption = Compression.zst,
    progress: ProgressOption = None,
    engine: Annotated[
        Engine, typer.Option(help="local: this machine; ray: one Ray task per input shard (with -o DIR/).")
    ] = Engine.local,
    address: Annotated[
        str | None,
        typer.Option(help="The Ray cluster to join: auto, ray://HOST:PORT [default: RAY_ADDRESS]."),
    ] = None,
    max_document_mb: MaxDocumentOption = 32.0,
    max_file_gb: MaxFileOption = 16.0,
    max_line_chars: MaxLineOption = 20_000,
    max_depth: MaxDepthOption = 512,
) -> int:
    """Clean pages and dumps into JSONL records: id, url, title, description, date, text, metadata."""
    options = Options(
        mode=mode.value, threshold=threshold, repair=repair, typos=typos.value, protected=_protected(protect),
        model=model, fallback=fallback, templates=templates or two_pass, two_pass=two_pass,
        limits=_limits(max_document_mb, max_file_gb, max_line_chars, max_depth),
    )  # fmt: skip
    how = _how(output, errors, workers, timeout, resume, shard_index, num_shards, compression, progress)
    if two_pass and "-" in paths:
        raise UsageError("--two-pass reads its inputs twice: give files, not stdin")
    if engine is Engine.ray:
        from dehusk.run.local import sharded

        if not sharded(output):
            raise UsageError("--engine ray writes one output shard per input shard: -o DIR/")
        if two_pass:
            raise UsageError("--two-pass runs on the local engine only (--templates learns per shard on Ray)")
    return _run(paths, options, how, stats, strict, report, engine=engine.value, address=address)


@app.command("repair")
def repair_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="- , FILE.jsonl[.gz|.zst] or DIR/ [default: -]."),
    ] = None,
    errors: ErrorsOption = None,
    stats: StatsOption = None,
    strict: StrictOption = False,
    typos: TyposOption = Typos.safe,
    protect: ProtectOption = None,
    workers: WorkersOption = 0,
    timeout: TimeoutOption = 120.0,
    resume: ResumeOption = False,
    compression: CompressionOption = Compression.zst,
    progress: ProgressOption = None,
    max_document_mb: MaxDocumentOption = 32.0,
    max_file_gb: MaxFileOption = 16.0,
    max_line_chars: MaxLineOption = 20_000,
) -> int:
    """The repair stage alone: the same inputs and records as clean, the text repaired, nothing removed.

    `dehusk repair -` reads plain text on stdin and prints it repaired.
    """
    from dehusk.repair import repair_text

    protected = _protected(protect)
    if paths == ["-"] and output is None:
        raw = sys.stdin.buffer.read()
        from dehusk.readers.formats import sniff_format

        if sniff_format(raw[:4096]) != "jsonl":  # plain text in, plain text out
            from dehusk.language import detect_language
            from dehusk.repair.decode import decode

            text, _ = decode(raw) if raw else ("", "utf-8")
            fixed, _ = repair_text(text, detect_language([text]), typos.value, protected)
            sys.stdout.write(fixed)
            return 0
        sys.stdin = _Replay(raw)  # JSONL after all: read it as records
    from dehusk.run.pipeline import REPAIR_STEPS

    limits = _limits(max_document_mb, max_file_gb, max_line_chars)
    options = Options(typos=typos.value, protected=protected, limits=limits)
    how = _how(output or "-", errors, workers, timeout, resume, 0, 1, compression, progress)
    return _run(paths, options, how, stats, strict, steps=REPAIR_STEPS)


class _Replay:
    """Stdin again, for bytes already read from it."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


def _limits(document_mb: float, file_gb: float, line_chars: int, depth: int = 512) -> Limits:
    return Limits(
        max_document_bytes=int(document_mb * (1 << 20)), max_file_bytes=int(file_gb * (1 << 30)),
        max_line_chars=line_chars, max_depth=depth,
    )  # fmt: skip


def _how(
    output: str,
    errors: str | None,
    workers: int,
    timeout: float,
    resume: bool,
    shard_index: int,
    num_shards: int,
    compression: Compression,
    progress: bool | None,
):  # -> RunOptions (imported lazily: --help stays fast)
    from dehusk.run.local import RunOptions, sharded

    if resume and not sharded(output):
        raise UsageError("--resume needs a directory output: -o DIR/")
    if num_shards > 1 and not sharded(output):
        raise UsageError("--num-shards needs a directory output: -o DIR/")
    if shard_index >= num_shards:
        raise UsageError(f"--shard-index must be below --num-shards ({num_shards})")
    return RunOptions(
        output=output, errors=errors, workers=workers, timeout=timeout or None, resume=resume,
        shard_index=shard_index, num_shards=num_shards, compression=compression.value, show_progress=progress,
    )  # fmt: skip


def _run(
    paths: list[str],
    options: Options,
    how: object,
    stats: Path | None,
    strict: bool,
    report: bool = False,
    steps: tuple | None = None,
    engine: str = "local",
    address: str | None = None,
) -> int:
    """Run the engine, then print the summary (and write the stats) whatever happened."""
    from dehusk.run.pipeline import STEPS

    try:
        if engine == "ray":
            from dehusk.run.ray import run_ray

            outcome = run_ray(paths, options, how, steps or STEPS, address)  # type: ignore[arg-type]
        else:
            from dehusk.run.local import run

            outcome = run(paths, options, how, steps or STEPS)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        _stderr("dehusk: interrupted; finished shards are kept: rerun with --resume to do the rest")
        raise typer.Exit(130) from None
    run_stats = outcome.stats
    if stats:
        from dataclasses import asdict

        import orjson

        data = {**run_stats.as_dict(), "limits": asdict(options.limits)}
        if outcome.skipped:
            data["resumed"] = {"shards_done_before": outcome.skipped, "records": outcome.skipped_records}
        if outcome.passed_over:
            data["passed_over"] = dict(outcome.passed_over.most_common())
        stats.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    if report and outcome.removed:
        _stderr("removed: " + ", ".join(f"{kind} {n}" for kind, n in outcome.removed.most_common()))
    if outcome.skipped:
        _stderr(f"dehusk: {outcome.skipped} shards already done ({outcome.skipped_records} records), skipped")
    if outcome.passed_over:
        kinds = ", ".join(f"{kind} {n}" for kind, n in outcome.passed_over.most_common(6))
        _stderr(
            f"dehusk: passed over {sum(outcome.passed_over.values())} records that are no pages ({kinds})"
        )
    _stderr(f"dehusk: {run_stats.summary()}")
    if strict and run_stats.errors:
        raise typer.Exit(1)  # not a return value: typer's standalone mode ignores those
    return 0


@app.command()
def explain(
    path: Annotated[str, typer.Argument(help="A page, dump or JSONL file (or -).")],
    html: Annotated[
        Path | None, typer.Option(help="Also write the report as a self-contained HTML page.")
    ] = None,
    id: Annotated[str | None, typer.Option("--id", help="Only the record with this id.")] = None,
    mode: Annotated[Mode, typer.Option(help="HTML extraction path.")] = Mode.fast,
) -> int:
    """Show every block in order: kept or removed, its kind, and why."""
    from rich.console import Console

    from dehusk.explain import render_html_pages, render_terminal
    from dehusk.readers import read
    from dehusk.run.pipeline import pipeline

    docs: list[Document] = []
    console = Console()
    for doc in pipeline(Options(mode=mode.value, explain=True))(read([path])):
        if id is None or doc.id == id:
            render_terminal(doc, console)
            docs.append(doc)
    if not docs:
        raise UsageError(f"no record with id {id!r} in {path}" if id else f"nothing to explain in {path}")
    if html:
        html.write_text(render_html_pages(docs), encoding="utf-8")
        _stderr(f"dehusk: wrote {html}")
    return 0


@app.command("eval")
def evaluate_command(
    output: Annotated[
        Path, typer.Argument(help="A dehusk output JSONL[.gz|.zst].", exists=True, dir_okay=False)
    ],
    gold: Annotated[
        Path,
        typer.Option(help="ground-truth.json, a folder of NAME.json expectations, or a JSONL.", exists=True),
    ],
    per_page: Annotated[bool, typer.Option(help="Also print each page's scores.")] = False,
) -> int:
    """Precision, recall and F1 with the ScrapingHub benchmark's shingle metric."""
    from dehusk.evaluate.gold import load_gold, load_outputs
    from dehusk.evaluate.metric import evaluate

    scores, pages = evaluate(load_outputs(output), load_gold(gold))
    if per_page:
        for page_id, page in pages.items():
            print(f"{page_id}\tP {page.precision:.3f}\tR {page.recall:.3f}\tF1 {page.f1:.3f}")
    print(scores.summary())
    return 0


@app.command("bench")
def bench_command(
    corpus: Annotated[
        Path,
        typer.Argument(
            help="A corpus folder: html/ + ground-truth.json, or pages with a gold JSONL.", exists=True
        ),
    ],
    gold: Annotated[
        Path | None, typer.Option(help="The gold file, when not found in CORPUS.", exists=True)
    ] = None,
    extractor: Annotated[
        list[str] | None,
        typer.Option("--extractor", "-e", help="Only these extractors (repeatable) [every installed one]."),
    ] = None,
    pages: Annotated[int | None, typer.Option(help="Pages spread over the corpus [all].", min=1)] = None,
    warmup: Annotated[int, typer.Option(help="Pages run by every extractor before timing.", min=0)] = 3,
    repeat: Annotated[
        int, typer.Option(help="Timed runs per page; a page's time is their median.", min=1)
    ] = 1,
    clock: Annotated[str, typer.Option(help="cpu (process time) or wall.")] = "cpu",
    memory: Annotated[
        bool, typer.Option(help="Measure each extractor's peak memory (a separate pass).")
    ] = True,
    output: Annotated[str, typer.Option("--output", "-o", help="Write STEM.md and STEM.json.")] = "bench",
    plot: Annotated[
        Path | None, typer.Option(help="Draw F1 against pages/s to FILE.png or FILE.svg.")
    ] = None,
) -> int:
    """Every installed extractor on a corpus: precision, recall, F1, speed and memory, with a plot."""
    from dehusk.evaluate.bench import CLOCKS, bench

    if clock not in CLOCKS:
        raise UsageError(f"--clock must be one of {', '.join(CLOCKS)}")
    try:
        bench(
            corpus, gold=gold, extractors=extractor, pages=pages, warmup=warmup, repeat=repeat,
            clock=clock, memory=memory, output=output, plot=plot,
        )  # fmt: skip
    except (ValueError, FileNotFoundError, ImportError) as exc:
        raise UsageError(str(exc)) from None
    return 0


def main() -> None:
    """Entry point: one-line messages and exit 2 for usage mistakes, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelp as exc:
        _stderr(exc.format_message())
        sys.exit(2)
    except UsageError as exc:
        _stderr(f"dehusk: error: {exc.format_message()}")
        sys.exit(2)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        _stderr(f"dehusk: error: {exc.args[-1] if exc.args else exc}")
        sys.exit(2)
    except StorageError as exc:  # a URL without fsspec or its driver
        _stderr(f"dehusk: error: {exc}")
        sys.exit(2)
    except typer.Abort:
        _stderr("dehusk: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)

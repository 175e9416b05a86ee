"""The command line: ``dehusk clean | explain | eval``. Thin: every command calls the library.

Usage mistakes (no such path, an unknown option) print one line and exit 2; a bad input
record becomes an error record and the run goes on (exit 0, or 1 with ``--strict``).
"""

from __future__ import annotations

import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from dehusk.document import Document
from dehusk.options import Options
from dehusk.writers.jsonl import STDERR

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


def _errors_target(output: str, errors: str | None) -> str:
    """Where error records go: --errors, else beside a file output, else stderr."""
    if errors:
        return errors
    if output == "-":
        return STDERR
    name = Path(output).name
    stem = name.split(".jsonl")[0] if ".jsonl" in name else Path(name).stem
    return str(Path(output).with_name(f"{stem}.errors.jsonl"))


class Typos(StrEnum):
    off = "off"
    safe = "safe"
    aggressive = "aggressive"


TyposOption = Annotated[Typos, typer.Option(help="Typo repair: off, safe (on evidence only), aggressive.")]
ProtectOption = Annotated[
    list[str] | None,
    typer.Option(help="A word the typo repair never touches, or a file of them (one a line); repeatable."),
]
OutputOption = Annotated[str, typer.Option("-o", "--output", help="- (stdout) or FILE.jsonl[.gz|.zst].")]
ErrorsOption = Annotated[str | None, typer.Option(help="Error records file [default: beside -o, or stderr].")]
StatsOption = Annotated[Path | None, typer.Option(help="Write the run's counts as JSON here.")]
StrictOption = Annotated[bool, typer.Option(help="Exit 1 when any record failed.")]


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
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (bulk runs: see below).")] = 1,
    repair: Annotated[bool, typer.Option(help="Repair encodings, characters, hyphenation and typos.")] = True,
    typos: TyposOption = Typos.safe,
    protect: ProtectOption = None,
    model: Annotated[str | None, typer.Option(help="A block model JSON of your own.")] = None,
    fallback: Annotated[
        bool, typer.Option(help="Redo an unreliable fast HTML result with the precise path.")
    ] = True,
) -> int:
    """Clean pages and dumps into JSONL records: id, url, title, description, date, text, metadata."""
    from dehusk.run.pipeline import pipeline

    options = Options(
        mode=mode.value, threshold=threshold, repair=repair, typos=typos.value, protected=_protected(protect),
        model=model, fallback=fallback,
    )  # fmt: skip
    return _run(paths, pipeline(options), output, errors, stats, strict, report)


@app.command("repair")
def repair_command(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="FILE.jsonl[.gz|.zst] or - [default: -].")
    ] = None,
    errors: ErrorsOption = None,
    stats: StatsOption = None,
    strict: StrictOption = False,
    typos: TyposOption = Typos.safe,
    protect: ProtectOption = None,
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
    from dehusk.run.pipeline import REPAIR_STEPS, pipeline

    options = Options(typos=typos.value, protected=protected)
    return _run(paths, pipeline(options, REPAIR_STEPS), output or "-", errors, stats, strict)


class _Replay:
    """Stdin again, for bytes already read from it."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


def _run(
    paths: list[str],
    stage: object,
    output: str,
    errors: str | None,
    stats: Path | None,
    strict: bool,
    report: bool = False,
) -> int:
    """Read ``paths``, run ``stage`` over the documents, write records and error records, report."""
    from dehusk.readers import read
    from dehusk.writers import RunStats, open_writer

    documents = read(paths)  # raises FileNotFoundError at once for a missing path
    run = RunStats()
    removed: Counter[str] = Counter()
    errors_to = _errors_target(output, errors)
    with open_writer(output) as out, open_writer(errors_to, lazy=True) as err:
        for doc in stage(documents):  # type: ignore[operator]
            if doc.error is not None:
                run.add(doc, err.write(doc.to_error_record()))
                continue
            run.add(doc, out.write(doc.to_record()))
            removed.update(b.kind for b in doc.blocks if not b.keep)
    run.stop()
    if stats:
        import orjson

        stats.write_bytes(orjson.dumps(run.as_dict(), option=orjson.OPT_INDENT_2))
    if report and removed:
        _stderr("removed: " + ", ".join(f"{kind} {n}" for kind, n in removed.most_common()))
    _stderr(f"dehusk: {run.summary()}")
    if strict and run.errors:
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
    except typer.Abort:
        _stderr("dehusk: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)

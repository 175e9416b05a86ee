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


@app.command()
def clean(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    output: Annotated[str, typer.Option("-o", "--output", help="- (stdout) or FILE.jsonl[.gz|.zst].")] = "-",
    mode: Annotated[Mode, typer.Option(help="HTML extraction path.")] = Mode.fast,
    errors: Annotated[
        str | None, typer.Option(help="Error records file [default: beside -o, or stderr].")
    ] = None,
    stats: Annotated[Path | None, typer.Option(help="Write the run's counts as JSON here.")] = None,
    report: Annotated[bool, typer.Option(help="Print what was removed, by kind.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any record failed.")] = False,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Keep a block from this probability.")
    ] = 0.5,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (bulk runs: see below).")] = 1,
    repair: Annotated[bool, typer.Option(help="Repair encodings and odd characters.")] = True,
    model: Annotated[str | None, typer.Option(help="A block model JSON of your own.")] = None,
    fallback: Annotated[
        bool, typer.Option(help="Redo an unreliable fast HTML result with the precise path.")
    ] = True,
) -> int:
    """Clean pages and dumps into JSONL records: id, url, title, description, date, text, metadata."""
    from dehusk.readers import read
    from dehusk.run.pipeline import pipeline
    from dehusk.writers import RunStats, open_writer

    options = Options(mode=mode.value, threshold=threshold, repair=repair, model=model, fallback=fallback)
    documents = read(paths)  # raises FileNotFoundError at once for a missing path
    run = RunStats()
    removed: Counter[str] = Counter()
    errors_to = _errors_target(output, errors)
    with open_writer(output) as out, open_writer(errors_to, lazy=True) as err:
        for doc in pipeline(options)(documents):
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

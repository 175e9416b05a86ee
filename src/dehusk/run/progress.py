"""A progress bar for long runs: documents, documents per second, errors; only where someone watches.

Shown on a terminal (standard error is a TTY) and never in CI (``CI`` set) or a pipe, so
logs and captured output stay clean. ``progress()`` gives a function to call once per
finished document; the bar redraws a few times a second whatever the rate.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dehusk.document import Document

Advance = Callable[[Document | None], None]


def wanted() -> bool:
    """A terminal is watching and this is not a CI job."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress(show: bool | None = None, unit: str = "documents") -> Iterator[Advance]:
    """A callback per finished document (or other ``unit``, then called with None): a live bar
    when ``show`` (default: ``wanted()``)."""
    if not (wanted() if show is None else show):
        yield lambda doc: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed:,} " + unit),
        TextColumn("{task.fields[rate]}"),
        TextColumn("errors {task.fields[errors]:,}"),
        TimeElapsedColumn(),
        transient=True,
        refresh_per_second=4,
    )
    errors = 0
    with bar:
        task = bar.add_task("clean", total=None, errors=0, rate="")

        def advance(doc: Document) -> None:
            nonlocal errors
            errors += doc is not None and doc.error is not None
            speed = bar.tasks[0].speed
            bar.update(task, advance=1, errors=errors, rate=f"{speed:,.1f}/s" if speed else "")

        yield advance

"""Documents cleaned on every core, in order, each within a time limit that is enforced.

``ordered_map`` is the one loop every run goes through. With one worker it runs in the
calling process (no start-up, no copying); the time limit is then an interval timer that
raises inside the document's Python code. With more, the first second of work is still
done here (a small run ends before workers would have started), then a pebble process pool
does the rest:
pebble kills a worker whose document overruns its time and starts a fresh one, and
recycles every worker after ``max_tasks`` documents so that a slow leak in a parser cannot
grow a long run's memory. At most ``window`` documents are in flight, so reading never
runs ahead of cleaning: memory stays flat whatever the corpus size, and results come out
in input order, which keeps every output shard in the order of its input.

A document that times out, or whose worker dies (a crash in C code, the OOM killer), comes
back as that document failed with the reason; the run goes on.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, TimeoutError
from contextlib import contextmanager
from typing import Any

from dehusk.document import Document

#: Documents in flight per worker: enough to keep every worker busy while the reader reads.
IN_FLIGHT_PER_WORKER = 4
#: A run cleans in its own process for this long before it starts the workers: most of a
#: small run's time would otherwise go to starting them.
IN_PROCESS_SECONDS = 1.0
#: Documents a worker process cleans before it is replaced by a fresh one.
MAX_TASKS = 10_000

Task = Callable[[Document], Document]


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and Slurm set)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def ordered_map(
    task: Task,
    docs: Iterable[Document],
    *,
    workers: int = 1,
    timeout: float | None = None,
    max_tasks: int = MAX_TASKS,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[Document]:
    """``task`` applied to every document, results in input order.

    Documents that already failed (a reader's error record) pass through without a trip to
    a worker. ``initializer(*initargs)`` runs once in each worker process (and once here
    when ``workers`` is 1), so per-run state such as the options is not sent with every
    document. ``timeout`` is in seconds per document; None or 0 means no limit.
    """
    timeout = timeout or None
    if initializer is not None:
        initializer(*initargs)
    docs = iter(docs)
    started = time.monotonic()
    for doc in docs:  # here first: a small run is over before worker processes would have started
        yield doc if doc.error is not None else _in_process(task, doc, timeout)
        if workers > 1 and time.monotonic() - started > IN_PROCESS_SECONDS:
            break
    else:
        return
    yield from _pooled(task, docs, workers, timeout, max_tasks, initializer, initargs)


def _in_process(task: Task, doc: Document, timeout: float | None) -> Document:
    try:
        with _time_limit(timeout):
            return task(doc)
    except _Overrun:
        return _timed_out(doc, timeout)


def _pooled(
    task: Task,
    docs: Iterable[Document],
    workers: int,
    timeout: float | None,
    max_tasks: int,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> Iterator[Document]:
    from pebble import ProcessPool  # lazy: a one-worker run never starts processes

    pool = ProcessPool(
        max_workers=workers, max_tasks=max_tasks, initializer=_worker_init, initargs=(initializer, initargs)
    )
    window = workers * IN_FLIGHT_PER_WORKER
    pending: deque[tuple[Document, Any]] = deque()
    finished = False
    try:
        for doc in docs:
            future = None if doc.error is not None else pool.schedule(task, (doc,), timeout=timeout)
            pending.append((doc, future))
            while len(pending) >= window:
                yield _result(*pending.popleft(), timeout)
        while pending:
            yield _result(*pending.popleft(), timeout)
        finished = True
    finally:
        if finished:
            pool.close()
        else:  # interrupted (Ctrl-C, or the consumer stopped): no document is waited for
            pool.stop()
        pool.join()


def _result(doc: Document, future: Any, timeout: float | None) -> Document:
    """The cleaned document, or ``doc`` failed with the reason its worker gave none."""
    if future is None:
        return doc
    try:
        return future.result()
    except TimeoutError:
        return _timed_out(doc, timeout)
    except CancelledError:
        return doc.fail("internal", f"{doc.source}: cancelled")
    except Exception as exc:  # the worker died, or the result could not be sent back
        detail = getattr(exc, "traceback", None) or repr(exc)
        return doc.fail("internal", f"{doc.source}: worker failed: {detail}")


def _timed_out(doc: Document, timeout: float | None) -> Document:
    doc.content = b""
    doc.blocks = []
    return doc.fail("timeout", f"{doc.source}: over the limit of {timeout:g} s per document")


def _worker_init(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """In each worker: leave Ctrl-C to the parent, which stops the pool, then the run's own set-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


class _Overrun(BaseException):
    """Raised by the interval timer inside a document's code (a BaseException, so that a
    stage's ``except Exception`` does not swallow it and record it as a bug)."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _Overrun inside the block after ``seconds`` of wall time (main thread, POSIX only)."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def overrun(signum: int, frame: Any) -> None:
        raise _Overrun

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""The local engine: read, clean on every core, write records and error records, count.

Reading and writing happen here, in the calling process; cleaning happens in
``ordered_map`` (this process for one worker, a process pool for more), one document at a
time, so a single huge shard still uses every core. Results come back in input order:

- to one output (``-o out.jsonl[.gz|.zst]`` or stdout), written as they come;
- to a directory (``-o OUT/``), one output shard per input shard (see run.shards): a
  shard is committed once its last document is back, and ``--resume`` skips the ones
  already done. ``clean_shards`` is also what a Ray task runs for its one shard.

Every document read ends as one record or one error record, and the counts say so.

With ``Options.templates`` the finished documents pass, in input order, through the
corpus-level template stage (classify.templates) here in the parent: one sketch of the
whole run, bounded in memory. The workers hash each page's blocks and send back its
blocks lightened (verdicts, and the text of kept ones only); a page that loses blocks to
templates is assembled again. ``Options.two_pass`` counts every input first (decode and
extract only, on the same workers) and cleans second with that fixed sketch.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dehusk import storage
from dehusk.classify.templates import UNITS_KEY, TemplateSketch, count_blocks, template_stage, units_step
from dehusk.document import Block, Document
from dehusk.options import Options
from dehusk.readers import read_input
from dehusk.readers.paths import Input, check_paths, inputs
from dehusk.run.pipeline import (
    STEPS,
    Step,
    assemble_step,
    classify_step,
    clean_document,
    decode_step,
    extract_step,
    run_step,
)
from dehusk.run.pool import MAX_TASKS, available_cores, ordered_map
from dehusk.run.progress import progress
from dehusk.run.shards import Shard, ShardOutput, plan, read_marker, select
from dehusk.writers import JsonlWriter, RunStats, open_writer
from dehusk.writers.jsonl import STDERR, STDOUT

#: Pages the streaming template stage holds back: a site's first pages are judged on the
#: pages after them too (memory: this many lightened pages).
TEMPLATE_LOOKAHEAD = 64


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to run, as opposed to how to clean (Options): where to, on how many cores."""

    output: str = STDOUT  # - | FILE.jsonl[.gz|.zst] | DIR/ (one output shard per input shard)
    errors: str | None = None  # error records: this file, else beside the output (or stderr)
    workers: int = 0  # 0: every core this process may use
    timeout: float | None = 120.0  # seconds per document; None or 0: no limit
    max_tasks: int = MAX_TASKS  # documents a worker cleans before it is replaced
    resume: bool = False  # skip output shards already done
    shard_index: int = 0  # this machine's share of the shards ...
    num_shards: int = 1  # ... when the shards are split among this many
    compression: str = "zst"  # output shards: zst | gz | none
    show_progress: bool | None = None  # None: on a terminal, never in CI or a pipe


@dataclass
class Outcome:
    """What a run did: its counts, the removed blocks by kind, and shards skipped as done."""

    stats: RunStats = field(default_factory=RunStats)
    removed: Counter[str] = field(default_factory=Counter)
    skipped: int = 0  # shards already done (--resume)
    skipped_records: int = 0
    passed_over: Counter[str] = field(default_factory=Counter)  # input records that are no pages, by reason

    def merge(self, other: Outcome) -> None:
        """Add a part of the run done elsewhere (a Ray task's shard)."""
        self.stats.merge(other.stats)
        self.removed.update(other.removed)
        self.passed_over.update(other.passed_over)


def sharded(output: str) -> bool:
    """Whether ``output`` names a directory of shards: ``DIR/`` or an existing directory (a URL too)."""
    return output.endswith(("/", os.sep)) or (output != STDOUT and storage.is_dir(output))


def run(paths: Sequence[str], options: Options, how: RunOptions, steps: tuple[Step, ...] = STEPS) -> Outcome:
    """Clean ``paths`` as ``dehusk clean`` does; raises FileNotFoundError for a missing path."""
    targets = check_paths(paths)
    if options.two_pass and "-" in paths:
        raise ValueError("--two-pass reads its inputs twice: it cannot read stdin")
    outcome = Outcome()
    workers = how.workers or available_cores()
    if sharded(how.output):
        shards = select(plan(inputs(targets)), how.shard_index, how.num_shards)
        sketch = None
        if options.two_pass:
            sketch = count_templates(
                [item for shard in shards for item in shard.inputs], options, how, workers
            )
        clean_shards(shards, _directory(how.output), options, how, steps, workers, outcome, sketch)
    else:
        sketch = count_templates(inputs(targets), options, how, workers) if options.two_pass else None
        docs = (doc for item in inputs(targets) for doc in _read(item, options, outcome))
        errors_to = errors_target(how.output, how.errors)
        out = JsonlWriter(how.output) if how.output == STDOUT else _AtomicFile(how.output)
        with out, open_writer(errors_to, lazy=True) as err, progress(how.show_progress) as advance:
            for doc in _cleaned(docs, options, how, steps, workers, sketch):
                _count(outcome, doc, (err if doc.error else out).write(_record(doc)))
                advance(doc)
            if isinstance(out, _AtomicFile):
                out.commit()
    outcome.stats.stop()
    return outcome


def _directory(output: str) -> str | Path:
    return output if storage.is_url(output) else Path(output)


def shards_to_do(
    shards: Iterable[Shard], directory: str | Path, how: RunOptions, outcome: Outcome
) -> list[tuple[Shard, ShardOutput]]:
    """The shards still to clean, with their outputs; with ``how.resume`` a shard already done
    is counted in ``outcome`` as skipped instead."""
    todo = []
    for shard in shards:
        output = ShardOutput(directory, shard.name, how.compression)
        if how.resume and output.is_done():
            outcome.skipped += 1
            outcome.skipped_records += read_marker(output.done_path).get("read", 0)
        else:
            todo.append((shard, output))
    return todo


def clean_shards(
    shards: Sequence[Shard],
    directory: str | Path,
    options: Options,
    how: RunOptions,
    steps: tuple[Step, ...] = STEPS,
    workers: int = 1,
    outcome: Outcome | None = None,
    sketch: TemplateSketch | None = None,
) -> Outcome:
    """Clean ``shards`` into ``directory`` (a path or a URL): one output shard each, committed when complete.

    The documents of all shards flow through one ordered stream, so the workers never wait
    at a shard's end; each result is tagged with its shard by position. ``sketch``: the
    templates counted by a first pass (``two_pass``).
    """
    outcome = outcome or Outcome()
    todo = [output for _, output in shards_to_do(shards, directory, how, outcome)]
    by_name = {shard.name: shard for shard in shards}
    tags: deque[int] = deque()

    def documents() -> Iterator[Document]:
        for index, output in enumerate(todo):
            for item in by_name[output.name].inputs:
                for doc in _read(item, options, outcome):
                    tags.append(index)
                    yield doc

    current = -1

    def reach(index: int) -> None:
        """Commit every shard before ``index`` (empty ones too) and open the ones up to it."""
        nonlocal current
        while current < index:
            if current >= 0:
                todo[current].commit([item.source for item in by_name[todo[current].name].inputs])
            current += 1
            if current < len(todo):
                todo[current].open()

    try:
        with progress(how.show_progress) as advance:
            for doc in _cleaned(documents(), options, how, steps, workers, sketch):
                reach(tags.popleft())
                size = todo[current].write(_record(doc), error=doc.error is not None)
                todo[current].stats.add(doc, size)
                _count(outcome, doc, size)
                advance(doc)
            reach(len(todo))
    except BaseException:
        if 0 <= current < len(todo):
            todo[current].abort()
        raise
    return outcome


def _read(item: Input, options: Options, outcome: Outcome) -> Iterator[Document]:
    """The documents of one input, within the limits; records that are no pages are counted."""
    return read_input(item, skipped=outcome.passed_over, limits=options.limits)


def _cleaned(
    docs: Iterable[Document],
    options: Options,
    how: RunOptions,
    steps: tuple[Step, ...],
    workers: int,
    sketch: TemplateSketch | None = None,
) -> Iterator[Document]:
    templates = (options.templates or options.two_pass) and classify_step in steps
    if templates:  # the blocks hashed in the worker, after classification and before repair
        at = steps.index(classify_step) + 1
        steps = (*steps[:at], units_step, *steps[at:])
    cleaned = _pooled(clean_task, docs, options, steps, how, workers)
    return _templated(cleaned, options, sketch) if templates else cleaned


def _pooled(
    task: Callable[[Document], Any],
    docs: Iterable[Document],
    options: Options,
    steps: tuple[Step, ...],
    how: RunOptions,
    workers: int,
) -> Iterator[Any]:
    """``task`` over ``docs`` on the pool, in order, each worker set up with ``options`` and ``steps``."""
    return ordered_map(
        task,
        docs,
        workers=workers,
        timeout=how.timeout,
        max_tasks=how.max_tasks,
        initializer=set_up,
        initargs=(options, steps),
    )


def _templated(
    docs: Iterable[Document], options: Options, sketch: TemplateSketch | None
) -> Iterator[Document]:
    """Templates marked, learned on the way or from ``sketch``; a page that lost blocks is assembled anew."""
    learn = sketch is None
    stage = template_stage(sketch, learn=learn, lookahead=TEMPLATE_LOOKAHEAD if learn else 0)
    for doc in stage(docs):
        if doc.error is None and doc.metadata.get("templates"):
            run_step(assemble_step, doc, options)
        doc.blocks = []
        yield doc


def count_templates(
    items: Iterable[Input], options: Options, how: RunOptions, workers: int
) -> TemplateSketch:
    """The first pass of ``two_pass``: every page decoded and cut into blocks, its blocks counted per site.

    The same readers, workers and limits as the cleaning pass; what fails here fails again
    (and is recorded) in the second pass.
    """
    skipped: Counter[str] = Counter()
    docs = (doc for item in items for doc in read_input(item, skipped=skipped, limits=options.limits))
    steps = (decode_step, extract_step, units_step)
    return count_blocks(_pooled(count_task, docs, options, steps, how, workers))


# --- in each worker ------------------------------------------------------------------------------

_OPTIONS = Options()
_STEPS: tuple[Step, ...] = STEPS


def set_up(options: Options, steps: tuple[Step, ...]) -> None:
    """Once per worker process: the run's options and steps."""
    global _OPTIONS, _STEPS
    _OPTIONS, _STEPS = options, steps


def clean_task(doc: Document) -> Document:
    """One document cleaned, lightened for the trip back (the record needs neither page nor blocks).

    When the blocks were hashed for templates, they go back as verdicts, with the text of
    the kept ones only: enough to judge and assemble the page again in the parent.
    """
    clean_document(doc, _OPTIONS, _STEPS)
    doc.content = b""
    if doc.error is None and UNITS_KEY in doc.metadata:
        doc.blocks = [Block(b.text if b.keep else "", b.kind, b.keep, "", b.score) for b in doc.blocks]
    else:
        doc.blocks = []
    return doc


def count_task(doc: Document) -> Document:
    """One document decoded, cut and hashed (two-pass's first pass): only its hashes go back."""
    clean_document(doc, _OPTIONS, _STEPS)
    doc.content = b""
    doc.blocks = []
    return doc


# --- helpers ---------------------------------------------------------------------------------------


def _record(doc: Document) -> dict:
    return doc.to_error_record() if doc.error is not None else doc.to_record()


def _count(outcome: Outcome, doc: Document, size: int) -> None:
    outcome.stats.add(doc, size)
    if doc.error is None:
        outcome.removed.update(doc.metadata.get("removed") or {})


def errors_target(output: str, errors: str | None) -> str:
    """Where error records go: --errors, else beside a file output, else stderr."""
    if errors:
        return errors
    if output == STDOUT:
        return STDERR
    if storage.is_url(output):
        head, _, name = output.rpartition("/")
        stem = name.split(".jsonl")[0] if ".jsonl" in name else os.path.splitext(name)[0]
        return f"{head}/{stem}.errors.jsonl"
    name = Path(output).name
    stem = name.split(".jsonl")[0] if ".jsonl" in name else Path(name).stem
    return str(Path(output).with_name(f"{stem}.errors.jsonl"))


class _AtomicFile:
    """A JSONL file output written under a temporary name and published when the run ends:
    an interrupted run leaves no half-written file that looks finished.

    The temporary file is local (beside the target, or in the temporary directory for a
    URL); publishing is a rename, or one upload (storage.publish)."""

    def __init__(self, target: str) -> None:
        self.target = target
        name = target.rpartition("/")[2] if storage.is_url(target) else Path(target).name
        suffixes = PurePosixPath(name).suffixes
        suffix = "".join(s for s in suffixes if s in (".jsonl", ".gz", ".zst", ".json")) or ".jsonl"
        self._temporary = Path(storage.staging(target, f".part{suffix}"))
        self._writer = JsonlWriter(str(self._temporary))
        self._done = False

    def write(self, record: dict) -> int:
        return self._writer.write(record)

    def commit(self) -> None:
        self._writer.close()
        storage.publish(str(self._temporary), self.target)
        self._done = True

    def __enter__(self) -> _AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self._writer.close()
            self._temporary.unlink(missing_ok=True)

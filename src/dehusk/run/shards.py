"""Shards: one output shard per input shard, written atomically, marked done, skipped on resume.

An input shard is a file of records (JSONL, JSON, WARC): its records land in one output
shard of the same relative name. Single pages (``.html``, ``.txt``) are grouped by the
directory they sit in, one output shard per directory, so that a folder of a million pages
does not become a million output files.

``OUT/a/b.jsonl.gz`` (input) → ``OUT/a/b.jsonl.zst`` (records), ``OUT/a/b.errors.jsonl.zst``
(error records, when there are any) and ``OUT/a/b.done`` (the shard's counts, written last).
Records are written to hidden temporary files and renamed into place when the shard is
finished, then the marker is written: a shard without its marker is unfinished whatever
else is there, and ``--resume`` redoes it from the start. So an interrupted run (Ctrl-C, a
kill, a power loss) ends, after a resume, with every record exactly once and no torn line.

``select(shards, index, count)`` keeps every ``count``-th shard from ``index``, so that a
Slurm array or any scheduler can split one list of inputs among machines.

The output directory may be a URL (``s3://bucket/out/``, through fsspec: dehusk.storage).
Object stores cannot rename, so there the temporary files are local (the system's
temporary directory) and each is uploaded whole to its final name on commit; the marker
is still written last, and read back through fsspec on ``--resume``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from dehusk import storage
from dehusk.readers.formats import split_name
from dehusk.readers.paths import Input
from dehusk.writers.jsonl import JsonlWriter
from dehusk.writers.stats import RunStats

#: Output compression by name, as ``--compression`` spells it.
EXTENSIONS = {"zst": ".jsonl.zst", "gz": ".jsonl.gz", "none": ".jsonl"}
_PAGES = ("text", "html")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|]")


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of output: its name below the output directory and the inputs that feed it."""

    name: str
    inputs: tuple[Input, ...]


def plan(items: Iterable[Input]) -> list[Shard]:
    """The shards of a run, in a stable order: record files alone, pages grouped by directory."""
    groups: dict[str, list[Input]] = {}
    for item in items:
        groups.setdefault(_shard_name(item), []).append(item)
    return [Shard(name, tuple(inputs)) for name, inputs in groups.items()]


def _shard_name(item: Input) -> str:
    if item.path is None:
        return "stdin"
    _, fmt, _ = split_name(os.path.basename(item.path))
    if fmt not in _PAGES:
        return safe_name(item.id)
    folder = os.path.dirname(item.id)  # a page below the folder that was named: its subfolder
    if not folder:  # a page at the top: the folder it sits in
        folder = storage.parent_name(item.path) or "pages"
    return safe_name(folder)


def safe_name(name: str) -> str:
    """A relative file name below the output directory that cannot leave it.

    >>> safe_name("../../etc/passwd"), safe_name("/abs/x"), safe_name("a/./b"), safe_name("")
    ('etc/passwd', 'abs/x', 'a/b', 'shard')
    """
    parts = [_UNSAFE.sub("_", part) for part in name.replace("\\", "/").split("/")]
    parts = [part for part in parts if part not in ("", ".", "..")]
    parts = [f"_{part}" if part.startswith(".") else part for part in parts]  # no hidden files
    return "/".join(parts) or "shard"


def select(shards: Sequence[Shard], index: int, count: int) -> list[Shard]:
    """Every ``count``-th shard, starting at ``index`` (0-based): this machine's share.

    >>> [s.name for s in select([Shard(str(i), ()) for i in range(5)], 1, 2)]
    ['1', '3']
    """
    if not 0 <= index < count:
        raise ValueError(f"--shard-index must be in 0..{count - 1}, not {index}")
    return [shard for i, shard in enumerate(shards) if i % count == index]


@dataclass
class ShardOutput:
    """The files of one shard: written under temporary names, published into place on commit.

    ``directory`` is a local path or a URL; the file paths below it are strings.
    """

    directory: str | Path
    name: str
    compression: str = "zst"
    stats: RunStats = field(default_factory=RunStats)
    _out: JsonlWriter | None = None
    _errors: JsonlWriter | None = None

    def _path(self, suffix: str) -> str:
        return storage.join(str(self.directory), f"{self.name}{suffix}")

    @property
    def records_path(self) -> str:
        return self._path(EXTENSIONS[self.compression])

    @property
    def errors_path(self) -> str:
        return self._path(f".errors{EXTENSIONS[self.compression]}")

    @property
    def done_path(self) -> str:
        return self._path(".done")

    def is_done(self) -> bool:
        return storage.is_file(self.done_path)

    def _temporary(self, path: str) -> str:
        return storage.staging(path, f".part{EXTENSIONS[self.compression]}")

    def open(self) -> ShardOutput:
        """Start the shard afresh: what an earlier, unfinished attempt left is removed (the marker first)."""
        for path in (self.done_path, self.records_path, self.errors_path):
            storage.remove(path)
        for path in (self.records_path, self.errors_path):
            if not storage.is_url(path):  # a URL's temporary files are local, in the temporary directory
                folder, name = os.path.split(path)
                for stale in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(name)}.*.part*")):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(stale)
        self._out = JsonlWriter(self._temporary(self.records_path))
        self._errors = JsonlWriter(self._temporary(self.errors_path), lazy=True)
        return self

    def write(self, record: dict[str, Any], error: bool = False) -> int:
        writer = self._errors if error else self._out
        assert writer is not None, "open() the shard first"
        return writer.write(record)

    def commit(self, sources: Sequence[str] = ()) -> None:
        """Finish the shard: close, publish into place, then mark it done (the marker last)."""
        self.stats.stop()
        for writer, final in ((self._out, self.records_path), (self._errors, self.errors_path)):
            if writer is None:
                continue
            writer.close()
            if writer.records or writer is self._out:
                storage.publish(writer.target, final)
            else:
                storage.remove(writer.target)  # an errors file never written to (a URL's is created empty)
        marker = {**self.stats.as_dict(), "inputs": list(sources)}
        storage.write_bytes(self.done_path, orjson.dumps(marker, option=orjson.OPT_INDENT_2))
        self._out = self._errors = None

    def abort(self) -> None:
        """Drop an unfinished shard's temporary files (its marker was never written)."""
        for writer in (self._out, self._errors):
            if writer is not None:
                with contextlib.suppress(OSError):
                    writer.close()
                Path(writer.target).unlink(missing_ok=True)
        self._out = self._errors = None


def read_marker(path: str | Path) -> dict[str, Any]:
    """A done shard's counts (empty if the marker cannot be read)."""
    try:
        marker = orjson.loads(storage.read_bytes(str(path)))
    except (OSError, orjson.JSONDecodeError):
        return {}
    return marker if isinstance(marker, dict) else {}

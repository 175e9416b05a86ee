"""JSONL out: one record per line to stdout or a ``.jsonl``, ``.jsonl.gz`` or ``.jsonl.zst`` file.

The compression follows the file name. Records are serialised with orjson; a record
orjson refuses (a lone surrogate from a broken page, a numpy number from a stage) is
repaired and written anyway, because losing a record silently is worse than a U+FFFD.

A URL target (``s3://bucket/out.jsonl.zst``, through fsspec) is written to a local
temporary file and uploaded whole when the writer is closed (dehusk.storage).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Protocol

import orjson
import zstandard

from dehusk import storage

STDOUT = "-"
STDERR = "-stderr"  # records on standard error: where error records go when the output is stdout
_OPTIONS = orjson.OPT_APPEND_NEWLINE
GZIP_LEVEL = 6  # gzip's own default of 9 costs twice the time for a percent or two
ZSTD_LEVEL = 3


class Writer(Protocol):
    """What a stage writes records to."""

    def write(self, record: dict[str, Any]) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> Writer: ...

    def __exit__(self, *exc: object) -> None: ...


class JsonlWriter:
    """Write records as JSON lines to ``-`` (stdout) or a file, compressed by its extension.

    >>> with JsonlWriter("out/run.jsonl.zst") as out:     # doctest: +SKIP
    ...     out.write({"id": "a", "text": "..."})

    Parent directories are created. ``records`` and ``bytes`` count what was written
    (bytes before compression). A ``lazy`` writer creates its file at the first record
    only, so that a run without errors leaves no empty errors file behind.
    """

    def __init__(self, target: str, *, lazy: bool = False) -> None:
        self.target = target
        self.records = 0
        self.bytes = 0
        self._stdout = target in (STDOUT, STDERR)
        self._stream: BinaryIO | None = None
        self._staged: str | None = None  # a URL target's local file, uploaded on close
        if not lazy:
            self._open()

    def _open(self) -> BinaryIO:
        if self._stream is None:
            if self._stdout:
                self._stream = (sys.stdout if self.target == STDOUT else sys.stderr).buffer
            elif storage.is_url(self.target):
                name = self.target.rpartition("/")[2].lower()
                suffix = next((ext for ext in (".gz", ".zst") if name.endswith(ext)), "")
                self._staged = storage.staging(self.target, f".part.jsonl{suffix}")
                self._stream = _open(Path(self._staged))
            else:
                self._stream = _open(Path(self.target))
        return self._stream

    def write(self, record: dict[str, Any]) -> int:
        """Write one record as one line; return the number of bytes written."""
        line = dumps(record)
        self._open().write(line)
        self.records += 1
        self.bytes += len(line)
        return len(line)

    def close(self) -> None:
        """Flush, and close the file (stdout and stderr stay open for whoever else prints).

        A URL target is uploaded here, once.
        """
        if self._stream is None:
            return
        if self._stdout:
            self._stream.flush()
        elif not self._stream.closed:
            self._stream.close()
        if self._staged is not None:
            staged, self._staged = self._staged, None
            storage.publish(staged, self.target)

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class NullWriter:
    """A writer that drops every record: what ``open_writer(None)`` gives (no errors file asked for)."""

    target = None
    records = 0
    bytes = 0

    def write(self, record: dict[str, Any]) -> int:
        return 0

    def close(self) -> None:
        pass

    def __enter__(self) -> NullWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def open_writer(target: str | None, *, lazy: bool = False) -> JsonlWriter | NullWriter:
    """A JsonlWriter on ``target``, or a NullWriter when there is no target."""
    return NullWriter() if target is None else JsonlWriter(target, lazy=lazy)


def _open(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "wb", compresslevel=GZIP_LEVEL)  # type: ignore[return-value]
    if name.endswith(".zst"):
        # the stream writer closes the file when it is closed, after writing the frame's end
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(open(path, "wb"))  # type: ignore[return-value]
    return open(path, "wb")


def dumps(record: dict[str, Any]) -> bytes:
    """One record as a JSON line (newline included); never fails on strings or odd values.

    >>> dumps({"text": "caf\\udce9"})
    b'{"text":"caf\\xef\\xbf\\xbd"}\\n'
    """
    try:
        return orjson.dumps(record, default=_default, option=_OPTIONS)
    except (orjson.JSONEncodeError, TypeError):
        return orjson.dumps(sanitize(record), default=_default, option=_OPTIONS)


def sanitize(value: Any) -> Any:
    """A copy of a record that orjson accepts: valid UTF-8 strings, string keys, 64-bit integers.

    Lone surrogates become U+FFFD (a surrogate pair split across two code points is
    joined back into its character); non-string keys become strings, integers beyond
    64 bits their decimal string.
    """
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, dict):
        return {sanitize(str(key)): sanitize(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(item) for item in value]
    return value


def _default(value: Any) -> Any:
    """Values orjson does not know: numpy scalars by their value, sets as lists, else their str()."""
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)

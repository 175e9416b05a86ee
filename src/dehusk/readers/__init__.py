"""Readers: inputs in, Documents out, one at a time.

``read(paths)`` takes what a user names on the command line -- files, directories
(walked recursively, in sorted order), globs, ``-`` for stdin -- in any of the formats
(text dumps, HTML, JSONL/JSON records, WARC), plain, ``.gz`` or ``.zst``, and streams
Documents: a ``.txt`` or ``.html`` file is one Document holding its raw bytes (decoding is
the next stage's job), a JSONL file one Document per line, a WARC one per HTML or text
response (readers.warc; the records it skips are counted in ``skipped``).

A damaged input never stops the run: a corrupt or truncated file, a bad JSON line, an
empty page each become a Document with an ``error`` (kinds in document.ERROR_KINDS) so
they land in the errors file and the counts. Only a path that does not exist is an
exception, raised by ``read`` itself before any Document is produced.
"""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from dehusk import storage
from dehusk.document import Document
from dehusk.options import Limits
from dehusk.readers.formats import (
    SNIFF_BYTES,
    compression_from_magic,
    looks_like_html,
    sniff_format,
    split_name,
)
from dehusk.readers.jsonl import read_json, read_jsonl
from dehusk.readers.paths import Input, check_paths, inputs
from dehusk.readers.streams import (
    RAW_SNIFF_BYTES,
    READ_ERRORS,
    decompress,
    describe,
    error_kind,
    gzip_head,
    peek,
    read_all,
)
from dehusk.readers.warc import read_warc

__all__ = ["Input", "check_paths", "looks_like_html", "read", "read_input"]

_BOM = b"\xef\xbb\xbf"
LIMITS = Limits()


def read(
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    skipped: Counter[str] | None = None,
    limits: Limits = LIMITS,
) -> Iterator[Document]:
    """Documents from ``paths`` (files, directories, globs, ``-``), streamed in order.

    Every path is checked first: a missing one raises FileNotFoundError (one-line
    message) here, at the call, before anything is read. ``stdin`` stands in for
    ``sys.stdin.buffer`` (tests, embedding). WARC records that are no documents
    (requests, images...) are counted in ``skipped``, by reason, as they are passed.
    An input past ``limits`` becomes a ``too-large`` error, read no further than the limit.
    """
    targets = check_paths(paths)

    def documents() -> Iterator[Document]:
        for item in inputs(targets):
            yield from read_input(item, stdin=stdin, skipped=skipped, limits=limits)

    return documents()


def read_input(
    item: Input,
    *,
    stdin: BinaryIO | None = None,
    skipped: Counter[str] | None = None,
    limits: Limits = LIMITS,
) -> Iterator[Document]:
    """The Documents of one input: a file or stdin (``item.path`` None)."""
    if item.problem:
        yield _failed(item, "unknown", "corrupt", item.problem)
        return
    if item.path is None:
        stream = sys.stdin.buffer if stdin is None else stdin
        yield from _read_stream(stream, item, None, None, skipped, limits)
        return
    _, fmt, compression = split_name(os.path.basename(item.path))
    try:
        raw = storage.open_read(item.path)  # closed below, after the generator is done with it
    except OSError as exc:
        yield _failed(item, fmt or "unknown", "corrupt", describe(exc))
        return
    with raw:
        if fmt == "warc":  # fastwarc reads the file itself, compressed or not: it can resume after damage
            yield from read_warc(raw, item.id, item.source, skipped=skipped, limit=limits.max_document_bytes)
        else:
            yield from _read_stream(raw, item, fmt, compression, skipped, limits)


def _read_stream(
    raw: BinaryIO,
    item: Input,
    fmt: str | None,
    compression: str | None,
    skipped: Counter[str] | None = None,
    limits: Limits = LIMITS,
) -> Iterator[Document]:
    """Decompress, sniff what the name did not say, and hand over to the format's reader."""
    if fmt in ("text", "html") and compression in (None, "gzip"):  # a page at once: the fast way
        try:
            data = read_all(raw, compression, limits.max_document_bytes)
        except READ_ERRORS as exc:
            yield _failed(item, fmt, error_kind(exc), describe(exc))
            return
        if compression is None and compression_from_magic(data[:4]):  # a compressed file with a plain name
            unpacked = compression_from_magic(data[:4])
            yield from _read_stream(io.BytesIO(data), item, fmt, unpacked, skipped, limits)
        else:
            yield from _whole(data, item, fmt)
        return
    try:
        if compression is None:
            magic, raw = peek(raw, 4)
            compression = compression_from_magic(magic)
        if fmt is None and compression == "gzip":  # sniffed from the compressed head, so that a WARC
            head, raw = peek(raw, RAW_SNIFF_BYTES)  # reader can be given the raw stream
            fmt = sniff_format(gzip_head(head, SNIFF_BYTES))
        stream = decompress(raw, compression)
        if fmt is None:
            head, stream = peek(stream, SNIFF_BYTES)
            fmt = sniff_format(head)
    except READ_ERRORS as exc:
        yield _failed(item, fmt or "unknown", error_kind(exc), describe(exc))
        return

    if fmt == "binary":
        yield _failed(item, "unknown", "not-text", "binary content (NUL bytes near the start)")
    elif fmt == "warc":  # fastwarc decompresses itself: a file can be looked at again, damage resumed after
        if raw.seekable():
            raw.seek(0)
            stream = raw
        elif compression == "gzip":  # a pipe: sniffed from its raw head, so nothing of it is lost
            stream = raw
        yield from read_warc(stream, item.id, item.source, skipped=skipped, limit=limits.max_document_bytes)
    elif fmt == "jsonl":
        yield from read_jsonl(stream, item.id, item.source, limits)
    else:
        try:  # a page, a dump or a .json file: read at once, up to the limit
            limit = limits.max_file_bytes if fmt == "json" else limits.max_document_bytes
            data = read_all(stream, None, limit)
        except READ_ERRORS as exc:
            yield _failed(item, fmt, error_kind(exc), describe(exc))
            return
        yield from _whole(data, item, fmt)


def _whole(data: bytes, item: Input, fmt: str) -> Iterator[Document]:
    """The Documents of a file read at once: a JSON file's records, or one page or dump."""
    if fmt == "json":
        yield from read_json(data, item.id, item.source)
    elif not data.removeprefix(_BOM).strip():
        yield _failed(item, fmt, "empty", "no content" if not data else "only whitespace")
    else:
        yield Document(id=item.id, source=item.source, format=fmt, content=data)


def _failed(item: Input, fmt: str, kind: str, detail: str) -> Document:
    """An error Document for a whole input; the detail names the input."""
    doc = Document(id=item.id, source=item.source, format=fmt, content=b"")
    return doc.fail(kind, f"{item.source}: {detail}")

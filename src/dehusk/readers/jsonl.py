"""JSON records in: JSONL streamed line by line, and ``.json`` files (an array, one object, or JSONL).

A record gives its page in ``html`` or as ``text`` (``content`` is accepted for ``text``,
as Common Crawl-style dumps name it); its own ``id`` if it has one, else ``FILE:LINE``;
and its ``url``. Other fields are ignored. A ``text`` that is really markup is read as
HTML (see formats.looks_like_html): scrapers put raw pages in ``text`` more often than not.

Every line becomes one Document, good or failed, so the run's counts add up and a bad
line is reported where it is (``metadata['line']``) instead of stopping the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from dehusk.document import Document
from dehusk.options import Limits
from dehusk.readers.formats import looks_like_html
from dehusk.readers.streams import READ_ERRORS, describe, error_kind

#: Fields that hold a page as text, in order of preference.
TEXT_FIELDS = ("text", "content")
#: The format of a record that failed: the records' container, not a page format.
RECORD_FORMAT = "jsonl"
_DETAIL_CHARS = 200
_BOM = b"\xef\xbb\xbf"
LIMITS = Limits()
_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


def read_jsonl(stream: BinaryIO, file_id: str, source: str, limits: Limits = LIMITS) -> Iterator[Document]:
    """One Document per non-blank line of a JSONL stream, then one error if the stream breaks off.

    Lines are read one at a time through the decompressor, so a file of any size runs
    in constant memory. A stream that ends early (a cut ``.gz``) yields every complete
    line, then a ``truncated`` record saying how far it got. A line longer than
    ``limits.max_document_bytes`` is passed over without being held (``too-large``);
    past ``limits.max_file_bytes`` of the file, the rest is one ``too-large`` record.
    """
    line_no = offset = 0
    limit = limits.max_document_bytes
    try:
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            if not line.endswith(b"\n") and len(line) <= limit and _breaks_off(stream):
                break  # a partial last line of a truncated stream: reported below
            line_no += 1
            if len(line) > limit and not line.endswith(b"\n"):
                size = len(line) + _skip_line(stream)
                offset += size
                yield _line_failed(file_id, source, line_no, "too-large", f"{size:,} bytes, over the limit")
                continue
            offset += len(line)
            if offset > limits.max_file_bytes:
                detail = f"the file passes the limit of {limits.max_file_bytes:,} bytes at line {line_no}"
                yield _line_failed(file_id, source, line_no, "too-large", detail + "; the rest is not read")
                return
            if line_no == 1:
                line = line.removeprefix(_BOM)
            if line.strip():
                yield record_document(line, file_id, source, line_no)
        raise EOFError("compressed stream ended before its end marker")
    except READ_ERRORS as exc:
        detail = f"{describe(exc)} (after line {line_no}, byte {offset} of the decompressed data)"
        yield _line_failed(file_id, source, line_no + 1, error_kind(exc), detail)


def _line_failed(file_id: str, source: str, line_no: int, kind: str, detail: str) -> Document:
    doc = Document(id=f"{file_id}:{line_no}", source=source, format=RECORD_FORMAT, content=b"")
    doc.metadata["line"] = line_no
    return doc.fail(kind, f"{source}: line {line_no}: {detail}")


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of an overlong line without holding it; the bytes passed over."""
    skipped = 0
    while True:
        piece = stream.readline(1 << 20)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped


def _breaks_off(stream: BinaryIO) -> bool:
    """True if the stream fails right after a line without newline: the line is a fragment."""
    try:
        stream.read(1)
    except EOFError:
        return True
    return False


def read_json(data: bytes, file_id: str, source: str) -> Iterator[Document]:
    """The records of a whole ``.json`` file: a JSON array, one (pretty-printed) object, or JSONL.

    An array's records are numbered from 1 in ``metadata['record']`` (ids ``FILE:N``); a
    lone object takes the file's id unless it has its own.
    """
    data = data.removeprefix(_BOM)
    body = data.lstrip()
    if body.startswith(b"["):
        try:
            items = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            doc = Document(id=file_id, source=source, format=RECORD_FORMAT, content=b"")
            yield doc.fail("bad-json", _shorten(str(exc)))
            return
        if not isinstance(items, list):
            items = [items]
        for n, item in enumerate(items, 1):
            yield record_document(item, file_id, source, n, where="record")
        return
    if body.startswith(b"{") and not _parses(body.split(b"\n", 1)[0]):
        try:
            whole = orjson.loads(body)
        except orjson.JSONDecodeError:
            whole = None
        if isinstance(whole, dict):
            yield record_document(whole, file_id, source, None)
            return
    for n, line in enumerate(data.splitlines(), 1):
        if line.strip():
            yield record_document(line, file_id, source, n)


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def record_document(
    record: bytes | Any, file_id: str, source: str, number: int | None, *, where: str = "line"
) -> Document:
    """The Document for one JSON record, given raw (a JSONL line) or parsed.

    ``number`` is the line (or array position, ``where="record"``) the record came
    from, stored in ``metadata[where]`` and used for the fallback id ``FILE:NUMBER``.
    """
    fallback = file_id if number is None else f"{file_id}:{number}"
    metadata = {} if number is None else {where: number}
    where_text = "" if number is None else f"{where} {number}: "

    def failed(kind: str, detail: str, doc_id: str = fallback) -> Document:
        doc = Document(id=doc_id, source=source, format=RECORD_FORMAT, content=b"", metadata=metadata)
        return doc.fail(kind, where_text + detail)

    if isinstance(record, bytes):
        try:
            record = orjson.loads(record)
        except orjson.JSONDecodeError as exc:
            return failed("bad-json", _shorten(str(exc)))
    if not isinstance(record, dict):
        return failed("bad-json", f"a JSON {_JSON_TYPES.get(type(record), 'null')}, not an object")

    raw_id = record.get("id")
    doc_id = fallback if raw_id is None or raw_id == "" else str(raw_id)
    url = record.get("url")
    url = url if isinstance(url, str) and url else None

    html = record.get("html")
    if isinstance(html, str) and html.strip():
        return Document(id=doc_id, source=source, format="html", content=html, url=url, metadata=metadata)
    for name in TEXT_FIELDS:
        text = record.get(name)
        if isinstance(text, str) and text.strip():
            fmt = "html" if looks_like_html(text) else "text"
            return Document(id=doc_id, source=source, format=fmt, content=text, url=url, metadata=metadata)

    if any(isinstance(record.get(name), str) for name in ("html", *TEXT_FIELDS)):
        return failed("empty", "the record's html/text is empty", doc_id)
    fields = _shorten(", ".join(map(str, record)) or "none")
    return failed("no-content-field", f"no 'html', 'text' or 'content' string (fields: {fields})", doc_id)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1] + "…"

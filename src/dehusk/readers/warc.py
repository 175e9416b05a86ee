"""WARC input: a Document per HTML or plain-text HTTP response of a ``.warc``, ``.warc.gz``, ``.warc.zst``.

What is read. ``response`` records whose HTTP status is 2xx and whose media type is
``text/html`` or ``application/xhtml+xml`` (format ``html``) or ``text/plain`` (``text``);
and ``conversion`` records (Common Crawl's WET files: text already extracted, ``text``).
The media type comes from the HTTP ``Content-Type``, else from ``WARC-Identified-Payload-Type``,
else from the body's first bytes. Chunked transfer coding and gzip, deflate, br or zstd
content coding are undone (readers.http). A Document holds:

- ``id``: the ``WARC-Record-ID`` without its angle brackets (``urn:uuid:…``), as every WARC
  tool prints it; a record without one gets ``FILE@OFFSET``;
- ``url``: ``WARC-Target-URI``; ``content``: the payload bytes (decoding is the next stage's);
- ``metadata``: ``warc_date`` (``WARC-Date`` as written), ``warc_offset`` (the record's byte
  offset in the file, compressed offset for ``.gz``/``.zst``: ``dd``/``warcio extract`` find it
  there), ``charset`` (the raw label of the HTTP header, when it names one: the decoder weighs
  it), ``warc_truncated`` (the crawler's ``WARC-Truncated`` reason, when it cut the payload).

What is skipped, silently: every other record type (``request``, ``metadata``, ``warcinfo``,
``revisit``, ``resource``...), responses with another status (redirects, errors: not the page
of that URL) and responses of other media types (images, PDFs, scripts, stylesheets). These
are not documents, as a request record is not: a Common Crawl WARC holds three records per
page and many responses that are not text, and an error record for each would bury the real
errors. Pass a Counter as ``skipped`` to count them by reason (the record type, ``status
404``, or the media type such as ``image/jpeg``).

What becomes an error record (the run goes on):

- ``truncated``: a record shorter than its Content-Length, a record header or a gzip member
  the file ends in; the detail names the file, the record id (if known) and the byte offset;
- ``corrupt``: a damaged gzip member, or data that holds no WARC record; the detail names the
  file and the byte offset. gzip WARCs hold one member per record, so reading resumes at the
  next member that starts a record (in a file: a pipe cannot go back, and ends there);
- ``too-large``: a payload over ``limit`` bytes (Limits.max_document_bytes), raw or decoded
  (it is passed over, not read);
- ``empty``: a response with no payload.

The library is fastwarc (Resiliparse), chosen by measurement over warcio (scripts/measure_warc.py):
twice as fast, reads ``.zst`` and whole-file gzip, and in its quirks mode reads bare-LF headers
and steps over garbage between records. What neither library reports is checked here: a record
cut short, a gzip member cut or damaged. Known gaps: in an uncompressed or ``.zst`` WARC a
damaged record header is stepped over in silence (the quirks mode), and lowercase field names
(``content-length``) are not read (the record is counted as ``unknown``). One record is in
memory at a time, and only a text one.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from fastwarc import ArchiveIterator, WarcRecord
from fastwarc.warc import HeaderMap

from dehusk.document import Document
from dehusk.options import Limits
from dehusk.readers.formats import MAGIC, sniff_format
from dehusk.readers.http import TooLarge, content_type, dechunk, decode_content
from dehusk.readers.streams import READ_ERRORS, describe, error_kind

_LIMIT = Limits().max_document_bytes
#: Media types read, and the Document format of each.
FORMATS = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
#: Media types that say nothing: the identified type, or the bytes, decide.
_UNSAID = ("", "application/octet-stream", "unknown/unknown", "application/unknown")
_GZIP = b"\x1f\x8b\x08"
_HEADER_LIMIT = 1 << 16
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)", re.IGNORECASE | re.MULTILINE)
_SCAN = 1 << 20


@dataclass
class _Reading:
    """One WARC being read: its stream, names, counts, and what the damage checks need to know."""

    stream: Any
    file_id: str
    source: str
    skipped: Counter[str]
    limit: int = _LIMIT
    compression: str | None = None
    seekable: bool = False
    current: tuple[int, str] | None = None  # (offset, id) of the record whose payload is being read
    truncated_at: int | None = None  # the offset of the record last reported truncated

    def failed(self, kind: str, detail: str, doc_id: str, offset: int) -> Document:
        """An error Document; the detail names the file (and, by the caller, the offset)."""
        metadata = {"warc_offset": offset}
        doc = Document(id=doc_id, source=self.source, format="warc", content=b"", metadata=metadata)
        return doc.fail(kind, f"{self.source}: {detail}")

    def record_failed(self, kind: str, doc_id: str, offset: int, what: str) -> Document:
        """An error Document for one record, named by its id and offset."""
        if kind == "truncated":
            self.truncated_at = offset
        return self.failed(kind, f"record {doc_id} at byte {offset}: {what}", doc_id, offset)


def read_warc(
    stream: BinaryIO,
    file_id: str,
    source: str,
    *,
    skipped: Counter[str] | None = None,
    limit: int = _LIMIT,
) -> Iterator[Document]:
    """The Documents of one WARC stream (a file opened ``rb`` or a pipe), in record order.

    ``stream`` may be gzip- or zstd-compressed (fastwarc tells from the first bytes); only a
    seekable one can be looked at again to find damage and resume after it. ``file_id`` names
    records that have no id, ``source`` goes into every detail. Records that are no documents
    are counted in ``skipped``, by reason. A payload over ``limit`` bytes is ``too-large``.
    """
    reading = _Reading(stream, file_id, source, Counter() if skipped is None else skipped, limit)
    reading.seekable = _seekable(stream)
    if not reading.seekable:
        reading.stream = _Counted(stream)  # fastwarc asks every stream where it is
    start = reading.stream.tell()
    if reading.seekable:
        reading.compression = _compression(reading.stream, start)
    at: int | None = start
    while at is not None:
        at = yield from _read_from(reading, at)


def _read_from(reading: _Reading, at: int) -> Iterator[Document]:
    """Records from byte ``at`` to the end or to damage; the byte to resume at, or None when done."""
    last = at  # the offset of the last record met: damage lies at or after it
    met: WarcRecord | None = None
    pending: tuple[int, str] | None = None  # a record without Content-Length: cut, or corrupt
    reading.current = None
    stream = reading.stream
    try:
        for record in ArchiveIterator(stream, parse_http=False, quirks_mode=True):
            last, met = record.stream_pos, record
            if pending is not None:
                yield reading.record_failed("corrupt", pending[1], pending[0], "no Content-Length")
                pending = None
            if not (record.headers.get("Content-Length") or "").strip().isdigit():  # a header cut short
                pending = (last, _record_id(record, reading.file_id, last))
                continue
            doc = _document(reading, record)
            if doc is not None:
                yield doc
    except READ_ERRORS as exc:
        return (yield from _damage(reading, last, met is not None, exc))
    if pending is not None:
        yield reading.record_failed("truncated", pending[1], pending[0], "the file ends in its header")
        return None
    return (yield from _end(reading, at, last, met))


def _end(reading: _Reading, at: int, last: int, met: WarcRecord | None) -> Iterator[Document]:
    """Errors for what fastwarc ends on in silence: a file cut in a header or in a gzip member, a
    file with no record. Only a seekable file can be looked at again; the byte to resume at, or None."""
    stream = reading.stream
    if not reading.seekable:
        return None
    if reading.compression is None:
        doc = _plain_end(reading, last, met)
        if doc is not None:
            yield doc
        return None
    if reading.compression == "gzip" and met is None and not _starts_record(stream, at):
        stream.seek(at)
        if stream.read(1):
            yield reading.failed("corrupt", f"no WARC record from byte {at}", f"{reading.file_id}@{at}", at)
        return None
    return (yield from _damage(reading, last, met is not None, None))


def _document(reading: _Reading, record: WarcRecord) -> Document | None:
    """The Document of one record, an error Document, or None for a record that is no document."""
    kind = str(record.record_type)
    offset = record.stream_pos
    doc_id = _record_id(record, reading.file_id, offset)
    if kind not in ("response", "conversion"):
        return _skip(reading, record, kind, doc_id)
    headers = record.headers
    http = None
    if kind == "response" and record.is_http:
        record.parse_http(quirks_mode=True)
        http = record.http_headers
    if http is not None:
        status = http.status_code
        if status is not None and not 200 <= status < 300:
            return _skip(reading, record, f"status {status}", doc_id)
        media, charset = content_type(http.get("Content-Type"))
    else:  # a conversion, or a response of another protocol (dns:, ftp:): the record's own type
        media, charset = content_type(headers.get("Content-Type"))
    if media in _UNSAID:
        media = content_type(headers.get("WARC-Identified-Payload-Type"))[0] or media
    if media not in FORMATS and media not in _UNSAID:
        return _skip(reading, record, media[:60], doc_id)
    expected = record.content_length
    if expected > reading.limit:
        return reading.record_failed("too-large", doc_id, offset, f"{expected} bytes")
    reading.current = (offset, doc_id)
    body = record.reader.read()
    reading.current = None
    if len(body) < expected:
        what = f"{len(body)} of {expected} bytes, the file ends"
        return reading.record_failed("truncated", doc_id, offset, what)
    if http is not None:
        try:
            body = _payload(http, body, reading.limit)
        except TooLarge as exc:
            return reading.record_failed("too-large", doc_id, offset, str(exc))
    if media in _UNSAID:
        sniffed = sniff_format(body[:4096])
        if sniffed not in ("html", "text"):
            reading.skipped[media or "no media type"] += 1
            return None
        fmt = sniffed
    else:
        fmt = FORMATS[media]
    if not body.strip():
        return reading.record_failed("empty", doc_id, offset, "no payload")
    metadata: dict[str, Any] = {"warc_date": headers.get("WARC-Date"), "warc_offset": offset}
    if charset:
        metadata["charset"] = charset
    if headers.get("WARC-Truncated"):
        metadata["warc_truncated"] = headers.get("WARC-Truncated")
    url = (headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    return Document(id=doc_id, source=reading.source, format=fmt, content=body, url=url, metadata=metadata)


def _skip(reading: _Reading, record: WarcRecord, reason: str, doc_id: str) -> Document | None:
    """Count a record that is no document, passing over its payload; one cut short is an error all
    the same (``truncated``: the file ends in it)."""
    expected = record.content_length
    got = record.reader.consume()
    if got < expected:
        what = f"{got} of {expected} bytes, the file ends"
        return reading.record_failed("truncated", doc_id, record.stream_pos, what)
    reading.skipped[reason] += 1
    return None


def _payload(http: HeaderMap, body: bytes, limit: int) -> bytes:
    """The HTTP payload with its transfer and content codings undone (TooLarge past ``limit``)."""
    if "chunked" in (http.get("Transfer-Encoding") or "").lower():
        body = dechunk(body)
    return decode_content(body, http.get("Content-Encoding"), limit)


def _record_id(record: WarcRecord, file_id: str, offset: int) -> str:
    """``WARC-Record-ID`` without its angle brackets, else ``FILE@OFFSET``."""
    value = (record.headers.get("WARC-Record-ID") or "").strip().strip("<>").strip()
    return value or f"{file_id}@{offset}"


# --- damage --------------------------------------------------------------------------------------------


def _damage(reading: _Reading, last: int, met: bool, exc: BaseException | None) -> Iterator[Document]:
    """One error record for damage at or after byte ``last``; the byte to resume at, or None.

    Called when reading raised ``exc``, and at the clean end of a ``.warc.gz`` (``exc`` None),
    where fastwarc ends silently at a member cut short. In a seekable ``.warc.gz`` the damaged
    member is found by decompressing the members from ``last`` on (one member is one record),
    and reading resumes at the next member whose content starts a record. Elsewhere there is
    no member to resume at: the error names the last record read (``met``), and reading ends.
    """
    stream = reading.stream
    members = reading.seekable and reading.compression == "gzip" and _starts(stream, last, _GZIP)
    bad, state = _first_bad_member(stream, last) if members else (None, "")
    if bad is None:  # every member clean to the end, or no members to look at
        if exc is None:
            return None
        bad = last
    if exc is None and bad == reading.truncated_at:  # the last record, cut: reported with its id
        return None
    resume = _next_record_member(stream, bad + 1) if members else None
    if members and _only_padding(stream, bad, resume):  # zeros after a member: allowed, not damage
        if resume is not None:
            stream.seek(resume)
        return resume
    doc_id, what = f"{reading.file_id}@{bad}", f"unreadable data at byte {bad}"
    if reading.current is not None and reading.current[0] == bad:
        doc_id, what = reading.current[1], f"record {reading.current[1]} at byte {bad}"
    elif not members:
        what = (
            f"unreadable data after the record at byte {bad}" if met else f"unreadable data from byte {bad}"
        )
    if exc is not None:
        kind, what = error_kind(exc), f"{what}: {describe(exc)}"
    elif state == "cut":
        kind, what = "truncated", f"the gzip member at byte {bad} is cut short, the file ends"
    elif _starts(stream, bad, _GZIP):
        kind, what = "corrupt", f"the gzip member at byte {bad} is damaged"
    else:
        kind, what = "corrupt", f"the data at byte {bad} is no gzip member"
    if resume is not None:
        what += f"; reading resumed at byte {resume}"
        stream.seek(resume)
    elif members and kind != "truncated":
        what += "; no readable record after it"
    yield reading.failed(kind, what, doc_id, bad)
    return resume


def _plain_end(reading: _Reading, last: int, met: WarcRecord | None) -> Document | None:
    """An error for an uncompressed WARC that ends inside a record header, or holds no record at
    all: fastwarc passes over both in silence. ``met`` is the last record read, at byte ``last``."""
    stream = reading.stream
    stream.seek(last)
    head = stream.read(_HEADER_LIMIT)
    if met is not None:
        end = _HEADER_END.search(head)
        length = _LENGTH.search(head, 0, end.start()) if end else None
        if end is None or length is None:
            if reading.truncated_at == last:
                return None
            doc_id = _record_id(met, reading.file_id, last)
            return reading.record_failed("truncated", doc_id, last, "the file ends in its header")
        last += end.end() + int(length.group(1))  # where the next record would start
        stream.seek(last)
        head = stream.read(_HEADER_LIMIT)
    rest = head.lstrip(b"\r\n")
    if not rest.strip(b"\x00\r\n\t "):
        return None
    at = last + len(head) - len(rest)
    if b"WARC/".startswith(rest[:5]):
        return reading.failed("truncated", f"the file ends in the header of a record at byte {at}",
                              f"{reading.file_id}@{at}", at)  # fmt: skip
    return reading.failed("corrupt", f"no WARC record at byte {at}", f"{reading.file_id}@{at}", at)


def _member_end(stream: BinaryIO, at: int) -> tuple[int | None, str]:
    """Where the gzip member starting at byte ``at`` ends, and ``ok``; or None and ``cut`` (the
    file ends in it) or ``bad`` (it does not decompress). The output is discarded, in steps."""
    stream.seek(at)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pos = at
    try:
        while not decompressor.eof:
            chunk = stream.read(_SCAN // 16)
            if not chunk:
                return None, "cut"
            decompressor.decompress(chunk, _SCAN)
            while decompressor.unconsumed_tail and not decompressor.eof:
                decompressor.decompress(decompressor.unconsumed_tail, _SCAN)
            pos += len(chunk)
    except zlib.error:
        return None, "bad"
    return pos - len(decompressor.unused_data), "ok"


def _first_bad_member(stream: BinaryIO, at: int) -> tuple[int | None, str]:
    """The offset of the first gzip member from ``at`` on that is ``cut`` or ``bad``, and which;
    (None, ``ok``) when every member is clean to the end of the file."""
    while True:
        end, state = _member_end(stream, at)
        if end is None:
            return at, state
        stream.seek(end)
        if not stream.read(1):
            return None, "ok"
        at = end


def _next_record_member(stream: BinaryIO, at: int) -> int | None:
    """The first offset from ``at`` where a gzip member starts whose content opens with ``WARC/``."""
    while True:
        stream.seek(at)
        block = stream.read(_SCAN + len(_GZIP) - 1)
        if len(block) < len(_GZIP):
            return None
        found = block.find(_GZIP)
        while found != -1:
            if _starts_record(stream, at + found):
                return at + found
            found = block.find(_GZIP, found + 1)
        at += _SCAN


def _starts_record(stream: BinaryIO, at: int) -> bool:
    stream.seek(at)
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(stream.read(1024), 8).startswith(b"WARC/")
    except zlib.error:
        return False


def _starts(stream: BinaryIO, at: int, magic: bytes) -> bool:
    return _head(stream, at, len(magic)) == magic


def _head(stream: BinaryIO, at: int, size: int) -> bytes:
    stream.seek(at)
    return stream.read(size)


def _only_padding(stream: BinaryIO, start: int, end: int | None) -> bool:
    """Whether the bytes from ``start`` to ``end`` (None: the end of the file) are all NUL."""
    stream.seek(start)
    while start != end:
        block = stream.read(_SCAN if end is None else min(_SCAN, end - start))
        if not block:
            return True
        if block.strip(b"\x00"):
            return False
        start += len(block)
    return True


# --- streams -------------------------------------------------------------------------------------------


class _Counted:
    """A pipe that counts what was read from it: fastwarc asks every stream for ``tell()``."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._pos += len(data)
        return data

    def tell(self) -> int:
        return self._pos


def _seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable()) and isinstance(stream.tell(), int)
    except (AttributeError, OSError, ValueError):
        return False


def _compression(stream: BinaryIO, start: int) -> str | None:
    head = stream.read(4)
    stream.seek(start)
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)

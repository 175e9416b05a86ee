"""An HTTP payload as a browser would see it: media type and charset, transfer and content codings undone.

WARC records keep responses as they came over the wire, and the tools that write them
disagree about what they undo: wget and Heritrix store chunked, gzip-compressed bodies;
warcio-based crawlers store decoded bodies but keep the ``Content-Encoding`` and
``Transfer-Encoding`` headers. So every decoding here checks the bytes before trusting a
header, and a body that does not decode is kept as it is (the header lied, not the body).

>>> content_type("text/html; charset=\\"Windows-1251\\"")
('text/html', 'Windows-1251')
>>> dechunk(b"5\\r\\nHello\\r\\n6;ext=1\\r\\n world\\r\\n0\\r\\n\\r\\n")
b'Hello world'
>>> dechunk(b"<html>already decoded</html>")
b'<html>already decoded</html>'
"""

from __future__ import annotations

import io
import re
import zlib

import brotli
import zstandard

from dehusk.readers.streams import TooLarge

_PARAMETER = re.compile(r"""charset\s*=\s*["']?([^"';\s]*)""", re.IGNORECASE)
# a chunk-size line: hex digits, an optional extension, CRLF or a bare LF (servers send both)
_CHUNK_SIZE = re.compile(rb"[ \t]*([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")


def content_type(value: str | None) -> tuple[str, str | None]:
    """A Content-Type header as (media type, lowercased; the charset label as written, or None)."""
    if not value:
        return "", None
    media = value.split(";", 1)[0].strip().lower()
    found = _PARAMETER.search(value)
    return media, (found.group(1) or None) if found else None


def dechunk(body: bytes) -> bytes:
    """The data of a chunked body, leniently: chunk extensions, bare-LF lines and a missing last
    chunk pass (a cut response keeps what arrived); a body that does not open with a chunk size is
    returned as it is, already dechunked by the tool that wrote it.

    fastwarc's ChunkedReader was measured first: it rejects all three leniencies above and
    loses the whole body when it does.
    """
    match = _CHUNK_SIZE.match(body)
    if match is None:
        return body
    parts, pos = [], 0
    while match is not None:
        size = int(match.group(1), 16)
        if size == 0:
            break
        start = match.end()
        parts.append(body[start : start + size])
        pos = start + size
        pos += 2 if body.startswith(b"\r\n", pos) else body.startswith(b"\n", pos)
        match = _CHUNK_SIZE.match(body, pos)
    return b"".join(parts)


def decode_content(body: bytes, codings: str | None, limit: int) -> bytes:
    """``body`` with its Content-Encoding (``gzip``, ``deflate``, ``br``, ``zstd``, a list of them)
    undone, last applied first. A coding that does not decode (the header lied, or names an
    unknown coding) leaves the bytes as they are; a cut stream gives what it holds. Raises
    TooLarge past ``limit`` decoded bytes, so a small compression bomb cannot fill the memory.
    """
    if not codings:
        return body
    for coding in reversed([c.strip().lower() for c in codings.split(",")]):
        decoded = _undo(coding, body, limit)
        if decoded is None:
            break
        if len(decoded) > limit:
            raise TooLarge(f"over {limit} bytes once {coding}-decoded")
        body = decoded
    return body


def _undo(coding: str, body: bytes, limit: int) -> bytes | None:
    """One content coding undone, or None if the body is not in it."""
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(body, 16 + zlib.MAX_WBITS, limit) if body.startswith(b"\x1f\x8b") else None
        if coding == "deflate":  # zlib-wrapped as the RFC says, or raw deflate as many servers send
            try:
                return _inflate(body, zlib.MAX_WBITS, limit)
            except zlib.error:
                return _inflate(body, -zlib.MAX_WBITS, limit)
        if coding == "br":
            return brotli.Decompressor().process(body, output_buffer_limit=limit + 1)
        if coding == "zstd":
            reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(body), read_across_frames=True)
            return reader.read(limit + 1)
    except (zlib.error, brotli.error, zstandard.ZstdError):
        return None
    return body if coding in ("identity", "") else None


def _inflate(body: bytes, wbits: int, limit: int) -> bytes | None:
    """zlib decompression stopping past ``limit``; None when nothing came out of a cut stream."""
    decompressor = zlib.decompressobj(wbits)
    out = decompressor.decompress(body, limit + 1)
    return out if out or decompressor.eof else None

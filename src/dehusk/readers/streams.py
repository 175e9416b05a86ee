"""Byte streams for the readers: decompression, peeking at a pipe, and naming what went wrong.

Everything here works on streams, never on whole files, so stdin and multi-gigabyte
``.jsonl.zst`` shards go through the same code in constant memory. The wrappers never
close the stream they wrap: whoever opened a file closes it (and stdin stays open).
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

import zstandard
from isal import igzip, isal_zlib  # zlib's formats, inflated by Intel's ISA-L: 2-3x zlib's speed


class TooLarge(ValueError):
    """An input past a size limit (Limits), noticed before it was read whole."""


#: Exceptions a damaged input raises while it is read; the readers turn them into error records.
READ_ERRORS = (OSError, EOFError, zlib.error, isal_zlib.error, zstandard.ZstdError, TooLarge)

_CHUNK = 1 << 16
#: Compressed bytes peeked to sniff a gzip stream's format: enough for the first 4 KB of content.
RAW_SNIFF_BYTES = 1 << 16


def error_kind(exc: BaseException) -> str:
    """The DocumentError kind for an exception met while reading an input.

    A compressed stream that stops before its end marker is ``truncated``, one past a size
    limit ``too-large``; anything else (bad magic, bad data, a CRC mismatch, an unreadable
    file) is ``corrupt``.
    """
    if isinstance(exc, TooLarge):
        return "too-large"
    return "truncated" if isinstance(exc, EOFError) else "corrupt"


def describe(exc: BaseException) -> str:
    """A one-line description of a read error, for an error record's detail."""
    # an OSError's str() repeats the file name, which the record names already
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    return " ".join(text.split())


class _Replay(io.RawIOBase):
    """A raw stream that serves bytes already read, then the rest of the stream.

    It is how a pipe (stdin) is peeked at: it cannot seek back after its first bytes
    were read for sniffing.
    """

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        # read1 returns what one read gives: when a cut stream fails, only a partial line is lost
        self._read = getattr(stream, "read1", stream.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


def peek(stream: BinaryIO, size: int) -> tuple[bytes, BinaryIO]:
    """Read up to ``size`` leading bytes and return them with a stream that starts over.

    A file is rewound; a pipe or a decompressor is wrapped in a stream that replays the
    head before reading on. Read errors (a corrupt compressed stream) propagate.
    """
    if isinstance(stream, (io.BufferedReader, io.BytesIO)) and stream.seekable():
        start = stream.tell()
        head = stream.read(size)
        stream.seek(start)
        return head, stream
    head = b""
    while len(head) < size:
        data = stream.read(size - len(head))
        if not data:
            break
        head += data
    return head, io.BufferedReader(_Replay(head, stream), _CHUNK)


class _ZstdReader(io.RawIOBase):
    """Decompress a zstd stream of one or more frames, and notice when it stops short.

    ``zstandard``'s own stream reader ends quietly at a truncated frame; this one raises
    EOFError like gzip does, so both compressions report truncation the same way.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decompressor = zstandard.ZstdDecompressor()
        self._frame = self._decompressor.decompressobj()
        self._pending = memoryview(b"")
        self._in_frame = False  # input seen since the last frame ended

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            data = self._stream.read(_CHUNK)
            if not data:
                if self._in_frame:
                    raise EOFError("zstd stream ended before the end of its frame")
                return 0
            self._pending = memoryview(self._feed(data))
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, data: bytes) -> bytes:
        """Decompress ``data``, starting a new frame each time one ends."""
        out = []
        while data:
            self._in_frame = True
            out.append(self._frame.decompress(data))
            if not self._frame.eof:
                break
            self._in_frame = False
            data = self._frame.unused_data
            self._frame = self._decompressor.decompressobj()
        return b"".join(out)


def gzip_head(data: bytes, size: int) -> bytes:
    """The first ``size`` decompressed bytes of the head of a gzip stream (fewer if it holds fewer).

    For sniffing a compressed pipe without consuming it: the raw head is peeked, so the
    stream can still be handed on compressed (fastwarc decompresses a WARC itself).
    """
    return isal_zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, size)


def decompress(stream: BinaryIO, compression: str | None) -> BinaryIO:
    """A buffered stream of the decompressed bytes (``compression``: gzip, zstd or None).

    GzipFile is used as it is, not wrapped in another buffer: a buffer's large read
    that fails at a cut would take the complete lines it had gathered down with it.
    """
    if compression == "gzip":
        return igzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    if compression == "zstd":
        return io.BufferedReader(_ZstdReader(stream), _CHUNK)
    return stream


def read_all(stream: BinaryIO, compression: str | None, limit: int) -> bytes:
    """The whole decompressed content of ``stream``, for formats read at once (a page, a dump).

    Raises TooLarge as soon as the content passes ``limit`` bytes: a gzip bomb is inflated
    only that far. gzip goes through ISA-L's inflate (``isal``, 2-3x zlib's speed) in one call
    per member (a GzipFile's buffered reads cost a fifth more on a page); a stream that ends
    inside a member raises EOFError, as GzipFile does.
    """
    if compression != "gzip":
        data = decompress(stream, compression).read(limit + 1)
        if len(data) > limit:
            raise TooLarge(f"over the limit of {limit:,} bytes per document")
        return data
    data = stream.read(limit + 1)
    if len(data) > limit:  # compressed, and still past the limit
        raise TooLarge(f"over the limit of {limit:,} bytes per document")
    out, size = [], 0
    while data:
        member = isal_zlib.decompressobj(16 + zlib.MAX_WBITS)
        out.append(member.decompress(data, limit + 1 - size))
        size += len(out[-1])
        if size > limit:
            raise TooLarge(f"over the limit of {limit:,} bytes per document once decompressed")
        if not member.eof:
            raise EOFError("Compressed file ended before the end-of-stream marker was reached")
        data = member.unused_data.lstrip(b"\x00")  # padding between members is allowed
    return b"".join(out)

"""Bytes to text: a byte-order mark, then strict UTF-8, then a declared charset, then a guess.

Most pages are UTF-8 and validate at once; a declaration (HTTP header, <meta>) is trusted
only when the bytes decode under it; charset-normalizer guesses the rest; cp1252 with
replacement is the last resort, so decoding never fails on a page that is text at all.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})""", re.I)


class NotText(ValueError):
    """The bytes are binary data, not text in any charset."""


_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data", b"(\xb5/\xfd": "zstd data",
    b"RIFF": "a RIFF file", b"\x7fELF": "an executable", b"OggS": "an Ogg file",
}  # fmt: skip
# C0 controls that never occur in text (tab, newlines, form feed and escape do)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (a file's first bytes, no byte-order mark) is not text, or None.

    Text in any charset holds no NUL byte and hardly any other C0 control character;
    a file format announces itself by its magic number.
    """
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"binary content ({what})"
    if b"\x00" in head:
        return "binary content (NUL bytes)"
    controls = len(head) - len(head.translate(None, _CONTROL))
    if controls > max(4, len(head) // 100):
        return f"binary content ({controls} control bytes in the first {len(head)})"
    return None


def has_bom(data: bytes) -> bool:
    """Whether ``data`` opens with a byte-order mark (UTF-8, UTF-16 or UTF-32)."""
    return any(data.startswith(bom) for bom, _ in _BOMS)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KB, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return _known(match.group(1).decode("ascii", "replace"))


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``data`` as text, and the charset used (``declared`` from a header, if any).

    >>> decode("café".encode("cp1252"))
    ('café', 'cp1252')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    reason = binary_reason(data[:4096])
    if reason:
        raise NotText(reason)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for name in (_known(declared), declared_charset(data)):
        if name and name != "utf-8":
            try:
                return data.decode(name), name
            except (UnicodeDecodeError, LookupError):
                pass
    from charset_normalizer import from_bytes  # lazy: only for the rare page that is not UTF-8

    best = from_bytes(data[:200_000]).best()
    # a guess of UTF-16/32 for bytes without NULs is noise on short samples
    if best is not None and best.encoding and not best.encoding.startswith(("utf_16", "utf_32")):
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"

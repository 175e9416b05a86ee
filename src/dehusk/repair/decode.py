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
    head = data[:4096]
    if b"\x00" in head and head.count(b"\x00") > len(head) // 20:
        raise NotText("binary content (NUL bytes)")
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

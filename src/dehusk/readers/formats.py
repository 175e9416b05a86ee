"""What an input is: its format and compression, from its name or from its first bytes.

Names decide when they can (``page.html.gz`` is gzip-compressed HTML); anything else --
an unknown extension, stdin -- is sniffed from the first bytes after decompression.

>>> split_name("adac.de.kindersitze.html")
('adac.de.kindersitze', 'html', None)
>>> split_name("042b.html.gz")
('042b', 'html', 'gzip')
>>> sniff_format(b"  <!DOCTYPE html><html>")
'html'
"""

from __future__ import annotations

import re

#: Format by extension; ``json`` is JSONL, a JSON array or one object (see readers.jsonl).
FORMATS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".warc": "warc",
}
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}
MAGIC = {b"\x1f\x8b": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}

#: How many leading bytes sniffing looks at.
SNIFF_BYTES = 4096

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_TAG = re.compile(
    r"<(?:!doctype|!--|\?xml|(?:html|head|body|meta|title|link|script|style|div|p|br|a|span|img|table|ul|ol|li"
    r"|h[1-6]|pre|article|section|main|header|footer|nav|form|iframe)(?=[\s/>]))",
    re.IGNORECASE,
)


def split_name(name: str) -> tuple[str, str | None, str | None]:
    """A file name as (stem, format, compression), the extensions matched case-insensitively.

    Only a known format extension and a compression extension are taken off, so dots
    inside a name stay: ``adac.de.kindersitze.html`` has the stem ``adac.de.kindersitze``,
    ``notes.md`` keeps its ``.md`` (format unknown, to be sniffed). A name that would
    become empty (``.html``) stays whole.
    """
    stem, compression = name, None
    for ext, kind in COMPRESSIONS.items():
        if stem.lower().endswith(ext) and len(stem) > len(ext):
            stem, compression = stem[: -len(ext)], kind
            break
    fmt = None
    for ext, kind in FORMATS.items():
        if stem.lower().endswith(ext) and len(stem) > len(ext):
            stem, fmt = stem[: -len(ext)], kind
            break
    return stem, fmt, compression


def compression_from_magic(head: bytes) -> str | None:
    """``gzip`` or ``zstd`` if the bytes start with that format's magic number."""
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def looks_like_html(text: str) -> bool:
    """True if the text starts (after whitespace) with ``<`` and has an HTML tag early on.

    Used both to sniff files and to tell markup in a JSON record's ``text`` field from a
    text dump that happens to open with ``<``:

    >>> looks_like_html("<p>Hello</p>")
    True
    >>> looks_like_html("<< Back to the list")
    False
    """
    text = text.lstrip().lstrip("\ufeff").lstrip()
    return text.startswith("<") and _HTML_TAG.search(text, 0, SNIFF_BYTES) is not None


def sniff_format(head: bytes) -> str:
    """The format of decompressed content from its first bytes.

    ``warc`` for ``WARC/``, ``jsonl`` for ``{``, ``html`` for markup (see looks_like_html),
    ``binary`` for NUL bytes without a UTF-16/32 byte order mark (an image, an archive:
    not an input), else ``text``.
    """
    if head.lstrip().startswith(b"WARC/"):  # before the NUL test: a WARC holds images and the like
        return "warc"
    bom = next((b for b in _BOMS if head.startswith(b)), b"")
    if not bom and b"\x00" in head:
        return "binary"
    if bom in (b"\xff\xfe", b"\xfe\xff"):
        text = head.decode("utf-16", errors="replace")
        return "html" if looks_like_html(text) else "text"
    body = head[len(bom) :].lstrip()
    if body.startswith(b"{"):
        return "jsonl"
    if looks_like_html(body.decode("utf-8", errors="replace")):
        return "html"
    return "text"

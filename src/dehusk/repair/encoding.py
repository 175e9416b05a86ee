"""Mojibake, leftover entities and odd spaces, with ftfy, never making correct text worse.

ftfy is told to keep what a writer chose: curly quotes, ligatures, full-width letters.
Clean ASCII without an ampersand cannot hold mojibake or entities, so it skips ftfy.
"""

from __future__ import annotations

import re

import ftfy

_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)
# no-break and other odd spaces (not the ideographic space of CJK text)
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")


def fix_encoding(text: str) -> tuple[str, int]:
    """``text`` with mojibake and HTML entities repaired, and 1 if anything changed."""
    if text.isascii() and "&" not in text:
        return text, 0
    fixed = ftfy.fix_text(text, _CONFIG)
    return fixed, int(fixed != text)


def fix_spaces(text: str) -> tuple[str, int]:
    """``text`` with odd spaces as plain spaces, and how many there were.

    >>> fix_spaces("United\\u00a0States")
    ('United States', 1)
    """
    fixed, n = _ODD_SPACES.subn(" ", text)
    if n:
        fixed = re.sub(r"(?<=\S) {2,}(?=\S)", " ", fixed).strip(" ")
    return fixed, n

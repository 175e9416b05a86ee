"""Mojibake, leftover entities and odd spaces, with ftfy, never making correct text worse.

ftfy is told to keep what a writer chose: curly quotes, ligatures, full-width letters.
Text that shows no sign of mojibake (a cheap regex) and no entity skips ftfy, which also
keeps its import off the fast path.
"""

from __future__ import annotations

import re

# UTF-8 read as Latin-1 or cp1252: a lead byte shown as Â-ô, then a continuation byte
# shown as a C1 control, a Latin-1 sign or one of cp1252's extra letters and marks
_LEAD = "\u00c2-\u00f4"
_CONTINUATION = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_ENTITY_BODY = r"(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8}\d{0,2});"
#: what ``needs_ftfy`` looks for, as ``repair.any_sign`` combines signs: the characters one
#: begins with (a regex class's body) and what follows them
SIGNS = ((_LEAD, _CONTINUATION), ("&", _ENTITY_BODY))
_MOJIBAKE = re.compile(f"[{_LEAD}]{_CONTINUATION}")
_ENTITY = re.compile(f"&{_ENTITY_BODY}")
# no-break and other odd spaces (not the ideographic space of CJK text)
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")


def needs_ftfy(text: str) -> bool:
    """Whether ``text`` shows a sign of mojibake or a leftover HTML entity.

    The guard that keeps clean text (ASCII or not) from paying for ftfy.
    """
    if text.isascii():
        return "&" in text and _ENTITY.search(text) is not None
    return _MOJIBAKE.search(text) is not None or ("&" in text and _ENTITY.search(text) is not None)


def fix_encoding(text: str) -> tuple[str, int]:
    """``text`` with mojibake and HTML entities repaired, and 1 if anything changed."""
    if not needs_ftfy(text):
        return text, 0
    import ftfy  # lazy: most pages never need it

    config = ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",
        explain=False,
    )
    fixed = ftfy.fix_text(text, config)
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

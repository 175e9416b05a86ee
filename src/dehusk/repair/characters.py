"""Characters that carry no text, or that stand where a plain one belongs.

A scraped page brings invisible guests: no-break spaces from ``&nbsp;``, soft hyphens and
zero-width spaces from a CMS's line-breaking hints, bidi marks, byte-order marks glued on
by concatenated files, control characters, a Windows-1252 byte decoded as Latin-1.
Each is replaced by what a reader sees (a space, a newline, a quote) or removed.

Conservative by design, as ftfy is: what a writer chose stays. The zero-width joiner and
non-joiner build emoji sequences and spell Persian and Indic words; the ideographic space
belongs to CJK text; tag characters spell flags; variation selectors pick an emoji's style.
None of them is touched.

>>> fix_characters("United\\u00a0States")[0]
'United States'
>>> fix_characters("co\\u00adop\\u200beration")[0]
'cooperation'
>>> fix_characters("don\\x92t")[0]
'don’t'
>>> fix_characters("👨\\u200d👩\\u200d👧")[0] == "👨\\u200d👩\\u200d👧"
True
"""

from __future__ import annotations

import re
import unicodedata

from dehusk.repair.change import Change

#: no-break and other odd spaces; not U+3000, the ideographic space of CJK text
ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f"
#: format characters that carry no text: soft hyphen, zero-width space, word joiner and the
#: invisible operators, deprecated format controls, byte-order mark, interlinear annotation
#: and the object replacement character (ftfy removes the last ones too)
INVISIBLE = "\u00ad\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffc"
#: bidi controls: the Arabic letter mark, LRM, RLM, embeddings, overrides and isolates
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: C0 controls but tab and newline (CR, VT and FF end a line), DEL, and the C1 controls
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
SEPARATORS = "\u2028\u2029"
SURROGATES = "\ud800-\udfff"

_FIXABLE = ODD_SPACES + INVISIBLE + BIDI + CONTROLS + SEPARATORS + SURROGATES
#: the guard: clean text costs one search and comes back as it was (its sign, as ``SIGNS`` in
#: ``encoding``: any of these characters, then nothing more)
SIGNS = ((_FIXABLE, ""),)
_ANY = re.compile(f"[{_FIXABLE}]")
#: a stretch to repair: fixable characters, with the plain spaces between them
_RUN = re.compile(f"[{_FIXABLE}]+(?:[ \t]+[{_FIXABLE}]+)*")
_ODD_SPACE = re.compile(f"[{ODD_SPACES}]")
#: a terminal's escape sequence (colours, cursor moves, titles) left in a log or a console dump:
#: CSI ``ESC [ params final``, OSC ``ESC ] ... BEL``, or ESC and one character
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_BIDI = re.compile(f"[{BIDI}]")

#: a C1 control is almost always a Windows-1252 byte decoded as Latin-1 ("don\x92t"):
#: give back the character the writer typed (ftfy's fix_c1_controls); five bytes have none
_CP1252 = {chr(b): bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in b"\x81\x8d\x8f\x90\x9d"}
_LINE_ENDS = {"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_SHY = "\u00ad"
_CONTEXT = 12


def has_odd_characters(text: str) -> bool:
    """Whether ``fix_characters`` has anything to do in ``text`` (one search)."""
    return _ANY.search(text) is not None


def fix_characters(text: str) -> tuple[str, list[Change]]:
    """``text`` with odd spaces plain, invisible and control characters gone, and the repairs.

    - no-break and other odd spaces become a plain space; a space doubled by it collapses
      between words, and one at the very start or end of ``text`` goes (as ``str.strip``)
    - soft hyphens, zero-width spaces, word joiners, byte-order marks, bidi controls and
      other format characters are removed; ZWJ and ZWNJ are kept
    - terminal escape sequences (``\\x1b[31m``) go whole; other control characters are
      removed, but tab and newline stay; CR, CR LF, VT, FF and the
      line separator become a newline, the paragraph separator a blank line
    - a C1 control becomes the Windows-1252 character it was written as (``\\x93`` → ``“``)
    - a surrogate pair becomes its character, a lone surrogate U+FFFD
    - a soft hyphen that ends a line inside a word is left for ``fix_hyphenation``,
      which knows whether the word is joined or keeps a hyphen

    >>> fix_characters("a\\u00a0 b\\r\\nc\\u2029d")[0]
    'a b\\nc\\n\\nd'
    >>> fix_characters("\\ufeffHello\\x00")[0]
    'Hello'
    >>> text, changes = fix_characters("10\\u202f000\\u00a0km")
    >>> text, [c.before for c in changes]
    ('10 000 km', ['U+202F narrow no-break space', 'U+00A0 no-break space'])
    >>> fix_characters("persian \\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645")[1]
    []
    """
    if not has_odd_characters(text):
        return text, []
    changes: list[Change] = []
    if "\x1b" in text:
        text, n = _ANSI.subn("", text)
        if n:
            changes.append(Change("characters", f"{n}× terminal escape sequence", "nothing", "colours"))
    out: list[str] = []
    done = 0
    for match in _RUN.finditer(text):
        start, end = match.span()
        while start > done and text[start - 1] in " \t":
            start -= 1
        while end < len(text) and text[end] in " \t":
            end += 1
        fixed = _repair_run(text, start, end, match.start(), match.end())
        if fixed == text[start:end]:
            continue
        out.append(text[done:start])
        out.append(fixed)
        done = end
        changes.append(_change(text, match.start(), match.end(), start, end, fixed))
    if not changes:
        return text, []
    out.append(text[done:])
    return "".join(out), changes


def _repair_run(text: str, start: int, end: int, first: int, last: int) -> str:
    """What ``text[start:end]`` becomes; ``first:last`` is the part with fixable characters."""
    out: list[str] = []
    odd = False
    i = start
    while i < end:
        c = text[i]
        if c in " \t":
            out.append(c)
        elif _ODD_SPACE.match(c):
            out.append(" ")
            odd = True
        elif c == "\r":
            out.append("" if text.startswith("\n", i + 1) else "\n")
        elif c in _LINE_ENDS:
            out.append(_LINE_ENDS[c])
        elif c == _SHY and soft_break(text, i):
            out.append(c)
        elif c in _CP1252:
            out.append(_CP1252[c])
        elif "\ud800" <= c <= "\udbff" and i + 1 < end and "\udc00" <= text[i + 1] <= "\udfff":
            out.append(chr(0x10000 + ((ord(c) - 0xD800) << 10) + (ord(text[i + 1]) - 0xDC00)))
            i += 1
        elif "\ud800" <= c <= "\udfff":
            out.append("\ufffd")
        # everything else in the run carries no text
        i += 1
    fixed = "".join(out)
    if fixed and fixed.count(" ") == len(fixed):
        before = text[start - 1] if start else None
        after = text[end] if end < len(text) else None
        if before is None or after is None:
            return "" if odd else fixed  # the edge of the text: as fix_spaces stripped it
        if before != "\n" and after != "\n":
            return " "  # between words: one space
    return fixed  # indentation and line ends keep their width


def soft_break(text: str, i: int) -> bool:
    """Whether the soft hyphen at ``i`` ends a line inside a word: a letter before it, then
    (spaces and) a line break, then a letter. ``fix_hyphenation`` resolves exactly these."""
    if i == 0 or not is_letter(text[i - 1]):
        return False
    j = i + 1
    n = len(text)
    while j < n and text[j] in " \t":
        j += 1
    if text.startswith("\r\n", j):
        j += 2
    elif j < n and text[j] == "\n":
        j += 1
    else:
        return False
    while j < n and text[j] in " \t":
        j += 1
    return j < n and text[j].isalpha()


def is_letter(c: str) -> bool:
    """A letter, or a mark that belongs to one (Indic vowel signs, combining accents)."""
    return c.isalpha() or unicodedata.category(c)[0] == "M"


def _change(text: str, first: int, last: int, start: int, end: int, fixed: str) -> Change:
    """The record of one run: which characters, what they became, and where."""
    names: list[str] = []
    for c in dict.fromkeys(text[first:last]):
        if c not in " \t":
            count = text.count(c, first, last)
            names.append(f"{count}× {_name(c)}" if count > 1 else _name(c))
    if fixed == "":
        after = "nothing"
    elif fixed == " ":
        after = "space"
    elif fixed.strip(" \t") == "\n":
        after = "newline"
    elif fixed.strip(" \t") == "\n\n":
        after = "paragraph break"
    else:
        after = repr(fixed)
    left = max(0, start - _CONTEXT)
    where = text[left:start] + fixed + text[end : end + _CONTEXT]
    return Change("characters", " + ".join(names), after, f"{_reason(text[first:last])}: {where!r}")


def _name(c: str) -> str:
    """``U+00A0 no-break space``; controls and surrogates have no name in Unicode."""
    if "\ud800" <= c <= "\udfff":
        name = "surrogate"
    elif c in "\r\x0b\x0c":
        name = {"\r": "carriage return", "\x0b": "line tabulation", "\x0c": "form feed"}[c]
    else:
        name = unicodedata.name(c, "control").lower()
    return f"U+{ord(c):04X} {name}"


def _reason(run: str) -> str:
    """Why the first kind of character in a run is repaired, for a person to check."""
    if _ODD_SPACE.search(run):
        return "an odd space reads as a plain one"
    if any("\ud800" <= c <= "\udfff" for c in run):
        return "a surrogate is half of a character, not one"
    if any(c in _CP1252 for c in run):
        return "a C1 control is a Windows-1252 character decoded as Latin-1"
    if "\r" in run or any(c in _LINE_ENDS for c in run):
        return "a line end written another way"
    if _BIDI.search(run):
        return "a bidi control carries no text"
    if any(c < " " or c == "\x7f" or "\x80" <= c <= "\x9f" for c in run):
        return "a control character carries no text"
    return "an invisible format character carries no text"

"""Words broken across a line break with a hyphen, joined again.

Text flattened from print or from a narrow column keeps its line-end hyphens:
``deconflic-\\ntion``. Joining is right for most of them and wrong for a word that is
hyphenated anyway (``well-\\nknown``), so the document is the judge: a hyphenated form
written elsewhere in it (``well-known``) keeps its hyphen. Only letters are joined, and
only lowercase to lowercase; a capital after the break (``Jean-\\nPaul``) is a name or a
compound, which keeps its hyphen and loses the line break; numbers (``1990-\\n2000``),
addresses and code are left as they are.

>>> fix_hyphenation("the deconflic-\\ntion line")[0]
'the deconfliction line'
>>> fix_hyphenation("a well-\\nknown fact", attested={"well-known"})[0]
'a well-known fact'
>>> fix_hyphenation("a well-\\nknown fact", lang="en")[0]
'a well-known fact'
>>> fix_hyphenation("Jean-\\nPaul Sartre")[0]
'Jean-Paul Sartre'
>>> fix_hyphenation("from 1990-\\n2000")[0]
'from 1990-\\n2000'
"""

from __future__ import annotations

import re
from collections.abc import Collection

from dehusk.repair.change import Change
from dehusk.repair.characters import is_letter

#: the hyphen, the hyphen character and the soft hyphen (which says "a word was broken here")
HYPHENS = "-\u2010\u00ad"
_SHY = "\u00ad"
_BREAK = re.compile(f"[{HYPHENS}][ \t]*\r?\n[ \t]*")
#: a line that ends in a hyphen (as ``SIGNS`` in ``encoding``: the hyphen, then the line's end)
SIGNS = ((HYPHENS, "[ \t]*\r?\n"),)
#: a hyphenated word on one line: letters joined by hyphens
_HYPHENATED = re.compile(r"(?<![\w\-\u2010])[^\W\d_]+(?:[-\u2010][^\W\d_]+)+(?![\w\-\u2010])")
#: next to these, a hyphenated "word" is an address, a path or code
_TECHNICAL = set("/\\@_=&?#:~%+.")
#: A half of a broken word this frequent (Zipf) is a word in its own right ("well", "known");
#: a joined form half a point rarer is not one (3.0: once in a million words).
_COMMON_WORD = 3.5


def hyphenated_words(text: str) -> set[str]:
    """The hyphenated words written in ``text`` within a line, lowercased, with ASCII hyphens:
    the ``attested`` forms ``fix_hyphenation`` keeps. Gather them over a whole document.

    >>> sorted(hyphenated_words("A well-known, state\\u2010of\\u2010the\\u2010art de-\\nsign; 1990-2000"))
    ['state-of-the-art', 'well-known']
    """
    if "-" not in text and "\u2010" not in text:
        return set()
    return {m.group().lower().replace("\u2010", "-") for m in _HYPHENATED.finditer(text)}


def has_breaks(text: str) -> bool:
    """Whether ``text`` has a hyphen ending a line, the only place ``fix_hyphenation`` acts."""
    return "\n" in text and _BREAK.search(text) is not None


def fix_hyphenation(
    text: str, attested: Collection[str] = (), lang: str | None = None
) -> tuple[str, list[Change]]:
    """``text`` with words broken at a line-end hyphen joined, and the repairs.

    ``attested`` holds the document's hyphenated words as ``hyphenated_words`` gives them;
    those written in ``text`` itself count too. At each hyphen (``-``, U+2010 or a soft
    hyphen) that ends a line between two words of letters:

    - lowercase to lowercase: joined, unless the hyphenated form is attested, the word is
      part of a longer compound (``mother-\\nin-law``), or both halves are words of ``lang``
      and the joined form is not (``well-\\nknown``): then the hyphen stays, the break goes
    - a capital on either side (``Jean-\\nPaul``, ``NATO-\\nled``): the hyphen stays, the break goes
    - letters without case (Devanagari, Arabic, CJK): left, unless the hyphen is soft
    - a soft hyphen always says the word was broken, so it is joined wherever the rules
      above do not keep a hyphen (then written as ``-``)

    Digits, underscores and the neighbourhood of an address (``/``, ``@``, ``.com``) leave a
    hard hyphen and its line break alone.

    >>> fix_hyphenation("mother-\\nin-law and co-\\n  operation")[0]
    'mother-in-law and cooperation'
    >>> fix_hyphenation("see https://example.org/long-\\npath")[0]
    'see https://example.org/long-\\npath'
    """
    if "\n" not in text:
        return text, []
    known: set[str] | None = None
    out: list[str] = []
    changes: list[Change] = []
    done = 0
    for match in _BREAK.finditer(text):
        start, end = match.span()
        first, last = _word_before(text, start), _word_after(text, end)
        w1, w2 = text[first:start], text[end:last]
        if not w1 or not w2 or not is_letter(w1[-1]) or not w2[0].isalpha():
            continue
        soft = text[start] == _SHY
        hyphen = "-" if soft else text[start]
        end1 = next((c for c in reversed(w1) if c.isalpha()), "")
        technical = _technical(text, first, last)
        letters = _letters(w1) and _letters(w2) and not technical
        cased = _cased(end1) and _cased(w2[0])
        if letters and cased and end1.islower() and w2[0].islower():
            if known is None:
                known = hyphenated_words(text)
            key = f"{w1}-{w2}".lower()
            if key in known or key in attested:
                keep, why = True, f"'{key}' is written with a hyphen in the document"
            elif _compound(text, first, last):
                keep, why = True, "part of a longer hyphenated compound"
            elif _two_words(w1, w2, lang):
                keep, why = True, f"'{w1}' and '{w2}' are words, '{w1}{w2}' is not"
            else:
                keep, why = False, f"a word broken at a line end; '{key}' is not written so in the document"
        elif letters and cased:
            keep, why = True, "a capital at the break: a name or a compound keeps its hyphen"
        elif soft:
            keep, why = False, "a soft hyphen marks where a word was broken"
        else:
            continue
        # the hyphen and the line break are replaced, the words stay: breaks can share a word
        out.append(text[done:start])
        out.append(hyphen if keep else "")
        done = end
        changes.append(Change("hyphenation", text[first:last], w1 + (hyphen if keep else "") + w2, why))
    if not changes:
        return text, []
    out.append(text[done:])
    return "".join(out), changes


def _word_before(text: str, end: int) -> int:
    """Where the word (letters, marks, digits, underscores) that ends at ``end`` starts."""
    i = end
    while i > 0 and _word_char(text[i - 1]):
        i -= 1
    return i


def _word_after(text: str, start: int) -> int:
    """Where the word that starts at ``start`` ends."""
    i = start
    n = len(text)
    while i < n and _word_char(text[i]):
        i += 1
    return i


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_" or is_letter(c)


def _letters(word: str) -> bool:
    return all(is_letter(c) for c in word)


def _cased(c: str) -> bool:
    return c.islower() or c.isupper()


def _technical(text: str, first: int, last: int) -> bool:
    """Whether the broken word sits in an address, a path or code: ``example.org/long-\\npath``."""
    if first and text[first - 1] in _TECHNICAL:
        return True
    return last < len(text) and text[last] in _TECHNICAL and text[last + 1 : last + 2].isalnum()


def _two_words(w1: str, w2: str, lang: str | None) -> bool:
    """Whether both halves are common words of ``lang`` and the joined form is a rare one at best
    (``wellknown`` is in the web's word lists too, a hundred times rarer than ``well``)."""
    if lang is None:
        return False
    from dehusk.repair.typos import zipfs  # the language's word list, shared with the typo repair

    found = zipfs([w1 + w2, w1, w2], lang)
    if found is None:
        return False
    joined, first, second = found
    return joined < _COMMON_WORD - 0.5 and min(first, second) >= _COMMON_WORD


def _compound(text: str, first: int, last: int) -> bool:
    """Whether the broken word is joined by another hyphen to a word before or after it."""
    before = first >= 2 and text[first - 1] in HYPHENS and text[first - 2].isalpha()
    after = text[last : last + 1] in ("-", "\u2010") and text[last + 1 : last + 2].isalpha()
    return before or after

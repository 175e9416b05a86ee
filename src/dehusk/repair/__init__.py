"""Repairs: bytes to text, broken encodings, odd characters, broken hyphenation, doubled words, typos.

Each repair is a pure function ``text -> (text, changes)`` in a module of its own; this
module runs them in order over the text a document keeps (never over what was removed):

1. encoding: mojibake and leftover HTML entities (ftfy, behind a cheap guard);
2. characters: odd spaces, invisible and control characters;
3. hyphenation: a word broken across a line break, unless the page writes it hyphenated;
4. doubled: "the the";
5. typos: on the document's evidence and the language's (``typos``: off, safe, aggressive).

Every change is counted in ``metadata.repairs``; the ones a reader may want to check
(hyphenation, doubled words, typos) are listed in ``metadata.repairs_detail``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from dehusk.repair.change import Change
from dehusk.repair.characters import fix_characters
from dehusk.repair.doubled import fix_doubled
from dehusk.repair.encoding import fix_encoding
from dehusk.repair.hyphenation import fix_hyphenation, hyphenated_words
from dehusk.repair.typos import fix_typos, suspects, word_pairs

__all__ = ["Change", "count_changes", "repair_text", "repair_texts", "typos_skipped"]

#: Typos are looked for in documents up to this many characters: a longer one is no article
#: (a log, a dump, a hostile page), and the evidence-weighing costs about 2 s per MB.
TYPO_CHARS = 1_000_000
#: Kinds of change listed one by one in ``metadata.repairs_detail``.
DETAILED = ("hyphenation", "doubled", "typo")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def repair_texts(
    texts: list[str],
    lang: str | None,
    typos: str = "safe",
    protected: Collection[str] = (),
) -> tuple[list[str], list[Change]]:
    """Repair the texts of one document together: words counted and hyphenations attested
    across all of them, so that evidence from one paragraph serves another. Typos are left
    alone in a document longer than TYPO_CHARS (see ``typos_skipped``)."""
    changes: list[Change] = []
    fixed = []
    typos = "off" if typos_skipped(texts) else typos
    for text in texts:
        text, n = fix_encoding(text)
        changes += [Change("encoding", "", "", "mojibake or entities")] * n
        text, found = fix_characters(text)
        changes += found
        fixed.append(text)
    attested = set().union(*(hyphenated_words(t) for t in fixed)) if fixed else set()
    counts = Counter(w for t in fixed for w in _WORD.findall(t)) if typos != "off" else Counter()
    pairs = word_pairs(fixed)
    suspected = suspects(counts, lang, typos, protected) if typos != "off" else frozenset()
    repaired = []
    for text in fixed:
        text, found = fix_hyphenation(text, attested, lang)
        changes += found
        text, found = fix_doubled(text, lang)
        changes += found
        if typos != "off":
            text, found = fix_typos(text, lang, typos, protected, counts, pairs, suspected)
            changes += found
        repaired.append(text)
    return repaired, changes


def typos_skipped(texts: list[str]) -> bool:
    """Whether the texts of a document are too long for the typo repair."""
    return sum(map(len, texts)) > TYPO_CHARS


_PARAGRAPH_BREAK = re.compile(r"(\n[ \t\r]*\n)")


def repair_text(
    text: str, lang: str | None, typos: str = "safe", protected: Collection[str] = ()
) -> tuple[str, list[Change]]:
    """A whole text repaired as one document, its layout (blank lines, line breaks) kept."""
    parts = _PARAGRAPH_BREAK.split(text)
    repaired, changes = repair_texts(parts[0::2], lang, typos, protected)
    parts[0::2] = repaired
    return "".join(parts), changes


def count_changes(changes: list[Change]) -> tuple[dict[str, int], list[dict[str, str]]]:
    """``metadata.repairs`` (counts by kind) and ``metadata.repairs_detail`` (the checkable ones)."""
    counts = Counter(c.kind for c in changes)
    return dict(counts), [c.record() for c in changes if c.kind in DETAILED]

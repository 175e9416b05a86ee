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
from collections.abc import Callable, Collection, Iterable

from dehusk.repair import characters, encoding, hyphenation
from dehusk.repair.change import Change
from dehusk.repair.characters import fix_characters, has_odd_characters
from dehusk.repair.doubled import doubled_language, fix_doubled, has_doubles
from dehusk.repair.encoding import fix_encoding, needs_ftfy
from dehusk.repair.hyphenation import fix_hyphenation, has_breaks, hyphenated_words
from dehusk.repair.typos import find_words, fix_typos, suspects, word_pairs

__all__ = ["Change", "count_changes", "repair_text", "repair_texts", "typos_skipped"]

#: Typos are looked for in documents up to this many characters: a longer one is no article
#: (a log, a dump, a hostile page), and the evidence-weighing costs about 2 s per MB.
TYPO_CHARS = 1_000_000
#: Kinds of change listed one by one in ``metadata.repairs_detail``.
DETAILED = ("hyphenation", "doubled", "typo")


def repair_texts(
    texts: list[str],
    lang: str | None,
    typos: str = "safe",
    protected: Collection[str] = (),
) -> tuple[list[str], list[Change]]:
    """Repair the texts of one document together: words counted and hyphenations attested
    across all of them, so that evidence from one paragraph serves another. Typos are left
    alone in a document longer than TYPO_CHARS (see ``typos_skipped``).

    Each repair first asks the whole document, in one C-level search, whether it has
    anything to do; only then are the texts visited one by one. Clean text, nearly all of
    it, costs a few searches and one word count per document.
    """
    changes: list[Change] = []
    typos = "off" if typos_skipped(texts) else typos
    texts = list(texts)
    whole = " ".join(texts)  # the guards' view: no pattern of one text spans the space
    if _MENDABLE.search(whole):  # clean text: one search for the three guards below
        if needs_ftfy(whole):
            texts, whole = _each(texts, changes, _encoding)
        if has_odd_characters(whole):
            texts, whole = _each(texts, changes, fix_characters)
        if has_breaks(whole):
            attested = hyphenated_words(whole)
            texts, whole = _each(texts, changes, lambda t: fix_hyphenation(t, attested, lang))
    if typos == "off" and not doubled_language(lang):
        return texts, changes
    words = find_words(whole)
    if has_doubles(words, lang):
        texts, whole = _each(texts, changes, lambda t: fix_doubled(t, lang))
        words = find_words(whole)
    if typos == "off":
        return texts, changes
    counts = Counter(words)
    suspected = suspects(counts, lang, typos, protected)
    if suspected:
        pairs = word_pairs(texts)
        texts, _ = _each(
            texts,
            changes,
            lambda t: (
                fix_typos(t, lang, typos, protected, counts, pairs, suspected)
                if any(map(t.__contains__, suspected))
                else (t, [])
            ),
        )
    return texts, changes


def any_sign(signs: Iterable[tuple[str, str]]) -> re.Pattern[str]:
    """One regex that finds any of ``signs`` (a regex class's body for the characters a sign
    begins with, and what must follow them), as fast as a search for one class: it begins
    with the class of all their first characters, which the regex engine scans for, and
    only where one is found asks what follows, by the sign that character begins."""
    firsts = [re.sub(r"^-|-$", r"\-", first) for first, _ in signs]  # a hyphen at an end is one
    rests = "|".join(f"(?<=[{first}]){rest}" for first, (_, rest) in zip(firsts, signs, strict=True))
    return re.compile(f"[{''.join(firsts)}](?:{rests})")


#: where the encoding, character or hyphenation repair has something to do
_MENDABLE = any_sign([*encoding.SIGNS, *characters.SIGNS, *hyphenation.SIGNS])


def _each(
    texts: list[str], changes: list[Change], fix: Callable[[str], tuple[str, list[Change]]]
) -> tuple[list[str], str]:
    """``fix`` applied to each text, its changes added to ``changes``; the texts, and the
    guards' view of them."""
    fixed = []
    for text in texts:
        text, found = fix(text)
        changes += found
        fixed.append(text)
    return fixed, " ".join(fixed)


def _encoding(text: str) -> tuple[str, list[Change]]:
    text, n = fix_encoding(text)
    return text, [Change("encoding", "", "", "mojibake or entities")] * n


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

"""Boilerplate cue words per kind of block, in several languages, loaded from cues.toml.

The lexicon is data, not code: a new language or a new widget is a few phrases in the
TOML file. Phrases are matched as word sequences by dictionary lookups (a line's first
and last words, and every word that can start an "anywhere" phrase), so a block costs a
few microseconds whatever the size of the lexicon; the few shapes that need a regular
expression run only when a literal they require is in the block.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from dehusk.memo import text_cache

# a word (apostrophes inside kept), or one of the symbols that carry meaning in cues
_TOKEN = re.compile(r"\w+(?:'\w+)*|[:»›>/|©°@#.!?]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
#: Long blocks are searched at their two ends only: a cue opens or closes a block.
EDGE = 120
#: A menu may have hundreds of lines; its first ones say what it is.
MAX_LINES = 12


def tokens(text: str) -> tuple[str, ...]:
    """The lowercased cue tokens of one line: words and meaningful symbols.

    >>> tokens("Photo : AFP / Getty")
    ('photo', ':', 'afp', 'getty')
    """
    return tuple(_TOKEN.findall(text.lower().replace("’", "'")))


@dataclass
class _Lexicon:
    kinds: tuple[str, ...]
    whole: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    # phrases by the word they open with (start, anywhere) or close with (end)
    start: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    end: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    anywhere: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    substrings: list[tuple[str, int]] = field(default_factory=list)  # phrases in scripts without spaces
    regexes: list[tuple[frozenset[str], re.Pattern[str], int]] = field(default_factory=list)
    gated: dict[str, tuple[int, ...]] = field(default_factory=dict)  # gate text -> its regexes' positions
    index: dict[str, int] = field(default_factory=dict)  # kind -> its position
    anywhere_words: frozenset[str] = frozenset()  # the keys of ``anywhere``


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = tomllib.loads(files("dehusk.classify").joinpath("cues.toml").read_text(encoding="utf-8"))
    lex = _Lexicon(kinds=tuple(data))
    for kind, table in enumerate(data.values()):
        for phrase in table.get("whole", []):
            lex.whole.setdefault(tokens(phrase), []).append(kind)
        for phrase in table.get("start", []):
            key = tokens(phrase)
            lex.start.setdefault(key[0], []).append((key, kind))
        for phrase in table.get("end", []):
            key = tokens(phrase)
            lex.end.setdefault(key[-1], []).append((key, kind))
        for phrase in table.get("any", []):
            if _CJK.search(phrase):
                lex.substrings.append((phrase, kind))
            else:
                key = tokens(phrase)
                lex.anywhere.setdefault(key[0], []).append((key, kind))
        for spec in table.get("regex", []):
            gate = spec.get("gate", "")
            gates = frozenset((gate,) if isinstance(gate, str) else gate)
            lex.regexes.append((gates, re.compile(spec["pattern"], re.IGNORECASE | re.MULTILINE), kind))
    for position, (gates, _, _) in enumerate(lex.regexes):
        for gate in gates:
            lex.gated[gate] = (*lex.gated.get(gate, ()), position)
    lex.anywhere_words = frozenset(lex.anywhere)
    lex.index = {kind: i for i, kind in enumerate(lex.kinds)}
    return lex


def cue_kinds() -> tuple[str, ...]:
    """The kinds the lexicon has cues for, in file order."""
    return _lexicon().kinds


@text_cache(maxsize=8192)
def cue_matches(text: str) -> tuple[str | None, ...]:
    """For each kind of :func:`cue_kinds`, the first cue of that kind found in ``text``, or None.

    Cached: the features, the kind names and the header finder all ask about one block.
    """
    lex = _lexicon()
    if len(text) > 2 * EDGE:
        text = f"{text[:EDGE]}\n{text[-EDGE:]}"
    lowered = text.lower().replace("’", "'")
    found: list[str | None] = [None] * len(lex.kinds)
    for line in lowered.split("\n", MAX_LINES)[:MAX_LINES]:
        toks = tuple(_TOKEN.findall(line))
        if not toks:
            continue
        for kind in lex.whole.get(toks, ()):
            found[kind] = found[kind] or " ".join(toks)
        for key, kind in lex.start.get(toks[0], ()):
            if found[kind] is None and toks[: len(key)] == key:
                found[kind] = " ".join(key)
        for key, kind in lex.end.get(toks[-1], ()):
            if found[kind] is None and toks[-len(key) :] == key:
                found[kind] = " ".join(key)
        openers = lex.anywhere_words.intersection(toks)  # most words open no phrase: one C-level test
        if openers:
            for i, tok in enumerate(toks):
                if tok in openers:
                    for key, kind in lex.anywhere[tok]:
                        if found[kind] is None and toks[i : i + len(key)] == key:
                            found[kind] = " ".join(key)
    if not text.isascii():
        for phrase, kind in lex.substrings:
            if found[kind] is None and phrase in lowered:
                found[kind] = phrase
    gated = sorted({p for gate, positions in lex.gated.items() if gate in lowered for p in positions})
    for position in gated:  # in file order: the first regex of a kind wins
        _, pattern, kind = lex.regexes[position]
        if found[kind] is None:
            match = pattern.search(text)
            if match:
                found[kind] = match.group(0).strip()
    return tuple(found)


def find_cue(kind: str, text: str) -> str | None:
    """The first cue of ``kind`` in ``text``, or None.

    >>> find_cue("weather", "New Delhi -°C"), find_cue("share", "A long sentence.")
    ('°C', None)
    """
    return cue_matches(text)[_lexicon().index[kind]]


@text_cache(maxsize=8192)
def cue_bits(text: str) -> int:
    """Which kinds of :func:`cue_kinds` ``text`` holds a cue of: bit k for the k-th kind.

    One number per block, so that a page's cue table is one array operation.
    """
    return sum(1 << k for k, cue in enumerate(cue_matches(text)) if cue is not None)

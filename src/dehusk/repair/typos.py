"""Typos, repaired only on evidence, never on a name, a number or an address.

A spell checker turns Shoigu into Shotgun and Idlib into Lib: what it does not know it
"corrects". Here a word is changed only when two kinds of evidence agree:

* the document's own: "Syriad" written once in an article that writes "Syria" a dozen
  times is a slip; one edit apart, same capitals, and the word itself unknown. This is
  the only evidence a capitalised word can get.
* the language's: a lowercase word the language hardly knows ("upps", a Zipf frequency
  under 1.5 in wordfreq) one slip away from a word it knows well ("ups"), where slips are
  weighed as people make them: a doubled letter, a dropped letter, two letters swapped, a
  neighbouring key. "apps" is as common as "ups", but u→a is no slip of a finger.

Never touched: words with digits, all-capitals, mixed case (iPhone), contractions and
possessives, words in another script than the page's, URLs, e-mail addresses, hashtags,
handles, and the caller's protected words. ``safe`` (the default) asks for a clear winner,
``aggressive`` for less.

>>> fix_typos("Two planes landed in Syriad, Syria said. Syria, Syria, Syria.", "en")[0]
'Two planes landed in Syria, Syria said. Syria, Syria, Syria.'
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from dehusk.memo import on_forget
from dehusk.repair.change import Change
from dehusk.repair.lexicon import FREQUENT_ZIPF, Lexicon, forget_answers, lexicon, one_edit

#: a word: letters, with apostrophes inside (it’s, l'eau); possessive, since a word ends where
#: its letters do (no backtracking state kept: a tenth faster)
WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+")


#: punctuation that clings to a word's ends ("word," "(word" “word”): never part of one
_CLINGING = ".,;:!?\"'()[]{}“”‘’«»„—–-…/*"
assert not any(ch.isalnum() or ch == "_" for ch in _CLINGING)


def find_words(text: str) -> list[str]:
    """``WORD.findall(text)``, in half the time: a word never spans a space, and most tokens
    between spaces are letters only (``str.isalpha``, in C), each one whole word, or are once
    stripped of clinging punctuation (which no word holds at its ends); the regex scans only
    the others (digits, hyphens, apostrophes inside)."""
    found: list[str] = []
    for token in text.split():
        if token.isalpha():
            found.append(token)
        elif (core := token.strip(_CLINGING)).isalpha():
            found.append(core)
        elif core:
            found += WORD.findall(core)
    return found


# spans that are not prose: addresses, handles, tags, code-ish tokens
_SHIELD = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#][\w.]+|\b\w+\.(?:com|org|net|io|co|gov|edu)\b\S*|`[^`]*`|\S*[_/\\<>{}=]\S*"
)

_JOINERS = frozenset("-‐‑")  # hyphens that join a compound's parts
_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, set[str]] = {}
for _r, _row in enumerate(_QWERTY):
    for _c, _key in enumerate(_row):
        near = set()
        for dr in (-1, 0, 1):
            if 0 <= _r + dr < len(_QWERTY):
                for dc in (-1, 0, 1):
                    if 0 <= _c + dc < len(_QWERTY[_r + dr]) and (dr, dc) != (0, 0):
                        near.add(_QWERTY[_r + dr][_c + dc])
        _NEIGHBOURS[_key] = near

#: How likely each slip is, as log10 of its share of typing errors (roughly what studies of
#: typing errors report: doubled, dropped and swapped letters and neighbouring keys
#: dominate; a letter typed for a distant one is rare).
SLIPS = {
    "doubled": math.log10(0.25),  # a letter typed twice: upps → ups
    "dropped": math.log10(0.2),  # a letter missed: wrld → world
    "dropped-double": math.log10(0.2),  # one of a double missed: ocasion → occasion
    "swapped": math.log10(0.25),  # two neighbours swapped: teh → the
    "neighbour": math.log10(0.1),  # a neighbouring key: thw → the
    "extra": math.log10(0.02),  # a letter added: tbhe → the
    "other": math.log10(0.003),  # any other letter
}


@dataclass(frozen=True, slots=True)
class Mode:
    """Thresholds of a typo mode."""

    shortest: int  # the shortest word considered
    unknown: float  # a word is a non-word under this Zipf frequency
    known: float  # a correction must be at least this frequent
    lead: float  # the winner's lead over the runner-up, in log10 units
    gain: float  # the winner's score over the word's own frequency, in log10 units


MODES = {
    "safe": Mode(shortest=4, unknown=1.5, known=3.0, lead=1.0, gain=2.5),
    "aggressive": Mode(shortest=3, unknown=2.0, known=2.5, lead=0.5, gain=2.0),
}


assert all(mode.known >= FREQUENT_ZIPF for mode in MODES.values()), (
    "the frequent-word set must hold every winner"
)


def _lexicon(lang: str | None) -> Lexicon | None:
    """wordfreq's large list for ``lang``, or None: a small list (30,000 words) cannot tell a
    slip from a rare word."""
    return lexicon(lang, "large") if lang else None


def zipf(word: str, lang: str | None) -> float | None:
    """The Zipf frequency of ``word`` in ``lang`` (0 for a word the language does not write),
    or None when wordfreq has no large list for ``lang``."""
    found = _lexicon(lang)
    return None if found is None else found.zipf(word)


def zipfs(words: list[str], lang: str | None) -> list[float] | None:
    """``zipf`` of each of ``words``, looked up at once; None when there is no large list."""
    found = _lexicon(lang)
    return None if found is None else found.zipfs(words)


def _script(word: str) -> str:
    return _char_script(word[0])


@cache
def _char_script(ch: str) -> str:
    return unicodedata.name(ch, "?").split()[0]


def _slip(wrong: str, right: str) -> str:
    """Which slip turns ``right`` into ``wrong`` (one edit apart)."""
    if len(wrong) == len(right) + 1:  # a letter too many
        i = next((k for k in range(len(right)) if wrong[k] != right[k]), len(right))
        return (
            "doubled"
            if (i > 0 and wrong[i] == wrong[i - 1]) or (wrong[i] == wrong[i + 1 : i + 2])
            else "extra"
        )
    if len(wrong) + 1 == len(right):  # a letter missing
        i = next((k for k in range(len(wrong)) if wrong[k] != right[k]), len(wrong))
        doubled = (i > 0 and right[i] == right[i - 1]) or right[i] == right[i + 1 : i + 2]
        return "dropped-double" if doubled else "dropped"
    diff = [k for k in range(len(wrong)) if wrong[k] != right[k]]
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        return "swapped"
    k = diff[0]
    return "neighbour" if right[k] in _NEIGHBOURS.get(wrong[k], ()) else "other"


def _edits(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, swap of neighbours, or substitution or insertion of a letter
    of ``alphabet`` from ``word``: the alphabet's size per letter (what ``Lexicon.neighbours``
    finds by lookup, for a word it cannot serve)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]}  # not the word
    replaced = {a + c + b[1:] for a, b in splits if b for c in alphabet if c != b[0]}
    return deleted | swapped | replaced | {a + c + b for a, b in splits for c in alphabet}


def _pattern(word: str) -> str:
    if word.islower():
        return "lower"
    if word[0].isupper() and word[1:].islower():
        return "title"
    return "other"


class WordPairs:
    """Neighbouring words (lowercased) with their counts: the context that breaks ties. Counted
    on the first question, since only a tie between two corrections asks one."""

    def __init__(self, texts: Collection[str]) -> None:
        self._texts = texts
        self._counts: Counter[tuple[str, str]] | None = None

    def __getitem__(self, pair: tuple[str, str]) -> int:
        if self._counts is None:
            self._counts = Counter()
            for text in self._texts:
                self._counts.update(itertools.pairwise(w.lower() for w in find_words(text)))
        return self._counts[pair]


def word_pairs(texts: Collection[str]) -> WordPairs:
    """The neighbouring words of ``texts``, counted when first asked."""
    return WordPairs(texts)


def fix_typos(
    text: str,
    lang: str | None,
    mode: str = "safe",
    protected: Collection[str] = (),
    counts: Counter[str] | None = None,
    pairs: WordPairs | None = None,
    suspected: frozenset[str] | None = None,
) -> tuple[str, list[Change]]:
    """``text`` with its typos repaired, and one Change per repair.

    ``counts`` are the words of the whole document (or story) with their counts and
    ``pairs`` its neighbouring words, for the document's evidence; by default those of ``text``.
    ``suspected`` (:func:`suspects` of ``counts``) lets a text without one of them pass at the
    cost of a regex scan, and limits the work to them in the others.
    """
    if mode not in MODES:
        return text, []
    if suspected is not None and counts is not None:
        present = set(find_words(text))
        suspected = suspected | {w for w in present if w not in counts}  # a word a repair joined
        if suspected.isdisjoint(present):
            return text, []
    thresholds = MODES[mode]
    found = _lexicon(lang)
    words = _prose_words(text)
    if counts is None:
        counts = Counter(m.group(0) for m in words)
    if pairs is None:
        pairs = word_pairs([text])
    if not words:
        return text, []
    script = Counter(_script(m.group(0)) for m in words).most_common(1)[0][0]
    keep = {w.lower() for w in protected}
    chosen = [
        k
        for k, match in enumerate(words)
        if (suspected is None or match.group(0) in suspected)
        and _considered(text, match, thresholds, keep, script)
    ]
    known: dict[str, float] = {}
    if found is not None:  # what the language says of every word considered, asked at once
        asked = [w for w in {_asked(words[k].group(0), counts) for k in chosen} if w is not None]
        known = dict(zip(asked, found.zipfs(asked), strict=True))
    others = _Frequent(counts)
    changes: list[Change] = []
    pieces: list[str] = []
    position = 0
    for k in chosen:
        match = words[k]
        word = match.group(0)
        context = (
            words[k - 1].group(0).lower() if k else "",
            words[k + 1].group(0).lower() if k + 1 < len(words) else "",
        )
        own = known.get(_asked(word, counts) or "")
        fixed = _from_document(word, counts, own, thresholds, pairs, context, others) or (
            _from_language([(word, own)], found, thresholds)[0]
            if found is not None and own is not None and word.islower()
            else None
        )
        if fixed is None:
            continue
        right, why = fixed
        before = text[max(0, match.start() - 12) : match.end() + 12].strip()
        pieces.append(text[position : match.start()])
        pieces.append(right)
        position = match.end()
        changes.append(Change("typo", word, right, f"{why}; in “{before}”"))
    if not changes:
        return text, []
    pieces.append(text[position:])
    return "".join(pieces), changes


def suspects(
    counts: Counter[str], lang: str | None, mode: str = "safe", protected: Collection[str] = ()
) -> frozenset[str]:
    """The words of a document that the typo repair could change at all, decided once per
    document with one batched look-up: a word long enough, cased as words are, not protected,
    one the language hardly knows (a capitalised one only when written once), and one that
    some evidence could correct: a lowercase word one likely slip from a common word, a
    capitalised one one edit from a word the document writes three times. The others
    (nearly all) are never looked at again."""
    if mode not in MODES:
        return frozenset()
    thresholds = MODES[mode]
    keep = {w.lower() for w in protected}
    found = _lexicon(lang)
    frequent = found.frequent if found is not None else frozenset()
    # a word the language writes often is no suspect (a set difference, in C): most of them
    words = set(counts).difference(frequent, keep) if frequent else set(counts).difference(keep)
    words = [w for w in words if len(w) >= thresholds.shortest and "'" not in w and "’" not in w]
    asked = {w: w for w in words if w.islower()}  # each suspect, and what the language is asked of it
    # a capitalised word written once (see ``_asked``) only if its lowercase is no common word and
    # the document writes a word of its shape three times: its only possible correction
    once = {w: a for w in words if not w.islower() and (a := _asked(w, counts)) is not None}
    others = _Frequent(counts)
    for w, a in once.items():
        if a not in frequent and a not in keep and others.any_like(w, "title"):
            asked[w] = a
    if found is None:  # the document's evidence alone, which only a capitalised word written once gets
        return frozenset(w for w in asked if not w.islower() and _near(w, others))
    if not asked:
        return frozenset()
    unique = list(set(asked.values()))
    zipf = dict(zip(unique, found.zipfs(unique), strict=True))
    rare = [w for w, a in asked.items() if zipf[a] < thresholds.unknown]
    lower = [(w, zipf[w]) for w in rare if w.islower()]
    verdicts = _from_language(lower, found, thresholds) if lower else []
    fixable = {w for (w, _), fix in zip(lower, verdicts, strict=True) if fix}
    return frozenset(w for w in rare if w in fixable or (not w.islower() and _near(w, others)))


def _prose_words(text: str) -> list[re.Match[str]]:
    """The words of ``text`` outside addresses, handles, tags and code."""
    shielded = [m.span() for m in _SHIELD.finditer(text)]
    if not shielded:
        return list(WORD.finditer(text))
    starts = [a for a, _ in shielded]  # the spans do not overlap: only the last one begun can hold
    return [
        m
        for m in WORD.finditer(text)
        if (i := bisect.bisect_right(starts, m.start()) - 1) < 0 or m.start() >= shielded[i][1]
    ]


def _considered(text: str, match: re.Match[str], mode: Mode, keep: set[str], script: str) -> bool:
    """Whether a word may be a typo at all: long enough, cased as words are, not protected, not
    a contraction, not a part of a compound, and in the page's script."""
    word = match.group(0)
    if len(word) < mode.shortest or word.lower() in keep or _pattern(word) == "other":
        return False
    if "'" in word or "’" in word:  # contractions and possessives: it’s, Russia’s
        return False
    if text[match.end() : match.end() + 1] in _JOINERS or text[match.start() - 1 : match.start()] in _JOINERS:
        return False  # a part of a compound (витамино-минеральных, e-mail) is not a word alone
    if word.isascii():  # letters A-Z: all Latin
        return script == "LATIN"
    return all(_script(ch) == script for ch in word if ch.isalpha())


def _asked(word: str, counts: Counter[str]) -> str | None:
    """What the language is asked about ``word``: a lowercase word as it is, a capitalised word
    (``Syriad``, not ``iPhone`` or ``NATO``) written once in lowercase (is it a word at all?),
    nothing for other words."""
    if word.islower():
        return word
    if counts[word] == 1 and word[0].isupper() and word[1:].islower():
        return word.lower()
    return None


class _Frequent:
    """The capitalised words a document writes three times or more, as ``_from_document``
    compares them, gathered once per document and kept by shape and length: a word is compared
    with those of its shape and of its length give or take one only. Only capitalised words
    are ever compared (a lowercase word's evidence is the language's), so lowercase ones,
    most of the often written, are left out."""

    def __init__(self, counts: Counter[str]) -> None:
        self._counts = counts
        self._words: dict[tuple[str, int], list[tuple[int, str]]] | None = None

    def _table(self) -> dict[tuple[str, int], list[tuple[int, str]]]:
        if self._words is None:
            self._words = {}
            for other, n in self._counts.items():
                if n >= 3 and not other.islower() and "'" not in other and "’" not in other:
                    self._words.setdefault((_pattern(other), len(other)), []).append((n, other))
        return self._words

    def like(self, word: str, pattern: str) -> list[tuple[int, str]]:
        words, size = self._table(), len(word)
        return [
            (n, other)
            for length in (size - 1, size, size + 1)
            for n, other in words.get((pattern, length), ())
            if other != word
        ]

    def any_like(self, word: str, pattern: str) -> bool:
        """Whether the document writes any word of ``word``'s shape and length give or take one
        three times: if not, no evidence of the document's can correct it."""
        words, size = self._table(), len(word)
        return (pattern, size) in words or (pattern, size - 1) in words or (pattern, size + 1) in words


def _from_document(
    word: str,
    counts: Counter[str],
    own: float | None,
    mode: Mode,
    pairs: WordPairs,
    context: tuple[str, str],
    others: _Frequent,
) -> tuple[str, str] | None:
    """A capitalised word written once, one edit from one the document writes three times or more.

    ``own`` is the language's Zipf frequency of the word in lowercase (None without a list).
    Not when the two differ by a final vowel or s: that is how German, Russian or Spanish
    inflect a noun (Primärsystem, Primärsysteme), not how a finger slips.
    """
    if counts[word] != 1 or not word[0].isupper():
        return None
    if own is not None and own >= mode.unknown:
        return None
    near = _near(word, others)
    if not near:
        return None
    near.sort(reverse=True)
    n, best = near[0]
    if len(near) > 1 and near[1][0] * 2 > n:  # two frequent neighbours: their company decides
        before, after = context
        seen = sorted(
            ((pairs[(before, other.lower())] + pairs[(other.lower(), after)], m, other) for m, other in near),
            reverse=True,
        )
        if seen[0][0] == 0 or seen[0][0] == seen[1][0]:
            return None
        together, n, best = seen[0]
        return best, f"written once; the page writes '{best}' {n} times, {together} times in this company"
    return best, f"written once; the page writes '{best}' {n} times"


def _near(word: str, others: _Frequent) -> list[tuple[int, str]]:
    """The words the document writes three times or more, cased as ``word``, one edit from it
    and not merely another ending of it, with their counts."""
    lower = word.lower()
    return [
        (n, other)
        for n, other in others.like(word, _pattern(word))
        if one_edit(lower, other.lower()) and not _inflection(word, other)
    ]


_ENDINGS = frozenset("aeiouyäöüåæøéáíóúàèìòùâêîôûãõаеёиоуыэюяьsс")


def _inflection(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ only by a final vowel or s (an ending, not a slip)."""
    a, b = a.lower(), b.lower()
    if len(a) != len(b):
        short, long = sorted((a, b), key=len)
        return long.startswith(short) and long[-1] in _ENDINGS
    return a[:-1] == b[:-1] and a[-1] in _ENDINGS and b[-1] in _ENDINGS


#: What the language said of rare words, per lexicon and mode: a rare word recurs across a
#: run's pages, and its verdict is the same (up to VERDICTS words, then forgotten at once).
_VERDICTS: dict[tuple[Lexicon, Mode], dict[tuple[str, float], tuple[str, str] | None]] = {}
VERDICTS = 1 << 16
#: Words whose edits are made and looked up together: a page's rare words in a few batches,
#: and a bounded number of edits in memory (a word has about a thousand without the index).
_BATCH = 64


@on_forget
def forget() -> None:
    """Forget every answer about words (the benchmark times each page as one the process has
    not seen)."""
    _VERDICTS.clear()
    forget_answers()


def _from_language(
    words: Sequence[tuple[str, float]], found: Lexicon, mode: Mode
) -> list[tuple[str, str] | None]:
    """For each lowercase word (with ``own``, its Zipf frequency): the common word of the
    language it is one likely slip from, and why, when it is a non-word with a clear winner.
    The edits of all the words are made and looked up at once."""
    memo = _VERDICTS.setdefault((found, mode), {})
    todo = [item for item in dict.fromkeys(words) if item not in memo]
    if len(memo) + len(todo) > VERDICTS:
        memo.clear()
        todo = list(dict.fromkeys(words))
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        memo.update(zip(batch, _judge(batch, found, mode), strict=True))
    return [memo[item] for item in words]


def _judge(words: list[tuple[str, float]], found: Lexicon, mode: Mode) -> list[tuple[str, str] | None]:
    """``_from_language`` of a batch, without the memo: every word's candidates found together.

    Only a candidate the language writes often can win (MODES' known >= FREQUENT_ZIPF): the
    lexicon's index gives those one edit from a word as it stores it; for another word (ß, marks)
    or a lexicon without an index, every edit is made and those in the frequent words kept."""
    rare = [word for word, own in words if own < mode.unknown]
    stored = [w for w, form in zip(rare, found.stored_forms(rare), strict=True) if w == form]
    near = found.neighbours(stored) if stored else None
    candidates = dict(zip(stored, near, strict=True)) if near is not None else {}
    made = {w: list(_edits(w, found.alphabet)) for w in rare if w not in candidates}
    if made:
        every = list({c for edits in made.values() for c in edits})
        forms = found.stored_forms(every)
        known = [c for c, form in zip(every, forms, strict=True) if form in found.frequent]
        zipfs = dict(zip(known, found.zipfs(known), strict=True))
        candidates |= {w: {c: zipfs[c] for c in edits if c in zipfs} for w, edits in made.items()}
    return [
        _winner(word, own, list(candidates[word].items()), mode) if own < mode.unknown else None
        for word, own in words
    ]


def _winner(word: str, own: float, candidates: list[tuple[str, float]], mode: Mode) -> tuple[str, str] | None:
    """The candidate that clearly beats the others and the word itself, slips weighed."""
    scored = []
    for candidate, zipf in candidates:
        if zipf >= mode.known:
            slip = _slip(word, candidate)
            scored.append((zipf + SLIPS[slip], candidate, slip, zipf))
    if not scored:
        return None
    scored.sort(reverse=True)
    score, best, slip, zipf = scored[0]
    if len(scored) > 1 and score - scored[1][0] < mode.lead:
        return None
    if score - own < mode.gain:
        return None
    return (
        best,
        f"{slip.replace('-', ' ')} letter; '{best}' is {10 ** (zipf - own):,.0f}x as common as '{word}'",
    )

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

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from dehusk.repair.change import Change

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
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


@cache
def _frequencies(lang: str) -> dict[str, float] | None:
    """wordfreq's frequencies for ``lang`` (word -> share of all words), or None if unsupported."""
    try:
        import wordfreq  # lazy: loading a language's list costs a few tenths of a second, once
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    path = wordfreq.available_languages().get(lang)
    if path is None or "large_" not in str(path):
        return None  # a small list (30,000 words) cannot tell a slip from a rare word
    return wordfreq.get_frequency_dict(lang)


@cache
def _alphabet(lang: str) -> str:
    """The letters of ``lang``: those its 20,000 most frequent words are written with."""
    freq = _frequencies(lang) or {}
    top = sorted(freq, key=freq.__getitem__, reverse=True)[:20000]
    return "".join(sorted({ch for word in top for ch in word if ch.isalpha()}))


def _zipf(freq: dict[str, float], word: str, lang: str) -> float:
    """The Zipf frequency of ``word``, looked up as wordfreq stores it (hieß as hiess)."""
    from wordfreq.preprocess import preprocess_text

    share = freq.get(preprocess_text(word, lang), 0.0)
    return math.log10(share) + 9 if share > 0 else 0.0


def zipf(word: str, lang: str | None) -> float | None:
    """The Zipf frequency of ``word`` in ``lang`` (0 for a word the language does not write),
    or None when wordfreq has no large list for ``lang``."""
    freq = _frequencies(lang) if lang else None
    return None if freq is None else _zipf(freq, word, lang)  # type: ignore[arg-type]


def _script(word: str) -> str:
    return unicodedata.name(word[0], "?").split()[0]


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
    """Every string one deletion, swap, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    substitutes = {a + c + b[1:] for a, b in splits if b for c in alphabet if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return deletes | swaps | substitutes | inserts


def _pattern(word: str) -> str:
    if word.islower():
        return "lower"
    if word[0].isupper() and word[1:].islower():
        return "title"
    return "other"


def word_pairs(texts: Collection[str]) -> Counter[tuple[str, str]]:
    """Neighbouring words (lowercased) with their counts: the context that breaks ties."""
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        words = [w.lower() for w in _WORD.findall(text)]
        pairs.update(itertools.pairwise(words))
    return pairs


def fix_typos(
    text: str,
    lang: str | None,
    mode: str = "safe",
    protected: Collection[str] = (),
    counts: Counter[str] | None = None,
    pairs: Counter[tuple[str, str]] | None = None,
) -> tuple[str, list[Change]]:
    """``text`` with its typos repaired, and one Change per repair.

    ``counts`` are the words of the whole document (or story) with their counts and
    ``pairs`` its neighbouring words, for the document's evidence; by default those of ``text``.
    """
    if mode not in MODES:
        return text, []
    thresholds = MODES[mode]
    freq = _frequencies(lang) if lang else None
    shielded = [m.span() for m in _SHIELD.finditer(text)]
    words = [m for m in _WORD.finditer(text) if not any(a <= m.start() < b for a, b in shielded)]
    if counts is None:
        counts = Counter(m.group(0) for m in words)
    if pairs is None:
        pairs = word_pairs([text])
    if not words:
        return text, []
    script = Counter(_script(m.group(0)) for m in words).most_common(1)[0][0]
    keep = {w.lower() for w in protected}
    changes: list[Change] = []
    pieces: list[str] = []
    position = 0
    for k, match in enumerate(words):
        word = match.group(0)
        context = (
            words[k - 1].group(0).lower() if k else "",
            words[k + 1].group(0).lower() if k + 1 < len(words) else "",
        )
        if len(word) < thresholds.shortest or word.lower() in keep or _pattern(word) == "other":
            continue
        if "'" in word or "’" in word:  # contractions and possessives: it’s, Russia’s
            continue
        if (
            text[match.end() : match.end() + 1] in _JOINERS
            or text[match.start() - 1 : match.start()] in _JOINERS
        ):
            continue  # a part of a compound (витамино-минеральных, e-mail) is not a word alone
        if any(_script(ch) != script for ch in word if ch.isalpha()):
            continue
        fixed = _from_document(word, counts, freq, lang or "", thresholds, pairs, context) or (
            _from_language(word, freq, lang or "", thresholds)
            if freq is not None and word.islower()
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


def _from_document(
    word: str,
    counts: Counter[str],
    freq: dict[str, float] | None,
    lang: str,
    mode: Mode,
    pairs: Counter[tuple[str, str]],
    context: tuple[str, str],
) -> tuple[str, str] | None:
    """A capitalised word written once, one edit from one the document writes three times or more.

    Not when the two differ by a final vowel or s: that is how German, Russian or Spanish
    inflect a noun (Primärsystem, Primärsysteme), not how a finger slips.
    """
    if counts[word] != 1 or not word[0].isupper():
        return None
    if freq is not None and _zipf(freq, word.lower(), lang) >= mode.unknown:
        return None
    pattern = _pattern(word)
    found = [
        (n, other)
        for other, n in counts.items()
        if n >= 3
        and other != word
        and _pattern(other) == pattern
        and abs(len(other) - len(word)) <= 1
        and "'" not in other
        and "’" not in other
    ]
    near = [
        (n, other)
        for n, other in found
        if other.lower() in _edits(word.lower(), _letters(word, other)) and not _inflection(word, other)
    ]
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


_ENDINGS = frozenset("aeiouyäöüåæøéáíóúàèìòùâêîôûãõаеёиоуыэюяьsс")


def _inflection(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ only by a final vowel or s (an ending, not a slip)."""
    a, b = a.lower(), b.lower()
    if len(a) != len(b):
        short, long = sorted((a, b), key=len)
        return long.startswith(short) and long[-1] in _ENDINGS
    return a[:-1] == b[:-1] and a[-1] in _ENDINGS and b[-1] in _ENDINGS


def _letters(*words: str) -> str:
    return "".join(sorted({ch.lower() for w in words for ch in w}))


def _from_language(word: str, freq: dict[str, float], lang: str, mode: Mode) -> tuple[str, str] | None:
    """A lowercase non-word one likely slip from a common word of the language."""
    own = _zipf(freq, word, lang)
    if own >= mode.unknown:
        return None
    scored = []
    for candidate in _edits(word, _alphabet(lang)):
        zipf = _zipf(freq, candidate, lang)
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

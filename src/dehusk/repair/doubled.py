"""A function word written twice: ``the the``, ``of of``, ``ein ein``.

The eye skips a repeat, most often at a line end, so it survives proofreading. Only words
that are never doubled in a real sentence are fixed, one short list per language; a word
that can stand twice is left out however often it is a typo: English "that that", "had
had", "is is" (what it is is), "in in" (gave in in the end), "to to" (the friend I turned to
to help), "on on" (carry on on Monday); German "die die" and "der der" (the article after a
relative pronoun); Spanish "el el" (él el que, written without its accent); Dutch "het het"
(ik vind het het mooiste); "la la" (a song), "de de" and "van van" (names).

Only an exact repeat counts, separated by spaces or one line break: "in, in" and
"the. The" are not doubles, and neither is a repeat across a blank line (two blocks).
A capitalised word with a lowercase repeat (``The the``) is fixed at a sentence start
only, and a capitalised pair (``The The``, ``Duran Duran``) never.

>>> fix_doubled("He saw the the cat.", "en")[0]
'He saw the cat.'
>>> fix_doubled("The the band played.", "en")[0]
'The band played.'
>>> fix_doubled("They sang The The songs.", "en")[0]
'They sang The The songs.'
>>> fix_doubled("He saw the the cat.")[0]  # no language, no list
'He saw the the cat.'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import pairwise

from dehusk.repair.change import Change

#: per language, articles and a few prepositions and conjunctions never written twice
_LISTS = {
    "en": "the a an of and",
    # not der/die/das/den/dem (relative pronoun + article), und (und und und), einer/eines
    # (pronouns: "einer einer ganzen Reihe"), von (von von Braun)
    "de": "des ein eine einen einem im zum zur vom beim",
    # not la (la la), de (de de Gaulle), du (dû du, written without its accent)
    "fr": "le les un une des au aux et",
    # not el (él el que, written without its accent), la (la la), y (x y y), a (de la a a la z), que
    "es": "los las un una unos unas del al",
    # not a (a a stands for à), e, da and na (da da, na na), nos (also "us")
    "pt": "o os as um uma uns umas do dos das no nas ao aos",
    # not la, a, e, di (di Di Maio), uno (a uno a uno)
    "it": "il lo gli le un una del dello della dei degli delle al allo alla ai agli alle"
    " nel nello nella nei negli nelle",
    # not de (de de Jong), het (ik vind het het mooiste), van (van van Gogh)
    "nl": "een en",
}
NEVER_DOUBLED: dict[str, frozenset[str]] = {code: frozenset(words.split()) for code, words in _LISTS.items()}
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch",
}  # fmt: skip
#: ISO 639-2/3 codes as some identifiers give them
_ALIASES = {"eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "por": "pt",
            "ita": "it", "nld": "nl", "dut": "nl"}  # fmt: skip
#: letters, digits, hyphens and apostrophes are part of a word: "the-the", "l'un un" are not doubles
_EDGE = r"[\w\-\u2010'’]"
#: spaces, or one line break (a wrapped line) with spaces around it; never a blank line
_GAP = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"
_OPENERS = "\"'“‘«(["
_CLOSERS = "\"'”’»)]"


def doubled_language(lang: str | None) -> bool:
    """Whether ``lang`` has a list of words never written twice."""
    return _code(lang) is not None


def has_doubles(words: Sequence[str], lang: str | None = None) -> bool:
    """Whether ``words`` (a text's words in order, as ``typos.find_words`` finds them) hold a word of
    ``lang``'s list followed by itself: the guard of ``fix_doubled``, without its regex.

    >>> has_doubles("He saw The the cat".split(), "en"), has_doubles("that that".split(), "en")
    (True, False)
    """
    code = _code(lang)
    if code is None or len(words) < 2:
        return False
    return not _doubles(code).isdisjoint(pairwise(words))  # in C, stops at one


def fix_doubled(text: str, lang: str | None = None) -> tuple[str, list[Change]]:
    """``text`` with a doubled function word of ``lang`` written once, and the repairs.

    ``lang`` is an ISO 639 code (``en``, ``de-AT``, ``fra``); with none, or one without a
    list (English, German, French, Spanish, Portuguese, Italian, Dutch have one), nothing
    changes: a list applied to the wrong language would "fix" its words.

    >>> fix_doubled("Es war ein ein schöner Tag und und und.", "de")[0]
    'Es war ein schöner Tag und und und.'
    >>> fix_doubled("the the\\n\\nthe cat, of, of course of of of", "en")[0]
    'the\\n\\nthe cat, of, of course of'
    """
    code = _code(lang)
    if code is None:
        return text, []
    pattern = _pattern(code)
    if pattern.search(text) is None:
        return text, []
    out: list[str] = []
    changes: list[Change] = []
    done = 0
    for match in pattern.finditer(text):
        word = match.group().split(None, 1)[0]
        if word[0].isupper() and not _sentence_start(text, match.start()):
            continue
        out.append(text[done : match.start()])
        out.append(word)
        done = match.end()
        why = f"'{word.lower()}' is never written twice in {LANGUAGE_NAMES[code]}"
        changes.append(Change("doubled", match.group(), word, why))
    if not changes:
        return text, []
    out.append(text[done:])
    return "".join(out), changes


@lru_cache(maxsize=64)  # a run meets a few languages; a code's parse costs a regex call
def _code(lang: str | None) -> str | None:
    """The two-letter code of ``lang`` if it has a list: ``en-GB`` → ``en``, ``deu`` → ``de``."""
    if not lang:
        return None
    code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    code = _ALIASES.get(code, code)
    return code if code in NEVER_DOUBLED else None


@cache
def _doubles(code: str) -> frozenset[tuple[str, str]]:
    """Each word of ``code``'s list followed by itself: lowercase twice, or capitalised first."""
    return frozenset((first, w) for w in NEVER_DOUBLED[code] for first in (w, w.capitalize()))


@cache
def _pattern(code: str) -> re.Pattern[str]:
    """One word of the list (lowercase or capitalised), then its lowercase repeats."""
    alternatives = "|".join(
        f"(?:{re.escape(w)}|{re.escape(w.capitalize())})(?:{_GAP}{re.escape(w)}(?!{_EDGE}))+"
        for w in sorted(NEVER_DOUBLED[code], key=len, reverse=True)
    )
    return re.compile(f"(?<!{_EDGE})(?:{alternatives})")


def _sentence_start(text: str, i: int) -> bool:
    """Whether a sentence starts at ``i``: the start of the text or of a line, or after
    ``.``, ``!``, ``?`` or ``…`` and a space (quotes and brackets allowed on either side)."""
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == 0 or text[j - 1] == "\n":
        return True
    if j == i:
        return False
    while j > 0 and text[j - 1] in _CLOSERS:
        j -= 1
    return j > 0 and text[j - 1] in ".!?…"

"""The language of a document and its function words.

Stopword share is the strongest single sign that a block is running prose rather than a
menu, so every language needs its own list. jusText ships ranked lists (most frequent word
first) for about a hundred languages; we read its data files directly, without importing
jusText (and with it lxml), and keep the top of each list so that languages with long and
short lists weigh alike. Chinese and Japanese have no spaces: there the function words are
single characters, counted per character.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

#: ISO 639-1 code -> jusText stoplist file name
_JUSTEXT_NAMES = {
    "af": "Afrikaans", "an": "Aragonese", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "fy": "West_Frisian", "ga": "Irish", "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "ht": "Haitian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "ig": "Igbo", "is": "Icelandic", "it": "Italian", "jv": "Javanese", "ka": "Georgian", "kk": "Kazakh",
    "kn": "Kannada", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lb": "Luxembourgish",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ms": "Malay", "mt": "Maltese", "nb": "Norwegian_Bokmal", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal", "oc": "Occitan", "pl": "Polish",
    "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "su": "Sundanese", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "vo": "Volapuk", "wa": "Walloon", "yo": "Yoruba",
}  # fmt: skip

#: Function characters of the languages written without spaces (per character, not per word).
_CHAR_STOPWORDS = {
    "ja": frozenset("のはがをにでとたてしいるなもかられっますこそどへやよね"),
    "zh": frozenset("的了是在和有我他这也不人就都而及与着或你她们之其为以于对个上中到说要会"),
}

#: How many of the most frequent words count as stopwords.
TOP_WORDS = 300


def is_char_language(lang: str | None) -> bool:
    """True for languages whose function words are counted per character."""
    return lang in _CHAR_STOPWORDS


@cache
def stopwords(lang: str | None) -> frozenset[str]:
    """The TOP_WORDS most frequent words of ``lang``, lowercased; empty when unknown.

    >>> "the" in stopwords("en"), "und" in stopwords("de")
    (True, True)
    """
    if lang in _CHAR_STOPWORDS:
        return _CHAR_STOPWORDS[lang]
    name = _JUSTEXT_NAMES.get(lang or "")
    folder = _stoplist_folder()
    if not name or folder is None:
        return frozenset()
    path = folder / f"{name}.txt"
    if not path.is_file():
        return frozenset()
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and word not in words:
            words.append(word)
            if len(words) == TOP_WORDS:
                break
    return frozenset(words)


@lru_cache(maxsize=1)
def _stoplist_folder() -> Path | None:
    spec = importlib.util.find_spec("justext")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


#: Words per language in the vote index: the most frequent ones tell languages apart best.
VOTE_WORDS = 60
_WORD = re.compile(r"\w+")


@cache
def _vote_index() -> dict[str, tuple[tuple[str, float], ...]]:
    """Word -> the languages among whose VOTE_WORDS most frequent words it is, with its weight
    there: 1 for the most frequent word, less down the list."""
    lists = {code: _top_words(name) for code, name in _JUSTEXT_NAMES.items() if code != "no"}  # no = nb
    english = set(lists.get("en", ()))
    index: dict[str, list[tuple[str, float]]] = {}
    for code, words in lists.items():
        if code != "en" and len(english.intersection(words)) >= 8:
            # a small Wikipedia's list full of English words: those words speak for English
            words = [w for w in words if w not in english]
        for rank, word in enumerate(words):
            index.setdefault(word, []).append((code, 1.0 - rank / (2 * VOTE_WORDS)))
    return {word: tuple(codes) for word, codes in index.items()}


def _top_words(name: str) -> list[str]:
    """The VOTE_WORDS most frequent words of a jusText stoplist, lowercased."""
    folder = _stoplist_folder()
    path = folder / f"{name}.txt" if folder else None
    words: list[str] = []
    if path is None or not path.is_file():
        return words
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word = line.strip().lower()
            if word and word not in words:
                words.append(word)
                if len(words) == VOTE_WORDS:
                    break
    return words


def vote_language(text: str, least: int | None = None, margin: float = 1.5) -> str | None:
    """The language most of whose frequent words ``text`` uses, when the vote is clear.

    A language scores how many of its VOTE_WORDS most frequent words appear (not how
    often: small Wikipedias' lists hold English words, which a long English text repeats),
    each weighed by its rank there (a word at the top of English's list is English's).
    Clear means at least ``least`` of them (by default one word in five of the text, from
    4 to 15) and ``margin`` times the runner-up's; sister languages need only a lead.
    Scripts without spaces stay undecided, for script_language or the model to settle.
    """
    index = _vote_index()
    words = _WORD.findall(text.lower())
    least = least or min(15, max(4, len(words) // 5))
    found = {word for word in words if word in index}
    votes: dict[str, float] = {}
    hits: dict[str, int] = {}
    for word in found:
        for code, weight in index[word]:
            votes[code] = votes.get(code, 0.0) + weight
            hits[code] = hits.get(code, 0) + 1
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: kv[1], reverse=True)
    best, score = ranked[0]
    second, runner_up = ranked[1] if len(ranked) > 1 else ("", 0.0)
    if _family(best) and _family(best) == _family(second):
        margin = 1.1  # sister languages share most function words: a lead is enough
    return best if hits[best] >= least and score >= margin * runner_up else None


#: Languages that share most of their function words.
_FAMILIES = (
    {"pt", "gl", "es", "ca", "an", "oc"},
    {"id", "ms", "jv", "su"},
    {"hr", "sr", "bs"},
    {"nb", "nn", "no", "da", "sv"},
    {"cs", "sk"},
    {"nl", "af", "fy"},
)


def _family(code: str) -> int:
    return next((i + 1 for i, family in enumerate(_FAMILIES) if code in family), 0)


# scripts without spaces between words, told apart by their own characters
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def script_language(text: str) -> str | None:
    """Japanese, Korean, Chinese or Thai, from the share of their scripts' characters."""
    if text.isascii():
        return None
    n = max(1, len(text))
    if len(_KANA.findall(text)) > 0.05 * n:
        return "ja"
    if len(_HANGUL.findall(text)) > 0.2 * n:
        return "ko"
    if len(_THAI.findall(text)) > 0.2 * n:
        return "th"
    if len(_HAN.findall(text)) > 0.2 * n:
        return "zh"
    return None


def detect_language(texts: list[str], budget: int = 3000) -> str | None:
    """ISO 639-1 code of the language of the longest texts, or None when there is no text.

    A dump mixes an English menu with a Portuguese article, so the longest blocks speak
    for the page, up to ``budget`` characters of them. A clear vote of function words, or
    a script of its own, decides at once; otherwise py3langid's model does (loading it
    costs half a second, once per process).
    """
    joined = _sample(texts, budget)
    if len(joined) < 20:
        return None
    voted = _clear_language(joined)
    if voted:
        return voted
    import py3langid  # lazy: its model loads on first use

    lang, _score = py3langid.classify(joined)
    return lang


def spoken_language(declared: str | None, texts: list[str], budget: int = 1000) -> str | None:
    """``declared``, unless ``texts`` clearly speak another language, not a sister of it;
    with nothing declared, the language detected.

    A site's template declares one language on every page (``<html lang="en">`` over a
    German article), and a record's language field may be a guess of another tool: trusted,
    it would have the repair "correct" the words of one language into another's
    (``beraten`` to ``beaten``). Only a clear vote of function words, or a script of its
    own, overrules a declaration: nothing is guessed against it.
    """
    if not declared:
        return detect_language(texts)
    joined = _sample(texts, budget)
    voted = _clear_language(joined) if len(joined) >= 20 else None
    if voted is None or voted == declared or (_family(voted) and _family(voted) == _family(declared)):
        return declared
    return voted


def _sample(texts: list[str], budget: int) -> str:
    """The longest of ``texts``, joined, up to ``budget`` characters."""
    sample: list[str] = []
    used = 0
    for text in sorted(texts, key=len, reverse=True):
        if used >= budget:
            break
        sample.append(text[: budget - used])
        used += len(sample[-1])
    return " ".join(sample).strip()


def _clear_language(text: str) -> str | None:
    return vote_language(text) or script_language(text)

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


def detect_language(texts: list[str], budget: int = 3000) -> str | None:
    """ISO 639-1 code of the language of the longest texts, or None when there is no text.

    A dump mixes an English menu with a Portuguese article, so the longest blocks speak
    for the page, up to ``budget`` characters of them.
    """
    sample: list[str] = []
    used = 0
    for text in sorted(texts, key=len, reverse=True):
        if used >= budget:
            break
        sample.append(text[: budget - used])
        used += len(sample[-1])
    joined = " ".join(sample).strip()
    if len(joined) < 20:
        return None
    import py3langid  # lazy: loading the model costs ~150 ms once per process

    lang, _score = py3langid.classify(joined)
    return lang

"""Word frequencies of wordfreq's lists, cheap to load and shared between processes.

``wordfreq.get_frequency_dict`` builds a Python dict per language: English costs 0.3-0.8 s
and 35-50 MB, Russian 1-2 s and 125 MB, in every worker process again. Here a list is
read once per machine into a small file of two sorted arrays: a stable 64-bit hash of each
word as wordfreq stores it (``stable_hashes``) and its frequency in centibels (wordfreq's own
unit: its lists hold nothing finer). Each process maps that file into memory: a few milliseconds
and, for Russian, 7 MB of pages that all processes share.

A word the list does not hold is taken for one that it does only if its hash equals one of
the list's: for Russian's 713,447 words that is a chance of 713,447 / 2**64 (4e-14) per
lookup. Two words of one list with one hash would make the build fail loudly (none do).

The frequent words (Zipf 2.5 and more, the only ones a typo can be corrected to) are also
stored whole and with each letter removed, hashed and sorted: the index by which
``Lexicon.neighbours`` finds the frequent words one edit from a word by lookup.

Answers are wordfreq's: ``zipfs`` gives what ``log10(get_frequency_dict(lang)[preprocess_text
(word, lang)]) + 9`` gives, ``key in lexicon`` what ``key in get_frequency_dict(lang)`` gives.

The files live in ``$DEHUSK_CACHE``, else ``$XDG_CACHE_HOME/dehusk``, else ``~/.cache/dehusk``
(under ``lexicons/``), named after wordfreq's file so that an upgrade builds new ones; when
that directory cannot be written the arrays stay in the process's memory.
"""

from __future__ import annotations

import bisect
import importlib.metadata
import importlib.util
import math
import mmap
import os
import struct
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "Lexicon",
    "cache_dir",
    "deletion_hashes",
    "forget_answers",
    "lexicon",
    "one_edit",
    "run_hashes",
    "stable_hashes",
    "stored_forms",
]

#: bump when the file layout changes: old files are then ignored (and rebuilt under a new name)
FORMAT = 8
_MAGIC = b"dehuskLX"
#: magic, format, number of words, bytes of the alphabet, number of frequent words, bytes of
#: their text, number of keys of their index (see ``Lexicon.neighbours``), the language's normal
#: form (see ``Lexicon.form``), the hash of _PROBE
_HEADER = struct.Struct("<8sIIIIII4sQ")
#: a file written with another hash function (its hash of this differs) is rebuilt, not misread
_PROBE = "dehusk"
#: the alphabet of a language: the letters of its most frequent words (see ``Lexicon.alphabet``)
_ALPHABET_WORDS = 20000
#: Words at least this frequent (Zipf) are also stored as text, for a set in memory (``Lexicon.frequent``)
FREQUENT_ZIPF = 2.5
#: wordfreq's lists stop at bucket 800 (Zipf 1): room to spare
_BUCKETS = 1024


@dataclass(frozen=True, eq=False)
class Lexicon:
    """One wordfreq list: the language's words with their frequencies, looked up by hash."""

    lang: str  # wordfreq's code of the list's language
    large: bool  # a "large" list (words down to Zipf 1), not a "small" one (down to 3)
    alphabet: str  # the letters the list's 20,000 most frequent words are written with
    hashes: np.ndarray  # uint64, sorted: ``stable_hash`` of each word as wordfreq stores it
    centibels: np.ndarray  # uint16, each word's bucket: its frequency is 10 ** (-bucket / 100)
    frequent_text: bytes = b""  # the words of Zipf FREQUENT_ZIPF or more, UTF-8, one a line
    #: uint16, the bucket of each of those words
    frequent_buckets: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint16))
    #: uint64, sorted: ``stable_hash`` of each frequent word whole and with each letter removed ...
    keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    #: ... and, uint32, the frequent word (its line in ``frequent_text``) each key is made from
    owners: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))
    #: "NFC" or "NFKC" when wordfreq's preprocessing of the language is that normal form, then case
    #: folding, and nothing else; "" when it does more (Turkish, Arabic, Serbian...)
    form: str = ""

    def stored_forms(self, words: Sequence[str]) -> list[str]:
        """``stored_forms(words, self.lang)``, without importing wordfreq (0.2 s a process) for a
        language whose preprocessing is a normal form and case folding (see ``simple_form``)."""
        return stored_forms(words, self.lang, self.form)

    @cached_property
    def frequent_words(self) -> list[str]:
        """The words (as wordfreq stores them) of Zipf FREQUENT_ZIPF or more, most frequent first."""
        return bytes(self.frequent_text).decode("utf-8").split("\n") if self.frequent_text else []

    @cached_property
    def frequent(self) -> frozenset[str]:
        """``frequent_words`` as a set: a document's words are told from them in one set
        difference, and the edits of a word the index cannot serve are tested without hashing."""
        return frozenset(self.frequent_words)

    def neighbours(self, words: Sequence[str]) -> list[dict[str, float]] | None:
        """For each of ``words`` (as wordfreq stores them), the frequent words one edit from it,
        with their Zipf frequency: a letter removed, two neighbours swapped, or a letter replaced
        or added, the new letter one of ``alphabet``. None when the file has no index.

        Found as SymSpell finds them, by lookup rather than by making every edit (hundreds, each
        to be tested): two words one edit apart are the same once at most one letter is removed
        from each. The word and the word without each of its letters are looked up at once among
        the frequent words' keys (each whole and without each letter), and each pair found is
        checked letter by letter, which also sets aside pairs two edits apart and hash collisions.
        """
        if not len(self.keys):
            return None
        wanted: list[int] = []
        asking: list[int] = []  # per key: which of ``words`` it is made from
        for k, word in enumerate(words):
            wanted += deletion_hashes(word)
            asking += [k] * (len(word) + 1)
        at, there = _locate(self.keys, np.array(wanted, dtype=np.uint64))
        found: list[dict[str, float]] = [{} for _ in words]
        frequent, values, table = self.frequent_words, self._key_values, _zipf_table()
        for hit in np.flatnonzero(there).tolist():
            word, near = words[asking[hit]], found[asking[hit]]
            start = int(at[hit])
            end = start + 1
            while end < len(values) and values[end] == values[start]:  # words sharing the key
                end += 1
            for number in self.owners[start:end].tolist():
                other = frequent[number]
                if other not in near and one_edit(word, other) and _new_letter(word, other) in self._known:
                    near[other] = table[int(self.frequent_buckets[number])]
        return found

    @cached_property
    def _known(self) -> frozenset[str | None]:
        """The letters a neighbour may put in a word (``alphabet``), and None: none put in."""
        return frozenset([*self.alphabet, None])

    def __len__(self) -> int:
        return len(self.hashes)

    def __contains__(self, key: object) -> bool:
        """Whether the list holds ``key``, a word as wordfreq stores it (see ``stored_forms``)."""
        return isinstance(key, str) and self._bucket(_hash_one(key)) >= 0

    def holds(self, keys: Sequence[str]) -> list[bool]:
        """Whether the list holds each of ``keys`` (words as wordfreq stores them), looked up at once."""
        return (self.buckets(keys) >= 0).tolist()

    def zipfs(self, words: Sequence[str]) -> list[float]:
        """The Zipf frequency of each of ``words`` (0.0 for a word the list lacks), each looked
        up as wordfreq stores it (``hieß`` as ``hiess``).

        Answers are remembered for the process (up to MEMO words per list, then forgotten at
        once): a corpus repeats its words from page to page, and a dict beats hashing anew.
        """
        memo = _memo(self)
        missing = [w for w in dict.fromkeys(words) if w not in memo]
        if len(memo) + len(missing) > MEMO:  # forget everything, then ask for all of these anew
            memo.clear()
            missing = list(dict.fromkeys(words))
        if missing:
            memo.update(zip(missing, self.stored_zipfs(self.stored_forms(missing)), strict=True))
        return [memo[w] for w in words]

    def zipf(self, word: str) -> float:
        return self.zipfs([word])[0]

    def stored_zipfs(self, keys: Sequence[str]) -> list[float]:
        """The Zipf frequency of each of ``keys``, words already in the form wordfreq stores."""
        table = _zipf_table()
        return [table[b] if b >= 0 else 0.0 for b in self.buckets(keys).tolist()]

    def buckets(self, keys: Sequence[str]) -> np.ndarray:
        """The bucket (centibels below 1) of each of ``keys``, -1 for a key the list lacks."""
        if not keys or not len(self.hashes):
            return np.full(len(keys), -1, dtype=np.int32)
        if len(keys) < _FEW:
            return np.array([self._bucket(_hash_one(key)) for key in keys], dtype=np.int32)
        at, there = _locate(self.hashes, stable_hashes(keys))
        return np.where(there, self.centibels[at].astype(np.int32), -1)

    def _bucket(self, wanted: int) -> int:
        """The bucket of one hash: a binary search in Python, cheaper than a call into numpy."""
        values = self._values
        at = bisect.bisect_left(values, wanted)
        return int(self.centibels[at]) if at < len(values) and values[at] == wanted else -1

    @cached_property
    def _values(self) -> Sequence[int]:
        """The hashes as Python integers come: a view of the same memory where the byte order allows."""
        return _as_ints(self.hashes)

    @cached_property
    def _key_values(self) -> Sequence[int]:
        """The index's keys as Python integers come (see ``_values``)."""
        return _as_ints(self.keys)


def _locate(hashes: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``wanted`` is (the first of equal ones) in ``hashes`` (sorted, not empty),
    and whether it is there at all."""
    at = np.searchsorted(hashes, wanted)
    np.minimum(at, len(hashes) - 1, out=at)
    return at, hashes[at] == wanted


def _as_ints(array: np.ndarray) -> Sequence[int]:
    """A uint64 array's values as Python integers: a view of its memory where the byte order allows."""
    if sys.byteorder == "little":
        return memoryview(array).cast("B").cast("Q")
    return array.tolist()


def one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is one deletion, insertion, substitution or swap of neighbours from ``a``,
    found in one pass instead of by making every edit.

    >>> one_edit("syriad", "syria"), one_edit("teh", "the"), one_edit("cat", "dog")
    (True, True, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i + 1 :] or swapped


def _new_letter(word: str, other: str) -> str | None:
    """The letter ``other`` (one edit from ``word``) puts in or in place of one of ``word``'s;
    None when it drops a letter or swaps two."""
    if len(other) < len(word):
        return None
    i = next((k for k in range(len(word)) if word[k] != other[k]), len(word))
    if len(other) > len(word):
        return other[i]
    return other[i] if word[i + 1 :] == other[i + 1 :] else None


#: How many words' answers a process remembers per list (about 100 bytes each).
MEMO = 200_000


@cache
def _memo(lexicon: Lexicon) -> dict[str, float]:
    return {}


def forget_answers() -> None:
    """Forget the Zipf frequencies every list remembers (``Lexicon.zipfs``)."""
    _memo.cache_clear()


def stable_hashes(keys: Sequence[str]) -> np.ndarray:
    """A 64-bit hash of each key that every process, run and machine agrees on (``hash()`` does not),
    computed for a whole batch at once: hundreds of keys in the time blake2b takes for a few dozen.

    Simple tabulation hashing over code points: ``sum(mix(c[i] * R[i])) + len * G`` (mod 2**64),
    where ``mix`` is splitmix64's finaliser and ``R[i] = mix((i + 1) * G) | 1`` (no random
    generator, whose streams may change with numpy's version). The terms of two different
    strings differ by pseudo-random 64-bit numbers, so they share a hash with a chance of 2**-64.
    """
    if len(keys) < _FEW:
        return np.array([_hash_one(key) for key in keys], dtype=np.uint64)
    lengths = np.fromiter(map(len, keys), dtype=np.uint64, count=len(keys))
    return _hash_block(list(keys), lengths)


def run_hashes(codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``stable_hashes`` of the strings ``codes[start : start + length]`` (code points), hashed
    where they lie in ``codes``: a page's words are looked up without being made strings."""
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    if len(starts) > 1 and int(lengths.sum()) > _CELLS:  # a huge page: in halves, temporaries bounded
        half = len(starts) // 2
        return np.concatenate(
            [
                run_hashes(codes, starts[:half], lengths[:half]),
                run_hashes(codes, starts[half:], lengths[half:]),
            ]
        )
    offsets = np.cumsum(lengths) - lengths  # where each run's characters begin in the gathered array
    place = np.arange(int(lengths.sum())) - np.repeat(offsets, lengths)  # each character's place in its run
    terms = (
        codes[np.repeat(starts, lengths) + place].astype(np.uint64) * _multipliers(int(lengths.max()))[place]
    )
    _mix(terms)
    return np.add.reduceat(terms, offsets, dtype=np.uint64) + lengths.astype(np.uint64) * _GOLDEN


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_CELLS = 1 << 20  # characters hashed at once, padding included: 8 MB of temporaries at most
#: fewer keys than this are hashed one by one in Python: numpy's calls cost more than they save
_FEW = 12
_MASK = (1 << 64) - 1


def _hash_one(key: str) -> int:
    """``stable_hashes`` of one key, in Python integers."""
    total = len(key) * int(_GOLDEN)
    for i, c in enumerate(key):
        total += _term(c, i)
    return total & _MASK


def deletion_hashes(word: str) -> list[int]:
    """``stable_hashes`` of ``word``, then of ``word`` without each of its letters in turn, from
    the terms of its letters: the hash is a sum of one term per letter and place, so removing a
    letter removes its term and moves the later ones a place down (two running sums)."""
    size = len(word)
    before = [0]  # the terms of the letters before each place, in their places
    for i, c in enumerate(word):
        before.append(before[-1] + _term(c, i))
    after = [0] * (size + 1)  # the terms of the letters after each place, a place down
    for i in range(size - 1, 0, -1):
        after[i] = after[i + 1] + _term(word[i], i - 1)
    shorter = (size - 1) * int(_GOLDEN)
    return [(before[size] + size * int(_GOLDEN)) & _MASK] + [
        (before[i] + after[i + 1] + shorter) & _MASK for i in range(size)
    ]


@lru_cache(maxsize=1 << 16)
def _term(c: str, i: int) -> int:
    """``mix(c * R[i])``: a language writes few letters, so these are asked again and again."""
    return _mix_int((ord(c) * (_mix_int(((i + 1) * int(_GOLDEN)) & _MASK) | 1)) & _MASK)


def _mix_int(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _hash_block(keys: list[str], lengths: np.ndarray) -> np.ndarray:
    width = max(1, int(lengths.max()))
    if len(keys) > 1 and len(keys) * width > _CELLS:  # a very long key among many: halve the batch
        half = len(keys) // 2
        return np.concatenate(
            [_hash_block(keys[:half], lengths[:half]), _hash_block(keys[half:], lengths[half:])]
        )
    points = np.array(keys, dtype=str).view(np.uint32).reshape(len(keys), -1)  # padded with 0s
    terms = points * _multipliers(points.shape[1])  # uint32 * uint64: uint64, wrapping
    _mix(terms)  # mix(0) is 0: the padding adds nothing
    return terms.sum(axis=1, dtype=np.uint64) + lengths * _GOLDEN


def _multipliers(width: int) -> np.ndarray:
    """``R[i]`` for the positions of a key ``width`` characters long (read-only)."""
    if width <= len(_SHORT_MULTIPLIERS):  # a word: made once, not once per batch
        return _SHORT_MULTIPLIERS[:width]
    return _make_multipliers(width)


def _make_multipliers(width: int) -> np.ndarray:
    r = np.arange(1, width + 1, dtype=np.uint64) * _GOLDEN
    return _mix(r) | np.uint64(1)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


_SHORT_MULTIPLIERS = _make_multipliers(256)
_SHORT_MULTIPLIERS.flags.writeable = False


def stored_forms(words: Sequence[str], lang: str, form: str = "") -> list[str]:
    """``words`` as wordfreq stores them: ``preprocess_text`` (case folded, normalised, for some
    languages transliterated), one call for the lot. ``form`` ("NFC", "NFKC": ``Lexicon.form``)
    says the language's preprocessing is that normal form and case folding alone: it is done
    here then, without importing wordfreq.

    The steps act on each character or on a character and the marks after it, and a line
    break neither composes nor case-folds with anything, so the words joined by line breaks
    come out as they would one by one, in a fraction of the time.
    """
    if form:

        def preprocess(text: str, _lang: str) -> str:
            return unicodedata.normalize(form, text).casefold()

    else:
        from wordfreq.preprocess import preprocess_text as preprocess  # lazy: its import costs 0.2 s

    if not words:
        return []
    joined = "\n".join(words)
    if joined.count("\n") == len(words) - 1:
        forms = preprocess(joined, lang).split("\n")
        if len(forms) == len(words):
            return forms
    return [preprocess(w, lang) for w in words]


@cache
def lexicon(lang: str, wordlist: str = "best") -> Lexicon | None:
    """wordfreq's list ``wordlist`` for exactly the language code ``lang``, or None when there is
    none; mapped from the cache, built there on first use. As in wordfreq, "best" is the large
    list where there is one, else the small one."""
    source = wordlists(wordlist).get(lang)
    return None if source is None else load(Path(source), cache_dir())


@cache
def wordlists(wordlist: str = "best") -> dict[str, str]:
    """``wordfreq.available_languages(wordlist)``: its list files by language, found the way it
    finds them (a glob of its data folder) without importing it, which costs 0.2 s a process."""
    if wordlist == "best":
        return wordlists("small") | wordlists("large")
    spec = importlib.util.find_spec("wordfreq")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return {}
    found = {}
    for path in (Path(next(iter(folders))) / "data").glob("*.msgpack.gz"):
        if not path.name.startswith("_"):
            name, lang = path.name.split(".")[0].split("_")
            if name == wordlist:
                found[lang] = str(path)
    return found


def simple_form(lang: str) -> str:
    """The normal form wordfreq's ``preprocess_text`` applies for ``lang`` when that and case
    folding are all it does, else "" (its steps, as its source and documentation give them:
    normal form, transliteration, removal of marks, case folding, diacritics)."""
    from wordfreq.language_info import get_language_info  # at build time only

    info = get_language_info(lang)
    plain = not info["transliteration"] and not info["remove_marks"] and not info["dotless_i"]
    return info["normal_form"] if plain and not info["diacritics_under"] else ""


def load(source: Path, directory: Path | None) -> Lexicon:
    """The list in wordfreq's file ``source``, from its lexicon file in ``directory`` (written
    first if missing), or built in memory when ``directory`` is None or cannot be written."""
    kind, lang = source.name.split(".")[0].split("_", 1)
    if directory is not None:
        path = directory / f"{kind}_{lang}.{_made(source)}.v{FORMAT}.lex"
        try:
            return _read(path, lang, kind)
        except (OSError, ValueError):
            pass  # not built yet (or damaged, or from a crashed writer): build it
    built = _build(source, lang, kind)
    if directory is not None:
        try:
            _write(path, built)
            _prune(directory, f"{kind}_{lang}")
            return _read(path, lang, kind)
        except (OSError, ValueError):
            pass  # a read-only cache: this process keeps its own copy
    return built


def _made(source: Path) -> str:
    """What a lexicon file is made from: wordfreq's version and list file (its size), and the
    Unicode of this Python (``str.isalpha`` picks the alphabet). Every environment with the same
    wordfreq shares one file; an upgrade builds a new one."""
    version = _wordfreq_version() or f"mtime{source.stat().st_mtime_ns}"
    return f"wordfreq{version}-{source.stat().st_size}.unicode-{unicodedata.unidata_version}"


@cache
def _wordfreq_version() -> str | None:
    """wordfreq's version (read once: its metadata takes a few milliseconds to find), or None
    for wordfreq's data without its metadata."""
    try:
        return importlib.metadata.version("wordfreq")
    except importlib.metadata.PackageNotFoundError:
        return None


def _prune(directory: Path, name: str) -> None:
    """Remove the files of list ``name`` in an older layout: no dehusk of this one reads them.
    (A process that maps one keeps its pages: removing a file does not unmap it.)"""
    for old in directory.glob(f"{name}.*.lex"):
        layout = old.name.rsplit(".v", 1)[-1].removesuffix(".lex")
        if layout.isdigit() and int(layout) < FORMAT:
            old.unlink(missing_ok=True)


def cache_dir() -> Path:
    """Where lexicon files live: ``$DEHUSK_CACHE/lexicons``, else under ``$XDG_CACHE_HOME/dehusk``
    or ``~/.cache/dehusk``."""
    base = os.environ.get("DEHUSK_CACHE")
    if base:
        return Path(base) / "lexicons"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "dehusk" / "lexicons"


def _build(source: Path, lang: str, kind: str) -> Lexicon:
    """The lexicon of wordfreq's list file ``source``, in memory."""
    hashes, buckets, top, frequent, frequent_buckets = _read_buckets(source)
    # wordfreq's dict keeps a word's last bucket should a list repeat it: so does a stable sort
    order = np.argsort(hashes, kind="stable")
    hashes, buckets = hashes[order], buckets[order]
    same = np.flatnonzero(hashes[1:] == hashes[:-1])
    if len(same):  # no list of wordfreq 3.1 repeats a word; should one, tell repeats from collisions
        import wordfreq

        words = [word for bucket in wordfreq.read_cBpack(str(source)) for word in bucket]
        if any(words[order[i]] != words[order[i + 1]] for i in same.tolist()):
            raise ValueError(f"two words of {source.name} share a 64-bit hash: change the hash")
        last = np.ones(len(hashes), dtype=bool)
        last[same] = False  # of a repeated word, the later (rarer) bucket stays
        hashes, buckets = hashes[last], buckets[last]
    alphabet = "".join(sorted({ch for word in top for ch in word if ch.isalpha()}))
    keys, owners = _index(frequent)
    return Lexicon(
        lang,
        kind == "large",
        alphabet,
        np.ascontiguousarray(hashes),
        np.ascontiguousarray(buckets),
        "\n".join(frequent).encode("utf-8"),
        frequent_buckets,
        keys,
        owners,
        simple_form(lang),
    )


def _index(frequent: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The index of ``Lexicon.neighbours``: each frequent word whole and with each letter removed,
    hashed and sorted, and which word each is made from (``Lexicon.owners``)."""
    keys: list[str] = []
    owners: list[int] = []
    for k, word in enumerate(frequent):
        keys += [word] + [word[:i] + word[i + 1 :] for i in range(len(word))]
        owners += [k] * (len(word) + 1)
    hashes = stable_hashes(keys)
    order = np.argsort(hashes, kind="stable")
    return np.ascontiguousarray(hashes[order]), np.array(owners, dtype=np.uint32)[order]


def _read_buckets(source: Path) -> tuple[np.ndarray, np.ndarray, list[str], list[str], np.ndarray]:
    """The hash and the bucket of each word of a wordfreq list file, in the file's order, its
    first (most frequent) words, and its words of Zipf FREQUENT_ZIPF or more with their buckets.

    The file is read one bucket at a time (it is gzipped msgpack: a header, then a list of words
    per centibel, as ``wordfreq.read_cBpack`` documents it): ``read_cBpack`` holds all the words at
    once, 130 MB at the peak for Russian where this needs 30, and takes half as long again.
    """
    import gzip

    import msgpack  # wordfreq's own dependency, for its own format

    hashes: list[np.ndarray] = []
    sizes: list[int] = []
    top: list[str] = []  # the list is ordered by frequency, as wordfreq's dict is
    frequent: list[str] = []
    frequent_buckets: list[int] = []
    zipf = _zipf_table()
    with gzip.open(source, "rb") as file:
        unpacker = msgpack.Unpacker(file, raw=False)
        count = unpacker.read_array_header() - 1
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
            raise ValueError(f"{source.name}: unexpected header {header!r}")
        if count > _BUCKETS:
            raise ValueError(f"{source.name} has {count} buckets, more than {_BUCKETS}")
        for bucket in range(count):
            words = unpacker.unpack()
            hashes.append(stable_hashes(words))
            sizes.append(len(words))
            top += words[: max(0, _ALPHABET_WORDS - len(top))]
            if zipf[bucket] >= FREQUENT_ZIPF:
                kept = [w for w in words if "\n" not in w]  # one a line in the file
                frequent += kept
                frequent_buckets += [bucket] * len(kept)
    buckets = np.repeat(np.arange(count, dtype=np.uint16), sizes)
    every = np.concatenate([np.empty(0, dtype=np.uint64), *hashes])
    return every, buckets, top, frequent, np.array(frequent_buckets, dtype=np.uint16)


def _layout(count: int, alphabet: bytes, frequent: int, text: int, keys: int) -> tuple[int, ...]:
    """Offsets of the hashes, the index's keys and their words, the buckets, the frequent words' buckets
    and text, and the file's size: the 8-byte arrays first, then the 4-, 2- and 1-byte ones."""
    hashes_at = -(-(_HEADER.size + len(alphabet)) // 8) * 8
    keys_at = hashes_at + 8 * count
    owners_at = keys_at + 8 * keys
    buckets_at = owners_at + 4 * keys
    frequent_buckets_at = buckets_at + 2 * count
    text_at = frequent_buckets_at + 2 * frequent
    return hashes_at, keys_at, owners_at, buckets_at, frequent_buckets_at, text_at, text_at + text


def _write(path: Path, built: Lexicon) -> None:
    """Write a lexicon file whole or not at all: several processes may build it at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    letters = built.alphabet.encode("utf-8")
    frequent, text, keys = len(built.frequent_buckets), len(built.frequent_text), len(built.keys)
    sizes = (len(built.hashes), len(letters), frequent, text, keys)
    hashes_at = _layout(len(built.hashes), letters, frequent, text, keys)[0]
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            probe = int(stable_hashes([_PROBE])[0])
            out.write(_HEADER.pack(_MAGIC, FORMAT, *sizes, built.form.encode("ascii"), probe) + letters)
            out.write(b"\0" * (hashes_at - out.tell()))
            out.write(built.hashes.astype("<u8").tobytes())
            out.write(built.keys.astype("<u8").tobytes())
            out.write(built.owners.astype("<u4").tobytes())
            out.write(built.centibels.astype("<u2").tobytes())
            out.write(built.frequent_buckets.astype("<u2").tobytes())
            out.write(built.frequent_text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the cache may serve other users
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path, lang: str, kind: str) -> Lexicon:
    with path.open("rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) < _HEADER.size:
        raise ValueError(f"{path}: not a lexicon file")
    magic, version, count, letters, frequent, text, keys, form, probe = _HEADER.unpack_from(mapped, 0)
    alphabet = bytes(mapped[_HEADER.size : _HEADER.size + letters])
    hashes_at, keys_at, owners_at, buckets_at, frequent_buckets_at, text_at, size = _layout(
        count, alphabet, frequent, text, keys
    )
    if magic != _MAGIC or version != FORMAT or len(mapped) != size:
        raise ValueError(f"{path}: not a lexicon file of format {FORMAT}")
    if probe != int(stable_hashes([_PROBE])[0]):
        raise ValueError(f"{path}: written with another hash function")
    return Lexicon(
        lang,
        kind == "large",
        alphabet.decode("utf-8"),
        np.frombuffer(mapped, dtype="<u8", count=count, offset=hashes_at),
        np.frombuffer(mapped, dtype="<u2", count=count, offset=buckets_at),
        mapped[text_at:size],  # copied: bytes; a set of them is built when first asked
        np.frombuffer(mapped, dtype="<u2", count=frequent, offset=frequent_buckets_at),
        np.frombuffer(mapped, dtype="<u8", count=keys, offset=keys_at),
        np.frombuffer(mapped, dtype="<u4", count=keys, offset=owners_at),
        form.rstrip(b"\0").decode("ascii"),
    )


@cache
def _zipf_table() -> tuple[float, ...]:
    """The Zipf frequency of each bucket, computed as the typo repair always computed it from
    wordfreq's dict (the same float, to the last bit, so that no decision moves): ``log10(f) + 9``
    of ``f = wordfreq.cB_to_freq(-bucket)``, which is ``10 ** (-bucket / 100)``."""
    return tuple(math.log10(10 ** (-bucket / 100)) + 9 for bucket in range(_BUCKETS))

"""The lexicon: wordfreq's answers, from a small mapped file built once.

The answers are compared with wordfreq's own dict (every word of a small list, a sample of a
large one, and forms that must be preprocessed); the file with what happens when it is missing,
damaged, unwritable or built by several writers at once.
"""

from __future__ import annotations

import importlib.metadata
import math
import random
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import wordfreq
from wordfreq.preprocess import preprocess_text

from dehusk.repair.lexicon import (
    FREQUENT_ZIPF,
    Lexicon,
    cache_dir,
    deletion_hashes,
    load,
    stable_hashes,
    stored_forms,
)

TRICKY = {  # forms that preprocessing changes: case, ß, dotted I, cedillas, marks, widths, scripts
    "de": ["Straße", "STRASSE", "natu\u0308rlich", "Größe", "hieß"],
    "en": ["The", "NAÏVE", "ﬁre", "Café", "x\u0301"],
    "tr": ["İSTANBUL", "HAKKINDA", "kișinin"],
    "ro": ["ACELAŞI", "școala"],
    "ar": ["كَلِمَة", "الحمــــــد"],
    "sh": ["схваташ", "культуры"],
    "ja": ["Ｕターン", "ｶﾀｶﾅ"],
    "ko": ["\u1102\u1161\u11c0\u1106\u1161\u11af"],
    "el": ["ΛΈΞΙΣ", "λέξις"],
}


def _source(lang: str) -> Path:
    return Path(wordfreq.available_languages()[lang])


def _dict_zipf(freq: dict[str, float], word: str, lang: str) -> float:
    """What the typo repair computed before the lexicon: wordfreq's dict, after preprocess_text."""
    share = freq.get(preprocess_text(word, lang), 0.0)
    return math.log10(share) + 9 if share > 0 else 0.0


@pytest.fixture(scope="module")
def hungarian(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    return load(_source("hu"), tmp_path_factory.mktemp("lexicons"))


def test_every_word_of_a_small_list_has_wordfreqs_frequency(hungarian: Lexicon) -> None:
    freq = wordfreq.get_frequency_dict("hu")
    words = list(freq)
    assert not hungarian.large and hungarian.lang == "hu" and len(hungarian) == len(words)
    assert hungarian.zipfs(words) == [_dict_zipf(freq, w, "hu") for w in words]
    assert hungarian.holds(words) == [True] * len(words)
    assert "magyar" in hungarian and "qxzqxz" not in hungarian and 3 not in hungarian


def test_words_a_list_lacks_are_zero(hungarian: Lexicon) -> None:
    rng = random.Random(1)
    freq = wordfreq.get_frequency_dict("hu")
    made = [
        "".join(rng.choice("aábcdeéfghiíjklmnoóöőprstuúüűvz") for _ in range(rng.randrange(1, 12)))
        for _ in range(5000)
    ]
    assert hungarian.zipfs(made) == [_dict_zipf(freq, w, "hu") for w in made]
    assert sum(z == 0.0 for z in hungarian.zipfs(made)) > 4000
    assert hungarian.zipfs([]) == []


def test_a_large_list_answers_as_wordfreqs_dict(tmp_path: Path) -> None:
    english = load(_source("en"), tmp_path)
    freq = wordfreq.get_frequency_dict("en")
    rng = random.Random(2)
    words = rng.sample(list(freq), 20000)
    probes = words + [w.title() for w in words[:3000]] + [w + "q" for w in words[:3000]] + TRICKY["en"]
    assert english.large
    assert english.zipfs(probes) == [_dict_zipf(freq, w, "en") for w in probes]
    assert english.zipf("the") == pytest.approx(7.73, abs=0.01)
    top = sorted(freq, key=freq.__getitem__, reverse=True)[:20000]
    assert english.alphabet == "".join(sorted({ch for w in top for ch in w if ch.isalpha()}))
    frequent = {w for w in freq if _dict_zipf(freq, w, "en") >= FREQUENT_ZIPF}
    assert english.frequent == frequent and 40000 < len(frequent) < 80000
    assert load(_source("en"), tmp_path).frequent == frequent  # as read back from the file


@pytest.mark.parametrize("lang", sorted(TRICKY))
def test_words_are_preprocessed_together_as_one_by_one(lang: str) -> None:
    words = TRICKY[lang] + [w.lower() for w in TRICKY[lang]] + ["\u0301a", "", "a b"]
    assert stored_forms(words, lang) == [preprocess_text(w, lang) for w in words]
    assert stored_forms(["two\nlines", "x"], lang) == [preprocess_text(w, lang) for w in ["two\nlines", "x"]]


def _reference_hash(s: str) -> int:
    """The hash as documented, one character at a time in Python integers."""
    mask = (1 << 64) - 1
    golden = 0x9E3779B97F4A7C15

    def mix(x: int) -> int:
        x ^= x >> 30
        x = (x * 0xBF58476D1CE4E5B9) & mask
        x ^= x >> 27
        x = (x * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    terms = (mix((ord(c) * (mix(((i + 1) * golden) & mask) | 1)) & mask) for i, c in enumerate(s))
    return (sum(terms) + len(s) * golden) & mask


def test_hashes_are_stable_across_processes_and_batches() -> None:
    # files on disk hold these: a change of the hash must change FORMAT (the probe catches it too)
    assert int(stable_hashes(["the"])[0]) == 0x1D09CE38CB6071F6
    keys = ["the", "", "a\0", "a", "straße", "\U0010ffff", "x" * 3000, "кошка"] + [
        f"w{i}" for i in range(2000)
    ]
    hashes = stable_hashes(keys)  # one key 3000 long among 2000 short: the batch is split
    assert [int(h) for h in hashes] == [_reference_hash(k) for k in keys]
    assert [int(stable_hashes([k])[0]) for k in keys[:8]] == [int(h) for h in hashes[:8]]
    assert len(set(hashes.tolist())) == len(keys)
    assert stable_hashes([]).shape == (0,)


def test_the_file_is_built_once_then_mapped(tmp_path: Path) -> None:
    first = load(_source("hu"), tmp_path)
    (written,) = tmp_path.glob("*.lex")
    stamp = written.stat().st_mtime_ns
    second = load(_source("hu"), tmp_path)
    assert written.stat().st_mtime_ns == stamp
    assert not second.hashes.flags.writeable  # mapped from the file, shared with other processes
    assert np.array_equal(first.hashes, second.hashes) and np.array_equal(first.centibels, second.centibels)
    assert second.alphabet == first.alphabet and "ő" in second.alphabet


def test_one_file_per_wordfreq_and_older_layouts_are_removed(tmp_path: Path) -> None:
    """Environments with the same wordfreq share a file (named by its version, not its install);
    building one removes the list's files of older layouts, never another list's or version's."""
    older = tmp_path / "small_hu.wordfreq3.0-1.unicode-14.0.0.v2.lex"
    other_version = tmp_path / "small_hu.wordfreq9.9-1.unicode-14.0.0.v999.lex"
    other_list = tmp_path / "small_de.wordfreq3.0-1.unicode-14.0.0.v2.lex"
    for path in (older, other_version, other_list):
        path.write_bytes(b"old")
    load(_source("hu"), tmp_path)
    built = [p for p in tmp_path.glob("small_hu.*.lex") if p != other_version]
    assert len(built) == 1 and f"wordfreq{importlib.metadata.version('wordfreq')}" in built[0].name
    assert not older.exists() and other_version.exists() and other_list.exists()


def test_a_damaged_file_is_rebuilt(tmp_path: Path, hungarian: Lexicon) -> None:
    load(_source("hu"), tmp_path)
    (written,) = tmp_path.glob("*.lex")
    written.write_bytes(written.read_bytes()[:1000])  # cut short, as by a full disk
    again = load(_source("hu"), tmp_path)
    assert np.array_equal(again.hashes, hungarian.hashes)
    assert written.stat().st_size > 100_000


def test_an_unwritable_cache_keeps_the_list_in_memory(tmp_path: Path, hungarian: Lexicon) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a directory")
    found = load(_source("hu"), blocker / "lexicons")
    assert found.hashes.flags.writeable and np.array_equal(found.hashes, hungarian.hashes)
    assert load(_source("hu"), None).zipf("magyar") == hungarian.zipf("magyar") > 4


def test_writers_at_once_leave_one_whole_file(tmp_path: Path, hungarian: Lexicon) -> None:
    with ThreadPoolExecutor(4) as pool:
        built = list(pool.map(lambda _: load(_source("hu"), tmp_path), range(4)))
    assert all(np.array_equal(b.hashes, hungarian.hashes) for b in built)
    assert [p.suffix for p in tmp_path.iterdir()] == [".lex"]


def test_the_cache_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DEHUSK_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine" / "lexicons"
    monkeypatch.delenv("DEHUSK_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "dehusk" / "lexicons"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "dehusk" / "lexicons"


def test_remembered_answers_are_the_lists_even_when_the_memo_overflows(
    hungarian: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dehusk.repair.lexicon as module

    words = list(wordfreq.get_frequency_dict("hu"))
    sample = [*random.Random(3).sample(words, 60), "nincsilyenszó", "zzzq"]
    expected = hungarian.stored_zipfs(stored_forms(sample, "hu"))
    monkeypatch.setattr(module, "MEMO", 25)  # forgotten again and again
    for start in range(0, len(sample), 20):
        assert hungarian.zipfs(sample[start : start + 20] * 2) == expected[start : start + 20] * 2
    assert hungarian.zipfs(sample) == expected


def test_neighbours_are_what_every_edit_finds(hungarian: Lexicon) -> None:
    """The index gives the frequent words that making every edit (a letter removed, two swapped,
    a letter of the alphabet put in or in place of another) and testing it against the set gives:
    no more, no fewer, each with its own frequency."""
    from dehusk.repair.typos import _edits

    rng = random.Random(3)
    frequent = sorted(hungarian.frequent)
    words = ["magyar", "magyr", "maggyar", "mgyar", "amgyar", "a", "ő", *rng.sample(frequent, 200)]
    words += [w[:2] + "x" + w[3:] for w in rng.sample(frequent, 100) if len(w) > 3]
    words += [w[1] + w[0] + w[2:] for w in rng.sample(frequent, 100) if len(w) > 3]
    found = hungarian.neighbours(words)
    assert found is not None
    for word, near in zip(words, found, strict=True):
        brute = sorted(c for c in _edits(word, hungarian.alphabet) if c in hungarian.frequent)
        assert sorted(near) == brute, word
        assert list(near.values()) == hungarian.zipfs(list(near))
    assert {"magyar"} <= set(found[1]) & set(found[2]) & set(found[3]) & set(found[4])
    assert hungarian.neighbours(words[:1]) == found[:1]  # alone as in a batch


def test_a_words_deletion_hashes_are_the_hashes_of_its_deletions() -> None:
    for word in ["syriad", "a", "", "кошка", "straße", "x" * 300]:
        deletions = [word] + [word[:i] + word[i + 1 :] for i in range(len(word))]
        assert deletion_hashes(word) == [int(h) for h in stable_hashes(deletions)]


def test_the_lists_are_found_as_wordfreq_finds_them() -> None:
    from dehusk.repair.lexicon import _zipf_table, wordlists

    for wordlist in ("best", "large", "small"):
        assert wordlists(wordlist) == wordfreq.available_languages(wordlist)
    assert _zipf_table() == tuple(math.log10(wordfreq.cB_to_freq(-b)) + 9 for b in range(len(_zipf_table())))


@pytest.mark.parametrize("lang", ["de", "ja", "tr", "ar"])  # NFC, NFKC, dotless i, marks
def test_a_lists_own_preprocessing_is_wordfreqs(lang: str, tmp_path: Path) -> None:
    """A lexicon preprocesses words itself where wordfreq's steps are a normal form and case
    folding (English, German, Greek, Japanese...), and asks wordfreq elsewhere (Turkish, Arabic...)."""
    found = load(_source(lang), tmp_path)
    words = TRICKY[lang] + [w.lower() for w in TRICKY[lang]] + ["\u0301a", "", "a b", "two\nlines"]
    assert found.stored_forms(words) == [preprocess_text(w, lang) for w in words]
    assert bool(found.form) == (lang in ("de", "en", "el", "ja", "ko"))


def test_run_hashes_are_the_stable_hashes_of_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Words hashed where they lie in a page's code points hash as the words themselves do, in
    one batch or in the halves a huge page is cut into."""
    from dehusk.repair import lexicon as module
    from dehusk.repair.lexicon import run_hashes

    text = "Straße ǅemal 日本語 the a İstanbul 𝔘𝔫𝔦 x " * 40
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    words = list(re.finditer(r"\w+", text))
    starts = np.array([m.start() for m in words])
    lengths = np.array([m.end() - m.start() for m in words])
    expected = stable_hashes([m.group() for m in words])
    assert np.array_equal(run_hashes(codes, starts, lengths), expected)
    monkeypatch.setattr(module, "_CELLS", 16)  # halved again and again
    assert np.array_equal(run_hashes(codes, starts, lengths), expected)
    assert len(run_hashes(codes, starts[:0], lengths[:0])) == 0

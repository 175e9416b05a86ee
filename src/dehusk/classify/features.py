"""Numbers that describe a block, alone and among its neighbours.

A flattened page keeps only its words, so the features ask what a reader would: does the
block read like prose (length, function words, full stops) or like a menu (short lines,
capitalised items, separators)? Does it carry a cue of some kind of boilerplate? Where
does it stand: inside the long run of prose that is the article, or before or after it?
Does it repeat? The same features serve HTML blocks, which add DOM features later.

Every feature is a float; the tables FEATURES and the matrix columns are in one order.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

from dehusk.classify.cues import cue_bits, cue_kinds
from dehusk.dates import find_dates, has_time
from dehusk.document import Block
from dehusk.memo import text_cache
from dehusk.repair.lexicon import run_hashes, stable_hashes

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TRAILING_CLOSERS = "\"'”’»)]*"
_ENDERS = ".!?。！？…:;"


@text_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Lowercased words of ``text`` joined by single spaces: the key for repetition.

    Cached: features, duplicates and the header finder all key the same blocks.
    """
    return " ".join(_WORD.findall(text.lower()))


LOCAL = [
    "log_chars", "log_words", "lines", "words_per_line", "max_line_words", "short_lines", "stop_ratio",
    "log_stops", "ends_sentence", "lines_ending_sentence", "sentences", "cap_ratio", "allcaps_ratio",
    "digit_ratio", "punct_ratio", "avg_word_len", "separators", "comma_list", "has_date", "date_share",
    "has_time", "url", "quotes", "starts_lower", "starts_symbol", "cap_prefix", "any_cue",
]  # fmt: skip

#: Dates and clock times are looked for in blocks up to this long: a dateline is short.
DATE_REACH = 200
_COMMA_SPLIT = re.compile(r"[,;]")
_QUOTE_OPENERS = "\"'“‘«(¿¡"
_SEPARATOR = "\x1f"  # between blocks in the page-wide string: a control character no text keeps


#: Character classes as bits, looked up per code point (one gather per page, not one test per class).
SPACE, ENDER, SEP, DASH, QUOTE, COMMA, DIGIT, WORD = (1 << k for k in range(8))
_CLASS_LIMIT = 0xFFFF  # code points above (other planes) count as letters


def _class_table() -> np.ndarray:
    table = np.full(_CLASS_LIMIT + 1, WORD, dtype=np.uint8)  # CJK and other scripts: letters
    for cp in range(0x3100):  # below, ask Python (a few milliseconds, once)
        ch = chr(cp)
        table[cp] = WORD * (ch.isalnum() or ch == "_") | DIGIT * ("0" <= ch <= "9")
    table[0xFE30:0xFE50] = 0  # CJK compatibility forms
    table[0xFF00:0xFF10] = table[0xFF1A:0xFF21] = 0  # full-width punctuation
    for chars, flag in ((" \t\n\r\u00a0\u2002\u2003\u2009\u3000", SPACE), (".!?。！？…", ENDER),
                        ("»›|·•→/>", SEP), ("-–—", DASH), ("\"“”„«»", QUOTE), (",;", COMMA)):  # fmt: skip
        for ch in chars:
            table[ord(ch)] |= flag
    return table


_CLASSES = _class_table()
ALPHA, UPPER, WORDCHAR = 1, 2, 4


def _is_wordchar(ch: str) -> bool:
    """What ``\\w`` matches: a letter, a digit or a numeral of any script, or ``_``."""
    return ch.isalnum() or ch == "_"


@lru_cache(maxsize=1)
def _letter_table() -> np.ndarray:
    """``str.isalpha`` (ALPHA), ``str.isupper`` (UPPER) and ``\\w`` (WORDCHAR) of the BMP's code points."""
    chars = [chr(cp) for cp in range(_CLASS_LIMIT + 1)]
    alpha = np.fromiter(map(str.isalpha, chars), dtype=np.uint8, count=len(chars))
    upper = np.fromiter(map(str.isupper, chars), dtype=np.uint8, count=len(chars))
    word = np.fromiter(map(_is_wordchar, chars), dtype=np.uint8, count=len(chars))
    return alpha * ALPHA | upper * UPPER | word * WORDCHAR


def _letter_case(codes: np.ndarray) -> np.ndarray:
    """ALPHA, UPPER and WORDCHAR of each code point of ``codes``: one gather, Python only beyond the BMP."""
    found = _letter_table()[np.minimum(codes, _CLASS_LIMIT)]
    for i in np.flatnonzero(codes > _CLASS_LIMIT).tolist():
        ch = chr(int(codes[i]))
        found[i] = ch.isalpha() * ALPHA | ch.isupper() * UPPER | _is_wordchar(ch) * WORDCHAR
    return found


def _function_words(
    text: str, codes: np.ndarray, word_start: np.ndarray, wordchar: np.ndarray, stops: frozenset[str]
) -> np.ndarray:
    """1.0 for each word (run of ``\\w``) of ``text`` whose lowercase is in ``stops``, else 0.0.

    The words are hashed where they lie in the lowercased text's code points and the hashes
    looked up among the function words' (``run_hashes``: 64 bits, collisions at 2**-64), so no
    word is made a string. Lowercasing the whole text keeps every character's place and
    ``\\w``-ness except İ's, and only Σ's lowercase depends on its neighbours: a text with
    either is read word by word instead.
    """
    if "İ" in text or "Σ" in text:
        is_stop = map(stops.__contains__, (word.lower() for word in _WORD.findall(text)))
        return np.fromiter(is_stop, dtype=np.float64)
    lowered = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
    word_end = wordchar.copy()
    word_end[:-1] &= ~wordchar[1:]
    starts = np.flatnonzero(word_start)
    hashes = run_hashes(lowered, starts, np.flatnonzero(word_end) + 1 - starts)
    known = _stop_hashes(stops)
    at = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
    return (known[at] == hashes).astype(np.float64)


@lru_cache(maxsize=64)
def _stop_hashes(stops: frozenset[str]) -> np.ndarray:
    """The sorted ``stable_hashes`` of a language's function words (one set per language)."""
    return np.sort(stable_hashes(sorted(stops)))


def char_units(text: str) -> list[str]:
    """The units a text in Chinese or Japanese is counted in, which writes no spaces between
    its words: each of its characters, and each word of another script."""
    return [ch for ch in text if _CJK.match(ch)] + [t for t in _WORD.findall(text) if not _CJK.search(t)]


@dataclass(slots=True)
class PageStats:
    """The local features of a page's blocks (rows), and what the context features need."""

    values: np.ndarray  # blocks x LOCAL
    words: np.ndarray
    prose: np.ndarray
    cues: np.ndarray  # blocks x cue_kinds(): the block holds one of that kind's cues


def local_features(
    texts: list[str], stops: frozenset[str], per_char: bool = False, columns: tuple[str, ...] = ()
) -> PageStats:
    """The LOCAL features of every block of a page, in one pass over the page.

    Character classes (digits, spaces, punctuation, sentence ends, separators, quotes)
    are counted with numpy over the page's text, block by block (``np.add.reduceat``);
    so are its words (a word starts where a run of ``\\w`` characters does), their capitals
    and letters; function words are found by hashing each word where it lies in the page
    (``_function_words``) and summed per block (``np.bincount``). Python touches each block only
    for its last characters and its cues, and the few blocks that need more (lines, or
    for a short block with digits, its dates) one by one. ``columns`` (default LOCAL)
    names the features wanted: a model that has no use for dates spares the page their search.
    """
    columns = columns or tuple(LOCAL)
    n = len(texts)
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != n - 1:  # a block held the separator itself
        texts = [t.replace(_SEPARATOR, " ") for t in texts]
        joined = _SEPARATOR.join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    # the separators between blocks are class 0, and so are the ends beyond the page
    classes = np.zeros(len(codes) + 2, dtype=np.uint8)
    classes[1:-1] = _CLASSES[np.minimum(codes, _CLASS_LIMIT)]
    previous, following, classes = classes[:-2], classes[2:], classes[1:-1]

    def count(flag: int) -> np.ndarray:
        return np.add.reduceat((classes & flag) != 0, starts, dtype=np.int64)

    block_end = np.zeros(len(codes), dtype=bool)
    block_end[starts + lengths - 1] = lengths > 0  # the last character of each block
    is_end = ((classes & ENDER) != 0) & (((following & SPACE) != 0) | block_end)
    spaced_dash = ((classes & DASH) != 0) & ((previous & SPACE) != 0) & ((following & SPACE) != 0)
    chars = lengths.astype(float)
    digits = count(DIGIT)
    newlines = np.add.reduceat(codes == 10, starts, dtype=np.int64)
    wanted = set(columns)

    # the page's words (runs of \w) from its characters: a word starts where a run begins
    letter = _letter_case(codes)
    wordchar = (letter & WORDCHAR) != 0
    word_start = wordchar.copy()
    word_start[1:] &= ~wordchar[:-1]
    tokens_per_block = np.add.reduceat(word_start, starts, dtype=np.int64)
    n_tokens = tokens_per_block.astype(float)
    alpha = np.add.reduceat(word_start & ((letter & ALPHA) != 0), starts, dtype=np.int64).astype(float)
    caps = np.add.reduceat(word_start & ((letter & UPPER) != 0), starts, dtype=np.int64).astype(float)
    letters = np.add.reduceat(wordchar, starts, dtype=np.int64).astype(float)
    stop = np.zeros(n)
    if stops:  # one flag per word, in the page's order: a block's words are consecutive
        stop_flags = _function_words(joined, codes, word_start, wordchar, stops)
        stop = np.bincount(np.repeat(np.arange(n), tokens_per_block), weights=stop_flags, minlength=n)
    n_units = n_tokens
    if per_char:  # Chinese, Japanese: a character is a word, and a function word
        n_units, stop = n_units.copy(), stop.copy()
        for i, text in enumerate(texts):
            if not text.isascii():
                units = char_units(text)
                n_units[i] = len(units)
                stop[i] = sum(map(stops.__contains__, map(str.lower, units))) if stops and units else 0
    n_words = np.maximum(n_units, n_tokens)
    stop_ratio = np.divide(stop, n_units, out=np.zeros(n), where=n_units > 0)
    ends_sentence = np.array(
        [t.rstrip().rstrip(_TRAILING_CLOSERS)[-1:] in _ENDERS for t in texts], dtype=bool
    )
    cue_masks = np.fromiter(map(cue_bits, texts), dtype=np.int64, count=n)
    cue_table = (cue_masks[:, None] >> np.arange(len(cue_kinds()))) & 1 == 1  # blocks x kinds

    # lines: a block without line breaks is one line of all its words
    n_lines = np.ones(n)
    max_line_words = n_tokens.copy()
    short_lines = (n_tokens <= 3).astype(float)
    lines_ending = ends_sentence.astype(float)
    for i in np.flatnonzero(newlines).tolist():
        text = texts[i]
        lines = [line for line in text.split("\n") if line.strip()] or [text]
        line_words = [len(_WORD.findall(line)) for line in lines]
        n_lines[i] = len(lines)
        max_line_words[i] = max(line_words)
        short_lines[i] = sum(1 for w in line_words if w <= 3) / len(lines)
        lines_ending[i] = sum(
            1 for line in lines if line.rstrip().rstrip(_TRAILING_CLOSERS)[-1:] in _ENDERS
        ) / len(lines)

    first_char = [chr(c) for c in codes[starts].tolist()]
    values = {
        "log_chars": np.fromiter(map(math.log1p, chars.tolist()), dtype=float, count=n),
        "log_words": np.fromiter(map(math.log1p, n_words.tolist()), dtype=float, count=n),
        "lines": n_lines,
        "words_per_line": n_words / n_lines,
        "max_line_words": max_line_words,
        "short_lines": short_lines,
        "stop_ratio": stop_ratio,
        "log_stops": np.fromiter(map(math.log1p, stop.tolist()), dtype=float, count=n),
        "ends_sentence": ends_sentence.astype(float),
        "lines_ending_sentence": lines_ending,
        "sentences": np.add.reduceat(is_end, starts, dtype=np.int64),
        "cap_ratio": np.divide(caps, alpha, out=np.zeros(n), where=alpha > 0),
        "digit_ratio": digits / chars,
        "punct_ratio": np.add.reduceat(
            ((classes & (WORD | SPACE)) == 0) & (codes != 0x1F), starts, dtype=np.int64
        )
        / chars,
        "avg_word_len": np.divide(letters, n_tokens, out=np.zeros(n), where=n_tokens > 0),
        "separators": count(SEP) + np.add.reduceat(spaced_dash, starts, dtype=np.int64),
        "url": [("http" in t or "www." in t or ".com" in t) for t in texts],
        "quotes": count(QUOTE) > 0,
        "starts_lower": [c.islower() for c in first_char],
        "starts_symbol": [
            not c.isalnum() and not c.isspace() and c not in _QUOTE_OPENERS for c in first_char
        ],
        "any_cue": cue_table.any(axis=1),
    }
    wanted_extra = wanted - values.keys()
    if wanted_extra:
        values.update(_rare_features(texts, wanted_extra, chars, digits, count(SPACE), count(COMMA)))
    matrix = np.column_stack([np.asarray(values[c], dtype=float) for c in columns]).reshape(n, len(columns))
    prose = (n_words >= 12) & (stop_ratio >= 0.2) & ends_sentence
    return PageStats(values=matrix, words=n_words, prose=prose, cues=cue_table)


def _rare_features(
    texts: list[str],
    wanted: set[str],
    chars: np.ndarray,
    digits: np.ndarray,
    spaces: np.ndarray,
    commas: np.ndarray,
) -> dict[str, list[float]]:
    """The LOCAL features only the text model reads (dates, capitals, comma lists), block by block."""
    out: dict[str, list[float]] = {name: [] for name in _RARE}
    for i, text in enumerate(texts):
        tokens = _WORD.findall(text)
        alpha = sum(1 for t in tokens if t[0].isalpha())
        allcaps = sum(map(str.isupper, tokens)) if "allcaps_ratio" in wanted else 0
        if commas[i] >= 2 and "comma_list" in wanted:
            items = [part.strip() for part in _COMMA_SPLIT.split(text)]
            comma_list = sum(1 for it in items if 0 < it.count(" ") + 1 <= 3 and it[:1].isupper()) / len(
                items
            )
        else:
            comma_list = 0.0
        short = chars[i] <= DATE_REACH
        dated = short and digits[i] >= 4 and "has_date" in wanted
        dates = find_dates(text) if dated else ()
        out["allcaps_ratio"].append(allcaps / alpha if alpha else 0.0)
        out["comma_list"].append(comma_list)
        out["has_date"].append(bool(dates))
        out["date_share"].append(sum(d.end - d.start for d in dates) / max(1.0, chars[i] - spaces[i]))
        out["has_time"].append(short and digits[i] > 0 and "has_time" in wanted and has_time(text))
        out["cap_prefix"].append(_cap_prefix(tokens) if "cap_prefix" in wanted else 0)
    return out


_RARE = ("allcaps_ratio", "comma_list", "has_date", "date_share", "has_time", "cap_prefix")


def _cap_prefix(tokens: list[str], most: int = 8) -> int:
    """How many words in a row open the block capitalised, as a headline's do."""
    run = 0
    for token in tokens[:most]:
        if not token[0].isupper():
            break
        run += 1
    return run


NEIGHBOUR_COLUMNS = ("log_words", "stop_ratio", "ends_sentence", "short_lines", "sentences")
NEIGHBOUR_OFFSETS = (-3, -2, -1, 1, 2, 3)
#: Kinds whose cue, once seen after the article has begun, tells about every block after it.
AFTER_PROSE_KINDS = ("comments", "related", "footer", "share", "newsletter", "read-more")
CONTEXT = [
    "rel_index", "rel_chars_before", "prose_before", "prose_after", "prose_gap_before", "prose_gap_after",
    "repeats", "first_occurrence", "contained_in_other", "log_blocks", "log_doc_words", "doc_prose_share",
    "words_vs_doc_max", "in_main_run", "main_run_distance",
    *(f"after_prose_{kind}" for kind in AFTER_PROSE_KINDS),
    *(f"n{o:+d}_{c}" for o in NEIGHBOUR_OFFSETS for c in NEIGHBOUR_COLUMNS),
]  # fmt: skip
FEATURES = LOCAL + CONTEXT


def shift(column: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """``column`` moved so that row i holds row i+offset; rows off the end get ``fill``."""
    out = np.full_like(column, fill)
    n = len(column)
    if offset > 0 and offset < n:
        out[:-offset] = column[offset:]
    elif offset < 0 and -offset < n:
        out[-offset:] = column[:offset]
    elif offset == 0:
        out[:] = column
    return out


def _gaps(flags: np.ndarray, cap: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """For each row, how many rows back (and ahead) the nearest flagged row is, capped."""
    n = len(flags)
    idx = np.arange(n)
    last = np.maximum.accumulate(np.where(flags, idx, -(cap + 1)))  # the latest flagged row so far
    before = np.minimum(cap, idx - np.concatenate([[-(cap + 1)], last[:-1]]))
    nxt = np.minimum.accumulate(np.where(flags, idx, n + cap)[::-1])[::-1]  # the next flagged row from here
    after = np.minimum(cap, np.concatenate([nxt[1:], [n + cap]]) - idx)
    return before.astype(float), after.astype(float)


def _main_run(prose: np.ndarray, words: np.ndarray, gap: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Membership of, and distance to, the run of prose blocks holding most prose words.

    A run is prose blocks separated by at most ``gap`` other blocks: the article is
    usually one such run, and teaser lists or comment threads are other, shorter ones.
    """
    n = len(prose)
    runs: list[tuple[int, int, float]] = []
    start = end = -1
    mass = 0.0
    for i in np.flatnonzero(prose):
        if start >= 0 and i - end <= gap:
            end, mass = i, mass + words[i]
        else:
            if start >= 0:
                runs.append((start, end, mass))
            start, end, mass = i, i, words[i]
    if start >= 0:
        runs.append((start, end, mass))
    inside = np.zeros(n)
    distance = np.full(n, 10.0)
    if runs:
        lo, hi, _ = max(runs, key=lambda r: r[2])
        inside[lo : hi + 1] = 1.0
        idx = np.arange(n)
        distance = np.minimum(10.0, np.maximum(lo - idx, idx - hi).clip(min=0))
    return inside, distance


def feature_matrix(
    texts: list[str], stops: frozenset[str], per_char: bool = False, local_columns: tuple[str, ...] = ()
) -> np.ndarray:
    """The local columns (default LOCAL) and the CONTEXT features of every block, one row per block."""
    local_columns = local_columns or tuple(LOCAL)
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(local_columns) + len(CONTEXT)))
    page = local_features(texts, stops, per_char, local_columns)
    local, words, prose = page.values, page.words, page.prose
    chars = np.fromiter(map(len, texts), dtype=float, count=n)

    prose_words = np.where(prose, words, 0.0)
    total_prose = prose_words.sum() or 1.0
    cum_prose = np.cumsum(prose_words)
    gap_before, gap_after = _gaps(prose)

    keys = [normalize(t) for t in texts]
    counts: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        counts[key] = counts.get(key, 0) + 1
        first_seen.setdefault(key, i)
    contained = np.zeros(n)
    longer = {k for k in counts if len(k) > 20}
    if longer:
        hay = "\n".join(f" {k} " for k in longer)  # the headline inside a breadcrumb or a caption
        for i, key in enumerate(keys):
            if 2 <= key.count(" ") <= 24:
                contained[i] = hay.count(f" {key} ") - (key in longer)

    col = {name: local[:, j] for j, name in enumerate(local_columns)}
    in_run, run_distance = _main_run(prose, words)
    started = (cum_prose - prose_words) / total_prose > 0.2  # the article has begun before this block
    after_prose = []
    cue_table = page.cues
    for kind in AFTER_PROSE_KINDS:
        seen = (started & cue_table[:, cue_kinds().index(kind)]).astype(float)
        after_prose.append(np.minimum(5.0, np.cumsum(seen) - seen))  # such cues before this block
    context = [
        np.arange(n) / max(1, n - 1),
        (np.cumsum(chars) - chars) / max(1.0, chars.sum()),
        (cum_prose - prose_words) / total_prose,
        (total_prose - cum_prose) / total_prose,
        gap_before,
        gap_after,
        np.log([counts[k] for k in keys]),
        np.array([first_seen[k] == i for i, k in enumerate(keys)], dtype=float),
        np.minimum(contained, 5),
        np.full(n, np.log1p(n)),
        np.full(n, np.log1p(words.sum())),
        np.full(n, prose_words.sum() / max(1.0, words.sum())),
        words / max(1.0, words.max()),
        in_run,
        run_distance,
        *after_prose,
    ]
    reach = max(map(abs, NEIGHBOUR_OFFSETS))
    padded = np.full((n + 2 * reach, len(NEIGHBOUR_COLUMNS)), -1.0)  # beyond the page: -1
    padded[reach : reach + n] = np.column_stack([col[name] for name in NEIGHBOUR_COLUMNS])
    neighbours = [padded[reach + offset : reach + offset + n] for offset in NEIGHBOUR_OFFSETS]
    return np.hstack([local, np.column_stack(context), *neighbours])


@lru_cache(maxsize=1)
def dom_token_kinds() -> dict[str, tuple[str, ...]]:
    """Class and id words per kind of element content (classify/dom_tokens.toml)."""
    data = tomllib.loads(files("dehusk.classify").joinpath("dom_tokens.toml").read_text(encoding="utf-8"))
    return {kind: tuple(words) for kind, words in data.items()}


@lru_cache(maxsize=1)
def dom_kinds(tokens: str, levels: int = 3) -> set[str]:
    """The kinds named by the class and id words of a block's element and its nearest ancestors.

    >>> sorted(dom_kinds("caption > figure > wrap > article body"))
    ['caption']
    """
    kinds = tuple(dom_token_kinds())
    index = _dom_word_index()
    found: set[str] = set()
    for level in tokens.split(" > ")[:levels]:
        for word in level.split():
            found.update(kinds[k] for k in index.get(word, ()))
    return found


@lru_cache(maxsize=1)
def _dom_word_index() -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for k, words in enumerate(dom_token_kinds().values()):
        for word in words:
            index.setdefault(word, []).append(k)
    return index


_TAG_GROUPS = {
    "p": 0, "h1": 1, "h2": 1, "h3": 1, "h4": 1, "h5": 1, "h6": 1, "li": 2, "td": 3, "th": 3, "blockquote": 4,
    "pre": 5, "figcaption": 6, "caption": 6, "dd": 7, "dt": 7,
}  # fmt: skip
_TAG_NAMES = ("p", "heading", "li", "cell", "quote", "pre", "caption", "definition", "other")
DOM = [
    *(f"tag_{name}" for name in _TAG_NAMES), "heading_level", "in_list", "in_table", "link_density", "depth",
    "own_tokens", *(f"dom_{kind}" for kind in dom_token_kinds()),
    "link_density-1", "link_density+1", "container_share",
]  # fmt: skip
#: An HTML block's DOM says more than its dates or its capitals: those local features are left out.
_NOT_FOR_HTML = ("has_date", "date_share", "has_time", "comma_list", "cap_prefix", "allcaps_ratio")
LOCAL_HTML = tuple(f for f in LOCAL if f not in _NOT_FOR_HTML)
FEATURES_HTML = [*LOCAL_HTML, *CONTEXT, *DOM]


def dom_matrix(blocks: list[Block], container_share: float = 1.0) -> np.ndarray:
    """The DOM features of HTML blocks (see DOM for their order), one row per block.

    Column by column; a block's class and id words are read once per distinct string (the
    blocks of one element share theirs).
    """
    n = len(blocks)
    rows = np.zeros((n, len(DOM)))
    if not n:
        return rows
    base = len(_TAG_NAMES)
    rows[np.arange(n), [_TAG_GROUPS.get(b.tag, base - 1) for b in blocks]] = 1.0
    rows[:, base] = [b.heading for b in blocks]
    rows[:, base + 1] = [b.in_list for b in blocks]
    rows[:, base + 2] = [b.in_table for b in blocks]
    rows[:, base + 3] = [b.link_density for b in blocks]
    rows[:, base + 4] = np.minimum([b.depth for b in blocks], 20)
    index = _dom_word_index()
    columns: dict[str, list[int]] = {}  # per class-and-id string: the columns it sets
    set_rows: list[int] = []
    set_columns: list[int] = []
    for i, block in enumerate(blocks):
        found = columns.get(block.tokens)
        if found is None:
            words = [w for w in block.tokens.split() if w != ">"]
            found = [base + 5] if words else []
            found += sorted({base + 6 + k for word in words for k in index.get(word, ())})
            columns[block.tokens] = found
        set_rows += [i] * len(found)
        set_columns += found
    rows[set_rows, set_columns] = 1.0  # one assignment for the page
    density = rows[:, base + 3]
    rows[:, -3] = shift(density, -1, -1.0)
    rows[:, -2] = shift(density, 1, -1.0)
    rows[:, -1] = container_share
    return rows

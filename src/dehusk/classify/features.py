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
import operator
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

from dehusk.classify.cues import cue_hits, cue_kinds
from dehusk.dates import find_dates, has_time
from dehusk.document import Block

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[.!?。！？…](?=[\"'”’»)\]]*(?:\s|$))")
_TRAILING_CLOSERS = "\"'”’»)]*"
_ENDERS = ".!?。！？…:;"
_SEPARATOR_CHARS = "»›|·•→/>"
_SEPARATOR_DASHES = (" - ", " – ", " — ")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w")
_QUOTES = re.compile(r"[\"“”„«»]")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Lowercased words of ``text`` joined by single spaces: the key for repetition.

    Cached: features, duplicates and the header finder all key the same blocks.
    """
    return " ".join(_WORD.findall(text.lower()))


@dataclass(slots=True)
class BlockStats:
    """What one block looks like, before its neighbours are taken into account."""

    words: int
    prose: bool
    values: list[float]
    cues: list[bool]  # per kind of cue_kinds(): the block holds one of its cues


LOCAL = [
    "log_chars", "log_words", "lines", "words_per_line", "max_line_words", "short_lines", "stop_ratio",
    "log_stops", "ends_sentence", "lines_ending_sentence", "sentences", "cap_ratio", "allcaps_ratio",
    "digit_ratio", "punct_ratio", "avg_word_len", "separators", "comma_list", "has_date", "date_share",
    "has_time", "url", "quotes", "starts_lower", "starts_symbol", "cap_prefix", "any_cue",
]  # fmt: skip

#: Dates and clock times are looked for in blocks up to this long: a dateline is short.
DATE_REACH = 200
_ANY_DIGIT = re.compile(r"\d")
# a year, or digits parted by a dot, slash or dash: without one, no date pattern can match
_DATE_HINT = re.compile(r"(?:19|20)\d\d|\d[./-]\d")
_FIRST = operator.itemgetter(0)
_COMMA_SPLIT = re.compile(r"[,;]")
_QUOTE_OPENERS = "\"'“‘«(¿¡"


def describe(text: str, stops: frozenset[str], per_char: bool = False) -> BlockStats:
    """The local features of one block (see LOCAL for their order).

    Written for speed (the fast HTML path runs it on every candidate block): one
    tokenisation, counts done by C-level ``map``, ``count`` and ``translate``, and the
    date and time patterns tried on short blocks only.
    """
    cues = cue_hits(text)
    tokens = _WORD.findall(text)
    n_tokens = len(tokens)
    chars = len(text)
    ascii_only = text.isascii()
    cjk = 0 if ascii_only else len(_CJK.findall(text))
    if per_char and cjk:  # Chinese, Japanese: a character is a word
        units = [ch for ch in text if _CJK.match(ch)] + [t for t in tokens if not _CJK.search(t)]
    else:
        units = tokens
    n_units = len(units)
    n_words = max(n_units, n_tokens)
    stop = sum(map(stops.__contains__, map(str.lower, units))) if stops else 0
    if "\n" in text:
        lines = [line for line in text.split("\n") if line.strip()] or [text]
        line_words = [len(_WORD.findall(line)) for line in lines]
        lines_ending = sum(1 for line in lines if line.rstrip().rstrip(_TRAILING_CLOSERS)[-1:] in _ENDERS)
    else:
        lines, line_words = [text], [n_tokens]
        lines_ending = -1  # the block's own ending, below
    firsts = "".join(map(_FIRST, tokens))
    alpha = sum(map(str.isalpha, firsts))
    caps = sum(map(str.isupper, firsts))
    allcaps = sum(map(str.isupper, tokens))  # words in capitals (a lone capital letter counts)
    digits = sum(map(text.count, "0123456789")) if _ANY_DIGIT.search(text) else 0
    spaces = text.count(" ") + text.count("\n") + text.count("\t")
    letters = sum(map(len, tokens))
    punct = max(0, chars - spaces - letters)
    stripped = text.rstrip().rstrip(_TRAILING_CLOSERS)
    ends = bool(stripped) and stripped[-1] in _ENDERS
    if lines_ending < 0:
        lines_ending = int(ends)
    commas = text.count(",") + text.count(";")
    if commas >= 2:
        items = [part.strip() for part in _COMMA_SPLIT.split(text)]
        comma_list = sum(1 for it in items if 0 < it.count(" ") + 1 <= 3 and it[:1].isupper()) / len(items)
    else:
        comma_list = 0.0
    short = chars <= DATE_REACH
    dates = find_dates(text) if short and digits >= 4 and _DATE_HINT.search(text) else []
    date_chars = sum(d.end - d.start for d in dates)
    first = firsts[:1]
    first_char = text[:1]
    stop_ratio = stop / n_units if n_units else 0.0
    prose = n_words >= 12 and stop_ratio >= 0.2 and ends
    n_lines = len(lines)
    values = [
        math.log1p(chars),
        math.log1p(n_words),
        float(n_lines),
        n_words / n_lines,
        float(max(line_words)),
        sum(1 for w in line_words if w <= 3) / n_lines,
        stop_ratio,
        math.log1p(stop),
        float(ends),
        lines_ending / n_lines,
        float(len(_SENTENCE_END.findall(text))),
        caps / alpha if alpha else 0.0,
        allcaps / alpha if alpha else 0.0,
        digits / chars if chars else 0.0,
        punct / chars if chars else 0.0,
        letters / n_tokens if n_tokens else 0.0,
        float(_separators(text)),
        comma_list,
        float(bool(dates)),
        date_chars / max(1, chars - spaces),
        float(short and digits > 0 and has_time(text)),
        float(bool(_URL.search(text))),
        float(bool(_QUOTES.search(text))),
        float(first.islower()),
        float(bool(first_char) and not first_char.isalnum() and first_char not in _QUOTE_OPENERS),
        float(_cap_prefix(tokens)),
        float(any(cues)),
    ]
    return BlockStats(words=n_words, prose=prose, values=values, cues=cues)


def _separators(text: str) -> int:
    """Link-list separators: » › | · • → / > and spaced dashes."""
    return sum(map(text.count, _SEPARATOR_CHARS)) + sum(map(text.count, _SEPARATOR_DASHES))


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
    before = np.full(n, cap, dtype=float)
    after = np.full(n, cap, dtype=float)
    last = -cap
    for i in range(n):
        before[i] = min(cap, i - last)
        if flags[i]:
            last = i
    nxt = n + cap
    for i in range(n - 1, -1, -1):
        after[i] = min(cap, nxt - i)
        if flags[i]:
            nxt = i
    return before, after


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


def feature_matrix(texts: list[str], stops: frozenset[str], per_char: bool = False) -> np.ndarray:
    """The FEATURES of every block of one document, one row per block."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    stats = [describe(t, stops, per_char) for t in texts]
    local = np.array([s.values for s in stats], dtype=float)
    words = np.array([s.words for s in stats], dtype=float)
    prose = np.array([s.prose for s in stats], dtype=bool)
    chars = np.array([len(t) for t in texts], dtype=float)

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
    short = [(i, k) for i, k in enumerate(keys) if 3 <= len(k.split()) <= 25]
    if short:
        longer = [k for k in set(keys) if len(k) > 20]
        for i, key in short:
            contained[i] = sum(1 for other in longer if other != key and f" {key} " in f" {other} ")

    col = {name: local[:, j] for j, name in enumerate(LOCAL)}
    in_run, run_distance = _main_run(prose, words)
    started = (cum_prose - prose_words) / total_prose > 0.2  # the article has begun before this block
    after_prose = []
    cue_table = np.array([st.cues for st in stats], dtype=bool).reshape(n, len(cue_kinds()))
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
    for offset in NEIGHBOUR_OFFSETS:
        for name in NEIGHBOUR_COLUMNS:
            context.append(shift(col[name], offset, -1.0))
    return np.hstack([local, np.column_stack(context)])


STAGE2 = [
    "p", *(f"p{o:+d}" for o in (-4, -3, -2, -1, 1, 2, 3, 4)),
    "p_mean_2", "p_mean_5", "p_max_before", "p_max_after", "p_mass_before", "p_mass_after",
]  # fmt: skip


def stage2_matrix(base: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Add to ``base`` what the first model thought of each block and of its neighbours.

    This is how context smoothing is learned: a short line between two blocks the first
    model is sure of is judged with them, as jusText's context rules do by hand.
    """
    n = len(p)
    if n == 0:
        return np.zeros((0, base.shape[1] + len(STAGE2)))
    words = np.expm1(base[:, FEATURES.index("log_words")])
    padded = np.concatenate([np.zeros(5), p, np.zeros(5)])
    window = np.lib.stride_tricks.sliding_window_view(padded, 11)  # row i: p[i-5 .. i+5]
    mass = p * words
    cum = np.cumsum(mass)
    total = cum[-1] or 1.0
    cols = [p, *(shift(p, o, -1.0) for o in (-4, -3, -2, -1, 1, 2, 3, 4))]
    cols += [
        window[:, 3:8].mean(axis=1),
        window.mean(axis=1),
        window[:, :5].max(axis=1),
        window[:, 6:].max(axis=1),
        (cum - mass) / total,
        (total - cum) / total,
    ]
    return np.hstack([base, np.column_stack(cols)])


@lru_cache(maxsize=1)
def _dom_word_index() -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for k, words in enumerate(dom_token_kinds().values()):
        for word in words:
            index.setdefault(word, []).append(k)
    return index


@lru_cache(maxsize=1)
def dom_token_kinds() -> dict[str, tuple[str, ...]]:
    """Class and id words per kind of element content (classify/dom_tokens.toml)."""
    data = tomllib.loads(files("dehusk.classify").joinpath("dom_tokens.toml").read_text(encoding="utf-8"))
    return {kind: tuple(words) for kind, words in data.items()}


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
FEATURES_HTML = FEATURES + DOM


def dom_matrix(blocks: list[Block], container_share: float = 1.0) -> np.ndarray:
    """The DOM features of HTML blocks (see DOM for their order), one row per block."""
    n = len(blocks)
    index = _dom_word_index()
    rows = np.zeros((n, len(DOM)))
    for i, block in enumerate(blocks):
        row = rows[i]
        row[_TAG_GROUPS.get(block.tag, len(_TAG_NAMES) - 1)] = 1.0
        base = len(_TAG_NAMES)
        row[base] = block.heading
        row[base + 1] = block.in_list
        row[base + 2] = block.in_table
        row[base + 3] = block.link_density
        row[base + 4] = min(block.depth, 20)
        words = block.tokens.split()
        row[base + 5] = float(bool(words))
        for word in words:
            for k in index.get(word, ()):
                row[base + 6 + k] = 1.0
    if n:
        density = rows[:, len(_TAG_NAMES) + 3]
        rows[:, -3] = shift(density, -1, -1.0)
        rows[:, -2] = shift(density, 1, -1.0)
        rows[:, -1] = container_share
    return rows

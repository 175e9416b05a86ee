"""Numbers that describe a block, alone and among its neighbours.

A flattened page keeps only its words, so the features ask what a reader would: does the
block read like prose (length, function words, full stops) or like a menu (short lines,
capitalised items, separators)? Does it carry a cue of some kind of boilerplate? Where
does it stand: inside the long run of prose that is the article, or before or after it?
Does it repeat? The same features serve HTML blocks, which add DOM features later.

Every feature is a float; the tables FEATURES and the matrix columns are in one order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from dehusk.classify.cues import cue_hits, cue_kinds
from dehusk.dates import find_dates, has_time

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[.!?。！？…](?=[\"'”’»)\]]*(?:\s|$))")
_TRAILING_CLOSERS = "\"'”’»)]*"
_ENDERS = ".!?。！？…:;"
_SEPARATORS = re.compile(r"[»›|·•→/>]|&gt;|\s[-–—]\s")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net)\b|@\w")
_QUOTES = re.compile(r"[\"“”„«»]")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s")
_PUNCT = re.compile(r"[^\w\s]|_")
_COLON_LEAD = re.compile(r"^\W*\w+(?:\s+\w+){0,2}\s*:\s")
_GLUED = re.compile(
    r"[a-z]{3}[A-Z][a-z]|[a-z][.!?”’\"][A-Z]"
)  # "AthleteA 24-year", "end.Next": a headline run into its teaser


def normalize(text: str) -> str:
    """Lowercased words of ``text`` joined by single spaces: the key for repetition."""
    return " ".join(_WORD.findall(text.lower()))


@dataclass(slots=True)
class BlockStats:
    """What one block looks like, before its neighbours are taken into account."""

    words: int
    prose: bool
    values: list[float]


LOCAL = [
    "log_chars", "log_words", "lines", "words_per_line", "max_line_words", "short_lines", "stop_ratio",
    "log_stops", "ends_sentence", "lines_ending_sentence", "sentences", "cap_ratio", "allcaps_ratio",
    "digit_ratio", "punct_ratio", "avg_word_len", "separators", "comma_list", "has_date", "date_share",
    "has_time", "url", "quotes", "starts_lower", "starts_symbol", "colon_lead", "cjk_ratio", "cap_prefix",
    "glued",
    *(f"cue_{kind}" for kind in cue_kinds()),
]  # fmt: skip


def describe(text: str, stops: frozenset[str], per_char: bool = False) -> BlockStats:
    """The local features of one block (see LOCAL for their order)."""
    lines = [line for line in text.split("\n") if line.strip()] or [text]
    tokens = _WORD.findall(text)
    cjk = len(_CJK.findall(text))
    if per_char:  # Chinese, Japanese: a character is a word
        units = [ch for ch in text if _CJK.match(ch)] + [t for t in tokens if not _CJK.search(t)]
    else:
        units = tokens
    n_units = len(units)
    n_words = max(n_units, len(tokens))
    stop = sum(1 for u in units if u.lower() in stops)
    line_words = [len(_WORD.findall(line)) for line in lines]
    alpha = [t for t in tokens if t[0].isalpha()]
    caps = sum(1 for t in alpha if t[0].isupper())
    allcaps = sum(1 for t in alpha if len(t) > 1 and t.isupper())
    chars = len(text)
    digits = len(_DIGIT.findall(text))
    spaces = len(_SPACE.findall(text))
    punct = len(_PUNCT.findall(text))
    stripped = text.rstrip().rstrip(_TRAILING_CLOSERS)
    ends = bool(stripped) and stripped[-1] in _ENDERS
    lines_ending = sum(1 for line in lines if line.rstrip().rstrip(_TRAILING_CLOSERS)[-1:] in _ENDERS)
    sentences = len(_SENTENCE_END.findall(text))
    commas = text.count(",")
    items = [part.strip() for part in re.split(r"[,;]", text)] if commas >= 2 else []
    comma_list = (
        sum(1 for it in items if 0 < len(it.split()) <= 3 and it[:1].isupper()) / len(items) if items else 0.0
    )
    dates = find_dates(text) if digits else []
    date_chars = sum(d.end - d.start for d in dates)
    first = next((ch for ch in text if ch.isalnum()), "")
    first_char = text.lstrip()[:1]
    stop_ratio = stop / n_units if n_units else 0.0
    prose = n_words >= 12 and stop_ratio >= 0.2 and ends
    values = [
        np.log1p(chars),
        np.log1p(n_words),
        float(len(lines)),
        n_words / len(lines),
        float(max(line_words)),
        sum(1 for w in line_words if w <= 3) / len(lines),
        stop_ratio,
        np.log1p(stop),
        float(ends),
        lines_ending / len(lines),
        float(sentences),
        caps / len(alpha) if alpha else 0.0,
        allcaps / len(alpha) if alpha else 0.0,
        digits / chars if chars else 0.0,
        punct / chars if chars else 0.0,
        sum(map(len, tokens)) / len(tokens) if tokens else 0.0,
        float(len(_SEPARATORS.findall(text))),
        comma_list,
        float(bool(dates)),
        date_chars / max(1, chars - spaces),
        float(has_time(text)),
        float(bool(_URL.search(text))),
        float(bool(_QUOTES.search(text))),
        float(first.islower()),
        float(bool(first_char) and not first_char.isalnum() and first_char not in "\"'“‘«(¿¡"),
        float(bool(_COLON_LEAD.match(text))),
        cjk / chars if chars else 0.0,
        float(_cap_prefix(tokens)),
        float(len(_GLUED.findall(text))),
        *map(float, cue_hits(text)),
    ]
    return BlockStats(words=n_words, prose=prose, values=values)


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
    "words_vs_doc_max", "any_cue", "has_stoplist", "in_main_run", "main_run_distance",
    *(f"after_prose_{kind}" for kind in AFTER_PROSE_KINDS),
    *(f"n{o:+d}_{c}" for o in NEIGHBOUR_OFFSETS for c in NEIGHBOUR_COLUMNS),
]  # fmt: skip
FEATURES = LOCAL + CONTEXT
_CUE_SLICE = slice(LOCAL.index(f"cue_{cue_kinds()[0]}"), len(LOCAL))


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
    for kind in AFTER_PROSE_KINDS:
        seen = (started & (col[f"cue_{kind}"] > 0)).astype(float)
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
        local[:, _CUE_SLICE].max(axis=1),
        np.full(n, float(bool(stops))),
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

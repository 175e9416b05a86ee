"""Title, standfirst and date of an article, found among its classified blocks.

The headline stands above the article's first paragraph, among bylines, datelines,
photos and captions, and often after a menu's worth of other headlines. Every heading-like
block in the 25 blocks before the first paragraph is a candidate; a small learned scorer
(``models/title.json``) weighs how far each stands from the article, how many of its words
the article uses, whether the page repeats it, and how it is written. The standfirst is
the sentence right under the headline; the date is the one written closest to it -- never
a weather widget's or a "today is" banner's, whose blocks are classified as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

import numpy as np

from dehusk.classify.context import ends_sentence, is_heading_like
from dehusk.classify.features import normalize
from dehusk.classify.kinds import cue_kind, is_date_line
from dehusk.classify.model import LinearModel
from dehusk.dates import find_dates
from dehusk.document import Block

_WORD = re.compile(r"\w+")
#: A paragraph of the article ends in one of these (a colon or semicolon does not end one).
_STOPS = ".!?。！？…"
_URL = re.compile(r"https?://|www\.")
#: Kinds whose dates are never the article's.
NOT_DATED = {"weather", "city-picker", "nav", "related", "comments", "footer", "promo", "newsletter", "share"}
#: How far above the first paragraph a headline may stand, in blocks.
REACH = 25

TITLE_FEATURES = (
    "log_gap", "headings_between", "log_words", "cap_ratio", "repeats", "body_overlap", "lead_overlap",
    "p", "ends_question", "has_separator", "four_words", "all_caps", "kept",
)  # fmt: skip


@dataclass(slots=True)
class Header:
    """Indices of the title and standfirst blocks (None when absent) and the article's date."""

    title: int | None = None
    description: int | None = None
    date: str | None = None


def _is_prose(block: Block) -> bool:
    """Eight words or more ending a sentence: the end checked first and the words counted only to
    eight, since the paragraphs tested are the article's longest."""
    if not ends_sentence(block.text, _STOPS):
        return False
    return next(islice(_WORD.finditer(block.text), 7, None), None) is not None  # an eighth word


def article_start(blocks: list[Block]) -> int | None:
    """The first kept paragraph of prose (else the first kept block): where the article begins."""
    start = next((i for i, b in enumerate(blocks) if b.keep and _is_prose(b)), None)
    if start is None:
        start = next((i for i, b in enumerate(blocks) if b.keep), None)
    return start


def _content_words(text: str) -> list[str]:
    return [w for w in normalize(text).split() if len(w) > 3]


def title_candidates(blocks: list[Block], start: int) -> tuple[list[int], np.ndarray]:
    """The blocks that could be the headline, nearest first, and their TITLE_FEATURES."""
    keys = [normalize(b.text) for b in blocks]
    kept = [key for key, b in zip(keys, blocks, strict=True) if b.keep]
    # all their words, short ones too: only content words are looked up, and one split is cheap
    body = set(" ".join(kept).split())
    lead = set(" ".join(kept[:3]).split())
    indices: list[int] = []
    rows: list[list[float]] = []
    for i in range(start - 1, max(-1, start - REACH), -1):
        block = blocks[i]
        text = block.text
        words = _WORD.findall(text)
        if len(words) < 2 or not is_heading_like(text, most_words=30) or cue_kind(text) or _URL.search(text):
            continue
        key = keys[i]
        repeats = sum(key in other for other in keys) - 1  # not counting itself
        content = _content_words(text)
        alpha = [w for w in words if w[0].isalpha()]
        rows.append(
            [
                float(np.log1p(start - i)),
                float(len(indices)),
                float(np.log1p(len(words))),
                sum(w[0].isupper() for w in alpha) / len(alpha) if alpha else 0.0,
                float(min(repeats, 3)),
                sum(w in body for w in content) / len(content) if content else 0.0,
                sum(w in lead for w in content) / len(content) if content else 0.0,
                block.score,
                float(text.rstrip()[-1:] in "?!"),
                float(":" in text or "|" in text),
                float(len(words) >= 4),
                float(text.isupper()),
                float(block.keep),
            ]
        )
        indices.append(i)
    return indices, np.array(rows, dtype=float).reshape(-1, len(TITLE_FEATURES))


def find_title(blocks: list[Block], start: int, model: LinearModel | None) -> int | None:
    """The index of the headline block, or None when no candidate is likely enough."""
    if model is None:
        return None
    indices, x = title_candidates(blocks, start)
    if not indices:
        return None
    scores = model.predict(x)
    best = int(np.argmax(scores))
    return indices[best] if scores[best] >= model.threshold else None


def find_header(
    blocks: list[Block], title_model: LinearModel | None, known_title: str | None = None
) -> Header:
    """Find the headline, the standfirst and the date around the start of the article.

    When the page names its title (``known_title``, from its metadata), the headline is
    the block that says it, if any; the model only guesses when the page is silent.
    """
    header = Header()
    start = article_start(blocks)
    if start is None:
        return header
    if known_title:
        header.title = _block_saying(blocks, known_title, start)
    else:
        header.title = find_title(blocks, start, title_model)
    if header.title is not None:
        header.description = _find_standfirst(blocks, header.title, start)
    header.date = _find_date(blocks, start, header.title)
    return header


def _block_saying(blocks: list[Block], title: str, start: int) -> int | None:
    """The block above the article's first paragraphs that reads as ``title``."""
    key = normalize(title)
    words = set(key.split())
    longest = 3 * len(title) + 20
    fewest = 0.8 * len(words)  # a block of fewer words cannot share 80% of the title's
    for i in range(max(0, start - REACH), min(len(blocks), start + 2)):
        text = blocks[i].text
        if len(text) > longest or "\n" in text:
            continue
        other = normalize(text)
        if other == key or (other and key.startswith(other) and len(other) > 0.6 * len(key)):
            return i
        if other.count(" ") + 1 < fewest:
            continue
        found = set(other.split())
        if words and found and len(words & found) / len(words | found) >= 0.8:
            return i
    return None


def _find_standfirst(blocks: list[Block], title: int, start: int) -> int | None:
    """The sentence right under the headline (bylines and datelines may stand between).

    It may be the article's first block when a byline or dateline parts it from the body.
    """
    for i in range(title + 1, min(start + 1, title + 4)):
        block = blocks[i]
        if block.kind in ("byline", "dateline") or is_date_line(block.text):
            continue
        words = len(_WORD.findall(block.text))
        if block.kind not in ("content", "boilerplate") or "\n" in block.text or not 6 <= words <= 60:
            return None
        if i < start:
            return i
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        parted = after is not None and not after.keep and after.kind in ("byline", "dateline")
        return i if parted else None
    return None


def _find_date(blocks: list[Block], start: int, title: int | None) -> str | None:
    """The date written closest to the headline, near the article's start or in a dateline."""
    anchor = title if title is not None else start
    window = range(max(0, anchor - 3), min(len(blocks), start + 2))
    candidates = [i for i in window if blocks[i].kind not in NOT_DATED]
    candidates += [i for i, b in enumerate(blocks) if b.kind in ("dateline", "byline") and i not in window]
    for i in sorted(candidates, key=lambda i: (abs(i - anchor), i)):
        if blocks[i].keep and _is_prose(blocks[i]):
            continue  # a date inside a paragraph of the article is what it tells, not when
        dates = find_dates(blocks[i].text)
        if dates:
            return dates[0].iso
    return None

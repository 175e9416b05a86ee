"""What a removed block is, in words: its kind and the reason, for the explain view.

The model decides keep or drop; this module names what was dropped, from the block's own
cues first (a "Photo:" credit is a caption whatever its length), then from its shape (a
date alone is a dateline, a column of short lines a menu), then from its neighbours (an
unmarked line inside a weather widget belongs to the widget).
"""

from __future__ import annotations

import re
from functools import lru_cache

from dehusk.classify.cues import cue_kinds, cue_matches
from dehusk.dates import find_dates, has_time
from dehusk.document import Block

#: Cue kinds in the order they win when a block carries several.
CUE_ORDER = (
    "cookie", "newsletter", "promo", "share", "comments", "related", "read-more", "weather",
    "city-picker", "breadcrumb", "caption", "byline", "dateline", "footer", "nav",
)  # fmt: skip
#: Kinds that head a list: the unmarked blocks after them are their items.
LISTS = ("related", "read-more")
#: Kinds that are parts of a widget: an unmarked neighbour between two of them joins them.
WIDGETS = ("weather", "city-picker", "cookie", "newsletter", "share", "promo")

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_COMMA_SPLIT = re.compile(r"[,;]")


def cue_kind(text: str) -> tuple[str, str] | None:
    """The kind whose cue ``text`` carries, and the cue as written, or None."""
    found = cue_matches(text)
    if not any(found):
        return None  # most blocks carry no cue: one C-level test instead of a loop over kinds
    for kind, position in _cue_order():
        if found[position]:
            return kind, found[position]  # type: ignore[return-value]
    return None


@lru_cache(maxsize=1)
def _cue_order() -> tuple[tuple[str, int], ...]:
    kinds = cue_kinds()
    return tuple((kind, kinds.index(kind)) for kind in CUE_ORDER)


def is_date_line(text: str, words: list[str] | None = None) -> bool:
    """A block that is little more than a date or a time: "19 Sep 2015", "4:34 pm on ...".

    ``words``: the text's words when the caller has them already (they are only needed
    once a date or a time is found).
    """
    if len(text) > 200 or not _has_digit(text[:60]):
        return False  # a date line is short, and starts with its date or soon after
    dates = find_dates(text)
    if not dates and not has_time(text):
        return False
    if words is None:
        words = _WORD.findall(text)
    rest = text
    for d in reversed(dates):
        rest = rest[: d.start] + rest[d.end :]
    leftover = [w for w in _WORD.findall(rest) if not w.isdigit()]
    return len(leftover) <= max(3, len(words) // 3)


def _has_digit(text: str) -> bool:
    """``any(ch.isdigit() for ch in text)`` without a Python loop over the characters.

    A regular expression's digit is a decimal one; ``isdigit`` also takes superscripts and
    the like, which only a text beyond ASCII can hold.
    """
    if _DIGIT.search(text):
        return True
    return not text.isascii() and any(map(str.isdigit, text))


def shape_kind(block: Block) -> tuple[str, str]:
    """A kind for a removed block without cues, from its shape alone."""
    text = block.text
    words = _WORD.findall(text)
    if is_date_line(text, words):
        return "dateline", "a date on its own"
    lines = text.split("\n")
    if len(lines) >= 3 and _mostly_short(lines, len(words)):
        return "nav", f"a list of {len(lines)} short lines"
    if text.count(",") >= 3 and all(len(part.split()) <= 3 for part in _COMMA_SPLIT.split(text)):
        return "nav", "a row of short comma-separated names"
    if len(words) <= 3:
        return "boilerplate", f"{len(words)} word{'s' * (len(words) != 1)} on their own"
    return "boilerplate", f"{len(words)} words the model scores as page furniture"


def _mostly_short(lines: list[str], words: int) -> bool:
    """Whether at least 70% of ``lines`` have four words or fewer (``words``: in all lines).

    A line of five words or more takes five of the words, so with few words per line the
    answer is known without counting each line's.
    """
    if len(lines) - words // 5 >= 0.7 * len(lines):
        return True
    return sum(len(_WORD.findall(line)) <= 4 for line in lines) >= 0.7 * len(lines)


def name_removed(block: Block, scored: bool = True) -> None:
    """Set ``kind`` and ``reason`` of a removed block (``scored``: the model gave it a score)."""
    found = cue_kind(block.text)
    if found:
        kind, cue = found
        block.kind, block.reason = kind, f"{kind} cue {cue[:40]!r}"
    else:
        block.kind, block.reason = shape_kind(block)
    if scored:
        block.reason += f" (p={block.score:.2f})"


def absorb_into_widgets(blocks: list[Block]) -> None:
    """An unmarked removed block next to a widget's block is part of that widget.

    "Jan 26, 2020-Sunday" under "New Delhi 24°C / Today in New Delhi" is the widget's
    date, not the article's; "Select city" above a row of cities is the city picker's;
    the headlines under "Related stories" are related links.
    """
    for i, block in enumerate(blocks):
        if block.keep or block.kind not in ("dateline", "boilerplate"):
            continue
        prev = blocks[i - 1] if i else None
        if block.kind == "boilerplate" and prev is not None and not prev.keep and prev.kind in LISTS:
            block.kind = prev.kind
            block.reason = f"{block.kind}: listed under block {i} (p={block.score:.2f})"
            continue
        # a date beside the weather is today's date; beside a share bar it may be the article's
        hosts = ("weather",) if block.kind == "dateline" else WIDGETS
        for j in (i - 1, i + 1):
            if 0 <= j < len(blocks) and not blocks[j].keep and blocks[j].kind in hosts:
                break
        else:
            continue  # no widget beside it: its words need no counting
        if block.kind == "boilerplate" and len(_WORD.findall(block.text)) > 3:
            continue  # a longer unmarked block may be the headline right under the widget
        block.kind = blocks[j].kind
        block.reason = f"{block.kind}: next to the {blocks[j].kind} block {j + 1} (p={block.score:.2f})"

"""A flattened text dump into blocks.

A scraper that flattened a page kept one thing of its layout: block elements became
paragraphs separated by a blank line, and line breaks inside them (<br>, list items)
became single newlines. So a block is what stands between blank lines; its lines are kept,
stripped, because a menu is many short lines and a paragraph one long one.
"""

from __future__ import annotations

import re

from dehusk.document import Block

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0\u2000-\u200b\u3000]*\n")
_SPACES = re.compile(r"[ \t\f\v]+")


def split_blocks(text: str) -> list[Block]:
    """Blocks of a dump: paragraphs split at blank lines, lines stripped, empty ones dropped.

    >>> [b.text for b in split_blocks("Title\\n\\n  first line \\nsecond\\n\\n\\n")]
    ['Title', 'first line\\nsecond']
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for paragraph in _BLANK_LINE.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in paragraph.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(Block(text="\n".join(lines)))
    return blocks

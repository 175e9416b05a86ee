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


def split_blocks(text: str, max_line: int = 0) -> list[Block]:
    """Blocks of a dump: paragraphs split at blank lines, lines stripped, empty ones dropped.

    A line longer than ``max_line`` characters (a page flattened into one line, a log) is
    cut into lines of at most that length at spaces, so that no later stage meets one
    unbounded string; ``lines_cut`` counts the cuts.

    >>> [b.text for b in split_blocks("Title\\n\\n  first line \\nsecond\\n\\n\\n")]
    ['Title', 'first line\\nsecond']
    >>> split_blocks("a b c d e f", max_line=4)[0].text
    'a b\\nc d\\ne f'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for paragraph in _BLANK_LINE.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in paragraph.split("\n")]
        if max_line and any(len(line) > max_line for line in lines):
            lines = [piece for line in lines for piece in cut_line(line, max_line)]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(Block(text="\n".join(lines)))
    return blocks


def cut_line(line: str, size: int) -> list[str]:
    """``line`` in pieces of at most ``size`` characters, cut at the last space where there is one.

    >>> cut_line("aaaa bb cccccc", 5)
    ['aaaa', 'bb', 'ccccc', 'c']
    """
    pieces = []
    while len(line) > size:
        cut = line.rfind(" ", 0, size + 1)
        cut = cut if cut > 0 else size
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    pieces.append(line)
    return pieces

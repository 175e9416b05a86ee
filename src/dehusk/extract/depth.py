"""A page nested deeper than ``max_depth`` loses its excess tags (never its text) before parsing.

HTML tree builders check the stack of open elements at every start tag, so their cost grows
with the square of the nesting: 60,000 nested ``<div>`` take lexbor 7 s and lxml refuses
them. No real page nests thousands deep; a broken template that never closes a ``<div>`` or
a hostile page does. So a page with many tags is scanned once (comments and raw-text
elements skipped), and tags opened past the limit are dropped with their closing tags: the
text stays, only the excess structure goes. A page with few tags cannot nest deep enough to
matter and is not scanned: the fast path pays one count of ``<`` (``opening_brackets``).
"""

from __future__ import annotations

import re

import numpy as np

#: Below this many ``<``, a page cannot nest deep enough to slow a parser down.
SCAN_TAGS = 20_000
_TOKENS = re.compile(
    r"<!--.*?(?:-->|$)"  # a comment (an unclosed one runs to the end, as in a browser)
    r"|<(script|style|textarea|title|xmp|noscript|plaintext)\b[^>]*>.*?(?:</\1\s*>|$)"  # raw text
    r"|<(/?)([a-zA-Z][^\s/>]*)[^>]*?(/?)>",
    re.DOTALL | re.IGNORECASE,
)
#: Elements that never hold children.
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
#: Elements a start tag of the same name closes (``<p>a<p>b`` are siblings, not nested).
SIBLINGS = frozenset(["p", "li", "dt", "dd", "option", "tr", "td", "th"])


def opening_brackets(content: str | bytes) -> int:
    """How many ``<`` a page holds: of bytes, counted by numpy (``bytes.count`` goes a byte at a
    time, a tenth of a millisecond on a 150 KB page)."""
    if isinstance(content, bytes):
        return int(np.count_nonzero(np.frombuffer(content, dtype=np.uint8) == ord("<")))
    return content.count("<")


def limit_depth(html: str, max_depth: int) -> tuple[str, int]:
    """``html`` with the tags nested past ``max_depth`` removed, and how many were removed."""
    if max_depth <= 0 or opening_brackets(html) < SCAN_TAGS:
        return html, 0
    stack: list[str] = []  # names of the open elements kept
    overflow: list[str] = []  # names of the open elements dropped, innermost last
    cuts: list[tuple[int, int]] = []
    for match in _TOKENS.finditer(html):
        name = match.group(3)
        if name is None:  # a comment or a raw-text element: nothing nests inside
            continue
        name = name.lower()
        if match.group(2):  # a closing tag
            if overflow and overflow[-1] == name:
                overflow.pop()
                cuts.append(match.span())
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            continue
        if name in VOID or match.group(4):
            continue
        if name in SIBLINGS and stack and stack[-1] == name:
            stack.pop()
        if len(stack) >= max_depth:
            overflow.append(name)
            cuts.append(match.span())
        else:
            stack.append(name)
    if not cuts:
        return html, 0
    pieces, position = [], 0
    for start, end in cuts:
        pieces.append(html[position:start])
        position = end
    pieces.append(html[position:])
    return "".join(pieces), len(cuts)

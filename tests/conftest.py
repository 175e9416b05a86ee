"""Helpers shared by the tests."""

from __future__ import annotations

import html
import re


def html_page(paragraphs: list[str]) -> str:
    """A small HTML page around the given paragraphs, with a menu and a footer to remove."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Radio</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article>{body}</article><footer>© 2015 Radio · About us</footer></body></html>"
    )


def explained_blocks(output: str) -> list[tuple[str, str, str]]:
    """(sign, kind, text) of every block in the terminal view; wrapped text joined back."""
    blocks: list[tuple[str, str, str]] = []
    head = re.compile(r"^([+-])\s+\d+\s+(\S+)\s")
    for line in output.splitlines():
        match = head.match(line)
        if match:
            blocks.append((match.group(1), match.group(2), ""))
        elif blocks and line.startswith("      ") and line.strip():
            sign, kind, text = blocks[-1]
            blocks[-1] = (sign, kind, f"{text} {line.strip()}".strip())
    return blocks

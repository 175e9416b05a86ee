"""Helpers shared by the tests."""

from __future__ import annotations

import html


def html_page(paragraphs: list[str]) -> str:
    """A small HTML page around the given paragraphs, with a menu and a footer to remove."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Radio</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article>{body}</article><footer>© 2015 Radio · About us</footer></body></html>"
    )

"""Naive HTML flattening: the page as the text dump a plain scraper would make."""

from __future__ import annotations

from pathlib import Path

import pytest

from dehusk.extract.flatten import flatten_html

SIMPLE_HTML = Path(__file__).resolve().parent.parent / "fixtures" / "html" / "simple.html"

SIMPLE_DUMP = """\
Home
News
Sport

Harbour reopens after storm

The harbour reopened on Monday after a week of repairs, the port authority said.

Fishing boats were the first to leave.
Ferries follow on Tuesday.

Boats leave at dawn.

Day Sailings
Monday 4

Tickets:
Adult
Child

© 2024 Coast News · About
"""


def test_simple_page():
    # head, style, scripts, comments, noscript, svg and template are gone; blocks are
    # paragraphs, <br>/<li>/<tr>/<option> lines, cells spaced, whitespace collapsed
    assert flatten_html(SIMPLE_HTML.read_text(encoding="utf-8")) == SIMPLE_DUMP


def test_inline_markup_is_joined_and_blocks_split():
    html = "<div>one <i>two</i><span>three</span></div><div><div>four</div>five</div><p>six<hr>seven</p>"
    assert flatten_html(html) == "one twothree\n\nfour\n\nfive\n\nsix\n\nseven\n"


def test_pages_without_visible_text():
    assert flatten_html("") == ""
    assert flatten_html("<html><head><title>t</title></head><body> \n </body></html>") == ""
    assert flatten_html("<script>only()</script><style>p{}</style>") == ""


def test_marker_characters_in_the_page_do_not_break_the_layout():
    # the flattener marks breaks with \x00 and \x01 internally; a page holding them must not confuse it
    html = "<p>a\x01b&#1;c&#x01;d</p><p>e\x00f</p><ul><li>g</li><li>h</li></ul>"
    assert flatten_html(html) == "abcd\n\nef\n\ng\nh\n"


def test_a_60000_deep_nest_needs_no_recursion():
    depth = 60_000
    # nested inline elements, a block at the bottom: lexbor parses these in linear time
    html = "<body>" + "<span>s" * depth + "<p>deep<br>down</p>" + "</span>" * depth + "<p>after</p></body>"
    assert flatten_html(html) == "s" * depth + "\n\ndeep\ndown\n\nafter\n"


def test_deeply_nested_blocks():
    depth = 3_000  # lexbor's parser is quadratic in nested blocks; 60,000 <div>s take it seconds
    html = "<div>x" * depth + "</div>" * depth
    assert flatten_html(html) == "\n\n".join(["x"] * depth) + "\n"


@pytest.mark.slow
def test_a_60000_deep_nest_of_divs():
    depth = 60_000  # some seconds, all in lexbor's parser
    html = "<div>x" * depth + "</div>" * depth
    assert flatten_html(html) == "\n\n".join(["x"] * depth) + "\n"

"""The explain views: terminal (rich) and a self-contained HTML page."""

from __future__ import annotations

import io

from rich.console import Console
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dehusk.document import Block, Document
from dehusk.explain import kind_colour, render_html, render_html_pages, render_terminal


def _doc(**kw) -> Document:
    blocks = [
        Block(
            "Jan 26, 2020-Sunday\n12°C Sunny",
            kind="weather",
            keep=False,
            reason="weather widget: a temperature and a day name",
        ),
        Block(
            "The council met on [bold]Tuesday[/bold] to vote.\nThe vote <script>alert(1)</script> passed.",
            kind="content",
            keep=True,
            reason="long prose paragraph",
            score=0.93,
        ),
        Block("Photo: Reuters / Jane Doe", kind="caption", keep=False, reason="photo credit", score=0.08),
    ]
    fields = {
        "id": "004_9d7f267a3ae22dc7",
        "source": "seeds/004_9d7f267a3ae22dc7.txt",
        "format": "text",
        "content": "",
        "lang": "en",
        "title": "Council <b>votes</b>",
        "date": "2020-01-24",
        "description": "The council voted.",
        "blocks": blocks,
        "metadata": {
            "mode": "fast",
            "repairs": {"typo": 1},
            "repairs_detail": [{"from": "teh vote", "to": "the vote", "why": "common typo"}],
        },
    }
    fields.update(kw)
    return Document(**fields)


def _terminal(doc: Document) -> str:
    console = Console(file=io.StringIO(), width=100)
    render_terminal(doc, console)
    return console.file.getvalue()


# ---------------------------------------------------------------- terminal


def test_terminal_shows_header_blocks_kinds_and_reasons():
    out = _terminal(_doc())
    for expected in (
        "004_9d7f267a3ae22dc7",
        "seeds/004_9d7f267a3ae22dc7.txt",
        "Council <b>votes</b>",
        "2020-01-24",
        "The council voted.",
        "1 kept, 2 removed",
        "weather widget: a temperature and a day name",
        "photo credit",
        "12°C Sunny",
        "Photo: Reuters / Jane Doe",
    ):
        assert expected in out
    lines = out.splitlines()
    labels = [line for line in lines if line.startswith(("+", "-"))]
    assert [line.split()[0] for line in labels] == ["-", "+", "-"]
    assert [line.split()[2] for line in labels] == ["weather", "content", "caption"]
    assert "\x1b[" not in out  # no colour codes off a terminal


def test_terminal_prints_block_text_literally():
    out = _terminal(_doc())
    assert "[bold]Tuesday[/bold]" in out  # rich markup in a page is text, not style
    assert "<script>alert(1)</script>" in out


def test_terminal_repairs():
    out = _terminal(_doc())
    assert "Repairs" in out and "typo 1" in out
    assert "'teh vote' -> 'the vote'" in out and "common typo" in out
    assert "Repairs" not in _terminal(_doc(metadata={}))


def test_terminal_colours_on_a_terminal():
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor")
    render_terminal(_doc(), console)
    out = console.file.getvalue()
    assert "\x1b[" in out
    assert "\x1b[9m" in out or ";9m" in out or ";9;" in out  # strike-through on removed text


def test_terminal_error_and_no_blocks():
    failed = _doc(blocks=[]).fail("decode", "no charset decodes byte 0xff at 12")
    out = _terminal(failed)
    assert "decode" in out and "no charset decodes byte 0xff at 12" in out
    assert "no blocks" in out


def test_kind_colours_are_distinct_per_group():
    groups = ["content", "nav", "weather", "promo", "related", "caption", "comments", "duplicate", "title"]
    assert len({kind_colour(k) for k in groups}) == len(groups)
    assert kind_colour("breadcrumb") == kind_colour("nav")
    assert kind_colour("never-heard-of-it")  # unknown kinds still render


# ---------------------------------------------------------------- html


def test_html_is_a_complete_self_contained_page():
    page = render_html(_doc())
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "<head>" in page and "<style>" in page and '<meta charset="utf-8">' in page
    low = page.lower()
    for external in ("<script", "<link", "src=", "http://", "https://", "@import"):
        assert external not in low


def test_html_escapes_page_text():
    page = render_html(_doc())
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Council &lt;b&gt;votes&lt;/b&gt;" in page and "<b>votes</b>" not in page


def test_html_strikes_removed_blocks_and_labels_them():
    page = render_html(_doc())
    tree = HTMLParser(page)
    removed = tree.css("div.block.removed")
    kept = tree.css("div.block.kept")
    assert len(removed) == 2 and len(kept) == 1
    assert [b.css_first("s").text() for b in removed] == [
        "Jan 26, 2020-Sunday\n12°C Sunny",
        "Photo: Reuters / Jane Doe",
    ]
    assert [b.css_first(".badge").text() for b in removed] == ["weather", "caption"]
    assert "weather widget: a temperature and a day name" in removed[0].text()
    assert kept[0].css_first("s") is None
    assert "line-through" in page and "pre-wrap" in page  # struck, and line breaks kept
    assert "met on [bold]Tuesday[/bold] to vote.\nThe vote" in kept[0].text()


def test_html_header_legend_and_repairs():
    tree = HTMLParser(render_html(_doc()))
    meta = dict(zip((dt.text() for dt in tree.css("dt")), (dd.text() for dd in tree.css("dd")), strict=True))
    assert meta["id"] == "004_9d7f267a3ae22dc7" and meta["lang"] == "en" and meta["date"] == "2020-01-24"
    assert meta["blocks"] == "1 kept, 2 removed"
    legend = {li.css_first(".badge").text(): li.text() for li in tree.css("ul.legend li")}
    assert set(legend) == {"weather", "content", "caption"}
    assert "1 removed" in legend["weather"] and "1 kept" in legend["content"]
    cells = [td.text() for td in tree.css("table.repairs td")]
    assert cells == ["teh vote", "the vote", "common typo"]


def test_html_error_and_no_blocks():
    page = render_html(_doc(blocks=[], text="").fail("not-text", "binary <data>"))
    assert "not-text" in page and "binary &lt;data&gt;" in page
    assert "No blocks" in page
    assert HTMLParser(page).css("div.block") == []


def test_html_pages_holds_every_document():
    other = _doc(id="second", title=None, blocks=[Block("Only text.")])
    page = render_html_pages([_doc(), other])
    tree = HTMLParser(page)
    assert len(tree.css("section.doc")) == 2
    assert len({n.attributes["id"] for n in tree.css("input.hide")}) == 2
    assert page.count("<!DOCTYPE html>") == 1

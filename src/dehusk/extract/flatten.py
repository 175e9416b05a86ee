"""Flatten an HTML page into the plain-text dump a naive scraper makes.

Every visible text node is kept -- menus, widgets and footers too -- which is exactly the
input the text path has to clean: block elements become paragraphs separated by a blank
line, ``<br>``, list items, table rows and options become line breaks inside a paragraph,
inline markup is joined and whitespace collapsed.

>>> flatten_html("<h1>Title</h1><p>One <b>bold</b><br>line</p><ul><li>a</li><li>b</li></ul>")
'Title\\n\\nOne bold\\nline\\n\\na\\nb\\n'

The work is done in lexbor: dropped subtrees are unlinked with ``strip_tags``, and instead
of walking every node in Python, marker characters are inserted around block and line
elements (one Python call per such element) and the page is read back with one ``text()``
call, a C walk. There is no recursion anywhere: a page nesting 60,000 elements flattens
like any other (lexbor's parser is quadratic in the depth of nested *block* elements,
though: 60,000 nested ``<div>`` take it some seconds to parse, a case for the time limit
per document). The output equals the team's ``flatten_html.py`` evaluation tool.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Subtrees a reader never sees (comments are skipped by ``text()`` anyway).
SKIP = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas")
#: Elements that stand as paragraphs of their own.
BLOCK = (
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "legend", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "thead", "tfoot", "ul", "menu",
)  # fmt: skip
#: Elements that start and end a line inside a paragraph.
LINE = ("br", "li", "tr", "option")
#: Table cells: a space before each keeps neighbouring cells apart.
CELL = ("td", "th")

# Markers for paragraph and line breaks: C0 controls that real text does not hold. A page
# that holds them anyway is caught by counting, and flattened again with them removed.
PARA, BREAK = "\x00", "\x01"
# a tab-like character or two spaces and more; single spaces, the most common match, stay as they are
_SPACES = re.compile(r"[\t\r\f\v][ \t\r\f\v]*| [ \t\r\f\v]+")
_BLOCK_SELECTOR = ", ".join(BLOCK)
_LINE_SELECTOR = ", ".join(LINE)
_CELL_SELECTOR = ", ".join(CELL)


def flatten_html(html: str) -> str:
    """The page's visible text as paragraphs separated by blank lines, ending in a newline.

    A page without visible text gives ``""``.
    """
    marked = _marked_text(html, clean=False)
    if marked is None:  # the page's own text holds a marker character
        marked = _marked_text(html, clean=True) or ""
    return _layout(marked)


def _marked_text(html: str, *, clean: bool) -> str | None:
    """The page's text with PARA and BREAK markers, or None if it holds markers of its own.

    With ``clean``, marker characters are first removed from the page's text nodes.
    """
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    tree.strip_tags(list(SKIP))  # unlinks each subtree; nested ones go with their parent
    if clean:
        _drop_marker_characters(root)
    paras, breaks = _mark(root)
    marked = root.text(deep=True, separator="", strip=False)
    if marked.count(PARA) != paras or marked.count(BREAK) != breaks:
        return None
    return marked


def _drop_marker_characters(root: LexborNode) -> None:
    """Remove the two marker characters from text nodes, so only inserted markers remain.

    They are C0 control characters, noise in any text; this only runs on the rare page
    that holds one.
    """
    dirty = []
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            text = node.text_content or ""
            if PARA in text or BREAK in text:
                dirty.append((node, text.replace(PARA, "").replace(BREAK, "")))
    for node, clean in dirty:  # replaced after the walk, not under it
        node.replace_with(clean)


def _mark(root: LexborNode) -> tuple[int, int]:
    """Put a PARA marker around every block element, a BREAK around every line element.

    Entering and leaving an element both count, as in a depth-first walk; a cell only
    gets a leading space. The root's own markers would only frame the whole text.
    Returns how many PARA and BREAK markers went in.
    """
    paras = breaks = 0
    for node in root.css(_BLOCK_SELECTOR):
        if node.mem_id != root.mem_id:
            node.insert_before(PARA)
            node.insert_after(PARA)
            paras += 2
    for node in root.css(_LINE_SELECTOR):
        node.insert_before(BREAK)
        node.insert_after(BREAK)
        breaks += 2
    for node in root.css(_CELL_SELECTOR):
        node.insert_before(" ")
    return paras, breaks


def _layout(marked: str) -> str:
    """Turn the marked text into paragraphs and lines.

    A run of markers and whitespace holding a PARA is a paragraph break, a run of BREAKs
    alone a line break; newlines of the source are plain spaces. Splitting on the markers
    (rather than matching the runs with a regex) keeps this linear on any input.
    """
    marked = _SPACES.sub(" ", marked.replace("\n", " "))
    paragraphs = []
    for block in marked.split(PARA):
        lines = [line.strip() for line in block.split(BREAK)]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""

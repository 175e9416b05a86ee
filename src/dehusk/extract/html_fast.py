"""HTML into blocks, fast: the per-node work stays in lexbor, Python sees only paragraphs.

1. Subtrees nobody reads (scripts, styles, forms' controls, SVG...) are unlinked in C.
2. The article's container is the element whose paragraphs hold the most prose, found
   from the ``<p>`` elements alone (a hundred or two), as readability does; when no
   element holds enough of the page's prose, the whole body is the container. A comment
   thread is never the container, however much prose it holds. An element the page itself
   marks as its article's text (schema.org's ``articleBody``) is taken instead, unless the
   prose's choice lies inside it.
3. The container is flattened as a scraper would (block elements become paragraphs,
   ``<br>`` and list items lines), in one C-level ``text()`` call: markers inserted around
   block elements say which element opened each paragraph, markers around links say how
   much of it is link text.
4. Each paragraph becomes a Block carrying its DOM features: the opening element's tag,
   heading level, list and table membership, depth below the container, link density,
   and the class and id words of the element and its ancestors up to the container.

Blocks outside the container are only cut when asked: for the explain view, and for the
precise path, which has the whole page scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dehusk.classify.context import names_comments
from dehusk.document import Block, Document
from dehusk.extract.html_meta import read_meta
from dehusk.memo import text_cache
from dehusk.repair.decode import decode

#: Subtrees a reader never sees.
JUNK = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "video", "audio",
    "button", "select", "input", "textarea", "option", "link", "meta", "head",
)  # fmt: skip
BLOCK = (
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
    "ul", "menu", "li", "tr", "td", "th",
)  # fmt: skip
_BLOCK_SELECTOR = ", ".join(BLOCK)
_JUNK_SELECTOR = ", ".join(JUNK)
#: Elements that start a line inside a paragraph rather than a paragraph.
LINE = ("br",)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = {"li", "ul", "ol", "dl", "dd", "dt", "menu"}
_TABLES = {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"}

# Markers: each starts with MARK, then says what it marks: OPEN + id before a block element,
# CLOSE + id after it (id: a private-use character naming the element), BREAK for a line
# break, LINK around link text. The marked text is cut at MARK by ``str.split``, and each
# piece opens with its marker's letter.
MARK = "\x00"  # a control character: never text (the page's own are dropped before parsing)
OPEN, CLOSE, BREAK, LINK = (MARK + letter for letter in "ocbl")
_ID_BASE = 0xF0000  # supplementary private use area: never in real text (one code point per element)
#: More block elements than private-use code points to name them: the rest join their parent.
MAX_ELEMENTS = 120_000
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
#: schema.org microdata's mark of an article's text, whatever its case (some CMSs write ``articlebody``)
_ARTICLE_BODY = '[itemprop~="articleBody" i]'
#: characters a marked element must hold to be believed
MIN_MARKED_CHARS = 200


@dataclass(slots=True)
class Container:
    """The element that holds the article, and how sure the choice is."""

    node: LexborNode
    share: float  # the container's share of the page's prose in <p> elements; 1 for the page's own mark


def _drop_junk(tree: LexborHTMLParser) -> None:
    """``tree.strip_tags(JUNK)`` in one CSS pass over the page instead of one per tag."""
    for node in tree.css(_JUNK_SELECTOR):
        node.decompose(recursive=False)  # as strip_tags does it


def extract(doc: Document, everything: bool = False) -> None:
    """Fill ``doc.blocks`` from its HTML, and what the page says of itself.

    Only the article's container is cut into blocks, unless ``everything`` is asked for
    (the explain view shows the whole page). Bytes are parsed as UTF-8 by lexbor; a page
    whose text then shows replacement characters and whose bytes are not UTF-8 is decoded
    (declared charset, then a guess) and parsed again.
    """
    content = doc.content
    _extract(doc, content, everything)
    if isinstance(content, bytes):
        doc.metadata["charset"] = "utf-8"
        if any("\ufffd" in b.text for b in doc.blocks) and not _is_utf8(content):
            text, doc.metadata["charset"] = decode(content)
            _extract(doc, text, everything)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _extract(doc: Document, html: str | bytes, everything: bool) -> None:
    if isinstance(html, bytes):
        if MARK.encode() in html:
            html = html.replace(MARK.encode(), b"")
    elif MARK in html:  # a control character: never text
        html = html.replace(MARK, "")
    tree = LexborHTMLParser(html)
    meta = read_meta(tree, doc.url)
    _drop_junk(tree)
    body = tree.body or tree.root
    if body is None:
        doc.blocks = []
        return
    container = find_container(body)
    doc.blocks = cut_blocks(body if everything else container.node)
    doc.url = doc.url or meta.url
    doc.title, doc.description, doc.date = meta.title, meta.description, meta.date
    if meta.title_from_head:
        doc.metadata["head_title"] = True
    if meta.date_from_markup:
        doc.metadata["date_from_markup"] = True
    doc.lang = doc.lang or meta.lang
    doc.metadata["container_share"] = round(container.share, 3)


def find_container(body: LexborNode, min_share: float = 0.6) -> Container:
    """The element holding the most prose, scored from its ``<p>`` children and grandchildren.

    A paragraph counts in proportion to its length and commas (readability's measure); it
    scores for its parent and, half, its grandparent, and its weight is summed into every
    ancestor, in one walk up from each paragraph. The best-scoring element is widened to
    an ancestor while that ancestor holds much more prose (an article split into several
    sections), and further up until it holds ``min_share`` of the page's prose (at worst,
    the body). The page's own mark of its article may then overrule it (``_marked_article``).
    """
    scores: dict[int, float] = {}
    under: dict[int, float] = {}  # prose weight below each element
    nodes: dict[int, LexborNode] = {}
    parents: dict[int, int] = {}
    total = 0.0
    stop = body.mem_id
    for p in body.css("p"):
        text = p.text(strip=True)
        if len(text) < 25:
            continue
        weight = 1.0 + min(len(text) / 100, 3.0) + text.count(",")
        total += weight
        child, node, level = p.mem_id, p.parent, 0
        while node is not None:
            key = node.mem_id
            if level < 2:
                scores[key] = scores.get(key, 0.0) + weight / (1 + level)
            under[key] = under.get(key, 0.0) + weight
            parents[child] = key
            if key in nodes:  # the rest of the way up is known: only add the weight
                up = parents.get(key)
                while up is not None:
                    under[up] = under.get(up, 0.0) + weight
                    up = parents.get(up)
                break
            nodes[key] = node
            if key == stop:
                break
            child, node, level = key, node.parent, level + 1
    if not scores or total == 0:
        return _marked_article(body, Container(body, 1.0))
    best = _outside_comments(max(scores, key=scores.__getitem__), nodes, parents, stop)
    up = parents.get(best)
    # widen over an article split into sections, and until enough of the page's prose is in
    while up is not None and (under[up] >= under[best] * 1.3 or under[best] < min_share * total):
        best, up = up, parents.get(up)
    return _marked_article(body, Container(nodes[best], under[best] / total))


def _marked_article(body: LexborNode, found: Container) -> Container:
    """The element the page marks as its article's text (schema.org's ``itemprop="articleBody"``,
    as trafilatura also reads it), unless the prose's choice lies inside it, which is finer.

    The mark wins where the prose misleads: an article written without ``<p>`` (text and
    ``<br>`` in a ``<div>``) beside a form or a sidebar that has paragraphs. One mark is
    believed (marks nested in it, or holding the same text again, count as one), and only
    when it holds some text: a page marking several places, or an empty teaser, says nothing.
    """
    marked = body.css(_ARTICLE_BODY)
    if not marked:
        return found
    node, key = marked[0], marked[0].mem_id  # the first in the page's order: the outermost
    if _within(found.node, key):  # most marked pages: the prose chose the mark or inside it
        return found
    text = node.text(strip=True)
    if len(text) < MIN_MARKED_CHARS:
        return found
    if not all(_within(other, key) or other.text(strip=True) == text for other in marked[1:]):
        return found
    return Container(node, 1.0)  # the page's own word: as sure as a choice gets


def _within(node: LexborNode | None, key: int) -> bool:
    """Whether ``node`` is the element ``key`` (a ``mem_id``) or lies inside it."""
    while node is not None:
        if node.mem_id == key:
            return True
        node = node.parent
    return False


def _outside_comments(best: int, nodes: dict[int, LexborNode], parents: dict[int, int], stop: int) -> int:
    """``best``, or the parent of the outermost comment section holding it: a comment thread is
    never the article, however much more prose it holds than the post above it (an open
    thread, a short post with a long discussion). The article is then in the container
    beside the thread, and the classifier tells them apart."""
    found, key = best, best
    while key != stop and key in parents:
        if names_comments(_element_tokens(nodes[key])):
            found = parents[key]
        key = parents[key]
    return found


def cut_blocks(root: LexborNode) -> list[Block]:
    """The paragraphs under ``root``, in order, each with its DOM features."""
    elements: list[LexborNode] = []
    root_id = root.mem_id
    for node in root.css(_BLOCK_SELECTOR):
        if node.mem_id == root_id or len(elements) >= MAX_ELEMENTS:
            continue
        ident = chr(_ID_BASE + len(elements) + 1)  # 0 stands for the root
        elements.append(node)
        node.insert_before(OPEN + ident)
        node.insert_after(CLOSE + ident)
    for node in root.css("br"):
        node.insert_before(BREAK)
    for node in root.css("a"):
        node.insert_before(LINK)
        node.insert_after(LINK)
    marked = root.text(deep=True, separator="", strip=False)
    _ANCESTRY.clear()  # element addresses are reused by the next page
    return _blocks_from_marks(marked, elements, root)


def _blocks_from_marks(marked: str, elements: list[LexborNode], root: LexborNode) -> list[Block]:
    """Split the marked text into paragraphs, each credited to the element it stands in.

    The markers are read in one pass: OPEN and CLOSE keep a stack of the elements the text
    stands in, LINK toggles whether it is link text (a link may wrap whole paragraphs).
    """
    blocks: list[Block] = []
    nodes = [root, *elements]  # an element's id is its place here: 0 stands for the root
    root_id = root.mem_id
    stack = [0]  # the elements open at this point of the text, innermost last
    pieces: list[str] = []
    link_chars = 0
    in_link = False
    first, *marked_pieces = marked.split(MARK)  # text, then (marker letter, [id], text) per marker
    if first and not first.isspace():
        pieces.append(first.replace("\n", " "))
    for chunk in marked_pieces:
        letter = chunk[0]
        if letter == "o" or letter == "c":
            if pieces:
                blocks.append(_make_block("".join(pieces), link_chars, nodes[stack[-1]], root_id))
                pieces = []
            link_chars = 0
            ident = ord(chunk[1]) - _ID_BASE
            if letter == "o":
                stack.append(ident)
            elif ident in stack:
                del stack[stack.index(ident) :]
            piece = chunk[2:]
        elif letter == "l":
            in_link = not in_link
            piece = chunk[1:]
        else:  # "b": a line break
            if pieces:
                pieces.append("\n")
            piece = chunk[1:]
        if piece and not piece.isspace():
            pieces.append(piece.replace("\n", " "))
            if in_link:
                link_chars += len(piece.strip())
        elif piece and pieces:
            pieces.append(" ")
    if pieces:
        blocks.append(_make_block("".join(pieces), link_chars, nodes[stack[-1]], root_id))
    return [b for b in blocks if b.text]


def _make_block(raw: str, link_chars: int, node: LexborNode, root: int) -> Block:
    if "\n" in raw:
        lines = (" ".join(line.split()) for line in raw.split("\n"))
        text = "\n".join(line for line in lines if line)
    else:
        text = " ".join(raw.split())
    tag = node.tag or ""
    tokens, in_list, in_table, depth = _ancestry(node, root)
    return Block(
        text=text,
        tag=tag,
        tokens=tokens,
        link_density=min(1.0, link_chars / max(1, len(text))),
        depth=depth,
        heading=_HEADINGS.get(tag, 0),
        in_list=in_list,
        in_table=in_table,
    )


_Ancestry = tuple[str, bool, bool, int]


def _ancestry(node: LexborNode, root: int, cache: dict[int, _Ancestry] | None = None) -> _Ancestry:
    """Class and id words of ``node`` and its ancestors below ``root``, list and table
    membership, and depth: memoised per element, since paragraphs share ancestors."""
    cache = _ANCESTRY if cache is None else cache
    chain: list[tuple[LexborNode, int]] = []
    walker: LexborNode | None = node
    known: _Ancestry = ("", False, False, 0)
    while walker is not None and len(chain) < 40:
        key = walker.mem_id
        if key == root:
            break
        hit = cache.get(key)
        if hit is not None:
            known = hit
            break
        chain.append((walker, key))
        walker = walker.parent
    tokens, in_list, in_table, depth = known
    for element, key in reversed(chain):
        name = element.tag or ""
        words = _element_tokens(element)
        tokens = f"{words} > {tokens}" if tokens else words  # the element's words first, then its ancestors'
        in_list = in_list or name in _LISTS
        in_table = in_table or name in _TABLES
        depth += 1
        cache[key] = (tokens, in_list, in_table, depth)
    return tokens, in_list, in_table, depth


_ANCESTRY: dict[int, _Ancestry] = {}


def _element_tokens(node: LexborNode) -> str:
    """The lowercased class and id words of one element: ``main-nav menu__item`` → ``main nav menu item``."""
    attrs = node.attributes
    return _words(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")


@text_cache(maxsize=1 << 14)  # a page repeats its class names, and a site its pages'
def _words(value: str) -> str:
    return " ".join(t for t in _TOKEN_SPLIT.split(value.lower()) if t)


def with_outside(doc: Document) -> list[Block]:
    """The page's blocks, the container's as they were decided and the rest marked removed.

    For the explain view: the page is cut whole once more and the decided blocks are laid
    into it in order; a block outside the article's container was never a candidate.
    """
    from dehusk.classify.features import normalize  # the classifier's key, for matching
    from dehusk.classify.kinds import absorb_into_widgets, name_removed

    whole = Document(id=doc.id, source=doc.source, format="html", content=doc.content)
    _extract(whole, doc.content, everything=True)
    decided = [(normalize(b.text), b) for b in doc.blocks]
    merged: list[Block] = []
    position = 0
    for block in whole.blocks:
        key = normalize(block.text)
        found = next((j for j in range(position, len(decided)) if decided[j][0] == key), None)
        if found is not None:
            merged.extend(b for _, b in decided[position : found + 1])
            position = found + 1
            continue
        block.keep = False
        name_removed(block, scored=False)
        block.reason = f"outside the article's container; {block.reason}"
        merged.append(block)
    merged.extend(b for _, b in decided[position:])
    absorb_into_widgets(merged)  # a widget's parts outside the container take its name too
    return merged

"""Show a person what the cleaner did to one page: every block, kept or removed, its kind and why.

Two views of the same facts. :func:`render_terminal` prints to a rich Console (colour on a
terminal, plain text in a pipe or a test); :func:`render_html` returns one self-contained page
(inline CSS, no scripts, no external resources) to open in a browser or attach to a bug report.
Nothing here decides anything: it only reads ``doc.blocks`` and ``doc.metadata``.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from dehusk.document import Block, Document

__all__ = ["KIND_COLOURS", "kind_colour", "render_html", "render_html_pages", "render_terminal"]

# Kinds that look alike share a colour, so that a page reads at a glance: (kinds, rich style, hex).
_KIND_GROUPS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("content",), "green", "#2e7d32"),
    (("title", "description", "heading", "standfirst", "subtitle"), "bright_cyan", "#00838f"),
    (("nav", "breadcrumb", "header", "menu", "pagination", "toc"), "blue", "#1565c0"),
    (("weather", "city-picker", "widget", "clock", "market"), "yellow", "#b8860b"),
    (("promo", "newsletter", "share", "cookie", "ad", "social", "subscribe", "login"), "magenta", "#ad1457"),
    (("related", "read-more", "recommended", "trending", "tags"), "dark_orange", "#e65100"),
    (("caption", "byline", "dateline", "credit", "author", "timestamp"), "cyan", "#00695c"),
    (("comments", "footer", "copyright", "legal", "contact"), "red", "#c62828"),
    (("duplicate", "template", "boilerplate"), "medium_purple", "#6a1b9a"),
)
_OTHER_STYLE, _OTHER_HEX = "bold", "#546e7a"

#: kind -> (rich style, CSS colour)
KIND_COLOURS: dict[str, tuple[str, str]] = {
    kind: (style, hexcolour) for kinds, style, hexcolour in _KIND_GROUPS for kind in kinds
}


def kind_colour(kind: str) -> tuple[str, str]:
    """The (rich style, CSS colour) of a kind; kinds we do not know yet get a neutral grey."""
    return KIND_COLOURS.get(kind, (_OTHER_STYLE, _OTHER_HEX))


def _counts(doc: Document) -> tuple[int, int]:
    kept = sum(b.keep for b in doc.blocks)
    return kept, len(doc.blocks) - kept


def _header_fields(doc: Document) -> list[tuple[str, str]]:
    """The header lines both views show, in order; empty fields are left out."""
    meta = doc.metadata
    fields = [
        ("id", doc.id),
        ("source", doc.source),
        ("url", doc.url),
        ("format", " / ".join(str(x) for x in (doc.format, meta.get("mode")) if x)),
        ("lang", doc.lang),
        ("title", doc.title),
        ("date", doc.date),
        ("description", doc.description),
    ]
    if doc.blocks:
        kept, removed = _counts(doc)
        fields.append(("blocks", f"{kept} kept, {removed} removed"))
    return [(k, str(v)) for k, v in fields if v]


def _repair_counts(doc: Document) -> str:
    repairs = doc.metadata.get("repairs") or {}
    if not isinstance(repairs, dict):
        return str(repairs)
    return ", ".join(f"{name} {n}" for name, n in repairs.items())


def _repair_details(doc: Document) -> list[tuple[str, str, str]]:
    """(from, to, why) of every listed repair; a malformed entry is shown as it is."""
    details = doc.metadata.get("repairs_detail") or []
    out = []
    for entry in details if isinstance(details, list) else [details]:
        if isinstance(entry, dict):
            out.append((str(entry.get("from", "")), str(entry.get("to", "")), str(entry.get("why", ""))))
        else:
            out.append(("", "", str(entry)))
    return out


def _show_scores(doc: Document) -> bool:
    # Rule-only runs leave every score at 0.0; printing "0.00" everywhere would be noise.
    return any(b.score for b in doc.blocks)


# ---------------------------------------------------------------- terminal


def render_terminal(doc: Document, console: Console) -> None:
    """Print the header, the repairs and every block of ``doc`` to ``console``.

    Block text goes through :class:`rich.text.Text`, never markup, so ``[brackets]`` in a
    page print as they are.
    """
    label_width = max([len(b.kind) for b in doc.blocks] + [7])
    for key, value in _header_fields(doc):
        line = Text.assemble((f"{key:>11} ", "bold"), value)
        console.print(line, overflow="fold")
    if doc.error is not None:
        console.print(
            Text.assemble(("      error ", "bold red"), (doc.error.kind, "red"), f"  {doc.error.detail}")
        )
    counts, details = _repair_counts(doc), _repair_details(doc)
    if counts or details:
        console.print()
        console.print(Text("Repairs", style="bold underline"))
        if counts:
            console.print(Text(f"  {counts}"))
        for before, after, why in details:
            line = Text("  ")
            if before or after:
                line.append(repr(before), "red").append(" -> ").append(repr(after), "green")
            if why:
                line.append(f"  {why}", "dim")
            console.print(line, overflow="fold")
    console.print()
    if not doc.blocks:
        console.print(Text("no blocks: nothing was cut from this document", style="italic"))
        if doc.text:
            console.print(Padding(Text(doc.text), (0, 0, 0, 4), expand=False))
        return
    scores = _show_scores(doc)
    for i, block in enumerate(doc.blocks, 1):
        console.print(_terminal_label(i, block, label_width, scores), overflow="fold")
        body = Text(block.text, style="" if block.keep else "dim strike")
        console.print(Padding(body, (0, 0, 0, 6), expand=False))


def _terminal_label(i: int, block: Block, width: int, scores: bool) -> Text:
    style, _ = kind_colour(block.kind)
    marker = ("+", "bold green") if block.keep else ("-", "bold red")
    line = Text.assemble(marker, f" {i:>3} ", (f"{block.kind:<{width}}", style))
    if scores:
        line.append(f"  p={block.score:.2f}", "dim")
    if block.reason:
        line.append(f"  {block.reason}", "dim")
    return line


# ---------------------------------------------------------------- html

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#212121}
h1{font-size:1.4rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0}
dl.meta dt{font-weight:600;color:#546e7a}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.error{background:#ffebee;border-left:4px solid #c62828;padding:.5rem 1rem;margin:1rem 0}
.badge{display:inline-block;color:#fff;border-radius:.3rem;padding:0 .4rem;font-size:.8rem;font-weight:600}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
.block{border-left:4px solid #2e7d32;padding:.2rem .8rem;margin:.6rem 0}
.block.removed{border-left-color:#bdbdbd;background:#fafafa;color:#757575}
.block .text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0}
.block.removed .text{text-decoration:line-through}
.block .why{font-size:.85rem;color:#616161;margin-left:.5rem}
.block .n{font-size:.75rem;color:#9e9e9e;margin-right:.4rem}
table.repairs{border-collapse:collapse;font-size:.9rem}
table.repairs td,table.repairs th{border:1px solid #e0e0e0;padding:.2rem .5rem;text-align:left;
  white-space:pre-wrap}
.empty{font-style:italic}
.hide:checked ~ .blocks .block.removed{display:none}
label{font-size:.9rem;color:#546e7a}
section.doc+section.doc{border-top:2px solid #e0e0e0;margin-top:2rem}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _badge(kind: str) -> str:
    _, colour = kind_colour(kind)
    return f'<span class="badge" style="background:{colour}">{_e(kind)}</span>'


def _html_block(i: int, block: Block, scores: bool) -> str:
    state = "kept" if block.keep else "removed"
    why = block.reason + (f" (p={block.score:.2f})" if scores else "")
    text = _e(block.text)
    if block.keep:
        # kept blocks read as the article does; only an unexpected kind earns a label
        label = _badge(block.kind) if block.kind != "content" else ""
        body = f'<div class="text">{text}</div>'
    else:
        label = _badge(block.kind)
        body = f'<div class="text"><s>{text}</s></div>'
    title = f' title="{_e(block.kind)}: {_e(why)}"' if why else f' title="{_e(block.kind)}"'
    head = f'<span class="n">{"+" if block.keep else "-"}{i}</span>{label}'
    if why and not block.keep:
        head += f'<span class="why">{_e(why)}</span>'
    return f'<div class="block {state}"{title}>{head}{body}</div>'


def _html_legend(doc: Document) -> str:
    kept = Counter(b.kind for b in doc.blocks if b.keep)
    removed = Counter(b.kind for b in doc.blocks if not b.keep)
    items = []
    for kind in sorted(kept.keys() | removed.keys(), key=lambda k: (-(kept[k] + removed[k]), k)):
        parts = [f"{n} {what}" for n, what in ((kept[kind], "kept"), (removed[kind], "removed")) if n]
        items.append(f"<li>{_badge(kind)} {_e(', '.join(parts))}</li>")
    return f'<ul class="legend">{"".join(items)}</ul>'


def _html_section(doc: Document, level: int = 1, index: int = 0) -> str:
    """One document's header, legend, repairs and blocks, without the page around them."""
    h, h2 = f"h{level}", f"h{level + 1}"
    out = [f'<section class="doc"><{h}>{_e(doc.title or doc.id)}</{h}>', '<dl class="meta">']
    out += [f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in _header_fields(doc)]
    out.append("</dl>")
    if doc.error is not None:
        out.append(f'<div class="error"><strong>error: {_e(doc.error.kind)}</strong>')
        if doc.error.detail:
            out.append(f"<pre>{_e(doc.error.detail)}</pre>")
        out.append("</div>")
    counts, details = _repair_counts(doc), _repair_details(doc)
    if counts or details:
        out.append(f"<{h2}>Repairs</{h2}>")
        if counts:
            out.append(f"<p>{_e(counts)}</p>")
        if details:
            out.append('<table class="repairs"><tr><th>from</th><th>to</th><th>why</th></tr>')
            out += [f"<tr><td>{_e(a)}</td><td>{_e(b)}</td><td>{_e(c)}</td></tr>" for a, b, c in details]
            out.append("</table>")
    if not doc.blocks:
        out.append('<p class="empty">No blocks: nothing was cut from this document.</p>')
        if doc.text:
            out.append(f'<div class="block kept"><div class="text">{_e(doc.text)}</div></div>')
        out.append("</section>")
        return "\n".join(out)
    out.append(f"<{h2}>Kinds</{h2}>{_html_legend(doc)}")
    out.append(
        f'<input type="checkbox" class="hide" id="hide{index}">'
        f'<label for="hide{index}"> hide removed blocks</label>'
    )
    scores = _show_scores(doc)
    out.append(f'<div class="blocks"><{h2}>Blocks</{h2}>')
    out += [_html_block(i, b, scores) for i, b in enumerate(doc.blocks, 1)]
    out.append("</div></section>")
    return "\n".join(out)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_html(doc: Document) -> str:
    """A complete HTML page explaining one document; every piece of page text is escaped."""
    return _page(f"dehusk explain: {doc.id}", _html_section(doc))


def render_html_pages(docs: Iterable[Document], title: str = "dehusk explain") -> str:
    """One HTML page explaining several documents, one section each (for ``explain`` on a JSONL)."""
    sections = [_html_section(doc, level=2, index=i) for i, doc in enumerate(docs)]
    body = f"<h1>{_e(title)}</h1>\n" + ("\n".join(sections) or '<p class="empty">No documents.</p>')
    return _page(title, body)

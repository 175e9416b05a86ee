#!/usr/bin/env python3
"""Build a corpus of several real pages per site, with gold text, to measure corpus-level templates.

    python scripts/build_site_corpus.py OUT_DIR [--per-site 80] [--newspaper SDIST_DIR]

No public news benchmark ships many pages of one site (ScrapingHub has 1-2 per host), so
this corpus is made of real sites whose published HTML is already on a developer's machine,
offline, each page with its site's own chrome (menus, headers, footers, theme pickers):

- ``doc.rust-lang.org``: the mdBook books a rustup toolchain installs
  (``~/.rustup/toolchains/*/share/doc/rust/html``: the book, the reference, cargo, the
  nomicon, rust-by-example, error codes). One host, six books: a book's title bar repeats on
  a sixth of the host's pages only, the theme picker and the keyboard help on all of them.
- ``nodejs.org``: the API docs of the Debian nodejs package (``/usr/share/doc/nodejs/api``).
- ``docs.npmjs.com``: the npm CLI docs npm installs (``$(npm root -g)/npm/docs/output``).
- ``cnn.com`` (optional, ``--newspaper``): the four CNN articles with hand-made body texts in
  the newspaper4k sdist (``pip download --no-deps --no-binary :all: newspaper4k``, unpacked).

The gold text of a page is the text of the element its site puts the page's own content in
(mdBook ``<main>``, Node ``#apicontent``, npm ``#_content``), flattened like the pages and
without its first heading (dehusk's text has no title); CNN's is newspaper4k's expected text.
Pages are given the URL they are published at, so that dehusk groups them by host.

Writes, under OUT_DIR: ``pages.jsonl`` (``id``, ``url``, ``html``), ``dumps.jsonl`` (``id``,
``url``, ``text``: each page flattened as a naive scraper would), ``dumps/SITE/ID.txt`` (the
same dumps as files, one directory per site, for runs without URLs) and ``gold.json``
(ScrapingHub format: ``{id: {"articleBody", "url"}}``) for ``score.py`` / ``dehusk eval``.
Nothing here is committed: OUT_DIR belongs outside the repository.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import orjson
from selectolax.lexbor import LexborHTMLParser

from dehusk.extract.flatten import flatten_html

RUST_BOOKS = ("book", "reference", "cargo", "nomicon", "rust-by-example", "error_codes")
MIN_GOLD_CHARS = 400  # redirect stubs and index pages are not articles


def rust_pages(per_site: int) -> Iterator[tuple[str, str, Path, str]]:
    """(site, url, path, gold selector) of the mdBook books of the first rustup toolchain found."""
    roots = sorted(glob.glob(os.path.expanduser("~/.rustup/toolchains/*/share/doc/rust/html")))
    if not roots:
        return
    root = Path(roots[0])
    for book in RUST_BOOKS:
        paths = sorted(p for p in (root / book).rglob("*.html") if "edition" not in p.parts[-2])
        for path in _spread(paths, per_site):
            yield "rust", f"https://doc.rust-lang.org/{path.relative_to(root).as_posix()}", path, "main"


def node_pages(per_site: int) -> Iterator[tuple[str, str, Path, str]]:
    root = Path("/usr/share/doc/nodejs/api")
    paths = sorted(p for p in root.glob("*.html") if p.name not in ("all.html", "index.html"))
    for path in _spread(paths, per_site):
        yield "node", f"https://nodejs.org/docs/latest-v20.x/api/{path.name}", path, "#apicontent"


def npm_pages(per_site: int) -> Iterator[tuple[str, str, Path, str]]:
    try:
        npm_root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return
    root = Path(npm_root.strip()) / "npm" / "docs" / "output"
    paths = sorted(root.rglob("*.html"))
    for path in _spread(paths, per_site):
        name = path.relative_to(root).with_suffix("").as_posix()
        yield "npm", f"https://docs.npmjs.com/cli/v11/{name}", path, "#_content"


def _spread(paths: list[Path], n: int) -> list[Path]:
    """At most ``n`` of ``paths``, evenly spread (deterministic)."""
    if len(paths) <= n:
        return paths
    step = len(paths) / n
    return [paths[int(i * step)] for i in range(n)]


def gold_text(html: str, selector: str) -> str:
    """The flattened text of the page's own content element, less its first heading."""
    node = LexborHTMLParser(html).css_first(selector)
    if node is None:
        return ""
    heading = node.css_first("h1")
    if heading is not None:
        heading.decompose()
    return flatten_html(node.html or "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--per-site", type=int, default=80, help="pages per site (per Rust book)")
    ap.add_argument("--newspaper", type=Path, help="an unpacked newspaper4k sdist (CNN pages)")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    gold: dict[str, dict[str, str]] = {}
    counts: dict[str, int] = {}
    with (out / "pages.jsonl").open("wb") as pages, (out / "dumps.jsonl").open("wb") as dumps:

        def add(site: str, url: str, html: str, body: str) -> None:
            if len(body) < MIN_GOLD_CHARS:
                return
            n = counts[site] = counts.get(site, 0) + 1
            doc_id = f"{site}-{n:03d}"
            text = flatten_html(html)
            pages.write(orjson.dumps({"id": doc_id, "url": url, "html": html}) + b"\n")
            dumps.write(orjson.dumps({"id": doc_id, "url": url, "text": text}) + b"\n")
            (out / "dumps" / site).mkdir(parents=True, exist_ok=True)
            (out / "dumps" / site / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            gold[doc_id] = {"articleBody": body, "url": url}

        for site, url, path, selector in (*rust_pages(args.per_site), *node_pages(args.per_site),
                                          *npm_pages(args.per_site)):  # fmt: skip
            html = path.read_text(encoding="utf-8", errors="replace")
            add(site, url, html, gold_text(html, selector))
        if args.newspaper:
            data = args.newspaper / "tests" / "data"
            for name in ("cnn_001", "cnn_002", "cnn_article", "cnn_test_nlp"):
                meta = json.loads((data / "metadata" / f"{name}.json").read_text(encoding="utf-8"))
                html = (data / "html" / f"{name}.html").read_text(encoding="utf-8", errors="replace")
                body = (data / "txt" / f"{name}.txt").read_text(encoding="utf-8")
                add("cnn", meta["canonical_link"] or meta["url"], html, re.sub(r"\n{3,}", "\n\n", body))
    (out / "gold.json").write_bytes(orjson.dumps(gold, option=orjson.OPT_INDENT_2))
    print(f"{sum(counts.values())} pages: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A benchmark corpus: HTML pages and their gold article bodies, read once, held in memory.

Two layouts are understood, so that a user's own pages can be measured like the ScrapingHub set:

- the ScrapingHub layout: ``html/ID.html.gz`` and ``ground-truth.json`` (``{id: {"articleBody",
  "url"}}``);
- a folder of pages (``.html``/``.htm``, optionally ``.gz``/``.zst``, below the folder or its
  ``html/``) with a gold file: ``gold.jsonl`` or the one ``*.jsonl`` in the folder, or any file
  :func:`dehusk.evaluate.gold.load_gold` reads, given explicitly.

A page's id is its path below the pages folder less its extensions (as ``dehusk clean`` names
records), so the gold's ids and the pages' ids are the same strings. Pages are decoded once here,
outside every timing: the peers get text, dehusk the file's bytes (as ``dehusk clean`` would).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from dehusk.evaluate.gold import load_gold
from dehusk.options import Limits
from dehusk.readers.formats import split_name
from dehusk.readers.paths import file_id
from dehusk.readers.streams import read_all
from dehusk.repair.decode import decode

__all__ = ["Corpus", "Page", "find_gold", "load_corpus", "spread"]

#: Gold files looked for in a corpus folder, in this order, when none is given.
GOLD_NAMES = ("ground-truth.json", "gold.jsonl", "gold.jsonl.gz", "gold.jsonl.zst", "gold.json")


@dataclass(frozen=True, slots=True)
class Page:
    """One page to extract: its id, the file's bytes, the same decoded, and the gold's URL if any."""

    id: str
    raw: bytes
    html: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    """Pages with gold text, in id order; ``gold`` holds exactly the pages' ids."""

    name: str
    path: str
    pages: tuple[Page, ...]
    gold: dict[str, str]
    unmatched: int = 0  # gold ids without a page, or pages without gold: left out of the measure


def find_gold(folder: Path) -> Path:
    """The gold file of a corpus folder: a known name, else its one ``*.jsonl``."""
    for name in GOLD_NAMES:
        if (folder / name).is_file():
            return folder / name
    candidates = sorted(p for p in folder.iterdir() if p.is_file() and ".jsonl" in p.name)
    if len(candidates) == 1:
        return candidates[0]
    what = "several" if candidates else "no"
    raise FileNotFoundError(
        f"{folder}: {what} gold files; expected ground-truth.json or gold.jsonl (or pass one with --gold)"
    )


def _page_files(folder: Path) -> dict[str, Path]:
    """The HTML files below ``folder`` by id, walked in sorted order."""
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            _, fmt, _ = split_name(name)
            if fmt == "html":
                path = Path(root, name)
                found[file_id(os.path.relpath(path, folder))] = path
    return found


def _urls(gold_path: Path) -> dict[str, str]:
    """The pages' URLs where the gold gives them (ScrapingHub's ground truth does)."""
    if not gold_path.name.endswith(".json"):
        return {}
    try:
        data = orjson.loads(gold_path.read_bytes())
    except orjson.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v["url"] for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("url"), str)}


def spread(ids: list[str], limit: int | None) -> list[str]:
    """``limit`` ids spread evenly over ``ids`` (all of them when ``limit`` is None or enough).

    A quick run then sees pages from the whole corpus, not its first few hosts.

    >>> spread(["a", "b", "c", "d", "e", "f"], 3)
    ['a', 'c', 'e']
    """
    if limit is None or limit >= len(ids):
        return list(ids)
    if limit <= 0:
        return []
    return [ids[i * len(ids) // limit] for i in range(limit)]


def load_corpus(path: str | Path, gold: str | Path | None = None, limit: int | None = None) -> Corpus:
    """Read a corpus folder (see the module docstring); ``limit`` pages spread over it, or all."""
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a corpus folder")
    gold_path = Path(gold) if gold is not None else find_gold(folder)
    texts = load_gold(gold_path)
    pages_dir = folder / "html" if (folder / "html").is_dir() else folder
    files = _page_files(pages_dir)
    common = sorted(files.keys() & texts.keys())
    if not common:
        raise ValueError(f"{folder}: no page has an id of the gold ({gold_path.name})")
    unmatched = len(files.keys() ^ texts.keys())
    urls = _urls(gold_path)
    pages = []
    for page_id in spread(common, limit):
        file = files[page_id]
        with file.open("rb") as fh:
            raw = read_all(fh, split_name(file.name)[2], Limits().max_document_bytes)
        html, _ = decode(raw)
        pages.append(Page(page_id, raw, html, urls.get(page_id)))
    name = folder.resolve().name
    return Corpus(name, str(folder), tuple(pages), {p.id: texts[p.id] for p in pages}, unmatched)

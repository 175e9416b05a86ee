"""Corpus-level templates: what repeats across many pages of one site is its furniture.

A menu, a footer, a "Get the app" promo or a theme picker is written once by a site and
printed on every page, whatever its words; an article paragraph is written for one page.
So a bulk run counts, per site, on how many distinct pages each block occurs, and a block
found on enough of them is a *template* and goes.

Three ideas make this safe and cheap:

- **What counts as one site** (:func:`host_key`): the page's host (``www.`` stripped), else
  the input shard it came from -- a JSONL or WARC file, or the directory of a page file.
- **What counts as one page**: a page that is a near-duplicate of one already counted for
  its site (the same story on a print and an AMP URL, a syndicated copy) adds nothing, so a
  story republished on many pages never turns into a template. Near-duplicates are found
  with a 64-bit SimHash of the page's longer blocks (Charikar 2002; Manku et al. 2007 use
  it for web pages): a few numpy operations per page, 8 bytes per page remembered.
- **Bounded memory whatever the corpus**: per site a Space-Saving table of ``counters``
  block hashes (Metwally et al. 2005), sites themselves in an LRU of ``hosts``. Space-Saving
  keeps every block occurring on more than about ``counters / units per page`` of a site's
  pages, and each counter carries its possible over-count: decisions use the guaranteed
  lower bound ``count - error``, so the sketch's approximation can only keep a block, never
  remove one. With the defaults a site holds at most 17 KB, the sketch at most 34 MB.

A block is a template when its normalised text (:func:`fold`: case, digits, punctuation
and spacing folded, so "© 2024" and "© 2025", "12 comments" and "7 comments" fall
together) occurs on at least ``min_pages`` pages of its site and on at least ``min_share``
of them; in a text dump a block whose lines mostly are such lines is one too (a menu whose
current item changes). A kept block longer than ``max_words`` is never removed: a long
paragraph on many pages of one site is syndication inside the site, not furniture.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np

from dehusk.document import Document
from dehusk.readers.formats import split_name

__all__ = [
    "DocUnits",
    "TemplateParams",
    "TemplateSketch",
    "apply_templates",
    "count_blocks",
    "doc_units",
    "fold",
    "host_key",
    "template_stage",
    "units_step",
]

#: Blocks of at least this many words make the page's SimHash: its text, not its menus.
BODY_WORDS = 8
#: Formats of files that hold many records: their records' shard is the file itself.
_RECORD_FILES = ("jsonl", "json", "warc")

_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[^\w\n\x1e]+|_+")  # keeps the line (\n) and block (\x1e) separators
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class TemplateParams:
    """When a repeated block is a template, and how much the sketch may hold."""

    min_pages: int = 3  # K: distinct pages of the site the block is on
    min_share: float = 0.1  # S: and this share of the site's pages
    max_words: int = 40  # a kept block longer than this is never removed
    doubt: float = 0.5  # a kept block goes only when the model gave it less than this
    structure: int = 3  # a block this many times on its own page is the page's structure: it stays
    runs: bool = True  # repeated blocks beside repeated confident content are a shared section: they stay
    line_share: float = 0.5  # a multi-line block goes when this share of its characters is template lines
    near_bits: int = 3  # SimHashes this close (Hamming, of 64 bits): the same page
    counters: int = 1024  # block hashes remembered per site (Space-Saving)
    hosts: int = 2048  # sites remembered (least recently seen forgotten first)
    recent: int = 128  # SimHashes of counted pages remembered per site, for near-duplicates


def fold(text: str) -> str:
    """The key a block is counted under: lower case, digit runs as 0, words by single spaces.

    >>> fold("© 2024 Example Ltd.  All rights reserved"), fold("12 Comments") == fold("7 comments")
    ('0 example ltd all rights reserved', True)
    """
    return " ".join(_NON_WORD.sub(" ", _DIGITS.sub("0", text.lower())).split())


def host_key(doc: Document) -> tuple[str, str]:
    """The site a page belongs to, as (key, label): its URL's host, else its input shard.

    ``www.`` is stripped (``www.example.com`` and ``example.com`` are one site). Without a
    URL the shard stands in: the file of a JSONL or WARC record, the directory of a page
    file (a crawl saved as one directory per site teaches per site), stdin as a whole.
    """
    if doc.url:
        url = doc.url if "//" in doc.url else "//" + doc.url
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        if host:
            host = host.removeprefix("www.")
            return "host:" + host, host
    source = doc.source
    if source.startswith("<"):  # <stdin>, <records>
        return "shard:" + source, source
    _, fmt, _ = split_name(os.path.basename(source))
    if fmt in _RECORD_FILES:
        return "shard:" + source, source
    directory = os.path.dirname(source) or "."
    return "dir:" + directory, directory + "/"


@dataclass(slots=True)
class DocUnits:
    """A page as the sketch sees it: hashes of its blocks and lines, and its SimHash."""

    key: str  # the site (host_key)
    label: str
    blocks: np.ndarray  # uint64 hash of each block's folded text (0: no words)
    words: np.ndarray  # words of each block
    lines: np.ndarray  # uint64 hashes of the lines of multi-line blocks
    line_block: np.ndarray  # the block each of those lines belongs to
    line_chars: np.ndarray  # and its length, to weigh it
    unique: np.ndarray  # the sorted distinct non-zero hashes of blocks and lines: what is counted
    simhash: int


def _hash(key: str) -> int:
    """A stable 64-bit hash (the same in every process, unlike ``hash``); never 0."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") or 1


def doc_units(doc: Document) -> DocUnits:
    """Fold and hash every block of ``doc`` (and every line of a multi-line block) once."""
    key, label = host_key(doc)
    texts = [b.text for b in doc.blocks]
    whole = "\x1e".join(texts)
    if whole.count("\x1e") != len(texts) - 1:  # the separator inside a text: one hash per block still
        whole = "\x1e".join(t.replace("\x1e", " ") for t in texts)
    folded = _NON_WORD.sub(" ", _DIGITS.sub("0", whole.lower()))
    block_hashes: list[int] = []
    words: list[int] = []
    lines: list[int] = []
    line_block: list[int] = []
    line_chars: list[int] = []
    body: list[str] = []
    for i, text in enumerate(folded.split("\x1e")):
        parts = [" ".join(line.split()) for line in text.split("\n")]
        parts = [p for p in parts if p]
        joined = " ".join(parts)
        n = joined.count(" ") + 1 if joined else 0
        words.append(n)
        block_hashes.append(_hash(joined) if joined else 0)
        if len(parts) > 1:
            for part in parts:
                lines.append(_hash(part))
                line_block.append(i)
                line_chars.append(len(part))
        if n >= BODY_WORDS:
            body.append(joined)
    blocks = np.array(block_hashes, dtype=np.uint64)
    line_arr = np.array(lines, dtype=np.uint64)
    unique = np.unique(np.concatenate([blocks, line_arr]))
    unique = unique[unique != 0]
    return DocUnits(
        key, label, blocks, np.array(words, dtype=np.int64), line_arr,
        np.array(line_block, dtype=np.int64), np.array(line_chars, dtype=np.int64), unique,
        simhash(" ".join(body) if body else " ".join(folded.split())),
    )  # fmt: skip


_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


def simhash(text: str, sample: int = 8) -> int:
    """A 64-bit SimHash of ``text``'s 16-byte shingles; close texts get close hashes.

    Shingles are read straight from the UTF-8 bytes as two unaligned 64-bit words (no Python
    loop over characters) and one in ``sample`` is kept, chosen by its hash so that two
    texts keep the same ones. Each kept shingle votes on every bit.
    """
    data = text.encode()
    if len(data) < 16:
        data = data.ljust(16, b"\0")
    n = len(data) - 15
    first = np.ndarray((n,), dtype="<u8", buffer=data, offset=0, strides=(1,))
    second = np.ndarray((n,), dtype="<u8", buffer=data, offset=8, strides=(1,))
    with np.errstate(over="ignore"):
        h = _mix(_mix(first) ^ second)
    kept = h[(h & np.uint64(sample - 1)) == 0] if n >= 4 * sample else h
    if not len(kept):
        kept = h
    bits = np.unpackbits(kept.view(np.uint8)).reshape(-1, 64)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 > len(kept)
    return int.from_bytes(np.packbits(votes).tobytes(), "big")


def _popcount(x: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(x)
    return np.unpackbits(x.view(np.uint8)).reshape(-1, 64).sum(axis=1)


class _Site:
    """One site's Space-Saving table of block hashes and its recent pages' SimHashes."""

    __slots__ = ("counts", "docs", "errors", "keys", "order", "recent", "seen", "size", "sorted_keys")

    def __init__(self, recent: int) -> None:
        self.keys = np.zeros(64, dtype=np.uint64)
        self.counts = np.zeros(64, dtype=np.uint32)
        self.errors = np.zeros(64, dtype=np.uint32)
        self.size = 0
        self.docs = 0  # pages counted (near-duplicates not)
        self.recent = np.zeros(recent, dtype=np.uint64)
        self.seen = 0  # SimHashes ever put in ``recent``
        self.sorted_keys: np.ndarray | None = None
        self.order: np.ndarray | None = None

    def _index(self) -> tuple[np.ndarray, np.ndarray]:
        if self.sorted_keys is None or self.order is None:
            self.order = np.argsort(self.keys[: self.size], kind="stable")
            self.sorted_keys = self.keys[: self.size][self.order]
        return self.sorted_keys, self.order

    def find(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, slot of each found hash)."""
        if not self.size or not len(hashes):
            return np.zeros(len(hashes), dtype=bool), np.zeros(0, dtype=np.int64)
        sorted_keys, order = self._index()
        pos = np.minimum(np.searchsorted(sorted_keys, hashes), self.size - 1)
        found = sorted_keys[pos] == hashes
        return found, order[pos[found]]

    def lower_bounds(self, hashes: np.ndarray) -> np.ndarray:
        """On how many counted pages each hash surely occurs (0 when not tracked)."""
        out = np.zeros(len(hashes), dtype=np.int64)
        found, slots = self.find(hashes)
        out[found] = self.counts[slots].astype(np.int64) - self.errors[slots]
        return out

    def is_near_duplicate(self, sim: int, bits: int) -> bool:
        filled = self.recent[: min(self.seen, len(self.recent))]
        return bool(len(filled)) and int(_popcount(filled ^ np.uint64(sim)).min()) <= bits

    def remember(self, sim: int) -> None:
        if len(self.recent):
            self.recent[self.seen % len(self.recent)] = sim
        self.seen += 1

    def add(self, unique: np.ndarray, capacity: int) -> None:
        """Count one page's distinct hashes: Space-Saving, a page at a time."""
        self.docs += 1
        found, slots = self.find(unique)
        self.counts[slots] += 1
        new = unique[~found]
        if len(new):
            self._grow(min(capacity, self.size + len(new)), capacity)
            room = len(self.keys) - self.size
            take, rest = new[:room], new[room:]
            end = self.size + len(take)
            self.keys[self.size : end], self.counts[self.size : end], self.errors[self.size : end] = (
                take,
                1,
                0,
            )
            fresh = np.arange(self.size, end)
            self.size = end
            if len(rest):
                # the smallest counters give way, never one this page just counted or added
                counts = self.counts[: self.size].astype(np.int64)
                counts[slots] = counts[fresh] = np.iinfo(np.int64).max
                k = min(len(rest), self.size - len(slots) - len(fresh))
                if k > 0:
                    victims = np.argpartition(counts, k - 1)[:k]
                    self.errors[victims] = self.counts[victims]
                    self.counts[victims] += 1
                    self.keys[victims] = rest[:k]
        self.sorted_keys = self.order = None

    def _grow(self, want: int, capacity: int) -> None:
        """Room for ``want`` counters: the arrays double, up to ``capacity``."""
        if want <= len(self.keys):
            return
        size = max(want, min(2 * len(self.keys), capacity))
        for name in ("keys", "counts", "errors"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def nbytes(self) -> int:
        return self.keys.nbytes + self.counts.nbytes + self.errors.nbytes + self.recent.nbytes


class TemplateSketch:
    """Per site, on how many distinct pages each block occurs; bounded whatever the corpus.

    ``observe`` counts a page (unless it is a near-duplicate of a recent page of its site);
    ``lower_bounds`` answers for a page's hashes. One sketch lives in the run's parent
    process, which sees every finished page in input order: no merging of per-worker counts.
    """

    def __init__(self, params: TemplateParams | None = None) -> None:
        self.params = params or TemplateParams()
        self.sites: dict[str, _Site] = {}
        self.labels: dict[str, str] = {}

    def site(self, key: str, create: bool = False) -> _Site | None:
        site = self.sites.pop(key, None)  # re-inserted: the dict's order is the LRU order
        if site is None:
            if not create:
                return None
            site = _Site(self.params.recent)
            if len(self.sites) >= self.params.hosts:
                oldest = next(iter(self.sites))
                del self.sites[oldest]
                self.labels.pop(oldest, None)
        self.sites[key] = site
        return site

    def observe(self, units: DocUnits) -> bool:
        """Count a page; False when it is a near-duplicate of one already counted (not counted)."""
        site = self.site(units.key, create=True)
        assert site is not None
        self.labels[units.key] = units.label
        if site.is_near_duplicate(units.simhash, self.params.near_bits):
            return False
        site.remember(units.simhash)
        site.add(units.unique, self.params.counters)
        return True

    def pages(self, key: str) -> int:
        site = self.sites.get(key)
        return site.docs if site else 0

    def lower_bounds(self, key: str, hashes: np.ndarray) -> np.ndarray:
        site = self.sites.get(key)
        return site.lower_bounds(hashes) if site else np.zeros(len(hashes), dtype=np.int64)

    def nbytes(self) -> int:
        """Bytes held by the tables (the arrays; Python objects add a little per site)."""
        return sum(site.nbytes() for site in self.sites.values())


def apply_templates(doc: Document, units: DocUnits, sketch: TemplateSketch) -> int:
    """Mark the template blocks of ``doc`` from what ``sketch`` knows of its site; how many went.

    A kept block that is a template is removed (kind ``template``); a block removed already
    keeps its kind and gains the count in its reason. Title and standfirst are left alone.
    """
    params = sketch.params
    pages = sketch.pages(units.key)
    if pages < params.min_pages or not doc.blocks:
        return 0
    least = max(params.min_pages, math.ceil(params.min_share * pages))
    on_pages = sketch.lower_bounds(units.key, units.blocks)
    on_pages[units.blocks == 0] = 0
    template = on_pages >= least
    if len(units.lines):
        line_pages = sketch.lower_bounds(units.key, units.lines)
        hit = line_pages >= least
        n_blocks = len(units.blocks)
        chars = np.bincount(units.line_block, weights=units.line_chars, minlength=n_blocks)
        hit_chars = np.bincount(units.line_block, weights=units.line_chars * hit, minlength=n_blocks)
        by_lines = (chars > 0) & (hit_chars >= params.line_share * np.maximum(chars, 1))
        line_least = np.full(n_blocks, np.iinfo(np.int64).max)
        np.minimum.at(line_least, units.line_block[hit], line_pages[hit])
        on_pages = np.where(template, on_pages, np.where(by_lines, line_least, on_pages))
        template |= by_lines
    removed = 0
    times = np.unique(units.blocks, return_inverse=True, return_counts=True)
    in_page = times[2][times[1]]
    protected = _shared_runs(doc, units, template, params) if params.runs else np.zeros(len(template), bool)
    for i in np.flatnonzero(template):
        block = doc.blocks[i]
        said = f"repeated on {on_pages[i]} of {pages} pages of {units.label}"
        if block.keep:
            if (
                block.kind != "content"
                or block.score >= params.doubt
                or units.words[i] > params.max_words
                or in_page[i] >= params.structure
                or protected[i]
            ):
                continue
            block.keep, block.kind, block.reason = False, "template", f"{said} (p={block.score:.2f})"
            removed += 1
        elif block.kind not in ("title", "description"):
            block.reason = f"{block.reason}; {said}" if block.reason else said
    if removed:
        doc.metadata["templates"] = removed
    return removed


def _shared_runs(doc: Document, units: DocUnits, template: np.ndarray, params: TemplateParams) -> np.ndarray:
    """Repeated blocks in a run with repeated content the model is sure of: a section the site shares.

    Furniture the model missed stands alone among the page's own paragraphs, or among
    other furniture; a run of repeated blocks holding a kept paragraph the model is sure
    of (or a long one) is text the site prints on many pages -- a shared section of
    documentation, a syndicated box -- and it stays whole.
    """
    protected = np.zeros(len(template), dtype=bool)
    start = None
    for i in range(len(template) + 1):
        if i < len(template) and template[i]:
            if start is None:
                start = i
            continue
        if start is not None:
            blocks = doc.blocks[start:i]
            sure = (
                b.keep and (b.score >= params.doubt or n > params.max_words)
                for b, n in zip(blocks, units.words[start:i], strict=True)
            )
            if any(sure):
                protected[start:i] = True
            start = None
    return protected


Stage = Callable[[Iterable[Document]], Iterator[Document]]
#: Where a worker leaves a page's DocUnits for the template stage (which takes them out again).
UNITS_KEY = "_template_units"


def units_step(doc: Document, options: object = None) -> None:
    """A pipeline step for the worker, after classification and before repair: hash the blocks.

    Hashing there counts the blocks as extracted (repair may touch a kept line and not its
    removed twin on another page) and spares the parent process the folding; the parent's
    template stage takes the units out of ``metadata`` before the record is written.
    """
    if doc.blocks:
        doc.metadata[UNITS_KEY] = doc_units(doc)


def template_stage(sketch: TemplateSketch | None = None, *, learn: bool = True, lookahead: int = 0) -> Stage:
    """A pipeline stage: documents in (classified), documents out, templates marked, order kept.

    ``learn``: count each page into the sketch as it passes (streaming: a page is judged on
    the pages before it and on the ``lookahead`` pages held after it); otherwise the sketch
    is fixed (two-pass: counted over the whole corpus first). A page's units are those
    :func:`units_step` left in its metadata, else hashed here. A page that fails here fails
    alone, as an ``internal`` error.
    """
    sketch = sketch if sketch is not None else TemplateSketch()

    def stage(docs: Iterable[Document]) -> Iterator[Document]:
        held: deque[tuple[Document, DocUnits | None]] = deque()
        for doc in docs:
            units = doc.metadata.pop(UNITS_KEY, None)
            if doc.error is None and doc.blocks:
                try:
                    units = units if units is not None else doc_units(doc)
                    if learn:
                        sketch.observe(units)
                except Exception as exc:  # a bug here fails this page, not the run
                    doc.fail("internal", f"templates: {exc!r}")
            held.append((doc, units))
            if len(held) > lookahead:
                yield _judged(*held.popleft(), sketch)
        while held:
            yield _judged(*held.popleft(), sketch)

    stage.__name__ = "templates"
    return stage


def _judged(doc: Document, units: DocUnits | None, sketch: TemplateSketch) -> Document:
    if units is not None and doc.error is None and doc.blocks:
        try:
            apply_templates(doc, units, sketch)
        except Exception as exc:
            doc.fail("internal", f"templates: {exc!r}")
    return doc


def count_blocks(docs: Iterable[Document], sketch: TemplateSketch | None = None) -> TemplateSketch:
    """Count the blocks of documents (extracted, not necessarily classified) into a sketch."""
    sketch = sketch if sketch is not None else TemplateSketch()
    for doc in docs:
        units = doc.metadata.pop(UNITS_KEY, None)
        if doc.error is None and (units is not None or doc.blocks):
            sketch.observe(units if units is not None else doc_units(doc))
    return sketch

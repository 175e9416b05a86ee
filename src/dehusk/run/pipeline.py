"""The pipeline: stages composed over a stream of Documents, one document in memory at a time.

Each stage is a function from a stream of Documents to a stream of Documents. Most work is
per document, so `per_document` lifts a step ``f(doc, options)`` into a stage that passes
failed documents through untouched and turns an exception in one document into an
``internal`` error record for that document alone: the run goes on.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import reduce

from dehusk.classify import classify, settle
from dehusk.classify.context import names_comments
from dehusk.classify.features import char_units
from dehusk.classify.model import load_model
from dehusk.document import Document
from dehusk.extract import html_fast, html_precise
from dehusk.extract.depth import SCAN_TAGS, limit_depth, opening_brackets
from dehusk.extract.flatten import flatten_html
from dehusk.extract.text import split_blocks
from dehusk.language import is_char_language, spoken_language
from dehusk.options import Options
from dehusk.repair import TYPO_CHARS, count_changes, repair_text, repair_texts, typos_skipped
from dehusk.repair.decode import NotText, binary_reason, charset_codec, decode, has_bom

Stage = Callable[[Iterable[Document]], Iterator[Document]]
#: The fast path hands a page to the precise one when it kept less than this share of the
#: words of a container holding at least this many.
FALLBACK_PAGE_WORDS = 300
FALLBACK_KEPT_SHARE = 0.15
#: ... or when the blocks it kept have a mean probability under this: on sites the model never
#: saw (cross-validated by site), this sends 5% of the pages to the precise path and lifts
#: F1 from 0.950 to 0.960.
FALLBACK_CONFIDENCE = 0.7
#: The precise path's result is declined when it holds no paragraph of prose (none this many
#: characters long) and less than FALLBACK_MIN_SHARE of the text the fast path kept:
#: trafilatura then missed the article (it returned a box of headlines, a dateline and a
#: copyright line), and the unsure fast result is the better one. A short article is no such
#: miss: a three-sentence post may be a tenth of the comment thread the fast path kept, but
#: it is prose.
#: Over four splits of the ScrapingHub sites (cross-validated by site) F1 goes from 0.956 to
#: 0.963, every split up or level.
FALLBACK_PROSE_CHARS = 150
FALLBACK_MIN_SHARE = 0.1
Step = Callable[[Document, Options], None]


def per_document(step: Step, options: Options) -> Stage:
    """Lift a step on one document into a stage over a stream."""

    def stage(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            if doc.error is None:
                run_step(step, doc, options)
            yield doc

    stage.__name__ = step.__name__
    return stage


def run_step(step: Step, doc: Document, options: Options) -> None:
    """Run one step; an exception fails this document only, with its traceback."""
    try:
        step(doc, options)
    except Exception as exc:
        doc.fail("internal", f"{step.__name__}: {exc!r}\n{traceback.format_exc(limit=8)}")


def decode_step(doc: Document, options: Options) -> None:
    """Bytes to text (JSON fields arrive as text already)."""
    doc.metadata["bytes"] = len(
        doc.content if isinstance(doc.content, bytes) else doc.content.encode("utf-8")
    )
    if isinstance(doc.content, bytes):
        header = charset_codec(doc.metadata.get("charset"))  # from a WARC response's HTTP header
        if doc.format == "html" and not has_bom(doc.content) and header in (None, "utf-8"):
            # lexbor reads UTF-8 bytes itself; extraction decodes only a page that is not UTF-8
            # (a legacy charset in the HTTP header is decoded here: lexbor never sees the header)
            reason = binary_reason(doc.content[:4096])
            if reason:
                doc.fail("not-text", f"{doc.source}: {reason}")
            return
        try:
            doc.content, charset = decode(doc.content, doc.metadata.get("charset"))
        except NotText as exc:
            doc.fail("not-text", f"{doc.source}: {exc}")
            return
        doc.metadata["charset"] = charset
    if not doc.content.strip():
        doc.fail("empty", f"{doc.source}: no text")


def extract_step(doc: Document, options: Options) -> None:
    """Blocks: a text dump's paragraphs, or an HTML page's (with their DOM features)."""
    if doc.format == "html":
        _limit_depth(doc, options.limits.max_depth)
    if doc.format == "html" and options.mode == "precise":
        html_precise.extract(doc, options.model)
    elif doc.format == "html":
        html_fast.extract(doc)
    else:
        assert isinstance(doc.content, str)
        limit = options.limits.max_line_chars
        doc.blocks = split_blocks(doc.content, limit)
        if limit and len(doc.content) > limit and max(map(len, doc.content.split("\n"))) > limit:
            doc.metadata.setdefault("limits", {})["long_lines_cut"] = limit
    most = options.limits.max_blocks
    if most and len(doc.blocks) > most:  # features cost memory per word of the whole page
        doc.metadata.setdefault("limits", {})["blocks_cut"] = len(doc.blocks)
        del doc.blocks[most:]


def _limit_depth(doc: Document, max_depth: int) -> None:
    """Tags nested past ``max_depth`` dropped (their text kept): parsers slow down with depth squared."""
    content = doc.content
    if max_depth <= 0 or opening_brackets(content) < SCAN_TAGS:
        return
    html = decode(content)[0] if isinstance(content, bytes) else content
    html, cut = limit_depth(html, max_depth)
    if cut:
        doc.content = html
        doc.metadata.setdefault("limits", {})["depth_cut"] = cut


def classify_step(doc: Document, options: Options) -> None:
    """Every block decided, and the title, standfirst and date found.

    A fast HTML result that looks unreliable is redone by the precise path (fallback).
    The page's language is then the one its kept text speaks (``spoken_language``): the
    repair's word lists and the record follow the article, not the site's template.
    """
    declared = doc.lang  # the page's (<html lang>) or the caller's; classify detects one if none
    if "precise" in doc.metadata:
        settle(doc)
    else:
        default = "html" if doc.format == "html" else "text"
        model = load_model(options.model or default)
        classify(doc, model, load_model(options.title_model or "title"), threshold=options.threshold)
        if doc.format == "html" and options.fallback and not options.explain:
            reason = unreliable(doc)
            if reason:
                _fall_back(doc, reason)
        if doc.format == "html" and options.explain and "precise" not in doc.metadata:
            doc.blocks = html_fast.with_outside(doc)
    if declared:
        _check_language(doc, [b.text for b in doc.blocks if b.keep])


def _check_language(doc: Document, texts: list[str]) -> None:
    """``doc.lang`` as ``texts`` speak it (detected when none is declared); a declaration
    they overrule is kept in the metadata."""
    spoken = spoken_language(doc.lang, texts)
    if doc.lang and spoken != doc.lang:
        doc.metadata["declared_lang"] = doc.lang
    doc.lang = spoken


def _fall_back(doc: Document, reason: str) -> None:
    """The precise path redoes an unreliable fast result, unless it missed the article."""
    fast = doc.blocks
    html_precise.rescue(doc)
    settle(doc)
    ours = sum(len(b.text) for b in fast if b.keep)
    theirs = [len(b.text) for b in doc.blocks if b.keep]
    if max(theirs, default=0) >= FALLBACK_PROSE_CHARS or sum(theirs) >= FALLBACK_MIN_SHARE * ours:
        doc.metadata["fallback"] = reason
        return
    doc.blocks = fast
    del doc.metadata["precise"]
    doc.metadata["fallback_declined"] = f"{reason}; the precise path kept {sum(theirs)} characters to {ours}"


def _words(text: str, per_char: bool = False) -> int:
    """The words of ``text``, as spaces count them; with ``per_char``, for Chinese and Japanese,
    which write none, as the classifier counts them (``char_units``): else a page of theirs is a
    few dozen words, and the kept share is that of the blocks with spaces (menus in Latin letters)."""
    return len(char_units(text)) if per_char else text.count(" ") + 1


def unreliable(doc: Document) -> str | None:
    """Why a fast result should not be trusted, or None: it kept almost nothing of a page of
    prose, or the model was unsure of what it kept (a page unlike those it learned from)."""
    if "limits" in doc.metadata:  # a page cut down to size is no page for the heavier path
        return None
    per_char = is_char_language(doc.lang)
    # a comment thread, removed as what its markup calls it, is no article the fast path missed
    sizes = [
        (_words(b.text, per_char), b.keep)
        for b in doc.blocks
        if b.keep or b.kind != "comments" or not names_comments(b.tokens)
    ]
    kept, total = sum(n for n, keep in sizes if keep), sum(n for n, _ in sizes)
    if total >= FALLBACK_PAGE_WORDS and kept < FALLBACK_KEPT_SHARE * total:
        return f"kept {kept} of {total} {'characters and words' if per_char else 'words'}"
    if doc.metadata.get("index"):  # a page of teasers, recognised as such: nothing to keep is right
        return None
    scores = [b.score for b in doc.blocks if b.keep]
    if doc.blocks and (not scores or sum(scores) / len(scores) < FALLBACK_CONFIDENCE):
        return f"kept blocks' mean probability {sum(scores) / max(1, len(scores)):.2f}"
    return None


def repair_step(doc: Document, options: Options) -> None:
    """Encodings, characters, hyphenation, doubled words and typos repaired in what is kept."""
    if not options.repair:
        return
    kept = [b for b in doc.blocks if b.keep]
    heads = [t for t in (doc.title, doc.description) if t]
    texts = [b.text for b in kept] + heads
    if options.typos != "off" and typos_skipped(texts):
        doc.metadata.setdefault("limits", {})["typos_skipped"] = TYPO_CHARS
    texts, changes = repair_texts(texts, doc.lang, options.typos, options.protected)
    for block, text in zip(kept, texts, strict=False):
        block.text = text
    rest = texts[len(kept) :]
    if doc.title:
        doc.title, rest = rest[0], rest[1:]
    if doc.description:
        doc.description = rest[0]
    counts, details = count_changes(changes)
    for kind, n in counts.items():
        doc.count_repair(kind, n)
    if details:
        doc.metadata["repairs_detail"] = details


def assemble_step(doc: Document, options: Options) -> None:
    """The article text from the kept blocks; counts for the record."""
    kept = [b.text for b in doc.blocks if b.keep and b.text.strip()]
    doc.text = "\n\n".join(kept)
    doc.metadata["mode"] = options.mode
    doc.metadata["blocks"] = {"kept": len(kept), "removed": len(doc.blocks) - len(kept)}
    removed = Counter(b.kind for b in doc.blocks if not b.keep)
    if removed:
        doc.metadata["removed"] = dict(removed.most_common())
    doc.content = ""  # the raw page is no longer needed: keep memory flat on long runs


def repair_only_step(doc: Document, options: Options) -> None:
    """The repair stage alone (``dehusk repair``): the whole text repaired, nothing removed.

    HTML is flattened first, as a naive scraper would; the layout of text is kept.
    """
    text = doc.content if isinstance(doc.content, str) else doc.content.decode("utf-8", "replace")
    if doc.format == "html":
        text = flatten_html(text)
    _check_language(doc, [p for p in text.split("\n\n") if p.strip()])
    doc.text, changes = repair_text(text, doc.lang, options.typos, options.protected)
    counts, details = count_changes(changes)
    for kind, n in counts.items():
        doc.count_repair(kind, n)
    if details:
        doc.metadata["repairs_detail"] = details
    doc.metadata["mode"] = "repair"
    doc.content = ""


STEPS: tuple[Step, ...] = (decode_step, extract_step, classify_step, repair_step, assemble_step)
REPAIR_STEPS: tuple[Step, ...] = (decode_step, repair_only_step)


def clean_document(doc: Document, options: Options, steps: tuple[Step, ...] = STEPS) -> Document:
    """Run every step on one document."""
    for step in steps:
        if doc.error is not None:
            break
        run_step(step, doc, options)
    return doc


def pipeline(options: Options, steps: tuple[Step, ...] = STEPS) -> Stage:
    """The stages of ``steps`` (by default, cleaning) composed into one stage."""
    stages = [per_document(step, options) for step in steps]
    return lambda docs: reduce(lambda stream, stage: stage(stream), stages, iter(docs))

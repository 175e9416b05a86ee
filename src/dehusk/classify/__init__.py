"""Block classification: every block gets a kind, a keep/drop verdict and a reason.

The order matters and is the whole design:
1. the model scores each block from its features and its neighbours';
2. removed blocks are named from their cues and shape; widgets absorb their unmarked parts;
   a comment thread below the article goes; prose running on to the end of the dump is kept;
3. a long caption beside its credit line goes with it, and so does a line describing a picture;
4. the opening cluster gives the title, the standfirst and the date;
5. repeated paragraphs are dropped, headings between paragraphs restored;
6. a source tag opening the article and a credit closing it are cut inline.
"""

from __future__ import annotations

import numpy as np

from dehusk.classify.context import (
    drop_comment_thread,
    drop_letterless,
    drop_marked_up,
    drop_picture_lines,
    drop_short_cued,
    drop_teaser_lists,
    extend_to_end,
    fill_gaps,
    keep_lone_prose,
    mark_caption_pairs,
    mark_duplicates,
    name_body_captions,
    restore_subheadings,
)
from dehusk.classify.features import (
    FEATURES,
    FEATURES_HTML,
    LOCAL_HTML,
    dom_matrix,
    feature_matrix,
    normalize,
)
from dehusk.classify.inline import cut_credit, cut_source_tag
from dehusk.classify.kinds import absorb_into_widgets, is_date_line, name_removed
from dehusk.classify.model import LinearModel, TreeEnsemble, load_model
from dehusk.document import Block, Document
from dehusk.language import detect_language, is_char_language, stopwords
from dehusk.metadata import article_start, find_header

__all__ = ["classify", "score_blocks", "settle"]


def score_blocks(
    blocks: list[Block], lang: str | None, model: TreeEnsemble, container_share: float = 1.0
) -> np.ndarray:
    """The model's probability that each block is article content.

    A text model reads FEATURES; an HTML model reads FEATURES_HTML, the same features and
    the blocks' DOM features after them.
    """
    texts = [b.text for b in blocks]
    if model.features == tuple(FEATURES_HTML):
        x = feature_matrix(texts, stopwords(lang), is_char_language(lang), LOCAL_HTML)
        x = np.hstack([x, dom_matrix(blocks, container_share)])
    elif model.features == tuple(FEATURES):
        x = feature_matrix(texts, stopwords(lang), is_char_language(lang))
    else:
        raise ValueError("the model was trained on other features: retrain it (scripts/train_models.py)")
    return model.predict(x)


def classify(
    doc: Document,
    model: TreeEnsemble | None = None,
    title_model: LinearModel | None = None,
    threshold: float = 0.5,
) -> None:
    """Decide every block of ``doc`` and fill in its title, description and date.

    ``model`` scores blocks and ``title_model`` headline candidates; both default to the
    models shipped with dehusk.
    """
    blocks = doc.blocks
    if not blocks:
        return
    if doc.lang is None:
        doc.lang = detect_language([b.text for b in blocks])
    share = doc.metadata.get("container_share", 1.0)
    scores = score_blocks(blocks, doc.lang, model or load_model("text"), share)
    for block, p in zip(blocks, scores, strict=True):
        block.score = round(float(p), 4)
        block.keep = block.score >= threshold
        if block.keep:
            block.kind, block.reason = "content", f"reads as article text (p={block.score:.2f})"
        else:
            name_removed(block)
    drop_short_cued(blocks)
    absorb_into_widgets(blocks)
    drop_marked_up(blocks)
    drop_comment_thread(blocks)
    if doc.format == "html" and drop_teaser_lists(blocks):
        doc.metadata["index"] = True
        if doc.metadata.pop("date_from_markup", False):
            doc.date = None  # a card's date, not the page's
    if doc.format == "text":  # an HTML container's end is not the page's
        extend_to_end(blocks)
        keep_lone_prose(blocks)
    drop_picture_lines(blocks)
    mark_caption_pairs(blocks)

    known = None if doc.metadata.pop("head_title", False) else doc.title  # a bare <title> is only a fallback
    header = find_header(blocks, title_model or load_model("title"), known_title=known)
    if header.title is not None:
        _take(blocks[header.title], "title", "the headline above the article")
        doc.title = known or blocks[header.title].text
        for block in blocks[: header.title]:
            if block.kind == "boilerplate":  # unmarked furniture above the headline: the masthead
                block.kind, block.reason = "header", f"page header above the headline (p={block.score:.2f})"
    _drop_datelines(blocks)
    if doc.title:
        _drop_title_repeats(blocks, doc.title)
    if header.description is not None:
        _take(blocks[header.description], "description", "the standfirst under the headline")
        doc.description = blocks[header.description].text
    elif doc.description and len(doc.description) > 320:
        doc.description = None  # the page's description is an excerpt of the article, not a standfirst
    if not doc.metadata.get("index"):  # an index page's dates are its cards'
        doc.date = doc.date or header.date

    mark_duplicates(blocks)
    fill_gaps(blocks)
    restore_subheadings(blocks)
    name_body_captions(blocks)
    _cut_inline(blocks)
    drop_letterless(blocks)


def settle(doc: Document) -> None:
    """The rules for blocks that arrive already decided (the precise path): no model, no header search.

    Short cue lines, the headline repeated, paragraphs written twice, a source tag or a
    credit inline: what trafilatura may leave and a reader would not.
    """
    blocks = doc.blocks
    drop_short_cued(blocks)
    if doc.title:
        _drop_title_repeats(blocks, doc.title)
    _drop_datelines(blocks)
    mark_duplicates(blocks)
    _cut_inline(blocks)


def _drop_datelines(blocks: list[Block]) -> None:
    """A date standing alone above the article's first paragraph is a dateline, not text."""
    start = article_start(blocks)
    for block in blocks[: start or 0]:
        if block.keep and is_date_line(block.text):
            _take(block, "dateline", f"a date above the article (p={block.score:.2f})")


def _take(block: Block, kind: str, reason: str) -> None:
    block.keep, block.kind, block.reason = False, kind, reason


def _drop_title_repeats(blocks: list[Block], title: str) -> None:
    """The headline again inside the article is a picture's alt text or caption."""
    key = normalize(title)
    for block in blocks:
        if block.keep and normalize(block.text.partition("\n")[0]) == key:  # no list built
            kind = "caption" if "\n" in block.text else "title"
            _take(block, kind, "repeats the headline")


def _cut_inline(blocks: list[Block]) -> None:
    kept = [b for b in blocks if b.keep]
    if not kept:
        return
    first, last = kept[0], kept[-1]
    first.text, tag = cut_source_tag(first.text)
    if tag:
        first.reason += f"; source tag {tag.strip()!r} cut"
    last.text, credit = cut_credit(last.text)
    if credit:
        last.reason += f"; credit {credit.strip()!r} cut"

"""Block classification: every block gets a kind, a keep/drop verdict and a reason.

The order matters and is the whole design:
1. the model scores each block from its features and its neighbours';
2. removed blocks are named from their cues and shape; widgets absorb their unmarked parts;
   prose running on to the end of the dump is kept;
3. a long caption beside its credit line goes with it, and so does a line describing a picture;
4. the opening cluster gives the title, the standfirst and the date;
5. repeated paragraphs are dropped, headings between paragraphs restored;
6. a source tag opening the article and a credit closing it are cut inline.
"""

from __future__ import annotations

import numpy as np

from dehusk.classify.context import (
    drop_picture_lines,
    extend_to_end,
    mark_caption_pairs,
    mark_duplicates,
    name_body_captions,
    restore_subheadings,
)
from dehusk.classify.features import FEATURES, feature_matrix, normalize
from dehusk.classify.inline import cut_credit, cut_source_tag
from dehusk.classify.kinds import absorb_into_widgets, name_removed
from dehusk.classify.model import LinearModel, TreeEnsemble, load_model
from dehusk.document import Block, Document
from dehusk.language import detect_language, is_char_language, stopwords
from dehusk.metadata import find_header

__all__ = ["classify", "score_blocks"]


def score_blocks(blocks: list[Block], lang: str | None, model: TreeEnsemble) -> np.ndarray:
    """The model's probability that each block is article content."""
    x = feature_matrix([b.text for b in blocks], stopwords(lang), is_char_language(lang))
    if model.features != tuple(FEATURES):
        raise ValueError("the model was trained on other features: retrain it (scripts/train_text_model.py)")
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
    scores = score_blocks(blocks, doc.lang, model or load_model("text"))
    for block, p in zip(blocks, scores, strict=True):
        block.score = round(float(p), 4)
        block.keep = block.score >= threshold
        if block.keep:
            block.kind, block.reason = "content", f"reads as article text (p={block.score:.2f})"
        else:
            name_removed(block)
    absorb_into_widgets(blocks)
    extend_to_end(blocks)
    mark_caption_pairs(blocks)
    drop_picture_lines(blocks)

    header = find_header(blocks, title_model or load_model("title"))
    if header.title is not None:
        _take(blocks[header.title], "title", "the headline above the article")
        doc.title = blocks[header.title].text
        _drop_title_repeats(blocks, doc.title)
        for block in blocks[: header.title]:
            if block.kind == "boilerplate":  # unmarked furniture above the headline: the masthead
                block.kind, block.reason = "header", f"page header above the headline (p={block.score:.2f})"
    if header.description is not None:
        _take(blocks[header.description], "description", "the standfirst under the headline")
        doc.description = blocks[header.description].text
    doc.date = header.date

    mark_duplicates(blocks)
    restore_subheadings(blocks)
    name_body_captions(blocks)
    _cut_inline(blocks)


def _take(block: Block, kind: str, reason: str) -> None:
    block.keep, block.kind, block.reason = False, kind, reason


def _drop_title_repeats(blocks: list[Block], title: str) -> None:
    """The headline again inside the article is a picture's alt text or caption."""
    key = normalize(title)
    for block in blocks:
        if block.keep and normalize(block.text.split("\n", 1)[0]) == key:
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

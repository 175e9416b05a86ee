"""Decisions that need a block's neighbours, applied after the model.

The model already sees three blocks either side; these rules encode what it cannot learn
from 181 pages: a paragraph is written once, a heading between two paragraphs belongs to
them (jusText's rule), a long caption beside its credit line is a caption, and an unmarked
line of words without a full stop inside the article is a photo's caption.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from dehusk.classify.features import normalize
from dehusk.classify.inline import cut_credit
from dehusk.classify.kinds import cue_kind, is_date_line
from dehusk.dates import find_dates
from dehusk.document import Block
from dehusk.memo import text_cache

_WORD = re.compile(r"\w+")
_ENDERS = ".!?。！？…:;"
_CLOSERS = "\"'”’»)]"


def ends_sentence(text: str, stops: str = _ENDERS) -> bool:
    """Whether ``text`` ends as a sentence does: one of ``stops``, then only closing quotes or
    brackets.

    Read from the end: a regular expression anchored at the end is still tried at every
    position of the text. (Stops and closers share no character, so stripping the closers
    leaves the stop last.)
    """
    last = text.rstrip().rstrip(_CLOSERS)[-1:]
    return last != "" and last in stops


def _shingles(key: str, n: int = 2) -> set[tuple[str, ...]]:
    words = key.split()
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def mark_duplicates(blocks: list[Block], threshold: float = 0.7) -> None:
    """Drop a kept block that repeats an earlier kept one, exactly or nearly (keep the first).

    Nearly: of eight words or more, with a Jaccard similarity of word pairs of at least
    ``threshold`` -- a word changed in a short paragraph, not a paragraph that goes on.
    Such a near copy keeps its first or its last words, so only earlier blocks that open
    or close alike are compared: the cost grows with the page, not with its square.
    A paragraph written three times or more is the article's structure (an interview's
    recurring question, a list's label), not an accident: it stays.
    """
    keys = {i: normalize(b.text) for i, b in enumerate(blocks) if b.keep}
    times = Counter(keys.values())
    seen: dict[str, int] = {}
    heads: dict[str, list[int]] = {}  # the first five words -> blocks that open with them
    tails: dict[str, list[int]] = {}  # the last five words -> blocks that close with them
    for i, key in keys.items():
        if not key or times[key] >= 3:
            continue
        first = seen.get(key)
        if first is None and key.count(" ") >= 7:  # eight words or more: a key is single-spaced
            head, tail = _edges(key)
            for j in (*heads.get(head, ()), *tails.get(tail, ())):
                pairs, others = _shingles(key), _shingles(keys[j])
                if len(pairs & others) / len(pairs | others) >= threshold:
                    first = j
                    break
            if first is None:
                heads.setdefault(head, []).append(i)
                tails.setdefault(tail, []).append(i)
        if first is None:
            seen[key] = i
            continue
        block = blocks[i]
        block.keep, block.kind, block.reason = False, "duplicate", f"repeats block {first + 1}"


def _edges(key: str) -> tuple[str, str]:
    """The first and the last five words of a key of six words or more, as strings.

    Sliced out of the key rather than split into words: only the ends are wanted.
    """
    return key[: -len(key.split(" ", 5)[5]) - 1], key[len(key.rsplit(" ", 5)[0]) + 1 :]


#: Cue kinds that a short line is never article text with (ScrapingHub's gold: 1 in 300).
DECISIVE = ("nav", "comments", "newsletter", "cookie", "read-more", "related")


def drop_short_cued(blocks: list[Block], most_words: int = 8) -> None:
    """A kept line of a few words with a decisive cue ("Post a comment", "Related stories") goes."""
    for block in blocks:
        if block.keep and block.text.count(" ") < most_words:
            cue = cue_kind(block.text)
            if cue and cue[0] in DECISIVE:
                block.keep, block.kind = False, cue[0]
                block.reason = f"{cue[0]} cue {cue[1][:40]!r} on a short line (p={block.score:.2f})"


#: Class and id words of a comment thread, in the languages sites name their markup in.
_COMMENT_WORDS = {"comment", "comments", "commentlist", "disqus", "kommentar", "kommentare", "commentaire",
                  "commentaires", "comentario", "comentarios", "commento", "commenti",
                  "reacties"}  # fmt: skip
#: Class and id words that call an element furniture without doubt, by kind. Words that
#: sites also put on their articles stay out: ``read-more`` (a WordPress theme's
#: entry-content), ``paywall`` (Barron's wraps its articles in one), ``media``, ``more``.
MARKUP = {
    "newsletter": {"newsletter", "newsletters", "signup", "optin", "mailchimp", "mc4wp"},
    "promo": {"promo", "promotion", "sponsored", "sponsor", "advert", "advertisement", "adslot", "adunit"},
    "share": {"share", "sharing", "sharebar", "sharethis", "addthis", "shariff"},
    "related": {"related", "recommended", "recirc", "outbrain", "taboola"},
    "comments": _COMMENT_WORDS,
    "caption": {"caption", "figcaption", "credit", "credits"},
    "cookie": {"cookie", "cookies", "consent", "gdpr"},
    "nav": {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs"},
}
_MARKUP_WORDS = frozenset().union(*MARKUP.values())  # most blocks carry none: one test, not eight


def drop_marked_up(blocks: list[Block], most_words: int = 40) -> None:
    """A kept block its markup calls furniture goes when its words or its neighbour agree.

    A ``p`` in a ``div.newsletter-inline`` that asks to sign up, a ``span.caption`` over a
    removed "Photo: AFP" credit. The markup alone can mislead (``div.share-enabled`` wraps
    whole articles), so only unambiguous words of the element and its parent count, and it
    takes the block's own cue, or a neighbour already removed under that name, to agree.
    """
    removed = [not b.keep for b in blocks]  # as the model and the earlier rules left them
    for i, block in enumerate(blocks):
        if not block.keep or not block.tokens or block.text.count(" ") >= most_words:
            continue
        words = set(" ".join(block.tokens.split(" > ", 2)[:2]).split())
        if words.isdisjoint(_MARKUP_WORDS):
            continue
        for kind, marks in MARKUP.items():
            if words.isdisjoint(marks):
                continue
            cue = cue_kind(block.text)
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
            beside = any(removed[j] and blocks[j].kind == kind for j in near)
            if (cue and cue[0] == kind) or beside:
                block.keep, block.kind = False, kind
                block.reason = f"marked up as {kind}; its words or a neighbour agree (p={block.score:.2f})"
                break


@text_cache(maxsize=1 << 12)  # the blocks of one element share their words, and a site's pages too
def names_comments(tokens: str) -> bool:
    """Whether class and id words (a block's ``tokens``, an element's) call it a comment thread."""
    return not MARKUP["comments"].isdisjoint(tokens.split())


def drop_comment_thread(blocks: list[Block], least_words: int = 20) -> None:
    """The blocks of a comment thread below the article go, however well they read, and
    are all named comments (the fallback does not count them as article text missed).

    A thread starts at the first block its markup calls comments after at least
    ``least_words`` of kept text that the markup does not: an element that wraps the whole
    article in a "comments" word (a theme's ``has-comments``) marks every block, and then
    nothing goes. Comments read as prose, and a short post under a long discussion is
    otherwise outweighed by it.

    Tried and not kept (cross-validated by site): only the words of a block's element and its
    parent (a reply's lists sit deeper), and asking for two comment elements (many threads
    give their comments no ids). A block's words stop below the article's container, so a
    wrapper word counts only on a page whose container is wider than the article.
    """
    prose, start = 0, len(blocks)
    for i, block in enumerate(blocks):
        if not names_comments(block.tokens):
            prose += block.text.count(" ") + 1 if block.keep else 0
        elif prose >= least_words:
            start = i
            break
    for block in blocks[start:]:
        if names_comments(block.tokens):
            if block.keep:
                block.keep = False
                block.reason = f"in the comment thread below the article (p={block.score:.2f})"
            block.kind = "comments"


def drop_teaser_lists(blocks: list[Block], least: int = 4, share: float = 0.6) -> bool:
    """A page whose kept text is mostly cards -- a linked headline, then its teaser -- is an
    index, not an article: the cards go. Returns whether the page was found to be one.

    An article may end with a few related cards; it is an index when at least ``least``
    cards make up ``share`` of all that was kept.
    """
    cards: list[int] = []
    for i, block in enumerate(blocks):
        if block.link_density < 0.8:  # the cheapest test first: most blocks are not links
            continue
        headline = block.heading or block.tag in ("a", "div", "span")
        if headline and 2 <= block.text.count(" ") + 1 <= 25:
            cards.append(i)
    if len(cards) < least:
        return False
    members = set(cards)
    for i in cards:
        if i + 1 < len(blocks) and blocks[i + 1].link_density < 0.5 and i + 1 not in members:
            members.add(i + 1)
    kept = sum(b.text.count(" ") + 1 for b in blocks if b.keep)
    in_cards = sum(blocks[i].text.count(" ") + 1 for i in members if blocks[i].keep)
    if kept == 0 or in_cards < share * kept:
        return False
    for i in sorted(members):
        block = blocks[i]
        if block.keep:
            block.keep, block.kind = False, "related"
            block.reason = f"a card of a list of teasers: the page is an index (p={block.score:.2f})"
    return True


def is_heading_like(text: str, most_words: int = 12) -> bool:
    """One short line without a closing full stop: how subheadings and headlines look."""
    return (
        "\n" not in text
        and not ends_sentence(text)
        and 1 <= len(_WORD.findall(text)) <= most_words
        and not is_date_line(text)
    )


def _kept_beside(blocks: list[Block], i: int, step: int) -> bool:
    """Whether the nearest block from ``i`` in direction ``step`` that is not a caption is kept."""
    j = i + step
    while 0 <= j < len(blocks) and blocks[j].kind == "caption" and not blocks[j].keep:
        j += step
    return 0 <= j < len(blocks) and blocks[j].keep


def fill_gaps(blocks: list[Block], longest: int = 4, least: float = 0.3) -> None:
    """A short run of unmarked blocks between two article paragraphs belongs to the article.

    A recipe's "Ingredients" and its list, a table, a pull quote: the model doubts each on
    its own, but a run of at most ``longest`` blocks without any cue, one of which the
    model gives at least ``least``, between kept paragraphs, is the article's.
    """
    kept = [i for i, b in enumerate(blocks) if b.keep]
    for left, right in itertools.pairwise(kept):
        run = blocks[left + 1 : right]
        if not run or len(run) > longest or max(b.score for b in run) < least:
            continue
        if all(b.kind == "boilerplate" and cue_kind(b.text) is None for b in run):
            for block in run:
                block.keep, block.kind = True, "content"
                block.reason = f"between two article paragraphs (p={block.score:.2f})"


def restore_subheadings(blocks: list[Block]) -> None:
    """A removed heading-like block between two kept blocks is the article's subheading.

    Pictures and their captions may stand between. A byline there (no date) heads a
    section by another writer -- "Analysis: Jonathan Marcus, BBC defence correspondent" --
    and stays with its section.
    """
    for i in range(1, len(blocks) - 1):
        block = blocks[i]
        if (
            block.keep
            or block.kind == "duplicate"
            or not (_kept_beside(blocks, i, -1) and _kept_beside(blocks, i, 1))
        ):
            continue
        if not is_heading_like(block.text, most_words=10):
            continue
        cue = cue_kind(block.text)
        if cue is None or (cue[0] == "byline" and not find_dates(block.text)):
            block.keep, block.kind = True, "heading"
            block.reason = f"a heading between two article paragraphs (p={block.score:.2f})"


def extend_to_end(blocks: list[Block], most: int = 3) -> None:
    """Prose that runs on from the article to the very end of the dump is the article's end.

    Pages end in footers, so the model learned that a page's last blocks are furniture;
    but a dump that a scraper already cut ends where its article does, and there the last
    paragraphs have no footer after them. Up to ``most`` such blocks, all prose, no cues.
    """
    kept = [i for i, b in enumerate(blocks) if b.keep]
    if not kept or not 0 < len(blocks) - 1 - kept[-1] <= most:
        return
    tail = blocks[kept[-1] + 1 :]
    if all(_is_prose(b.text) and cue_kind(b.text) is None and b.kind == "boilerplate" for b in tail):
        for block in tail:
            block.keep, block.kind = True, "content"
            block.reason = f"prose running on from the article to the end of the dump (p={block.score:.2f})"


def keep_lone_prose(blocks: list[Block]) -> None:
    """A dump the model keeps nothing of, made of prose alone, is an article already cut out.

    The model learned pages: an article amid furniture. A record that holds only its text (a
    scraper's clean extract, dehusk's own output) has no furniture for it to stand out from,
    and a lone paragraph looks like a page's odd block. When nothing is kept and every block
    is made of sentences the model alone removed (no cue, no rule), the blocks stay.
    """
    if not blocks or any(b.keep for b in blocks):
        return
    if all(b.kind == "boilerplate" and _is_sentences(b.text) and cue_kind(b.text) is None for b in blocks):
        for block in blocks:
            block.keep, block.kind = True, "content"
            block.reason = f"prose, and nothing else in the dump (p={block.score:.2f})"


def drop_letterless(blocks: list[Block]) -> None:
    """Kept blocks without a single letter, when they are all that is kept, are no article.

    A stray "0" or "—" can score as text on a page with nothing else: a number means
    something inside an article (a table row, a score), never alone.
    """
    kept = [b for b in blocks if b.keep]
    if kept and not any(c.isalpha() for b in kept for c in b.text):
        for block in kept:
            block.keep, block.kind, block.reason = False, "boilerplate", "no word, and no article around it"


def _is_sentences(text: str) -> bool:
    """Sentences, however short: a capital or a digit first, a full stop (or ! ? …) last."""
    text = text.strip()
    first = text.lstrip("\"'“‘«„‚(¿¡—–- ")[:1]  # a quotation opens with its mark
    return (first.isupper() or first.isdigit()) and ends_sentence(text)


def _is_prose(text: str) -> bool:
    return ends_sentence(text) and len(_WORD.findall(text)) >= 12


def _overlap(a: str, b: str) -> float:
    """Share of the shorter text's distinct words found in the longer one."""
    wa, wb = set(normalize(a).split()), set(normalize(b).split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def mark_caption_pairs(blocks: list[Block]) -> None:
    """A kept block beside a caption that describes the same picture is a caption too.

    Agencies send a long caption and a short one with the credit ("... Photo: AFP"); the
    long one reads as prose, but it shares its words with the credited one beside it.
    """
    for i, block in enumerate(blocks):
        if block.kind != "caption" or block.keep:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(blocks) and blocks[j].keep and _same_picture(blocks[j].text, block.text):
                other = blocks[j]
                other.keep, other.kind = False, "caption"
                other.reason = (
                    f"describes the same picture as the caption block {i + 1} (p={other.score:.2f})"
                )


def _same_picture(a: str, b: str) -> bool:
    """Two captions of one picture open alike and share most words; a paragraph the caption
    paraphrases shares words but opens otherwise."""
    return normalize(a).split()[:3] == normalize(b).split()[:3] and _overlap(a, b) >= 0.5


def drop_picture_lines(blocks: list[Block]) -> None:
    """A kept line without a full stop that describes a picture is that picture's caption.

    "Pictures released by the Syrian army appear to show new Russian military vehicles":
    a sentence would end with a stop; a caption, set under its photo, need not.
    """
    for block in blocks:
        text = block.text
        if not block.keep or "\n" in text or text.count(" ") > 45 or ends_sentence(text):
            continue
        if cut_credit(text)[1]:
            continue
        cue = cue_kind(text)
        if cue and cue[0] == "caption":
            block.keep, block.kind = False, "caption"
            block.reason = (
                f"describes a picture, without a full stop (cue {cue[1][:30]!r}, p={block.score:.2f})"
            )


def name_body_captions(blocks: list[Block]) -> None:
    """Within the article, an unmarked removed line of prose without a full stop is a caption."""
    kept = [i for i, b in enumerate(blocks) if b.keep]
    if not kept:
        return
    for i in range(kept[0] + 1, kept[-1]):
        block = blocks[i]
        if block.keep or block.kind != "boilerplate" or ends_sentence(block.text):
            continue
        if len(_WORD.findall(block.text)) >= 6:
            block.kind = "caption"
            block.reason = f"a line of prose without a full stop inside the article (p={block.score:.2f})"

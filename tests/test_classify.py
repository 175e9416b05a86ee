"""The parts of the classifier, each on small real cases: dates, cues, inline cuts, rules, models."""

from __future__ import annotations

import numpy as np
import pytest

from dehusk.classify.context import (
    drop_comment_thread,
    extend_to_end,
    mark_caption_pairs,
    mark_duplicates,
    restore_subheadings,
)
from dehusk.classify.cues import cue_matches, find_cue, tokens
from dehusk.classify.features import FEATURES, feature_matrix
from dehusk.classify.inline import cut_credit, cut_source_tag
from dehusk.classify.kinds import absorb_into_widgets, cue_kind, is_date_line, name_removed
from dehusk.classify.model import LinearModel, TreeEnsemble, load_model
from dehusk.dates import find_dates, has_time
from dehusk.document import Block
from dehusk.language import detect_language, is_char_language, spoken_language, stopwords


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("19 Sep 2015", "2015-09-19"),
        ("4:34 pm on 19 September 2015", "2015-09-19"),
        ("Sep 18 2015, 5:10pm", "2015-09-18"),
        ("world Updated: Sep 19, 2015 12:38 IST", "2015-09-19"),
        ("18. März 2024, 14:32 Uhr", "2024-03-18"),
        ("Publicado em 12 de junho de 2023", "2023-06-12"),
        ("18 сентября 2015 г.", "2015-09-18"),
        ("2015年9月18日", "2015-09-18"),
        ("2019-11-20T10:00", "2019-11-20"),
        ("20.11.2019", "2019-11-20"),
        ("11/20/2019", "2019-11-20"),
        ("Nov. 5, 2019", "2019-11-05"),
    ],
)
def test_dates_in_many_forms(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


def test_no_date_where_there_is_none() -> None:
    assert find_dates("in May 2015 he said") == ()
    assert find_dates("05/06/2019") == ()  # day and month cannot be told apart
    assert find_dates("31 February 2019") == ()
    assert has_time("5:10pm") and has_time("12h30") and not has_time("20.11.2019")


def test_cue_tokens_keep_meaningful_symbols() -> None:
    assert tokens("Home » » Syria") == ("home", "»", "»", "syria")
    assert tokens("Photo : AFP / HO") == ("photo", ":", "afp", "/", "ho")
    assert tokens("Today’s Paper") == ("today's", "paper")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Home » » Syria crisis: US and Russian defence chiefs discuss conflict", "breadcrumb"),
        ("New Delhi -°C\nToday in New Delhi, India", "weather"),
        ("Select city", "city-picker"),
        ("Metro cities - Delhi, Mumbai, Chennai, Kolkata", "city-picker"),
        ("Get the RNZ app", "promo"),
        ("Post a Comment", "comments"),
        ("Kommentare (12)", "comments"),
        ("Deixe um comentário", "comments"),
        ("Powered by Blogger.", "footer"),
        ("Todos os direitos reservados © 2023", "footer"),
        ("READ MORE", "read-more"),
        ("Related: Russia Just Parked Several Tanks", "related"),
        ("Leia também", "related"),
        ("読む", None),
        ("関連記事", "related"),
        ("Photo via al-Manara Network", "caption"),
        ("Red Crescent workers unload aid. Photo: AFP / HO / SANA", "caption"),
        ("by Reuters and VICE News\nSep 18 2015, 5:10pm", "byline"),
        ("Von Anna Schneider", "byline"),
        ("Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.", "cookie"),
        ("Newsletter abonnieren: die Nachrichten des Tages", "newsletter"),
        ("Artikel teilen", "share"),
        ("Zum Inhalt springen", "nav"),
    ],
)
def test_cues_name_kinds_in_many_languages(text: str, kind: str | None) -> None:
    found = cue_kind(text)
    assert (found[0] if found else None) == kind


def test_cues_stay_out_of_plain_sentences() -> None:
    for text in [
        "By 2020, the world had changed.",
        "He told Reuters.",
        "Homeland security officials met on Monday.",
        "The share of voters rose sharply.",
    ]:
        assert cue_kind(text) is None, text
    assert find_cue("byline", "By John Smith") is not None


def test_cues_of_long_blocks_are_searched_at_the_ends() -> None:
    middle = "word " * 400
    assert find_cue("caption", f"Start. {middle} Photo: AFP") is not None
    assert find_cue("share", f"Start. {middle[:1000]} share this article {middle} end.") is None
    assert len(cue_matches("x")) == len(cue_matches("y"))


def test_source_tags_and_credits_are_cut_inline() -> None:
    assert cut_source_tag("Sgiant4u - Top US officials met.") == ("Top US officials met.", "Sgiant4u - ")
    assert cut_source_tag("PanARMENIAN.Net - Armenia said.")[1] == "PanARMENIAN.Net - "
    assert cut_source_tag("WASHINGTON (Reuters) - Top officials met.")[1] is None
    assert cut_source_tag("iPhone - the new model")[1] is None
    assert cut_credit('"We act now," he said. – Reuters') == ('"We act now," he said.', " – Reuters")
    assert cut_credit("It was a - Big Deal")[1] is None


def blocks(*specs: tuple[str, bool]) -> list[Block]:
    return [
        Block(text=t, keep=k, kind="content" if k else "boilerplate", score=0.9 if k else 0.1)
        for t, k in specs
    ]


def test_duplicates_keep_the_first() -> None:
    para = "The US military renewed contacts with Russia on Friday to discuss their forces in Syria."
    bs = blocks((para, True), ("Another paragraph of the article about the talks.", True), (para, True))
    near = para.replace("Friday", "Thursday")
    bs += blocks((near, True))
    mark_duplicates(bs)
    assert [b.kind for b in bs] == ["content", "content", "duplicate", "duplicate"]
    assert "block 1" in bs[2].reason


def test_a_heading_between_paragraphs_is_restored_but_not_a_cue() -> None:
    para = "A paragraph of the article that reads like prose and ends with a stop."
    bs = blocks((para, True), ("Tactical discussions", False), (para + " Two.", True), ("Share", False))
    bs += blocks((para + " Three.", True))
    restore_subheadings(bs)
    assert bs[1].keep and bs[1].kind == "heading"
    assert not bs[3].keep


def test_a_long_caption_beside_its_credited_twin_is_a_caption() -> None:
    long = "A rebel fighter fires heavy artillery during clashes with government forces near Idlib."
    short = "A rebel fighter fires heavy artillery against government forces. Photo: AFP"
    aid = "Two planes carrying humanitarian aid landed, amid reports Moscow is beefing up support."
    credit = (
        "Red Crescent workers unload humanitarian aid amid reports Moscow is beefing up support. Photo: AFP"
    )
    bs = blocks((long, True), (short, False), (aid, True), (credit, False))
    for b in bs:
        if not b.keep:
            name_removed(b)
    mark_caption_pairs(bs)
    assert [b.kind for b in bs] == ["caption", "caption", "content", "caption"]


def test_prose_running_to_the_end_of_a_dump_is_kept() -> None:
    para = "The war has already killed many people, and millions have fled the country since."
    bs = blocks((para, True), (para + " Still.", False))
    extend_to_end(bs)
    assert bs[1].keep
    bs = blocks((para, True), ("Share", False))
    extend_to_end(bs)
    assert not bs[1].keep


def test_a_comment_thread_goes_only_below_an_article_its_markup_does_not_name() -> None:
    para = "The council voted on Tuesday to keep the library open for another two years at least."
    comment = "I have used this library since I was a child and I am so glad it stays open for us all."
    thread = " > comment content > li comment depth 1 > ol commentlist"
    bs = blocks((para, True), (para + " Again.", True), (comment, True), ("Reply", False))
    bs += blocks((para + " Late.", True))
    marks = ["entry content", "entry content", thread, "reply" + thread, "footer"]
    for b, words in zip(bs, marks, strict=True):
        b.tokens = words
    drop_comment_thread(bs)
    assert [(b.keep, b.kind) for b in bs] == [
        (True, "content"), (True, "content"), (False, "comments"), (False, "comments"), (True, "content"),
    ]  # fmt: skip
    # a wrapper that names comments around the whole article (a theme's "has-comments") marks every block
    bs = blocks((para, True), (para + " Again.", True), (comment, True))
    for b in bs:
        b.tokens = "entry content > article post has comments"
    drop_comment_thread(bs)
    assert all(b.keep for b in bs)


def test_widgets_absorb_their_unmarked_parts() -> None:
    bs = blocks(("New Delhi 24°C\nToday in New Delhi, India", False), ("Jan 26, 2020-Sunday", False))
    bs += blocks(("Related stories", False), ("Tanks parked at an airfield", False))
    for b in bs:
        name_removed(b)
    absorb_into_widgets(bs)
    assert [b.kind for b in bs] == ["weather", "weather", "related", "related"]
    assert is_date_line("Jan 26, 2020-Sunday") and not is_date_line(
        "The talks began on Sep 18, 2015 in Geneva."
    )


def test_features_are_finite_and_named() -> None:
    texts = ["Home\nWorld\nSport", "A headline", "A paragraph that reads like prose, with a stop.", "© 2024"]
    x = feature_matrix(texts, stopwords("en"))
    assert x.shape == (4, len(FEATURES))
    assert np.isfinite(x).all()
    assert feature_matrix([], stopwords("en")).shape == (0, len(FEATURES))


def test_tree_ensemble_walks_every_tree() -> None:
    # one stump on feature 1 (<= 0.5 left: -1, else +2) and one leaf of +0.5
    data = {
        "features": ["a", "b"],
        "baseline": 0.0,
        "depth": 1,
        "trees": [
            {"feature": [1, 0, 0], "threshold": [0.5, 0, 0], "missing_left": [0, 0, 0],
             "left": [1, 0, 0], "right": [2, 0, 0], "value": [0, -1.0, 2.0]},
            {"feature": [0], "threshold": [0], "missing_left": [0], "left": [0], "right": [0],
             "value": [0.5]},
        ],
    }  # fmt: skip
    model = TreeEnsemble.from_json(data)
    p = model.predict(np.array([[9.0, 0.0], [9.0, 1.0]]))
    assert np.allclose(p, 1 / (1 + np.exp(-np.array([-0.5, 2.5]))))
    assert model.predict(np.zeros((0, 2))).shape == (0,)


def test_shipped_models_load_and_agree_with_the_features() -> None:
    text = load_model("text")
    assert isinstance(text, TreeEnsemble) and text.features == tuple(FEATURES)
    title = load_model("title")
    assert isinstance(title, LinearModel) and 0 < title.threshold < 1


def test_language_and_stopwords() -> None:
    assert (
        detect_language(["Der Bundestag hat am Donnerstag ein Gesetz beschlossen, das die Radwege betrifft."])
        == "de"
    )
    assert (
        detect_language(["Poucas receitas são tão queridas nas casas brasileiras quanto o bolo de cenoura."])
        == "pt"
    )
    assert detect_language(["ok"]) is None
    assert "the" in stopwords("en") and "und" in stopwords("de") and "и" in stopwords("ru")
    assert stopwords("xx") == frozenset()
    assert is_char_language("ja") and "の" in stopwords("ja")


_GERMAN = "Der Bundestag hat am Donnerstag ein Gesetz beschlossen, das die Radwege in den Städten betrifft."
_PORTUGUESE = "Poucas receitas são tão queridas nas casas brasileiras quanto o bolo de cenoura com cobertura."


def test_a_declared_language_stands_unless_the_text_clearly_speaks_another() -> None:
    assert spoken_language("en", [_GERMAN]) == "de"  # a site's template over a German article
    assert spoken_language("de", [_GERMAN]) == "de"
    assert spoken_language("en", ["東京都は本日、新しい防災計画を発表しました。"]) == "ja"  # its own script
    assert spoken_language("gl", [_PORTUGUESE]) == "gl"  # a sister language: the declaration knows better
    assert spoken_language("de", ["OK", "Menu"]) == "de"  # too little to say
    assert spoken_language(None, [_PORTUGUESE]) == "pt"  # nothing declared: detected

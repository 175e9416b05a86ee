"""The text repairs: odd characters, line-end hyphens, doubled function words.

Each rule with a case it must fix and one it must leave; then properties over arbitrary
text (no exception, valid UTF-8 out, a second pass changes nothing).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dehusk.repair.change import Change
from dehusk.repair.characters import fix_characters
from dehusk.repair.doubled import NEVER_DOUBLED, fix_doubled
from dehusk.repair.hyphenation import fix_hyphenation, hyphenated_words

PROSE = (
    "United States and Russian defence ministers discussed Syria by phone on Friday, the first "
    "such talks in more than a year. The call lasted fifty minutes; both sides called it "
    "\u201cconstructive\u201d. Officials in Moscow said further talks were likely \u2014 perhaps "
    "next week \u2014 and that the fight against Islamic State would be on the agenda. "
    "C\u2019est la vie, said one; na\u00efve, said another: \u00a7 12(b), 3\u00d74 = 12, caf\u00e9s "
    "and r\u00e9sum\u00e9s.\nA second line, with a tab\there.\n\nA second paragraph."
)


def fixed(fixer, text: str, *args) -> str:
    out, _ = fixer(text, *args)
    return out


# --- characters -------------------------------------------------------------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\u1680", "\u2000", "\u2005", "\u200a", "\u202f", "\u205f"])
def test_odd_spaces_become_plain(space: str) -> None:
    out, changes = fix_characters(f"United{space}States")
    assert out == "United States"
    assert [c.kind for c in changes] == ["characters"]
    assert changes[0].before.startswith(f"U+{ord(space):04X} ")
    assert changes[0].after == "space"


def test_the_ideographic_space_stays() -> None:
    text = "東京\u3000大阪"
    assert fix_characters(text) == (text, [])


def test_a_space_doubled_by_an_odd_one_collapses_between_words() -> None:
    assert fixed(fix_characters, "a \u00a0b") == "a b"
    assert fixed(fix_characters, "a\u00a0 \u00a0 b") == "a b"
    assert fixed(fix_characters, "a \u200b b") == "a b"


def test_odd_spaces_at_the_edges_go_as_fix_spaces_did() -> None:
    assert fixed(fix_characters, "\u00a0Hello world\u00a0") == "Hello world"
    # at a line start they are indentation: the width is kept
    assert fixed(fix_characters, "Verse\n\u00a0\u00a0indented") == "Verse\n  indented"
    # plain spaces and tabs away from an odd character are not touched
    assert fixed(fix_characters, "  a\u00a0b  c\td  ") == "  a b  c\td  "


@pytest.mark.parametrize(
    "char",
    ["\u00ad", "\u200b", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
     "\u061c", "\u2062", "\u206f", "\ufff9", "\ufffc"],
)  # fmt: skip
def test_invisible_format_characters_go(char: str) -> None:
    out, changes = fix_characters(f"co{char}operation")
    assert out == "cooperation"
    assert len(changes) == 1 and changes[0].after == "nothing"


def test_byte_order_marks_go_anywhere() -> None:
    assert fixed(fix_characters, "\ufeffone\n\ufefftwo\ufeff") == "one\ntwo"


def test_joiners_stay() -> None:
    family = "👨\u200d👩\u200d👧"
    assert fix_characters(family) == (family, [])
    persian = "می\u200cخواهم به خانه\u200cام بروم"  # ZWNJ inside words
    assert fix_characters(persian) == (persian, [])
    hindi = "क्\u200dष"  # ZWJ in a conjunct
    assert fix_characters(hindi) == (hindi, [])
    flag = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag characters
    assert fix_characters(flag) == (flag, [])
    heart = "\u2764\ufe0f"  # variation selector
    assert fix_characters(heart) == (heart, [])


def test_controls_go_but_tab_and_newline_stay() -> None:
    assert fixed(fix_characters, "a\x00b\x07c\x1bd\x7fe\tf\ng") == "abcde\tf\ng"


def test_line_ends_become_newlines() -> None:
    assert fixed(fix_characters, "one\r\ntwo\rthree\r\n") == "one\ntwo\nthree\n"
    assert fixed(fix_characters, "page\x0cnext\x0bline") == "page\nnext\nline"
    assert fixed(fix_characters, "line\u2028next\u2029para") == "line\nnext\n\npara"


def test_c1_controls_are_windows_1252_characters() -> None:
    assert fixed(fix_characters, "don\x92t \x93quote\x94 \x80 5\x85") == "don’t “quote” € 5…"
    assert fixed(fix_characters, "a\x81b\x9dc") == "abc"  # no character in Windows-1252


def test_surrogates() -> None:
    assert fixed(fix_characters, "x\ud800y\udfffz") == "x\ufffdy\ufffdz"
    assert fixed(fix_characters, "smile \ud83d\ude00!") == "smile 😀!"  # a pair is its character
    out, _ = fix_characters("\udc00\ud800")  # a pair the wrong way round
    assert out == "\ufffd\ufffd"
    out.encode("utf-8")


def test_a_soft_hyphen_at_a_line_end_inside_a_word_is_left_for_hyphenation() -> None:
    text = "deconflic\u00ad\ntion"
    assert fix_characters(text) == (text, [])
    assert fixed(fix_hyphenation, text) == "deconfliction"
    # elsewhere it goes
    assert (
        fixed(fix_characters, "1990\u00ad\n2000 and deconflic\u00adtion\u00ad")
        == "1990\n2000 and deconfliction"
    )


def test_the_two_orders_agree_on_soft_hyphens() -> None:
    text = "A co\u00ad\noperation of Jean\u00ad\nPaul, 19\u00ad\n90 and un\u00adusual words\u00a0here."
    one = fixed(fix_hyphenation, fixed(fix_characters, text))
    other = fixed(fix_characters, fixed(fix_hyphenation, text))
    assert one == other == "A cooperation of Jean-Paul, 19\n90 and unusual words here."


def test_changes_say_what_and_where() -> None:
    out, changes = fix_characters("10\u202f000 km and a\u200b\u200bb")
    assert out == "10 000 km and ab"
    assert [c.before for c in changes] == ["U+202F narrow no-break space", "2× U+200B zero width space"]
    assert "10 000 km" in changes[0].why
    assert all(isinstance(c, Change) and c.record()["from"] == c.before for c in changes)


def test_characters_is_a_drop_in_for_fix_spaces() -> None:
    """What fix_spaces repaired, fix_characters repairs the same way (and counts as changes)."""
    from dehusk.repair.encoding import fix_spaces

    for text in ["United\u00a0States", "\u00a0lead and trail\u00a0", "a\u2009\u2009b", "x \u202fy"]:
        assert fixed(fix_characters, text) == fix_spaces(text)[0]
        assert len(fix_characters(text)[1]) >= 1


# --- hyphenation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("the deconflic-\ntion line", "the deconfliction line"),
        ("the deconflic- \n  tion line", "the deconfliction line"),
        ("the deconflic-\r\ntion line", "the deconfliction line"),
        ("the deconflic\u2010\ntion line", "the deconfliction line"),
        ("the deconflic\u00ad\ntion line", "the deconfliction line"),
        ("Die Bundes-\nregierung tagt", "Die Bundesregierung tagt"),
        ("il était pré-\nsent", "il était présent"),
    ],
)
def test_a_broken_word_is_joined(text: str, want: str) -> None:
    out, changes = fix_hyphenation(text)
    assert out == want
    assert [c.kind for c in changes] == ["hyphenation"]


def test_an_attested_hyphenation_keeps_its_hyphen() -> None:
    assert fixed(fix_hyphenation, "a well-\nknown fact", {"well-known"}) == "a well-known fact"
    # attested in the text itself
    text = "A well-known fact is well-\nknown."
    assert fixed(fix_hyphenation, text) == "A well-known fact is well-known."
    # U+2010 and the soft hyphen as written
    assert fixed(fix_hyphenation, "a well\u2010\nknown fact", {"well-known"}) == "a well\u2010known fact"
    assert fixed(fix_hyphenation, "a well\u00ad\nknown fact", {"well-known"}) == "a well-known fact"
    # without the attestation, and without a language to tell words from non-words, it is joined
    assert fixed(fix_hyphenation, "a well-\nknown fact") == "a wellknown fact"


@pytest.mark.parametrize(
    ("text", "want"),
    [("a well-\nknown fact", "a well-known fact"), ("a long-\nterm plan", "a long-term plan"),
     ("self-\nimposed", "self-imposed"), ("head-\nquarters", "headquarters"), ("time-\nline", "timeline"),
     ("co-\noperation", "cooperation"), ("rec-\nognize", "recognize")],
)  # fmt: skip
def test_two_words_whose_join_is_no_word_keep_the_hyphen(text: str, want: str) -> None:
    assert fixed(fix_hyphenation, text, (), "en") == want


def test_digits_are_left() -> None:
    for text in ["from 1990-\n2000", "version 2-\nbeta", "beta-\n2", "x86-\nlinux", "snake_case-\nname"]:
        assert fix_hyphenation(text) == (text, [])


def test_a_capital_keeps_the_hyphen_and_loses_the_break() -> None:
    assert fixed(fix_hyphenation, "Jean-\nPaul Sartre") == "Jean-Paul Sartre"
    assert fixed(fix_hyphenation, "a NATO-\nled force") == "a NATO-led force"
    assert fixed(fix_hyphenation, "Jean\u00ad\nPaul") == "Jean-Paul"  # a soft hyphen kept is a visible one


def test_compounds_keep_their_hyphens() -> None:
    assert fixed(fix_hyphenation, "my mother-\nin-law") == "my mother-in-law"
    assert fixed(fix_hyphenation, "a state-of-the-\nart lab") == "a state-of-the-art lab"
    assert fixed(fix_hyphenation, "a-\nb-\nc") == "abc"


def test_addresses_and_dashes_are_left() -> None:
    for text in [
        "see https://example.org/long-\npath",
        "mail first-\nlast@example.org",
        "host name-\nserver.example.org",
        "a dash -\nthen more",
        "a list:\n- item\n- item",
        "one paragraph-\n\nanother",
    ]:
        assert fix_hyphenation(text) == (text, [])


def test_caseless_scripts_keep_a_hard_hyphen() -> None:
    text = "हिन्दी-\nभाषा"
    assert fix_hyphenation(text) == (text, [])
    assert fixed(fix_hyphenation, "हिन्दी\u00ad\nभाषा") == "हिन्दीभाषा"


def test_hyphenated_words() -> None:
    text = "A Well-known, state\u2010of\u2010the\u2010art de-\nsign; 1990-2000, e-mail, -dash- x-"
    assert hyphenated_words(text) == {"well-known", "state-of-the-art", "e-mail"}
    assert hyphenated_words("no hyphens here") == set()


def test_hyphenation_changes_explain() -> None:
    _, changes = fix_hyphenation("A well-known fact is well-\nknown; deconflic-\ntion.")
    assert [(c.before, c.after) for c in changes] == [
        ("well-\nknown", "well-known"),
        ("deconflic-\ntion", "deconfliction"),
    ]
    assert "'well-known' is written with a hyphen" in changes[0].why
    assert "not written so" in changes[1].why


# --- doubled ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "want"),
    [
        ("He saw the the cat.", "en", "He saw the cat."),
        ("The the cat sat.", "en", "The cat sat."),
        ("He ran. The the cat sat.", "en", "He ran. The cat sat."),
        ('He ran. "The the cat!"', "en", 'He ran. "The cat!"'),
        ("a a cat, an an owl", "en", "a cat, an owl"),
        ("the end of of the day and and more", "en-GB", "the end of the day and more"),
        ("the the the cat", "en", "the cat"),
        ("at the\nthe end", "en", "at the end"),  # a wrapped line
        ("Es war ein ein schöner Tag im im Park.", "de", "Es war ein schöner Tag im Park."),
        ("C'est le le chat et et le chien.", "fr", "C'est le chat et le chien."),
        ("Vi los los perros del del vecino.", "es", "Vi los perros del vecino."),
        ("Vi os os cães do do vizinho.", "pt", "Vi os cães do vizinho."),
        ("Il il gatto della della vicina.", "it", "Il gatto della vicina."),
        ("Een een kat en en een hond.", "nl", "Een kat en een hond."),
        ("He saw the the cat.", "eng", "He saw the cat."),
    ],
)
def test_doubled_words_are_written_once(text: str, lang: str, want: str) -> None:
    out, changes = fix_doubled(text, lang)
    assert out == want
    assert changes and all(c.kind == "doubled" for c in changes)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I knew that that was wrong.", "en"),
        ("He had had enough.", "en"),
        ("What it is is a mess.", "en"),
        ("He gave in in the end.", "en"),
        ("The friend I turned to to help.", "en"),
        ("Carry on on Monday.", "en"),
        ("in, in the end; the. The end", "en"),
        ("They love Duran Duran and The The.", "en"),
        ("I like The the band.", "en"),  # a capital not at a sentence start
        ('He said: "The the cat."', "en"),  # after a colon: not taken for a start
        ("THE THE", "en"),
        ("the\n\nthe", "en"),  # two paragraphs
        ("the-the and l'an an and the the's", "en"),
        ("theme the", "en"),
        ("Die Frau, die die Kinder sah, und und und.", "de"),
        ("Das Buch, das das Kind liest, von von Braun.", "de"),
        ("Le fils de de Gaulle, la la la.", "fr"),
        ("Fue el el que lo dijo, de la a a la z.", "es"),
        ("Ik vind het het mooiste van de de Jongs.", "nl"),
    ],
)
def test_legal_doubles_and_names_are_left(text: str, lang: str) -> None:
    assert fix_doubled(text, lang) == (text, [])


def test_no_language_no_list() -> None:
    for lang in [None, "", "xx", "ru", "tr"]:
        assert fix_doubled("He saw the the cat.", lang) == ("He saw the the cat.", [])


def test_the_lists_hold_none_of_the_legal_doubles() -> None:
    legal = {
        "en": {"that", "had", "is", "in", "to", "on", "was"},
        "de": {"die", "der", "das", "den", "dem", "und"},
        "fr": {"de", "la", "du"},
        "es": {"el", "la", "de", "y"},
        "nl": {"de", "het", "van"},
    }
    for lang, words in legal.items():
        assert not words & NEVER_DOUBLED[lang]


def test_doubled_change_explains() -> None:
    _, changes = fix_doubled("He saw the the cat.", "en")
    assert (changes[0].before, changes[0].after) == ("the the", "the")
    assert "English" in changes[0].why


# --- clean text and idempotence ---------------------------------------------------------------


def test_clean_prose_is_returned_as_it_is() -> None:
    for out, changes in [fix_characters(PROSE), fix_hyphenation(PROSE), fix_doubled(PROSE, "en")]:
        assert out is PROSE
        assert changes == []


@pytest.mark.parametrize(
    "text",
    [
        "a\u00a0 b\r\n\u2029c\x92\ud83d\ude00\ud800 \u200b\ufeff",
        "co-\nop\u00ad\ner\u2010\nation Jean-\nPaul 1990-\n2000 a-\nb-\nc",
        "the the The the the. The The the\nthe",
    ],
)
def test_a_second_pass_changes_nothing(text: str) -> None:
    for fixer, args in [(fix_characters, ()), (fix_hyphenation, ()), (fix_doubled, ("en",))]:
        once = fixed(fixer, text, *args)
        assert fixer(once, *args) == (once, [])


# --- properties -------------------------------------------------------------------------------

_CHARS = (
    "\u00a0\u1680\u2003\u202f\u205f\u3000\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u202e\u2066\x00\x07"
    "\t\n\n\r\x0b\x0c\x7f\x85\x92\x81\u2028\u2029\ud800\udc00\ud83d\ude00-\u2010  .,aAzZé\u0301क19_/"
)
_SPECIAL = [*_CHARS, "the", "The", "of", "a", "an", "and", "ein", "le", "Jean", "well", "known"]
TEXT = st.lists(
    st.one_of(st.sampled_from(_SPECIAL), st.characters(codec=None, exclude_categories=[])), max_size=60
).map("".join)
#: text as a str from UTF-8 holds no surrogate; the hyphenation and doubled fixers pass one through
NO_SURROGATES = st.lists(
    st.one_of(
        st.sampled_from([s for s in _SPECIAL if not "\ud800" <= s[0] <= "\udfff"]),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_characters_property(text: str) -> None:
    once, changes = fix_characters(text)
    once.encode("utf-8")
    assert fix_characters(once) == (once, [])
    assert (once == text) == (not changes)


@settings(max_examples=400, deadline=None)
@given(NO_SURROGATES, st.sets(st.sampled_from(["well-known", "a-b", "jean-paul"])))
def test_hyphenation_property(text: str, attested: set[str]) -> None:
    once, changes = fix_hyphenation(text, attested)
    once.encode("utf-8")
    assert fix_hyphenation(once, attested) == (once, [])
    assert (once == text) == (not changes)


@settings(max_examples=400, deadline=None)
@given(NO_SURROGATES, st.sampled_from(["en", "de", "fr", "es", "pt", "it", "nl", None]))
def test_doubled_property(text: str, lang: str | None) -> None:
    once, changes = fix_doubled(text, lang)
    once.encode("utf-8")
    assert fix_doubled(once, lang) == (once, [])
    assert (once == text) == (not changes)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_all_three_in_a_row_property(text: str) -> None:
    once = fixed(fix_doubled, fixed(fix_hyphenation, fixed(fix_characters, text)), "en")
    once.encode("utf-8")
    twice = fixed(fix_doubled, fixed(fix_hyphenation, fixed(fix_characters, once)), "en")
    assert twice == once

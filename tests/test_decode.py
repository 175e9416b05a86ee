"""Bytes to text: pages written in legacy charsets come back exactly, whatever they declare."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from dehusk.repair.decode import NotText, charset_codec, declared_charset, decode, decode_explained, oddness

TEXTS = json.loads((Path(__file__).parents[1] / "fixtures/encodings/texts.json").read_text("utf-8"))

#: (language, Python codec, the label a page declares) — the charsets such pages were written in.
NATIVE = [
    ("fr", "cp1252", "windows-1252"),
    ("es", "latin-1", "iso-8859-1"),
    ("de", "cp1252", "windows-1252"),
    ("hu", "iso8859-2", "iso-8859-2"),
    ("pl", "iso8859-2", "iso-8859-2"),
    ("cs", "iso8859-2", "iso-8859-2"),
    ("el", "iso8859-7", "iso-8859-7"),
    ("ru", "cp1251", "windows-1251"),
    ("uk", "cp1251", "windows-1251"),
    ("ru", "koi8-r", "koi8-r"),
    ("ja", "cp932", "shift_jis"),
    ("zh", "gb18030", "gb2312"),
    ("ko", "euc-kr", "euc-kr"),
]
#: A declaration that is wrong for each of the charsets above (the commonest lie is utf-8).
WRONG = {
    "cp1252": "windows-1251", "latin-1": "koi8-r", "iso8859-2": "windows-1252", "iso8859-7": "windows-1252",
    "cp1251": "iso-8859-1", "koi8-r": "windows-1251", "cp932": "euc-kr", "gb18030": "windows-1252",
    "euc-kr": "windows-1252",
}  # fmt: skip


def page(text: str, label: str | None) -> str:
    meta = f'<meta charset="{label}">' if label else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"<!DOCTYPE html><html><head>{meta}<title>t</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(("lang", "codec", "label"), NATIVE, ids=[f"{n[0]}-{n[1]}" for n in NATIVE])
@pytest.mark.parametrize("declaration", ["right", "missing", "wrong", "utf-8 lie"])
def test_legacy_pages_come_back_exactly(lang: str, codec: str, label: str, declaration: str) -> None:
    if (lang, declaration) == ("hu", "wrong"):
        pytest.xfail("a cp1252 declaration on Hungarian iso-8859-2 reads as plausible text (õ for ő)")
    declared = {"right": label, "missing": None, "wrong": WRONG[codec], "utf-8 lie": "utf-8"}[declaration]
    expected = page(TEXTS[lang], declared)
    text, _ = decode(expected.encode(codec))
    assert text == expected


def test_a_header_declaration_is_used_when_the_page_has_none() -> None:
    source = page(TEXTS["ru"], None)
    assert decode_explained(source.encode("koi8-r"), "KOI8-R")[1:] == ("koi8-r", "header")


def test_utf8_wins_and_stray_bytes_do_not_turn_the_page_into_mojibake() -> None:
    assert decode("naïve café".encode())[0] == "naïve café"
    stitched = ("Grüße aus München, schöne Straße. " * 5).encode() + "très".encode("latin-1")
    text, charset = decode(stitched)
    assert charset == "utf-8" and text.startswith("Grüße aus München") and text.endswith("tr\ufffds")


def test_boms_and_utf16_without_a_bom() -> None:
    assert decode("\ufeffhello".encode("utf-8")) == ("hello", "utf-8-sig")
    assert decode(page(TEXTS["de"], None).encode("utf-16-le"))[1] == "utf-16-le"


def test_binary_data_is_refused_with_a_reason() -> None:
    with pytest.raises(NotText):
        decode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)


@pytest.mark.parametrize(
    ("label", "codec"),
    [("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("us-ascii", "cp1252"), ("GB2312", "gb18030"),
     ("euc-kr", "cp949"), ("Shift_JIS", "cp932"), ("utf8", "utf-8"), (' "UTF-8" ', "utf-8"),
     ("iso-2022-kr", None), ("base64", None), ("cp500", None), ("no-such-charset", None), (None, None)],
)  # fmt: skip
def test_labels_are_read_as_browsers_read_them(label: str | None, codec: str | None) -> None:
    assert charset_codec(label) == codec


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<meta charset="koi8-r">', "koi8-r"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>", "cp1251"),
        (b'<meta content="text/html; charset=iso-8859-2" http-equiv="content-type">', "iso8859-2"),
        (b'<!-- <meta charset="koi8-r"> --><meta charset="utf-8">', "utf-8"),
        (b'<meta name="description" content="charset=koi8-r is the topic">', None),
        (b'<meta charset="utf-16le">', "utf-8"),
    ],
)
def test_the_meta_prescan(head: bytes, codec: str | None) -> None:
    assert declared_charset(b"<html><head>" + head + b"</head><body>x</body></html>") == codec


def test_an_xml_declaration_counts_when_no_meta_names_a_charset() -> None:
    assert (
        declared_charset(b'<?xml version="1.0" encoding="ISO-8859-7"?>\n<html><p>x</p></html>') == "iso8859-7"
    )


def test_oddness_tells_mojibake_from_text() -> None:
    for lang in ("fr", "pl", "ru", "el", "ja", "ko", "zh"):
        assert oddness(TEXTS[lang]) < 0.02, lang
    assert oddness(TEXTS["ru"].encode("cp1251").decode("cp1252")) > 0.5
    assert oddness(TEXTS["pl"].encode("iso8859-2").decode("cp1252")) > 0.1
    assert oddness(TEXTS["ru"].encode("koi8-r").decode("cp1251")) > 0.5


# --- the cases the decoder must get right, one by one --------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec"),
    [("\ufeff", "utf-8"), ("\ufeff", "utf-16-le"), ("\ufeff", "utf-16-be"), ("\ufeff", "utf-32-le"),
     ("\ufeff", "utf-32-be")],
)  # fmt: skip
def test_a_byte_order_mark_decides(bom: str, codec: str) -> None:
    source = page(TEXTS["ru"], "windows-1252")  # the mark outranks any declaration
    text, _, how = decode_explained((bom + source).encode(codec))
    assert (text.lstrip("\ufeff"), how) == (source, "bom")


def test_valid_utf8_is_utf8_whatever_is_declared() -> None:
    source = page(TEXTS["ja"], "windows-1252")  # declared windows-1252, bytes UTF-8: UTF-8 wins
    assert decode(source.encode("utf-8")) == (source, "utf-8")
    assert decode(source.encode("utf-8"), "iso-8859-1") == (source, "utf-8")


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_cp1252_without_a_declaration(lang: str) -> None:
    source = page(TEXTS[lang], None)
    assert any(q in source for q in "’“„") and any(a in source for a in "éèäöüß")  # the hard characters
    assert decode(source.encode("cp1252")) == (source, "cp1252")


def test_cp1251_russian_without_a_declaration() -> None:
    source = page(TEXTS["ru"], None)
    assert decode(source.encode("cp1251")) == (source, "cp1251")


def test_a_declared_charset_is_honoured() -> None:
    source = page(TEXTS["pl"], "iso-8859-2")
    assert decode_explained(source.encode("iso8859-2"))[1:] == ("iso8859-2", "meta")
    bare = page(TEXTS["el"], None)
    assert decode_explained(bare.encode("iso8859-7"), "ISO-8859-7")[1:] == ("iso8859-7", "header")


def test_the_latin1_label_reads_as_windows_1252() -> None:
    data = b'<meta charset="latin1"><p>\x93Quoted\x94 and caf\xe9</p>'
    text, charset = decode(data)
    assert "“Quoted” and café" in text and charset == "cp1252"


def test_an_unknown_label_is_ignored() -> None:
    source = page(TEXTS["fr"], "x-no-such-charset")
    assert decode(source.encode("cp1252"), "klingon-8") == (source, "cp1252")


def test_a_lying_declaration_loses() -> None:
    french = page(TEXTS["fr"], "utf-8")  # declared UTF-8, bytes cp1252
    assert decode(french.encode("cp1252")) == (french, "cp1252")
    assert decode(french.encode("cp1252"), "utf-8") == (french, "cp1252")
    russian = page(TEXTS["ru"], "windows-1252")  # declared windows-1252, bytes cp1251
    assert decode(russian.encode("cp1251")) == (russian, "cp1251")
    russian = page(TEXTS["ru"], "iso-8859-1")  # declared in the header this time
    assert decode(russian.encode("cp1251"), "iso-8859-1") == (russian, "cp1251")


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03" * 100, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"x" * 100,
     b"\x1f\x8b\x08\x00" + bytes(200), bytes(range(32)) * 10],
)  # fmt: skip
def test_binary_bytes_are_not_text(data: bytes) -> None:
    with pytest.raises(NotText):
        decode(data)


def test_empty_bytes_and_a_page_of_ascii() -> None:
    assert decode(b"") == ("", "utf-8")
    source = '<html><head><meta charset="koi8-r"></head><body><p>Plain "ASCII".</p></body></html>'
    assert decode(source.encode("ascii")) == (source, "utf-8")


def test_iso_2022_jp_is_read_from_its_escapes() -> None:
    source = page(TEXTS["ja"], "iso-2022-jp")
    assert decode(source.encode("iso2022_jp")) == (source, "iso2022_jp_ext")


def test_a_utf8_page_cut_inside_its_last_character() -> None:
    source = page(TEXTS["uk"], None)
    assert decode(source.encode("utf-8") + "ї".encode()[:1]) == (source + "\ufffd", "utf-8")


def test_never_a_traceback_and_never_a_lone_surrogate() -> None:
    """Every input gives text or NotText; no decoding leaves a surrogate in the text."""
    import random

    rng = random.Random(7)
    inputs = [b"\xff\xfe\x00\xd8a\x00", b"\xfe\xff\xdc\x00", b"\xef\xbb\xbf\xed\xa0\x80", b"\xed\xa0\x80abc"]
    for label in ("utf-16", "utf-7", "unicode_escape", "base64", "cp037", "\x00", "", "utf-8;", "gb18030"):
        inputs.append(label.encode("latin-1"))
    for _ in range(100):
        size = rng.choice((1, 2, 7, 64, 400))
        alphabet = rng.choice((bytes(range(256)), bytes(range(0x80, 0x100)), b"<>abc \x1b$B\x80\xe9\xa4"))
        inputs.append(bytes(rng.choice(alphabet) for _ in range(size)))
    labels = (None, "utf-16", "utf-7", "unicode_escape", "hex", "cp037", "shift_jis", "nonsense", "utf-16le")
    for i, data in enumerate(inputs):
        try:
            text, charset = decode(data, labels[i % len(labels)])
        except NotText:
            continue
        assert isinstance(text, str) and isinstance(charset, str)
        assert not any("\ud800" <= c <= "\udfff" for c in text), (data, charset)

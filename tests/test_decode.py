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

"""WARC input: responses to Documents, what is skipped, codings undone, and damage reported without stopping.

Every WARC here is written by hand, byte by byte, from the fixture pages: the reader is
tested on the format as the standard spells it, not on what one writer library produces.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import zlib
from collections import Counter
from pathlib import Path

import brotli
import pytest
import zstandard

from dehusk.api import clean_paths
from dehusk.options import Options
from dehusk.readers import read
from dehusk.readers.http import TooLarge, content_type, dechunk, decode_content
from dehusk.readers.warc import read_warc
from dehusk.run.pipeline import clean_document

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "html"
SIMPLE = (PAGES / "simple.html").read_bytes()
TEXTS = json.loads((ROOT / "fixtures" / "encodings" / "texts.json").read_text("utf-8"))
DATE = "2024-03-05T06:07:08Z"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


# --- writing WARCs by hand ----------------------------------------------------------------------------


def record(kind: str, block: bytes, rid: str, uri: str = "https://example.org/", **fields: str) -> bytes:
    """One WARC/1.1 record; ``block`` is the HTTP message (or, for conversions, the text)."""
    ctype = {"response": "application/http; msgtype=response", "request": "application/http; msgtype=request"}
    head = [
        "WARC/1.1",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{rid}>",
        f"WARC-Date: {DATE}",
        f"WARC-Target-URI: {uri}",
        f"Content-Type: {fields.pop('content_type', ctype.get(kind, 'text/plain'))}",
        *(f"{name.replace('_', '-')}: {value}" for name, value in fields.items()),
        f"Content-Length: {len(block)}",
    ]
    return "\r\n".join(head).encode() + b"\r\n\r\n" + block + b"\r\n\r\n"


def http(body: bytes, content_type: str | None = "text/html; charset=utf-8", status: str = "200 OK",
         **headers: str) -> bytes:  # fmt: skip
    lines = [f"HTTP/1.1 {status}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body


def response(body: bytes, rid: str, uri: str = "https://example.org/", **headers: str | None) -> bytes:
    return record("response", http(body, **headers), rid, uri)  # type: ignore[arg-type]


def members(*records: bytes) -> bytes:
    """A ``.warc.gz``: one gzip member per record, as the standard recommends."""
    return b"".join(gzip.compress(r) for r in records)


def chunked(body: bytes, size: int = 100) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def docs_of(data: bytes, name: str = "crawl.warc", skipped: Counter[str] | None = None) -> list:
    return list(read_warc(io.BytesIO(data), "crawl", name, skipped=skipped))


def page(text: str) -> str:
    """A page without any charset declaration of its own: only the HTTP header will say."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"<!DOCTYPE html><html><head><title>t</title></head><body><article>{body}</article></body></html>"


class Pipe(io.RawIOBase):
    """stdin as a pipe: no seek, no tell."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._data.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --- what is read, what is skipped --------------------------------------------------------------------

FIELDS = "application/warc-fields"
MIXED = [
    record("warcinfo", b"software: hand\r\n", "00000000", content_type=FIELDS),
    record("request", b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n", "11111111"),
    response(SIMPLE, "22222222", "https://example.org/harbour"),
    record("metadata", b"fetchTimeMs: 12\r\n", "33333333", content_type=FIELDS),
    response(PNG, "44444444", "https://example.org/a.png", content_type="image/png"),
    response(
        b"User-agent: *\nDisallow:\n", "55555555", "https://example.org/robots.txt", content_type="text/plain"
    ),
    response(b"<html>moved</html>", "66666666", status="301 Moved Permanently"),
    record("revisit", http(b""), "77777777", WARC_Profile="identical-payload-digest"),
    response(SIMPLE, "88888888", "https://example.org/x", content_type="application/xhtml+xml"),
    response(b"body{color:red}", "99999999", content_type="text/css"),
]
COMPRESSIONS = {
    ".warc": lambda records: b"".join(records),
    ".warc.gz": lambda records: members(*records),
    ".warc.zst": lambda records: b"".join(zstandard.ZstdCompressor().compress(r) for r in records),
}


@pytest.mark.parametrize("extension", list(COMPRESSIONS))
def test_html_and_text_responses_become_documents_the_rest_is_counted(tmp_path: Path, extension: str) -> None:
    path = tmp_path / f"crawl{extension}"
    path.write_bytes(COMPRESSIONS[extension](MIXED))
    skipped: Counter[str] = Counter()
    docs = list(read([str(path)], skipped=skipped))

    assert [(d.id, d.format, d.url) for d in docs] == [
        ("urn:uuid:22222222", "html", "https://example.org/harbour"),
        ("urn:uuid:55555555", "text", "https://example.org/robots.txt"),
        ("urn:uuid:88888888", "html", "https://example.org/x"),
    ]
    assert all(d.error is None and d.source == str(path) for d in docs)
    assert docs[0].content == SIMPLE
    assert docs[1].content == b"User-agent: *\nDisallow:\n"
    assert docs[0].metadata["warc_date"] == DATE
    assert docs[0].metadata["charset"] == "utf-8"
    assert "charset" not in docs[1].metadata
    assert skipped == {
        "warcinfo": 1, "request": 1, "metadata": 1, "revisit": 1,
        "image/png": 1, "status 301": 1, "text/css": 1,
    }  # fmt: skip


def test_offsets_point_at_the_records() -> None:
    data = members(*MIXED)
    docs = docs_of(data)
    for doc in docs:
        start = doc.metadata["warc_offset"]
        head = zlib.decompressobj(31).decompress(data[start:], 200)
        assert head.startswith(b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <%s>" % doc.id.encode())


def test_media_type_from_the_identified_type_then_from_the_bytes() -> None:
    data = b"".join([
        record("response", http(SIMPLE, content_type=None), "a", WARC_Identified_Payload_Type="text/html"),
        record("response", http(SIMPLE, content_type="application/octet-stream"), "b"),
        record("response", http(PNG, content_type=None), "c"),
        record("response", http(b"plain words", content_type=""), "d"),
    ])  # fmt: skip
    skipped: Counter[str] = Counter()
    assert [(d.id, d.format) for d in docs_of(data, skipped=skipped)] == [
        ("urn:uuid:a", "html"), ("urn:uuid:b", "html"), ("urn:uuid:d", "text"),
    ]  # fmt: skip
    assert skipped == {"no media type": 1}


def test_wet_conversion_records_are_text_dumps(tmp_path: Path) -> None:
    text = TEXTS["de"].encode()
    path = tmp_path / "CC-MAIN-00001.warc.wet.gz"  # no format extension that the name alone gives away
    path.write_bytes(
        members(record("warcinfo", b"x: y\r\n", "w"), record("conversion", text, "t", "https://de/"))
    )
    (doc,) = read([str(path)])
    assert (doc.id, doc.format, doc.url, doc.content) == ("urn:uuid:t", "text", "https://de/", text)


def test_a_record_without_id_is_named_by_file_and_offset() -> None:
    data = response(SIMPLE, "x").replace(b"WARC-Record-ID: <urn:uuid:x>\r\n", b"")
    (doc,) = docs_of(data)
    assert doc.id == "crawl@0" and doc.error is None


# --- payloads: codings undone -------------------------------------------------------------------------


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODED = {
    "gzip": http(gzip.compress(SIMPLE), Content_Encoding="gzip"),
    "br": http(brotli.compress(SIMPLE), Content_Encoding="br"),
    "deflate": http(zlib.compress(SIMPLE), Content_Encoding="deflate"),
    "raw deflate": http(_raw_deflate(SIMPLE), Content_Encoding="deflate"),
    "zstd": http(zstandard.ZstdCompressor().compress(SIMPLE), Content_Encoding="zstd"),
    "chunked": http(chunked(SIMPLE), Transfer_Encoding="chunked"),
    "chunked gzip": http(
        chunked(gzip.compress(SIMPLE)), Content_Encoding="gzip", Transfer_Encoding="chunked"
    ),
    "chunked, bare LF, extensions, no last chunk": http(
        chunked(SIMPLE).replace(b"\r\n", b"\n").replace(b"64\n", b"64;name=value\n").removesuffix(b"0\n\n"),
        Transfer_Encoding="chunked",
    ),
    # the tool that wrote the WARC decoded the body and kept the headers
    "gzip header, plain body": http(SIMPLE, Content_Encoding="gzip"),
    "br header, plain body": http(SIMPLE, Content_Encoding="br"),
    "chunked header, plain body": http(SIMPLE, Transfer_Encoding="chunked"),
}


@pytest.mark.parametrize("name", list(ENCODED))
def test_transfer_and_content_codings_are_undone(name: str) -> None:
    (doc,) = docs_of(record("response", ENCODED[name], "e"))
    assert doc.error is None
    assert doc.content == SIMPLE


def test_http_helpers() -> None:
    assert content_type('text/HTML; Charset="Windows-1251"; x=y') == ("text/html", "Windows-1251")
    assert content_type("text/plain") == ("text/plain", None)
    assert content_type(None) == ("", None)
    assert dechunk(b"0\r\n\r\n") == b""
    assert dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n") == b"Wikipedia"  # no last chunk: what arrived
    assert decode_content(b"x", "compress", 10) == b"x"  # an unknown coding leaves the bytes alone
    with pytest.raises(TooLarge):
        decode_content(gzip.compress(b"\x00" * 100_000), "gzip", 1000)  # a small bomb


# --- charsets -----------------------------------------------------------------------------------------

#: Pages whose charset only the HTTP header names, and that lexbor (reading bytes as UTF-8) and the
#: guess get wrong without it: ISO-2022-JP is 7-bit and passes as UTF-8; ¤ and € share a byte.
HEADER_ONLY = [
    ("ja", "iso2022_jp", "ISO-2022-JP"),
    ("fr", "iso8859-15", "ISO-8859-15"),
    ("uk", "koi8-u", "KOI8-U"),
]


@pytest.mark.parametrize(("lang", "codec", "label"), HEADER_ONLY, ids=[c[1] for c in HEADER_ONLY])
def test_a_charset_named_only_by_the_http_header_decodes_the_page(lang: str, codec: str, label: str) -> None:
    text = {"fr": "Le billet coûte 5 € pour l'œuvre entière."}.get(lang, TEXTS[lang][:40])
    data = response(page(text).encode(codec), "c", content_type=f"text/html; charset={label}")
    (doc,) = docs_of(data)
    assert doc.metadata["charset"] == label  # the raw label: the decoder reads it as browsers do
    doc = clean_document(doc, Options(repair=False))
    assert doc.error is None
    assert doc.text == text


# --- the same texts as the pages given as files -------------------------------------------------------


def test_a_warc_of_pages_gives_the_same_texts_as_the_pages_as_html_files(tmp_path: Path) -> None:
    names = sorted(p.stem for p in PAGES.glob("*.html"))
    path = tmp_path / "pages.warc.gz"
    path.write_bytes(
        members(*(response((PAGES / f"{n}.html").read_bytes(), n, f"https://example.org/{n}") for n in names))
    )
    direct = {d.id: d for d in clean_paths([str(PAGES)])}
    wrapped = {d.id.removeprefix("urn:uuid:"): d for d in clean_paths([str(path)])}
    assert sorted(direct) == sorted(wrapped) == names
    for name in names:
        a, b = direct[name], wrapped[name]
        assert a.error is None and b.error is None
        for field in ("text", "title", "description", "date", "lang"):
            assert getattr(b, field) == getattr(a, field), (name, field)
    assert sum(bool(d.text) for d in direct.values()) >= len(names) - 1  # only the category index is empty


# --- damage -------------------------------------------------------------------------------------------

GOOD = [response(SIMPLE, f"good-{i}", f"https://example.org/{i}") for i in range(3)]
LAST = response(SIMPLE, "last")


@pytest.mark.parametrize("compressed", [False, True], ids=["warc", "warc.gz"])
def test_a_truncated_last_record_is_an_error_naming_file_record_and_offset(compressed: bool) -> None:
    if compressed:
        data = members(*GOOD) + gzip.compress(LAST)[:-200]
        offset = len(members(*GOOD))
    else:
        data = b"".join(GOOD) + LAST[:-300]
        offset = len(b"".join(GOOD))
    *good, cut = docs_of(data)
    assert [d.id for d in good] == [f"urn:uuid:good-{i}" for i in range(3)]
    assert all(d.error is None and d.content == SIMPLE for d in good)
    assert (cut.id, cut.error.kind) == ("urn:uuid:last", "truncated")
    assert cut.error.detail.startswith(f"crawl.warc: record urn:uuid:last at byte {offset}: ")
    assert cut.metadata["warc_offset"] == offset


@pytest.mark.parametrize("cut", [20, 150, 400])
def test_a_file_cut_in_a_record_header_or_in_a_skipped_record_is_truncated(cut: int) -> None:
    request = record("request", b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n" * 20, "req")
    for data in (b"".join(GOOD) + request[:cut], members(*GOOD) + gzip.compress(request)[: cut // 4]):
        *good, error = docs_of(data)
        assert len(good) == 3 and error.error.kind == "truncated", error.error


def test_a_corrupt_gzip_member_in_the_middle_is_reported_and_reading_goes_on() -> None:
    bad = bytearray(gzip.compress(response(SIMPLE, "bad")))
    bad[60:90] = b"\xff" * 30
    before, after = members(*GOOD[:2]), members(GOOD[2], LAST)
    docs = docs_of(before + bytes(bad) + after)
    read_ok = [d.id for d in docs if d.error is None]
    assert read_ok == ["urn:uuid:good-0", "urn:uuid:good-1", "urn:uuid:good-2", "urn:uuid:last"]
    (error,) = [d for d in docs if d.error]
    assert error.error.kind == "corrupt"
    assert error.id == f"crawl@{len(before)}"
    assert error.error.detail.startswith(f"crawl.warc: unreadable data at byte {len(before)}: ")
    assert error.error.detail.endswith(f"reading resumed at byte {len(before) + len(bad)}")


def test_zero_padding_between_members_is_no_damage() -> None:
    docs = docs_of(members(*GOOD[:2]) + b"\x00" * 512 + members(GOOD[2]))
    assert [d.error for d in docs] == [None, None, None]


def test_damage_in_a_piped_warc_ends_it_with_an_error_after_every_record_before() -> None:
    bad = bytearray(gzip.compress(response(SIMPLE, "bad")))
    bad[60:90] = b"\xff" * 30
    stdin = io.BufferedReader(Pipe(members(*GOOD) + bytes(bad) + members(LAST)))
    *good, error = read(["-"], stdin=stdin)
    assert [d.id for d in good] == [f"urn:uuid:good-{i}" for i in range(3)]
    assert (error.source, error.error.kind) == ("<stdin>", "corrupt")


@pytest.mark.parametrize("compressed", [False, True], ids=["warc", "warc.gz"])
def test_a_warc_on_stdin_is_sniffed_and_read(compressed: bool) -> None:
    data = members(*MIXED) if compressed else b"".join(MIXED)
    skipped: Counter[str] = Counter()
    docs = list(read(["-"], stdin=io.BufferedReader(Pipe(data)), skipped=skipped))
    assert [d.id for d in docs] == ["urn:uuid:22222222", "urn:uuid:55555555", "urn:uuid:88888888"]
    assert docs[0].content == SIMPLE and sum(skipped.values()) == 7


def test_too_large_and_empty_payloads_are_errors() -> None:
    bomb = http(gzip.compress(b" " * 100_000), Content_Encoding="gzip")
    data = b"".join([response(b"x" * 5000, "big"), record("response", bomb, "bomb"), response(b"", "none"),
                     response(SIMPLE[:4000], "fits")])  # fmt: skip
    docs = list(read_warc(io.BytesIO(data), "crawl", "crawl.warc", limit=4096))
    assert [(d.id, d.error and d.error.kind) for d in docs] == [
        ("urn:uuid:big", "too-large"), ("urn:uuid:bomb", "too-large"), ("urn:uuid:none", "empty"),
        ("urn:uuid:fits", None),
    ]  # fmt: skip

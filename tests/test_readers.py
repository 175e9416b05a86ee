"""The readers: paths, globs and stdin to Documents, with ids, formats, compression and error records."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import orjson
import pytest
import zstandard

from dehusk.readers import check_paths, looks_like_html, read
from dehusk.readers.formats import sniff_format, split_name

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SIMPLE_HTML = ROOT / "fixtures" / "html" / "simple.html"
SEED_NAMES = sorted(path.stem for path in SEEDS.glob("*.txt"))

COMPRESS = {
    "": lambda data: data,
    ".gz": gzip.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def jsonl(*records: object) -> bytes:
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


def ids(docs) -> list[str]:
    return [doc.id for doc in docs]


# --- paths and ids -----------------------------------------------------------------------------


def test_directory_of_seeds_gives_one_text_document_per_file_in_sorted_order():
    docs = list(read([str(SEEDS)]))
    assert ids(docs) == SEED_NAMES
    for doc in docs:
        assert doc.error is None
        assert doc.format == "text"
        assert doc.source == str(SEEDS / f"{doc.id}.txt")
        assert doc.content == (SEEDS / f"{doc.id}.txt").read_bytes()  # raw bytes: decoding comes later


def test_ids_are_paths_below_the_root_without_format_and_compression_extensions(tmp_path):
    root = tmp_path / "html"
    write(root / "042b.html.gz", gzip.compress(b"<p>a</p>"))
    write(root / "adac.de.kindersitze.html", "<p>b</p>")
    write(root / "sub" / "deeper" / "a.txt", "c")
    write(root / "sub" / "notes.md", "d")  # unknown extension: kept in the id, content sniffed
    write(root / ".hidden.txt", "skipped")
    write(root / ".git" / "config.txt", "skipped")
    docs = list(read([str(root)]))
    assert ids(docs) == ["042b", "adac.de.kindersitze", "sub/deeper/a", "sub/notes.md"]
    assert [doc.format for doc in docs] == ["html", "html", "text", "text"]
    # the same directory named with a trailing slash gives the same ids
    assert ids(read([str(root) + "/"])) == ids(docs)


def test_a_file_named_by_itself_has_its_stripped_name_as_id(tmp_path):
    path = write(tmp_path / "deep" / "dir" / "adac.de.kindersitze.html.zst", COMPRESS[".zst"](b"<p>x</p>"))
    (doc,) = read([str(path)])
    assert doc.id == "adac.de.kindersitze"
    assert doc.source == str(path)
    assert (doc.format, doc.content) == ("html", b"<p>x</p>")


def test_glob_ids_are_relative_to_the_directory_before_the_first_wildcard(tmp_path):
    write(tmp_path / "data" / "x" / "a.txt", "a")
    write(tmp_path / "data" / "y" / "b.txt.gz", gzip.compress(b"b"))
    write(tmp_path / "data" / "y" / "z" / "c.txt", "c")
    assert ids(read([f"{tmp_path}/data/*/*.txt*"])) == ["x/a", "y/b"]
    assert ids(read([f"{tmp_path}/data/**/*.txt"])) == ["x/a", "y/z/c"]
    assert ids(read([f"{tmp_path}/data/*"])) == ["x/a", "y/b", "y/z/c"]  # matched directories are walked


def test_relative_glob_and_paths(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", "a")
    write(tmp_path / "b.html", "<p>b</p>")
    monkeypatch.chdir(tmp_path)
    assert ids(read(["*.txt", "b.html"])) == ["a", "b"]
    assert [doc.source for doc in read(["*"])] == ["a.txt", "b.html"]


def test_a_path_that_exists_is_taken_literally_even_with_wildcard_characters(tmp_path):
    write(tmp_path / "a[1].txt", "literal")
    (doc,) = read([str(tmp_path / "a[1].txt")])
    assert (doc.id, doc.content) == ("a[1]", b"literal")


@pytest.mark.parametrize("missing", ["no/such/file.txt", "no/such/*.txt", "seeds/*.nothing"])
def test_a_missing_path_raises_before_any_document_is_read(missing, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(FileNotFoundError) as info:
        read(["seeds", missing])  # raised by the call itself, not on the first next()
    message = str(info.value)
    assert missing in message and "\n" not in message
    with pytest.raises(FileNotFoundError):
        check_paths([missing])


def test_check_paths_accepts_files_dirs_globs_and_stdin(monkeypatch):
    monkeypatch.chdir(ROOT)
    kinds = [target.kind for target in check_paths(["seeds", "seeds/*.txt", "README.md", "-"])]
    assert kinds == ["dir", "glob", "file", "stdin"]


# --- formats and compression -------------------------------------------------------------------


@pytest.mark.parametrize("compression", ["", ".gz", ".zst"])
def test_text_and_html_files_plain_gzip_and_zstd(tmp_path, compression):
    compress = COMPRESS[compression]
    seed = SEEDS / f"{SEED_NAMES[0]}.txt"
    write(tmp_path / f"{seed.stem}.txt{compression}", compress(seed.read_bytes()))
    write(tmp_path / f"simple.html{compression}", compress(SIMPLE_HTML.read_bytes()))
    text, html = read([str(tmp_path)])
    assert (text.id, text.format, text.content) == (seed.stem, "text", seed.read_bytes())
    assert (html.id, html.format, html.content) == ("simple", "html", SIMPLE_HTML.read_bytes())


@pytest.mark.parametrize("compression", ["", ".gz", ".zst"])
def test_jsonl_plain_gzip_and_zstd(tmp_path, compression):
    seeds = [(SEEDS / f"{name}.txt").read_text(encoding="utf-8") for name in SEED_NAMES]
    records = [
        {"id": name, "url": f"https://example.org/{name}", "text": text}
        for name, text in zip(SEED_NAMES, seeds, strict=True)
    ]
    data = jsonl(*records)
    path = write(tmp_path / f"pages.jsonl{compression}", COMPRESS[compression](data))
    docs = list(read([str(path)]))
    assert ids(docs) == SEED_NAMES
    assert [doc.content for doc in docs] == seeds
    assert docs[2].url == f"https://example.org/{SEED_NAMES[2]}"
    assert [doc.metadata["line"] for doc in docs] == [1, 2, 3, 4, 5]
    assert {doc.source for doc in docs} == {str(path)}


def test_compression_is_recognised_by_magic_when_the_name_does_not_say(tmp_path):
    write(tmp_path / "page.bin", gzip.compress(SIMPLE_HTML.read_bytes()))
    write(tmp_path / "records.dat", COMPRESS[".zst"](jsonl({"text": "hello"})))
    write(tmp_path / "dump.txt", gzip.compress(b"a text dump"))  # a .txt that is really gzip
    dump, page, record = read([str(tmp_path)])
    assert (dump.format, dump.content) == ("text", b"a text dump")
    assert (page.id, page.format, page.content) == ("page.bin", "html", SIMPLE_HTML.read_bytes())
    assert (record.id, record.format, record.content) == ("records.dat:1", "text", "hello")


def test_sniffing_unknown_names(tmp_path):
    write(tmp_path / "a", "\ufeff  <!DOCTYPE html><html><body><p>x</p></body></html>")
    write(tmp_path / "b", '{"text": "from jsonl"}\n')
    write(tmp_path / "c", "WARC/1.0\r\nWARC-Type: warcinfo\r\n")
    write(tmp_path / "d", "<< Back to the list\n\nSome text.")
    write(tmp_path / "e", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    a, b, c, d, e = read([str(tmp_path)])
    assert a.format == "html" and a.error is None
    assert (b.id, b.format, b.content) == ("b:1", "text", "from jsonl")
    assert (c.format, c.error.kind) == ("warc", "truncated")  # a WARC cut in its first header
    assert d.format == "text" and d.error is None
    assert e.error.kind == "not-text"


def test_looks_like_html():
    assert looks_like_html("  <p>Hello</p>")
    assert looks_like_html("\n<div class='x'>Hi</div>")
    assert looks_like_html("<!-- c --><html>")
    assert looks_like_html('<a href="/">home</a>')
    assert not looks_like_html("<< Back")
    assert not looks_like_html("<3 love it")
    assert not looks_like_html("Hello <p>later</p>")  # must start with markup
    assert not looks_like_html("<pizza>")


def test_split_name_and_sniff_format():
    assert split_name("x.HTML.GZ") == ("x", "html", "gzip")
    assert split_name("a.b.c.jsonl.zst") == ("a.b.c", "jsonl", "zstd")
    assert split_name("notes.md.gz") == ("notes.md", None, "gzip")
    assert split_name(".html") == (".html", None, None)
    assert sniff_format(b"") == "text"
    assert sniff_format(b'\xef\xbb\xbf{"a": 1}') == "jsonl"
    assert sniff_format("<html><body>x".encode("utf-16")) == "html"


def test_a_warc_that_is_no_warc_is_one_clear_error(tmp_path):
    (doc,) = read([str(write(tmp_path / "crawl.warc.gz", gzip.compress(b"whatever, but no WARC")))])
    assert (doc.id, doc.format, doc.error.kind) == ("crawl@0", "warc", "corrupt")
    assert doc.error.detail.startswith(str(tmp_path / "crawl.warc.gz"))


# --- stdin ----------------------------------------------------------------------------------------


def test_stdin_text_html_and_jsonl():
    seed = (SEEDS / f"{SEED_NAMES[1]}.txt").read_bytes()
    (doc,) = read(["-"], stdin=io.BytesIO(seed))
    assert (doc.id, doc.source, doc.format, doc.content) == ("stdin", "<stdin>", "text", seed)

    (doc,) = read(["-"], stdin=io.BytesIO(gzip.compress(SIMPLE_HTML.read_bytes())))
    assert (doc.id, doc.format, doc.content) == ("stdin", "html", SIMPLE_HTML.read_bytes())

    records = COMPRESS[".zst"](jsonl({"text": "a"}, {"id": "own", "text": "b"}))
    docs = list(read(["-"], stdin=io.BytesIO(records)))
    assert ids(docs) == ["stdin:1", "own"]


def test_stdin_that_is_a_pipe_without_seek():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._data.read(min(len(buffer), 7))  # a pipe gives little at a time
            buffer[: len(chunk)] = chunk
            return len(chunk)

    stream = io.BufferedReader(Pipe(gzip.compress(jsonl(*({"text": f"r{i}"} for i in range(100))))))
    docs = list(read(["-"], stdin=stream))
    assert [doc.content for doc in docs] == [f"r{i}" for i in range(100)]


def test_empty_stdin_is_an_empty_error():
    (doc,) = read(["-"], stdin=io.BytesIO(b""))
    assert (doc.id, doc.error.kind) == ("stdin", "empty")


def test_reading_streams_instead_of_loading_the_input():
    data = jsonl(*({"text": "x" * 100} for _ in range(50_000)))  # about 5 MB
    stream = io.BytesIO(data)
    docs = read(["-"], stdin=stream)
    first = next(docs)
    assert first.content == "x" * 100
    assert stream.tell() < len(data) / 10


# --- JSON records --------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        b'\xef\xbb\xbf{"id": "a", "url": "https://example.org/a", "html": "<p>A</p>", "other": 1}',
        b'{"text": "plain text dump"}',
        b"",  # blank lines are skipped but counted
        b'{"content": "  <div><p>markup in a text field</p></div>"}',
        b'{"id": 42, "text": "numeric id"}',
        b"not json at all",
        b"[1, 2, 3]",
        b'{"title": "no content", "url": "u"}',
        b'{"text": "   "}',
        b'{"html": null, "text": "fallback to text"}',
    ]
    path = write(tmp_path / "mixed.jsonl", b"\n".join(lines))  # no newline at the very end
    docs = list(read([str(path)]))
    assert ids(docs) == [
        "a", "mixed:2", "mixed:4", "42", "mixed:6", "mixed:7", "mixed:8", "mixed:9", "mixed:10",
    ]  # fmt: skip
    assert [doc.metadata["line"] for doc in docs] == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert [doc.error.kind if doc.error else doc.format for doc in docs] == [
        "html", "text", "html", "text", "bad-json", "bad-json", "no-content-field", "empty", "text",
    ]  # fmt: skip
    assert docs[0].url == "https://example.org/a"
    assert docs[0].content == "<p>A</p>"
    assert docs[8].content == "fallback to text"
    assert "line 6" in docs[4].error.detail and len(docs[4].error.detail) < 250
    assert "array" in docs[5].error.detail
    assert "title" in docs[6].error.detail


def test_truncated_gzip_jsonl_yields_the_good_records_then_one_truncated_error(tmp_path):
    records = [{"id": f"r{i}", "text": f"record number {i} " * 5} for i in range(5000)]
    compressed = gzip.compress(jsonl(*records))
    path = write(tmp_path / "cut.jsonl.gz", compressed[: len(compressed) * 3 // 4])
    docs = list(read([str(path)]))
    *good, last = docs
    assert len(good) > 3000
    assert ids(good) == [f"r{i}" for i in range(len(good))]  # a clean prefix, nothing garbled
    assert all(doc.error is None for doc in good)
    assert last.error.kind == "truncated"
    assert str(path) in last.error.detail and f"after line {len(good)}" in last.error.detail
    assert last.id == f"cut:{len(good) + 1}"


def test_truncated_zstd_jsonl_is_reported_too(tmp_path):
    data = jsonl(*({"id": f"r{i}", "text": f"record {i} " * 20} for i in range(5000)))
    compressed = COMPRESS[".zst"](data)
    path = write(tmp_path / "cut.jsonl.zst", compressed[: len(compressed) // 2])
    *good, last = read([str(path)])
    assert ids(good) == [f"r{i}" for i in range(len(good))]
    assert last.error.kind == "truncated"


def test_json_files_array_single_object_and_jsonl(tmp_path):
    write(tmp_path / "a.json", orjson.dumps([{"text": "one"}, {"id": "two", "html": "<p>2</p>"}, "three"]))
    write(tmp_path / "b.json", orjson.dumps({"id": "b-own", "text": "pretty"}, option=orjson.OPT_INDENT_2))
    write(tmp_path / "c.json", jsonl({"text": "c1"}, {"text": "c2"}))
    write(tmp_path / "d.json", b"[1, 2")
    docs = list(read([str(tmp_path)]))
    assert ids(docs) == ["a:1", "two", "a:3", "b-own", "c:1", "c:2", "d"]
    assert docs[2].error.kind == "bad-json" and docs[2].metadata == {"record": 3}
    assert docs[3].content == "pretty"
    assert docs[6].error.kind == "bad-json"


# --- damaged and empty inputs ---------------------------------------------------------------------


def test_corrupt_truncated_and_empty_files_become_error_records(tmp_path):
    seed = (SEEDS / f"{SEED_NAMES[0]}.txt").read_bytes() * 50
    write(tmp_path / "a.txt.gz", b"this is not gzip")
    write(tmp_path / "b.txt.gz", gzip.compress(seed)[:-100])
    write(tmp_path / "c.html.zst", COMPRESS[".zst"](seed)[:-100])
    garbled = bytearray(gzip.compress(seed))
    garbled[200:220] = b"\xff" * 20
    write(tmp_path / "d.txt.gz", bytes(garbled))
    write(tmp_path / "e.txt", b"")
    write(tmp_path / "f.html", b" \n\t\n")
    write(tmp_path / "g.txt.gz", gzip.compress(b""))
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "h.txt")  # a dangling link: cannot be opened
    docs = list(read([str(tmp_path)]))
    assert ids(docs) == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert [doc.error.kind for doc in docs] == [
        "corrupt", "truncated", "truncated", "corrupt", "empty", "empty", "empty", "corrupt",
    ]  # fmt: skip
    for doc in docs:
        assert doc.error.detail.startswith(doc.source + ": ")
        assert "\n" not in doc.error.detail


def test_empty_jsonl_file_has_no_records(tmp_path):
    assert list(read([str(write(tmp_path / "none.jsonl", b"\n\n"))])) == []

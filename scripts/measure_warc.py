"""Measure the WARC reader: the library it stands on (fastwarc or warcio), and that a WARC of real pages
cleans to the same texts as the pages given as files.

* Speed: every response of a WARC of the ScrapingHub benchmark's 181 pages (../shared; a request
  record before each, as crawlers write them), ``.warc``, ``.warc.gz`` (a member per record) and
  ``.warc.zst``, read with each library, payloads and HTTP headers included: CPU seconds, the
  median of --runs runs in one process, and dehusk's own read_warc on top of fastwarc.
* Edge cases: small hand-written WARCs (transfer and content codings, headers that lie, bare-LF
  lines, old versions, a cut last record, a corrupt gzip member, garbage between records...): what
  each library gives back -- the page, a short page, nothing, or an exception -- and what
  dehusk's reader makes of it.
* Same texts: ``dehusk.api.clean_paths`` on the 181 pages as files and on the WARC (the HTTP header
  declaring ``--charset``): every text, title, description, date and language must be identical.

Not a test: it prints tables. Without ../shared it measures the edge cases only.

    python scripts/measure_warc.py [--corpus DIR] [--runs 5] [--charset utf-8] [--keep DIR]

warcio is needed for its column only: ``pip install warcio``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import brotli
import zstandard

from dehusk.api import clean_paths
from dehusk.readers.warc import read_warc

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "scrapinghub"
PAGE = (
    b"<html><head><title>T</title></head><body><p>%s</p></body></html>"
    % ("Hello world, café. " * 40).encode()
)


# --- writing WARCs ------------------------------------------------------------------------------------


def record(block: bytes, rid: str, kind: str = "response", nl: bytes = b"\r\n", version: bytes = b"WARC/1.0",
           uri: str = "http://example.org/", length: int | None = None) -> bytes:  # fmt: skip
    msgtype = "request" if kind == "request" else "response"
    head = [version, f"WARC-Type: {kind}".encode(), f"WARC-Record-ID: <urn:uuid:{rid}>".encode(),
            b"WARC-Date: 2024-01-02T03:04:05Z", f"WARC-Target-URI: {uri}".encode(),
            f"Content-Type: application/http; msgtype={msgtype}".encode(),
            b"Content-Length: %d" % (len(block) if length is None else length)]  # fmt: skip
    return nl.join(head) + nl + nl + block + b"\r\n\r\n"


def http(body: bytes, extra: bytes = b"", status: bytes = b"HTTP/1.1 200 OK", nl: bytes = b"\r\n",
         charset: str = "utf-8") -> bytes:  # fmt: skip
    return status + nl + f"Content-Type: text/html; charset={charset}".encode() + nl + extra + nl + body


def chunked(body: bytes, size: int = 100) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def members(records: list[bytes]) -> bytes:
    return b"".join(gzip.compress(r) for r in records)


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


GZIP_CHUNKED = b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"


def edge_cases() -> dict[str, bytes]:
    ok, ok2 = record(http(PAGE), "ok"), record(http(PAGE), "ok2")
    corrupt = bytearray(gzip.compress(record(http(PAGE), "bad")))
    corrupt[40:70] = b"\xff" * 30
    return {
        "chunked": record(http(chunked(PAGE), b"Transfer-Encoding: chunked\r\n"), "c"),
        "gzip content": record(http(gzip.compress(PAGE), b"Content-Encoding: gzip\r\n"), "g"),
        "br content": record(http(brotli.compress(PAGE), b"Content-Encoding: br\r\n"), "b"),
        "deflate (zlib)": record(http(zlib.compress(PAGE), b"Content-Encoding: deflate\r\n"), "d"),
        "deflate (raw)": record(http(raw_deflate(PAGE), b"Content-Encoding: deflate\r\n"), "dr"),
        "chunked gzip": record(http(chunked(gzip.compress(PAGE)), GZIP_CHUNKED), "cg"),
        "gzip header, plain": record(http(PAGE, b"Content-Encoding: gzip\r\n"), "lie"),
        "chunked header, plain": record(http(PAGE, b"Transfer-Encoding: chunked\r\n"), "tlie"),
        "bare-LF WARC header": record(http(PAGE), "lf", nl=b"\n"),
        "bare-LF HTTP header": record(http(PAGE, nl=b"\n"), "lfh"),
        "WARC/0.18": record(http(PAGE), "v018", version=b"WARC/0.18"),
        "lowercase field names": record(http(PAGE), "lc")
        .replace(b"WARC-Type", b"warc-type")
        .replace(b"Content-Length", b"content-length"),
        "cut last record": ok + record(http(PAGE), "trunc")[:-400],
        "cut last gz member": members([ok]) + gzip.compress(record(http(PAGE), "trunc"))[:-30],
        "corrupt gz member": members([ok]) + bytes(corrupt) + members([ok2]),
        "garbage between": ok + b"GARBAGE\r\n\r\n" + ok2,
        "whole-file gzip": gzip.compress(ok + ok2),
        "zstd": zstandard.ZstdCompressor().compress(ok),
    }


# --- the libraries --------------------------------------------------------------------------------------


def read_fastwarc(stream: io.BufferedIOBase) -> list[tuple[str, bytes]]:
    from fastwarc import ArchiveIterator, WarcRecordType

    out = []
    responses = ArchiveIterator(stream, record_types=WarcRecordType.response, auto_decode="all")
    for r in responses:
        r.http_headers.get("Content-Type")
        out.append((r.record_id, r.reader.read()))
    return out


def read_warcio(stream: io.BufferedIOBase) -> list[tuple[str, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    out = []
    with contextlib.redirect_stderr(io.StringIO()):  # warcio warns on stderr
        for r in ArchiveIterator(stream):
            if r.rec_type == "response":
                r.http_headers.get_header("Content-Type")
                out.append((r.rec_headers.get_header("WARC-Record-ID"), r.content_stream().read()))
    return out


def read_dehusk(stream: io.BufferedIOBase) -> list[tuple[str, bytes]]:
    return [(d.id, d.content if d.error is None else d.error.kind) for d in read_warc(stream, "f", "f")]


def libraries() -> dict[str, Callable[[io.BufferedIOBase], list]]:
    found: dict[str, Callable[[io.BufferedIOBase], list]] = {}
    for name, reader in (("fastwarc", read_fastwarc), ("warcio", read_warcio)):
        try:
            __import__(name)
        except ImportError:
            print(f"({name} is not installed: its column is left out)")
            continue
        found[name] = reader
    found["dehusk"] = read_dehusk
    return found


def outcome(reader: Callable[[io.BufferedIOBase], list], data: bytes) -> str:
    try:
        got = reader(io.BytesIO(data))
    except Exception as exc:
        return f"raises {type(exc).__name__}"
    marks = []
    for _, body in got:
        if isinstance(body, str):
            marks.append(body)  # dehusk's error kind
        else:
            marks.append("page" if body == PAGE else f"{len(body)} B")
    return ", ".join(marks) or "nothing"


# --- the corpus -------------------------------------------------------------------------------------------


def build(corpus: Path, out: Path, charset: str) -> dict[str, Path]:
    truth = json.loads((corpus / "ground-truth.json").read_text("utf-8"))
    records = []
    for path in sorted((corpus / "html").glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        url = truth[page_id]["url"]
        records.append(record(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", f"request-{page_id}", "request", uri=url))
        records.append(record(http(gzip.decompress(path.read_bytes()), charset=charset), page_id, uri=url))
    paths = {ext: out / f"scrapinghub.warc{ext}" for ext in ("", ".gz", ".zst")}
    paths[""].write_bytes(b"".join(records))
    paths[".gz"].write_bytes(members(records))
    compressor = zstandard.ZstdCompressor()
    paths[".zst"].write_bytes(b"".join(compressor.compress(r) for r in records))
    return paths


def speed(paths: dict[str, Path], readers: dict[str, Callable], runs: int) -> None:
    print(f"\nCPU seconds to read every response of the 181-page WARC (median of {runs} runs)")
    print(f"{'':10}" + "".join(f"{name:>12}" for name in readers))
    for ext, path in paths.items():
        row = []
        for reader in readers.values():
            times = []
            for _ in range(runs):
                start = time.process_time()
                with path.open("rb") as f:
                    try:
                        reader(f)
                    except Exception:
                        times.append(float("nan"))
                        continue
                times.append(time.process_time() - start)
            row.append(statistics.median(times))
        print(f"{'.warc' + ext:10}" + "".join(f"{t:12.3f}" for t in row))


def same_texts(corpus: Path, warc: Path) -> None:
    start = time.process_time()
    direct = {d.id: d for d in clean_paths([str(corpus / "html")])}
    middle = time.process_time()
    wrapped = {d.id.removeprefix("urn:uuid:"): d for d in clean_paths([str(warc)])}
    end = time.process_time()
    fields = ("text", "title", "description", "date", "lang")
    differ = [
        (i, f) for i, d in direct.items() for f in fields if getattr(d, f) != getattr(wrapped.get(i), f, None)
    ]
    errors = sum(d.error is not None for d in wrapped.values())
    texts = sum(bool(d.text) for d in wrapped.values())
    print(f"\nSame texts: {len(direct)} pages as files ({middle - start:.1f} s CPU), {len(wrapped)} from")
    print(f"{warc.name} ({end - middle:.1f} s CPU): {errors} errors, {texts} with text")
    print(f"fields that differ: {len(differ)}")
    for page_id, field in differ[:20]:
        print(f"  {page_id} {field}: {str(getattr(direct[page_id], field))[:60]!r} vs "
              f"{str(getattr(wrapped.get(page_id), field, None))[:60]!r}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--charset", default="utf-8", help="the charset the HTTP headers declare")
    parser.add_argument("--keep", type=Path, help="write the WARCs here instead of a temporary folder")
    args = parser.parse_args()
    readers = libraries()

    print("Edge cases: what each reader gives back ('page' = the payload exactly)")
    for name, data in edge_cases().items():
        print(f"  {name:24}" + "".join(f"{outcome(reader, data):>26}" for reader in readers.values()))
    print(f"  {'':24}" + "".join(f"{name:>26}" for name in readers))

    if not (args.corpus / "ground-truth.json").exists():
        print(f"\n{args.corpus} not found: speed and same-texts checks skipped")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        out = args.keep or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        paths = build(args.corpus, out, args.charset)
        speed(paths, readers, args.runs)
        same_texts(args.corpus, paths[".gz"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A folder of hostile inputs, made on demand (never committed): what a night's crawl throws at a cleaner.

    python tests/hostile.py DIR        # then: dehusk clean DIR -o out.jsonl --errors err.jsonl

15 records: 8 files, 4 JSONL lines, 3 WARC records. ``EXPECTED`` says what each must become:
a record (``"ok"``) or an error record of the given kind.
"""

from __future__ import annotations

import gzip
import io
import random
import sys
import zlib
from pathlib import Path

#: Clean prose in a Latin-1 language, with the characters a wrong guess would turn into mojibake.
CP1252_TEXT = (
    "Le maire a présenté jeudi un projet de rénovation du marché couvert, fermé depuis l’été dernier.\n\n"
    "« Nous voulons un lieu où les producteurs de la région vendent leurs légumes, leurs fromages "
    "et leur pain », a-t-il expliqué devant le conseil municipal, réuni en séance extraordinaire.\n\n"
    "Les travaux coûteront 2,4 millions d’euros et devraient durer dix-huit mois. Les commerçants, "
    "inquiets, réclament des emplacements provisoires place de l’Église pendant le chantier.\n"
)
BOMB_BYTES = 1_500_000_000  # what the gzip bomb inflates to
BOMB_CHUNK = 15_000_000

#: id -> "ok" or the error kind expected
EXPECTED = {
    "empty": "empty",
    "random": "not-text",
    "truncated": "truncated",
    "cp1252": "ok",
    "nested": "ok",
    "one-line": "ok",
    "bomb": "too-large",
    "controls": "ok",
    "records:1": "ok",  # ids of the JSONL lines: their own id field, else FILE:LINE
    "records:2": "bad-json",
    "records:3": "no-content-field",
    "records:4": "ok",
    "urn:uuid:00000000-0000-0000-0000-000000000001": "ok",  # WARC records: their WARC-Record-ID
    "urn:uuid:00000000-0000-0000-0000-000000000002": "ok",
    "crawl@1000": "truncated",  # the third, cut short: named by its file and byte offset
}

_ARTICLE = (
    "<p>The harbour authority said on Tuesday that the new ferry terminal would open in the spring, "
    "two years later than planned, after a dispute over the contract for its roof.</p>"
    "<p>Passengers have waited in temporary cabins since the old building was demolished, and local "
    "councillors have asked for a review of how the project was managed from the start.</p>"
)


def page(body: str, title: str = "Ferry terminal delayed") -> str:
    head = f"<!DOCTYPE html><html><head><title>{title}</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def make_hostile(root: Path, line_bytes: int = 30_000_000) -> Path:
    """Write the hostile folder under ``root`` and return it (``line_bytes``: the one-line page's size)."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    (root / "empty.html").write_bytes(b"")
    (root / "random.html").write_bytes(bytes(rng.randrange(256) for _ in range(64_000)))
    whole = gzip.compress(page(_ARTICLE * 40).encode())
    (root / "truncated.html.gz").write_bytes(whole[: len(whole) // 2])
    (root / "cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    depth = 60_000
    (root / "nested.html").write_text(page("<div>" * depth + _ARTICLE + "</div>" * depth))
    line = _ARTICLE.replace("</p><p>", " ")
    (root / "one-line.html").write_text(page(line * (line_bytes // len(line))).replace("\n", " "))
    (root / "bomb.html.gz").write_bytes(_bomb())
    controls = "The\x00 council\x01 met\x07 on Monday.\x1b[31m Red\x1b[0m text.\x0b\x0c" * 40
    (root / "controls.txt").write_text(
        controls + "\n\n" + _ARTICLE.replace("<p>", "").replace("</p>", "\n\n")
    )
    (root / "records.jsonl").write_bytes(
        b'{"html": "' + page(_ARTICLE).replace('"', '\\"').encode() + b'"}\n'
        b'{"id": "half", "text": "a line cut in the mid\n'
        b'{"url": "https://example.org/no-text"}\n'
        b'{"text": "The council met on Monday and agreed to repair the bridge before winter comes."}\n'
    )
    (root / "crawl.warc.gz").write_bytes(_warc())
    return root


def _bomb() -> bytes:
    """A gzip file of a few MB that inflates to BOMB_BYTES: one member, repeated."""
    chunk = (b"<div>" + b" " * 995) * (BOMB_CHUNK // 1000)
    member = gzip.compress(chunk, compresslevel=9)
    return member * (BOMB_BYTES // len(chunk))


def _warc() -> bytes:
    """Three response records, the last cut short; one gzip member per record."""
    out = io.BytesIO()
    for n in (1, 2, 3):
        body = page(_ARTICLE * n, title=f"Story {n}").encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + (
            f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        payload = http + body
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000{n}>\r\n"
            f"WARC-Date: 2024-05-0{n}T10:00:00Z\r\nWARC-Target-URI: https://example.org/story-{n}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        record = head + payload + b"\r\n\r\n"
        member = gzip.compress(record)
        if n == 3:
            member = zlib.compressobj(6, zlib.DEFLATED, 31).compress(record[: len(record) // 2])
        out.write(member)
    return out.getvalue()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(make_hostile(Path(sys.argv[1])))

"""Hostile input through the real command: every record once, as text or as an error with its reason.

The folder is made by ``tests/hostile.py`` (never committed). The plain run uses a 2 MB
one-line page; the test marked slow runs the full folder of the reliability bar (30 MB line,
1.5 GB gzip bomb, 60,000 nested divs) and checks its time and memory too. Fuzzing, also
marked slow, feeds many more arbitrary inputs to the readers and both extraction paths than
the property tests do.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dehusk.api import clean
from dehusk.readers import read
from hostile import CP1252_TEXT, EXPECTED, make_hostile
from test_properties import TEXTS, assert_valid, html_ish


def run_hostile(folder: Path, tmp: Path) -> tuple[dict[str, dict], dict[str, dict], str, float]:
    """``dehusk clean FOLDER -o out.jsonl --errors err.jsonl`` in a fresh process."""
    out, err = tmp / "out.jsonl", tmp / "err.jsonl"
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "dehusk", "clean", str(folder), "-o", str(out), "--errors", str(err)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(line) for line in err.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in records + errors]
    assert sorted(ids) == sorted(EXPECTED), "every record exactly once"
    return {r["id"]: r for r in records}, {e["id"]: e for e in errors}, proc.stderr, seconds


def check(records: dict[str, dict], errors: dict[str, dict], stderr: str) -> None:
    assert "Traceback" not in stderr
    for record_id, expected in EXPECTED.items():
        if expected == "ok":
            assert record_id in records, errors.get(record_id)
        else:
            assert errors[record_id]["error"] == expected, errors[record_id]
            assert errors[record_id]["detail"]
    assert records["cp1252"]["text"] == CP1252_TEXT.strip()
    assert "harbour authority" in records["nested"]["text"]
    assert records["nested"]["metadata"]["limits"]["depth_cut"] > 0
    assert "\x1b" not in records["controls"]["text"] and "[31m" not in records["controls"]["text"]
    assert "read 15" in stderr and "errors 7" in stderr


def test_hostile_folder_every_record_once(tmp_path: Path) -> None:
    folder = make_hostile(tmp_path / "hostile", line_bytes=2_000_000)
    records, errors, stderr, _ = run_hostile(folder, tmp_path)
    check(records, errors, stderr)
    assert records["one-line"]["text"].startswith("The harbour authority")
    assert records["one-line"]["metadata"]["limits"]["typos_skipped"]


@pytest.mark.slow
def test_hostile_folder_of_the_bar_within_two_minutes_and_1_5_gb(tmp_path: Path) -> None:
    folder = make_hostile(tmp_path / "hostile")
    records, errors, stderr, seconds = run_hostile(folder, tmp_path)
    check(records, errors, stderr)
    assert seconds < 120
    assert records["one-line"]["metadata"]["limits"]["blocks_cut"] > 20_000
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # every child so far
    assert peak_mb < 1536


FUZZ = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@FUZZ
@given(st.binary(max_size=20_000), st.sampled_from(["-", "page.html", "dump.txt", "r.jsonl", "c.warc"]))
def test_fuzz_readers(data: bytes, name: str) -> None:
    """Any bytes under any name: documents or error records of the known kinds, never an exception."""
    stdin = io.BytesIO(data)
    if name == "-":
        docs = list(read(["-"], stdin=stdin))
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            docs = list(read([str(path)]))
    for doc in docs:
        assert_valid(doc)


@pytest.mark.slow
@FUZZ
@given(TEXTS | html_ish(), st.sampled_from(["fast", "precise"]))
def test_fuzz_both_extraction_paths(content: str, mode: str) -> None:
    assert_valid(clean(content, format="html", mode=mode))


XXE_PAGE = """<?xml version="1.0"?>
<!DOCTYPE html SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<html><head><title>Bridge repairs</title><link rel="stylesheet" href="http://127.0.0.1:9/s.css">
<script src="http://127.0.0.1:9/a.js"></script></head><body><article>
<p>The council met on Monday and agreed to repair the old bridge before the winter comes, the mayor said.</p>
<p>Work starts in October &xxe; and should take six weeks, during which a ferry will carry passengers.</p>
<img src="http://127.0.0.1:9/photo.jpg"><iframe src="http://127.0.0.1:9/frame"></iframe>
</article></body></html>"""


@pytest.mark.parametrize("mode", ["fast", "precise"])
def test_cleaning_never_reaches_the_network_nor_expands_entities(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access: {args}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    doc = clean(XXE_PAGE, format="html", mode=mode, fallback=False)
    assert doc.error is None, doc.error
    assert "repair the old bridge" in doc.text
    assert "root:" not in doc.text

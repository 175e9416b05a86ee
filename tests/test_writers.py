"""The writers: JSONL out (stdout, plain, gzip, zstd), records that never get lost, and the run's counts."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import orjson
import pytest
import zstandard

from dehusk.document import Document
from dehusk.readers import read
from dehusk.writers import JsonlWriter, NullWriter, RunStats, dumps, open_writer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

DECOMPRESS = {
    ".jsonl": lambda data: data,
    ".jsonl.gz": gzip.decompress,
    ".jsonl.zst": lambda data: zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read(),
}


def seed_records() -> list[dict]:
    return [
        Document(
            id=path.stem, source=str(path), format="text", content=b"", text=path.read_text("utf-8")
        ).to_record()
        for path in sorted(SEEDS.glob("*.txt"))
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_round_trip_for_each_compression(tmp_path, suffix):
    records = seed_records()
    target = tmp_path / "new" / "dir" / f"out{suffix}"  # parent directories are created
    with open_writer(str(target)) as out:
        sizes = [out.write(record) for record in records]
    assert out.records == len(records) and out.bytes == sum(sizes)
    lines = DECOMPRESS[suffix](target.read_bytes()).splitlines(keepends=True)
    assert [len(line) for line in lines] == sizes
    assert [orjson.loads(line) for line in lines] == records
    # and the readers take the output back in, one Document per record
    docs = list(read([str(target)]))
    assert [doc.id for doc in docs] == [record["id"] for record in records]
    assert [doc.content for doc in docs] == [record["text"] for record in records]


def test_stdout(capsysbinary):
    with JsonlWriter("-") as out:
        out.write({"id": "a", "text": "é"})
        out.write({"id": "b", "text": ""})
    assert capsysbinary.readouterr().out == '{"id":"a","text":"é"}\n{"id":"b","text":""}\n'.encode()


def test_a_record_with_lone_surrogates_is_written_not_lost(tmp_path):
    record = {"id": "bad\udc80", "text": "caf\udce9 ok", "metadata": {"pair": "\ud83d\ude00", 7: ["\ud800"]}}
    target = tmp_path / "out.jsonl"
    with JsonlWriter(str(target)) as out:
        assert out.write(record) > 0
        out.write({"id": "next", "text": "fine"})
    first, second = (orjson.loads(line) for line in target.read_bytes().splitlines())
    assert first == {"id": "bad\ufffd", "text": "caf\ufffd ok", "metadata": {"pair": "😀", "7": ["\ufffd"]}}
    assert second["id"] == "next"


def test_dumps_takes_values_orjson_does_not():
    import numpy as np

    line = dumps({"score": np.float32(0.25), "n": np.int64(3), "tags": {"b", "a"}, "big": 2**70})
    assert orjson.loads(line) == {"score": 0.25, "n": 3, "tags": ["a", "b"], "big": str(2**70)}
    assert line.endswith(b"\n") and line.count(b"\n") == 1


def test_no_target_gives_a_null_writer():
    with open_writer(None) as out:
        assert isinstance(out, NullWriter)
        assert out.write({"id": "x"}) == 0


def test_stats_count_a_real_run_and_add_up(tmp_path):
    (tmp_path / "records.jsonl").write_bytes(
        b'{"id": "ok", "text": "fine"}\nnot json\n{"title": "no text"}\n{"id": "blank", "text": "x"}\n'
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    stats = RunStats()
    with JsonlWriter(str(tmp_path / "out.jsonl")) as out:
        for doc in read([str(SEEDS), str(tmp_path)]):
            if doc.error is None:
                doc.text = "" if doc.id == "blank" else "cleaned"  # what the cleaning stages would do
                stats.add(doc, out.write(doc.to_record()))
            else:
                stats.add(doc)
    stats.stop()
    assert (stats.read, stats.written, stats.empty) == (10, 7, 1)
    assert stats.errors == {"bad-json": 1, "no-content-field": 1, "empty": 1}
    assert stats.read == stats.written + sum(stats.errors.values())
    assert stats.bytes_out == out.bytes == (tmp_path / "out.jsonl").stat().st_size
    assert stats.bytes_in == sum(path.stat().st_size for path in SEEDS.glob("*.txt")) + len("fine") + len("x")

    summary = stats.summary()
    assert re.fullmatch(
        r"read 10 · written 7 · empty 1 · errors 3 \(bad-json 1, empty 1, no-content-field 1\)"
        r" · \d+\.\d s · \d+\.\d docs/s",
        summary,
    ), summary
    as_dict = orjson.loads(orjson.dumps(stats.as_dict()))
    assert as_dict["errors"] == {"bad-json": 1, "empty": 1, "no-content-field": 1}
    assert as_dict["read"] == as_dict["written"] + sum(as_dict["errors"].values())


def test_summary_without_errors_and_errors_by_count():
    stats = RunStats()
    assert stats.summary().startswith("read 0 · written 0 · empty 0 · errors 0 · ")
    for kind in ["empty", "bad-json", "bad-json"]:
        stats.add(Document(id="x", source="s", format="text", content=b"").fail(kind))
    assert "errors 3 (bad-json 2, empty 1)" in stats.summary()

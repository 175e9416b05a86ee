"""Bulk runs: sharded output, resume after an interruption, workers, time limits, shard selection.

The inputs are the project's own pages (seeds, fixtures) packed into JSONL shards in tmp_path.
"""

from __future__ import annotations

import gzip
import os
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest
import zstandard

from dehusk.document import Document
from dehusk.options import Options
from dehusk.readers import paths as reader_paths
from dehusk.run import local, pool
from dehusk.run.local import RunOptions, run
from dehusk.run.pool import ordered_map
from dehusk.run.shards import Shard, plan, safe_name, select

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "fixtures" / "html").glob("*.html")) + sorted((ROOT / "seeds").glob("*.txt"))


def records(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().stream_reader(data).read()
    elif path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [orjson.loads(line) for line in data.splitlines()]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three JSONL shards (one with a broken line) and a folder of pages."""
    root = tmp_path / "in"
    (root / "crawl").mkdir(parents=True)
    for shard in range(3):
        lines = []
        for n, page in enumerate(PAGES):
            field = "html" if page.suffix == ".html" else "text"
            record = {"id": f"{shard}-{n}-{page.stem}", field: page.read_text("utf-8")}
            lines.append(orjson.dumps(record))
        if shard == 1:
            lines.insert(3, b'{"id": "broken", "text": ')
        with gzip.open(root / "crawl" / f"part-{shard}.jsonl.gz", "wb") as file:
            file.write(b"\n".join(lines) + b"\n")
    (root / "pages").mkdir()
    for page in PAGES[:4]:
        (root / "pages" / page.name).write_bytes(page.read_bytes())
    return root


def all_ids(out: Path) -> Counter[str]:
    ids: Counter[str] = Counter()
    for path in out.rglob("*.jsonl.zst"):
        ids.update(record["id"] for record in records(path))
    return ids


def expected_ids(corpus: Path) -> Counter[str]:
    ids: Counter[str] = Counter()
    for shard in sorted((corpus / "crawl").glob("*.jsonl.gz")):
        for n, line in enumerate(gzip.decompress(shard.read_bytes()).splitlines(), start=1):
            try:
                ids[orjson.loads(line)["id"]] += 1
            except orjson.JSONDecodeError:
                ids[f"crawl/{shard.name.split('.')[0]}:{n}"] += 1  # a broken line's id: FILE:LINE
    ids.update(f"pages/{page.stem}" for page in PAGES[:4])
    return ids


def test_one_output_shard_per_input_shard_each_marked_done(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcome = run([str(corpus)], Options(), RunOptions(output=f"{out}/", workers=1))
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == [
        "crawl/part-0.done", "crawl/part-0.jsonl.zst",
        "crawl/part-1.done", "crawl/part-1.errors.jsonl.zst", "crawl/part-1.jsonl.zst",
        "crawl/part-2.done", "crawl/part-2.jsonl.zst",
        "pages.done", "pages.jsonl.zst",
    ]  # fmt: skip
    ids = all_ids(out)
    assert ids == expected_ids(corpus)
    # input order kept within a shard
    assert [r["id"] for r in records(out / "crawl/part-0.jsonl.zst")] == [
        f"0-{n}-{page.stem}" for n, page in enumerate(PAGES)
    ]
    (error,) = records(out / "crawl/part-1.errors.jsonl.zst")
    assert error["error"] == "bad-json" and error["source"].endswith("part-1.jsonl.gz")
    marker = orjson.loads((out / "crawl/part-1.done").read_bytes())
    assert marker["read"] == len(PAGES) + 1 and marker["errors"] == {"bad-json": 1}
    assert outcome.stats.read == sum(ids.values()) == outcome.stats.written + 1


def test_gz_output_shards_on_request(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([str(corpus / "pages")], Options(), RunOptions(output=f"{out}/", compression="gz"))
    assert len(records(out / "pages.jsonl.gz")) == 4


def test_an_interrupted_run_resumes_to_every_record_exactly_once(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    read_input = local.read_input
    seen = 0

    def interrupted(item, **kwargs):  # Ctrl-C in the middle of the second shard
        nonlocal seen
        for doc in read_input(item, **kwargs):
            seen += 1
            if seen == len(PAGES) + 5:
                raise KeyboardInterrupt
            yield doc

    monkeypatch.setattr(local, "read_input", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run([str(corpus)], Options(), RunOptions(output=f"{out}/", workers=1))
    monkeypatch.setattr(local, "read_input", read_input)
    # the first shard is done; nothing of the second is left, not even a hidden part file
    assert (out / "crawl/part-0.done").exists()
    assert sorted(p.name for p in (out / "crawl").iterdir()) == ["part-0.done", "part-0.jsonl.zst"]
    done_at = (out / "crawl/part-0.jsonl.zst").stat().st_mtime_ns

    outcome = run([str(corpus)], Options(), RunOptions(output=f"{out}/", workers=1, resume=True))
    assert outcome.skipped == 1 and outcome.skipped_records == len(PAGES)
    assert (out / "crawl/part-0.jsonl.zst").stat().st_mtime_ns == done_at  # not redone
    assert all_ids(out) == expected_ids(corpus)


def test_resume_redoes_a_shard_left_without_its_marker(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run([str(corpus / "pages")], Options(), RunOptions(output=f"{out}/"))
    (out / "pages.done").unlink()  # a power loss after the rename, before the marker
    (out / ".pages.jsonl.zst.999.part.jsonl.zst").write_bytes(b"torn")
    outcome = run([str(corpus / "pages")], Options(), RunOptions(output=f"{out}/", resume=True))
    assert outcome.skipped == 0 and outcome.stats.read == 4
    assert sorted(p.name for p in out.iterdir()) == ["pages.done", "pages.jsonl.zst"]
    assert len(records(out / "pages.jsonl.zst")) == 4


def test_workers_give_the_same_records_in_the_same_order(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "IN_PROCESS_SECONDS", 0.0)  # straight to the process pool
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run([str(corpus / "crawl")], Options(), RunOptions(output=str(one), workers=1))
    run([str(corpus / "crawl")], Options(), RunOptions(output=str(two), workers=2))
    assert records(one) == records(two) and len(records(one)) == 3 * len(PAGES)


def test_a_file_output_appears_only_when_the_run_is_complete(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.jsonl"
    read_input = local.read_input

    def interrupted(item, **kwargs):
        yield from read_input(item, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(local, "read_input", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run([str(corpus / "pages")], Options(), RunOptions(output=str(target)))
    assert list(tmp_path.glob("*out.jsonl*")) == []


# --- time limits ---------------------------------------------------------------------------------


def slow_task(doc: Document) -> Document:
    """Sleeps for the number of seconds in the document's text; a task for the pool."""
    time.sleep(float(doc.content))
    doc.text = "slept"
    return doc


def docs(*seconds: float) -> list[Document]:
    return [Document(id=str(i), source=f"d{i}", format="text", content=str(s)) for i, s in enumerate(seconds)]


def test_the_time_limit_is_enforced_in_process() -> None:
    out = list(ordered_map(slow_task, docs(0, 5, 0), workers=1, timeout=0.3))
    assert [d.error.kind if d.error else d.text for d in out] == ["slept", "timeout", "slept"]
    assert "0.3 s" in out[1].error.detail


def test_the_time_limit_kills_a_worker_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "IN_PROCESS_SECONDS", 0.0)
    started = time.monotonic()
    out = list(ordered_map(slow_task, docs(0, 0, 30, 0, 0), workers=2, timeout=1.0))
    assert [d.error.kind if d.error else d.text for d in out] == [
        "slept",
        "slept",
        "timeout",
        "slept",
        "slept",
    ]
    assert time.monotonic() - started < 20


# --- shards ---------------------------------------------------------------------------------------


def test_shards_are_split_among_machines_without_overlap() -> None:
    shards = [Shard(f"s{i}", ()) for i in range(7)]
    parts = [select(shards, i, 3) for i in range(3)]
    assert sorted(s.name for part in parts for s in part) == sorted(s.name for s in shards)
    with pytest.raises(ValueError):
        select(shards, 3, 3)


def test_pages_are_grouped_by_folder_and_record_files_stand_alone(corpus: Path) -> None:
    targets = reader_paths.check_paths([str(corpus)])
    shards = plan(reader_paths.inputs(targets))
    assert [(s.name, len(s.inputs)) for s in shards] == [
        ("crawl/part-0", 1), ("crawl/part-1", 1), ("crawl/part-2", 1), ("pages", 4)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../../etc/passwd", "etc/passwd"), ("/abs/path", "abs/path"), ("a/../b", "a/b"),
     (".hidden", "_.hidden"), ("c:\\win\\x", "c_/win/x"), ("nul\x00byte", "nul_byte"), ("", "shard")],
)  # fmt: skip
def test_shard_names_never_leave_the_output_directory(name: str, safe: str) -> None:
    assert safe_name(name) == safe
    assert not os.path.isabs(safe_name(name)) and ".." not in safe_name(name).split("/")

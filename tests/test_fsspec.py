"""Inputs and outputs by URL, through fsspec: its in-memory filesystem stands in for an object store.

``memory://`` lives in this process only, so the CLI runs in-process (typer's runner, or
``cli.main`` for the exit codes) and with one worker.
"""

from __future__ import annotations

import gzip
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import zstandard

fsspec = pytest.importorskip("fsspec")

from dehusk import storage  # noqa: E402
from dehusk.readers.paths import Input, check_paths, inputs  # noqa: E402
from dehusk.run import ray as ray_engine  # noqa: E402
from test_cli import SEEDS, invoke, read_jsonl, run_main, summary  # noqa: E402
from test_warc import SIMPLE, members, response  # noqa: E402

MEMORY = fsspec.filesystem("memory")


@pytest.fixture
def bucket() -> Iterator[str]:
    """A fresh ``memory://`` prefix, removed after the test."""
    name = f"bucket-{uuid.uuid4().hex[:8]}"
    yield f"memory://{name}"
    if MEMORY.exists(f"/{name}"):
        MEMORY.rm(f"/{name}", recursive=True)


def upload(folder: Path, url: str) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            MEMORY.pipe(f"{url}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def zst_records(url: str) -> list[dict]:
    return read_jsonl(zstandard.ZstdDecompressor().decompressobj().decompress(MEMORY.cat(url)))


@pytest.fixture(scope="module")
def local_seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The seeds cleaned from the local folder: id → text, what every URL run must give back."""
    out = tmp_path_factory.mktemp("local") / "out.jsonl"
    assert invoke("clean", SEEDS, "-o", out, "--workers", "1").exit_code == 0
    return {r["id"]: r["text"] for r in read_jsonl(out.read_bytes())}


def test_a_url_prefix_is_read_like_a_local_folder(bucket: str, local_seeds: dict[str, str]) -> None:
    upload(SEEDS, f"{bucket}/in")
    result = invoke("clean", f"{bucket}/in/", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    records = read_jsonl(result.stdout_bytes)
    assert {r["id"]: r["text"] for r in records} == local_seeds
    assert [r["id"] for r in records] == sorted(local_seeds)


def test_the_same_inputs_and_ids_as_the_same_tree_on_disk(
    bucket: str, local_seeds: dict[str, str], tmp_path: Path
) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    tree = {
        f"sub/{seed.name}.gz": gzip.compress(seed.read_bytes()),
        f"sub/deeper/{seed.name}": seed.read_bytes(),
        f"sub.txt/{seed.name}": seed.read_bytes(),  # a folder named like a file: sorted as locally
        f".hidden/{seed.name}": seed.read_bytes(),  # skipped, as locally
        **{f"sub/{path.name}": path.read_bytes() for path in SEEDS.glob("*.txt")},
    }
    for name, data in tree.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
        MEMORY.pipe(f"{bucket}/in/{name}", data)

    def ids(*paths: str) -> list[str]:
        return [item.id for item in inputs(check_paths(paths))]

    walked = list(inputs(check_paths([f"{bucket}/in"])))
    assert [item.id for item in walked] == ids(str(tmp_path))
    assert len(walked) == len(tree) - 1
    assert all(item.path == item.source and item.path.startswith(f"{bucket}/in/sub") for item in walked)
    first_two = ids(f"{tmp_path}/*/00[0-1]_*.txt")
    assert ids(f"{bucket}/in/*/00[0-1]_*.txt") == first_two
    assert first_two == [f"sub.txt/{seed.stem}", *(f"sub/{s}" for s in sorted(local_seeds)[:2])]
    assert ids(f"{bucket}/in/.hidden/*.txt") == ids(f"{tmp_path}/.hidden/*.txt") == [seed.stem]
    assert ids(f"{bucket}/in/**/*.gz") == ids(f"{tmp_path}/**/*.gz") == [f"sub/{seed.stem}"]

    result = invoke("clean", f"{bucket}/in/sub/{seed.name}.gz")  # a file named by itself: its stem
    records = read_jsonl(result.stdout_bytes)
    assert [(r["id"], r["text"]) for r in records] == [(seed.stem, local_seeds[seed.stem])]


def test_a_warc_is_read_from_a_url(bucket: str) -> None:
    MEMORY.pipe(f"{bucket}/crawl.warc.gz", members(response(SIMPLE, "a-1", "https://example.org/simple")))
    records = read_jsonl(invoke("clean", f"{bucket}/crawl.warc.gz").stdout_bytes)
    assert [(r["id"], r["url"]) for r in records] == [("urn:uuid:a-1", "https://example.org/simple")]
    assert records[0]["text"]


def test_sharded_output_to_a_url_with_markers_and_resume(
    bucket: str, local_seeds: dict[str, str], tmp_path: Path
) -> None:
    lines = [orjson.dumps({"id": i, "text": t}) for i, t in sorted(local_seeds.items())]
    MEMORY.pipe(f"{bucket}/in/a.jsonl", b"\n".join(lines[:3]) + b"\n")
    MEMORY.pipe(f"{bucket}/in/b.jsonl", b"\n".join(lines[3:]) + b"\n{broken\n")
    out = f"{bucket}/out/"

    result = invoke("clean", f"{bucket}/in/", "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    names = sorted(path.rsplit("/", 1)[1] for path in MEMORY.find(f"{bucket}/out"))
    assert names == ["a.done", "a.jsonl.zst", "b.done", "b.errors.jsonl.zst", "b.jsonl.zst"]
    assert [r["id"] for r in zst_records(f"{out}a.jsonl.zst")] == sorted(local_seeds)[:3]
    assert [r["error"] for r in zst_records(f"{out}b.errors.jsonl.zst")] == ["bad-json"]
    marker = orjson.loads(MEMORY.cat(f"{out}b.done"))
    assert (marker["read"], marker["inputs"]) == (3, [f"{bucket}/in/b.jsonl"])

    MEMORY.rm(f"{out}b.done")  # b unfinished: its records are there, its marker not
    MEMORY.pipe(f"{out}b.jsonl.zst", b"torn")
    stats = tmp_path / "stats.json"
    result = invoke("clean", f"{bucket}/in/", "-o", out, "--resume", "--workers", "1", "--stats", stats)
    assert result.exit_code == 0, result.stderr
    assert "1 shards already done (3 records), skipped" in result.stderr
    assert summary(result.stderr)[0] == 3  # b only, again
    assert orjson.loads(stats.read_bytes())["resumed"] == {"shards_done_before": 1, "records": 3}
    assert [r["id"] for r in zst_records(f"{out}b.jsonl.zst")] == sorted(local_seeds)[3:]
    assert MEMORY.exists(f"{out}b.done")


def test_one_file_output_to_a_url(bucket: str, local_seeds: dict[str, str]) -> None:
    upload(SEEDS, f"{bucket}/in")
    MEMORY.pipe(f"{bucket}/in/empty.txt", b"")
    result = invoke("clean", f"{bucket}/in", "-o", f"{bucket}/out.jsonl.gz", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    records = read_jsonl(gzip.decompress(MEMORY.cat(f"{bucket}/out.jsonl.gz")))
    assert {r["id"]: r["text"] for r in records} == local_seeds
    errors = read_jsonl(MEMORY.cat(f"{bucket}/out.errors.jsonl"))  # beside the output, as locally
    assert [(e["id"], e["error"]) for e in errors] == [("empty", "empty")]


def test_the_staging_files_of_a_url_output_are_removed(bucket: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    upload(SEEDS, f"{bucket}/in")
    assert invoke("clean", f"{bucket}/in/", "-o", f"{bucket}/out/", "--workers", "1").exit_code == 0
    assert invoke("clean", f"{bucket}/in/", "-o", f"{bucket}/o.jsonl", "--workers", "1").exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_a_missing_url_is_a_one_line_usage_error(bucket: str, monkeypatch, capsys) -> None:
    assert run_main(monkeypatch, "clean", f"{bucket}/nothing/here.txt") == 2
    missing = f"{bucket}/nothing/here.txt"
    assert capsys.readouterr().err == f"dehusk: error: no such file or directory: '{missing}'\n"
    assert run_main(monkeypatch, "clean", f"{bucket}/*.txt") == 2
    assert capsys.readouterr().err == f"dehusk: error: no file matches '{bucket}/*.txt'\n"
    assert run_main(monkeypatch, "clean", "nosuchprotocol://x/y.txt") == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_without_fsspec_a_url_says_what_to_install(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "fsspec", None)  # import fsspec now fails
    assert run_main(monkeypatch, "clean", "s3://bucket/crawl/") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'dehusk[fsspec]' s3fs" in err
    assert run_main(monkeypatch, "clean", SEEDS, "-o", "gs://bucket/out/") == 2
    assert "pip install 'dehusk[fsspec]' gcsfs" in capsys.readouterr().err
    assert run_main(monkeypatch, "clean", SEEDS, "-o", tmp_path / "out.jsonl") == 0  # local: no fsspec needed


def test_the_driver_is_named_when_fsspec_cannot_load_it(monkeypatch) -> None:
    def missing(url: str, **options: object) -> object:
        raise ImportError("Install s3fs to access S3")

    monkeypatch.setattr(fsspec.core, "url_to_fs", missing)
    with pytest.raises(storage.StorageError, match=r"pip install s3fs$"):
        check_paths(["s3://bucket/crawl/"])


def test_ray_leaves_urls_as_they_are(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = "s3://bucket/crawl/a.jsonl"
    items = [Input(url, "a", url), Input("b.jsonl", "b", "b.jsonl")]
    assert [item.path for item in ray_engine._absolute(iter(items))] == [
        "s3://bucket/crawl/a.jsonl",
        str(tmp_path / "b.jsonl"),
    ]

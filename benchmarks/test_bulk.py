"""Bulk throughput: whole ``dehusk clean --mode fast`` runs on JSONL.gz shards and on a WARC.gz.

The inputs are built once per session from the ScrapingHub pages (each page ``--bulk-copies``
times, under ids of its own; ``--quick``: a few pages, once): a set of JSONL.gz shards of
``{"id", "url", "html"}`` records, and one ``.warc.gz`` with a request and a response record per
page, as crawlers write them. Both carry the same pages, so their numbers compare. One
benchmark per format and worker count (1 to the cores this process may use, at most 4), in
the groups ``bulk-jsonl`` and ``bulk-warc``; one round (``--bench-passes``) is one whole run.

Every run is a fresh ``python -m dehusk clean IN -o OUT/ --mode fast --workers N`` process, so
that no run's memory or warm caches leak into the next. That process reports, as it exits,
the peak RSS of the parent (reading, writing, and the first second of cleaning, or all of it
with one worker): Linux's ``VmHWM``, as ``ru_maxrss`` of ``RUSAGE_SELF`` is carried over
``execve`` from the pytest process that spawned it; and ``RUSAGE_CHILDREN`` ``ru_maxrss``, the
peak RSS of the largest worker it started and joined, recycled ones included (a fresh count
in every run: it starts at zero in a new process). Workers are forked: their RSS counts the
pages they share with the parent, so the run's memory is not parent + workers × worker peak.

``extra_info``: pages, bytes (the pages' bytes as the engine counts them, not the compressed
file's: ``file_bytes``), seconds on the engine's own clock (``--stats``: from reading the
first record to the last written, without Python's start-up), pages/s, MB/s (10⁶ bytes), MB/s
per core (MB/s ÷ workers), MB per CPU second (user + system of parent and workers: the
measure least shaken by other work on the machine; start-up included, so a small run's is
low), the cores kept busy (CPU seconds over the whole process's wall seconds: well under the
worker count when other work took the cores or the workers waited), the peaks above in MB
(2²⁰ bytes) and, computed at the end of the run (bench_support.add_speedups), the speed-up
over workers=1. The benchmark's own time is the whole command's, start-up included.
"""

from __future__ import annotations

import contextlib
import gzip
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from bench_support import BULK
from dehusk.evaluate.corpus import Corpus, Page
from dehusk.run.pool import available_cores

#: Worker counts measured: 1 to the usable cores, at most 4.
WORKERS = list(range(1, min(available_cores(), 4) + 1))
#: JSONL shards in the shard set (at least one per worker, so none waits for a shard).
JSONL_SHARDS = 4
FORMATS = ("jsonl", "warc")

#: Runs ``python -m dehusk ARGS...`` and, at exit, writes its peak RSS and CPU time and its
#: children's to ``argv[1]``. The hook is registered before dehusk (and multiprocessing) is
#: imported, so it runs last, after every worker has been joined. Its own peak is ``VmHWM``, not
#: ``ru_maxrss``: Linux carries ``ru_maxrss`` over ``execve``, so it would start at the RSS of
#: the pytest process that spawned it (the corpus and all) -- the high-water mark of the new
#: address space does not.
RUNNER = """\
import atexit, json, resource, runpy, sys

def vm_hwm_kb():
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None

def report(path=sys.argv[1]):
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    data = {
        "self": {"maxrss_kb": vm_hwm_kb() or me.ru_maxrss, "cpu_s": me.ru_utime + me.ru_stime},
        "children": {"maxrss_kb": kids.ru_maxrss, "cpu_s": kids.ru_utime + kids.ru_stime},
    }
    with open(path, "w") as fh:
        json.dump(data, fh)

atexit.register(report)
sys.argv = ["dehusk", *sys.argv[2:]]
runpy.run_module("dehusk", run_name="__main__", alter_sys=True)
"""


@dataclass(frozen=True, slots=True)
class BulkInput:
    """One format's input: the paths to give ``dehusk clean``, its page count and size on disk."""

    paths: tuple[str, ...]
    pages: int
    file_bytes: int


# --- building the inputs ---------------------------------------------------------------------------


def _copies(corpus: Corpus, copies: int) -> list[tuple[str, Page]]:
    """Every page ``copies`` times, each under an id of its own."""
    return [(f"c{n}-{page.id}", page) for n in range(copies) for page in corpus.pages]


def write_jsonl_shards(items: list[tuple[str, Page]], folder: Path, shards: int) -> list[Path]:
    """The pages as ``{"id", "url", "html"}`` records, dealt round-robin into ``shards`` JSONL.gz files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"shard-{n:02d}.jsonl.gz" for n in range(min(shards, len(items)))]
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(gzip.open(path, "wb")) for path in paths]
        for n, (doc_id, page) in enumerate(items):
            record = {"id": doc_id, "url": page.url, "html": page.html}
            files[n % len(files)].write(orjson.dumps(record) + b"\n")
    return paths


def _warc_record(kind: str, block: bytes, rid: str, uri: str) -> bytes:
    head = [
        "WARC/1.1",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{rid}>",
        "WARC-Date: 2024-01-02T03:04:05Z",
        f"WARC-Target-URI: {uri}",
        f"Content-Type: application/http; msgtype={kind}",
        f"Content-Length: {len(block)}",
    ]
    return "\r\n".join(head).encode() + b"\r\n\r\n" + block + b"\r\n\r\n"


def write_warc(items: list[tuple[str, Page]], path: Path) -> Path:
    """The pages' own bytes as HTTP responses, each after its request, one gzip member per record."""
    with path.open("wb") as file:
        for doc_id, page in items:
            uri = page.url or f"https://example.org/{doc_id}"
            request = f"GET / HTTP/1.1\r\nHost: {uri.split('/')[2]}\r\n\r\n".encode()
            response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page.raw
            file.write(gzip.compress(_warc_record("request", request, f"request-{doc_id}", uri), 6))
            file.write(gzip.compress(_warc_record("response", response, doc_id, uri), 6))
    return path


@pytest.fixture(scope="session")
def bulk_inputs(
    request: pytest.FixtureRequest, scrapinghub: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, BulkInput]:
    quick = request.config.getoption("--quick")
    items = _copies(scrapinghub, 1 if quick else max(1, request.config.getoption("--bulk-copies")))
    folder = tmp_path_factory.mktemp("bulk")
    shards = write_jsonl_shards(items, folder / "jsonl", JSONL_SHARDS)
    warc = write_warc(items, folder / "pages.warc.gz")
    return {
        "jsonl": BulkInput((f"{shards[0].parent}/",), len(items), sum(p.stat().st_size for p in shards)),
        "warc": BulkInput((str(warc),), len(items), warc.stat().st_size),
    }


# --- one run ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """What one ``dehusk clean`` process did and used."""

    stats: dict[str, Any]  # its --stats file
    parent_kb: int  # ru_maxrss of RUSAGE_SELF
    worker_kb: int  # ru_maxrss of RUSAGE_CHILDREN: the largest worker; 0 when it started none
    cpu_s: float  # user + system, parent and workers, start-up included
    wall_s: float  # the whole process, start-up included


def run_clean(source: BulkInput, out: Path, workers: int) -> Run:
    """One fresh ``python -m dehusk clean`` over ``source`` into ``out``; a failed run fails the test."""
    out.mkdir(parents=True)
    usage, stats = out.parent / f"{out.name}.rusage.json", out.parent / f"{out.name}.stats.json"
    command = [sys.executable, "-c", RUNNER, str(usage), "clean", *source.paths, "-o", f"{out}/"]
    command += ["--mode", "fast", "--workers", str(workers), "--stats", str(stats), "--no-progress"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    assert done.returncode == 0, f"dehusk clean failed ({done.returncode}): {done.stderr[-2000:]}"
    rusage = orjson.loads(usage.read_bytes())
    return Run(
        orjson.loads(stats.read_bytes()),
        rusage["self"]["maxrss_kb"],
        rusage["children"]["maxrss_kb"],
        rusage["self"]["cpu_s"] + rusage["children"]["cpu_s"],
        wall,
    )


def summarize(runs: list[Run], workers: int) -> dict[str, Any]:
    """The ``extra_info`` of a benchmark from its runs: the median run's speed, the highest peaks."""
    run = sorted(runs, key=lambda r: r.stats["seconds"])[len(runs) // 2]
    seconds, mb = max(run.stats["seconds"], 1e-9), run.stats["bytes_in"] / 1e6
    mb_per_s = mb / seconds
    return {
        "workers": workers,
        "pages": run.stats["read"],
        "bytes": run.stats["bytes_in"],
        "seconds": round(seconds, 3),
        "pages_per_s": round(run.stats["read"] / seconds, 2),
        "mb_per_s": round(mb_per_s, 3),
        "mb_per_s_per_core": round(mb_per_s / workers, 3),
        "cpu_seconds": round(run.cpu_s, 3),
        "mb_per_cpu_s": round(mb / max(run.cpu_s, 1e-9), 3),
        "wall_seconds": round(run.wall_s, 3),
        "cores_busy": round(run.cpu_s / max(run.wall_s, 1e-9), 2),
        "peak_rss_parent_mb": round(max(r.parent_kb for r in runs) / 1024, 1),
        "peak_rss_worker_mb": round(max(r.worker_kb for r in runs) / 1024, 1),
        "fallbacks": run.stats["fallbacks"],
        "empty": run.stats["empty"],
        "rounds": len(runs),
    }


# --- the benchmarks --------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", WORKERS, ids=lambda n: f"w{n}")
@pytest.mark.parametrize("fmt", FORMATS)
def test_bulk(
    benchmark, bulk_inputs: dict[str, BulkInput], passes: int, tmp_path: Path, fmt: str, workers: int
) -> None:
    benchmark.group = f"bulk-{fmt}"
    source = bulk_inputs[fmt]
    runs: list[Run] = []

    def setup() -> tuple[tuple[Path], dict[str, Any]]:
        return (tmp_path / f"out-{len(runs)}",), {}

    def target(out: Path) -> None:
        runs.append(run_clean(source, out, workers))

    benchmark.pedantic(target, setup=setup, rounds=passes, warmup_rounds=0)

    for run in runs:
        assert run.stats["read"] == source.pages, run.stats
        assert not run.stats["errors"], run.stats["errors"]
    benchmark.extra_info.update(format=fmt, file_bytes=source.file_bytes, **summarize(runs, workers))
    BULK.append({"group": benchmark.group, "extra_info": benchmark.extra_info, "fixture": benchmark})

#!/usr/bin/env python3
"""Check a bulk run end to end: scaling with workers, peak memory, interruption and resume.

    python scripts/make_shards.py ../shared/corpora/scrapinghub /tmp/shards   # 8 x 500 real pages
    python scripts/check_bulk.py /tmp/shards [--workers 2] [--interrupt-after 8]

Runs ``dehusk clean IN --mode fast -o OUT/`` as a user would (a subprocess), with one
worker and with ``--workers``, and prints the throughput ratio and the peak RSS of the
largest process of each run (the maximum over the process and all its workers, as the
kernel accounts it). Then runs again, sends SIGINT after ``--interrupt-after`` seconds,
reruns with ``--resume``, and checks that every input id is in the output or error
shards exactly once and that every line is whole JSON.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import orjson
import zstandard


def dehusk(*args: str) -> list[str]:
    return [sys.executable, "-m", "dehusk", "clean", *args]


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak RSS (MB) of the largest process the command started."""
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def input_ids(shards: Path) -> Counter[str]:
    ids: Counter[str] = Counter()
    for shard in sorted(shards.glob("*.jsonl.gz")):
        ids.update(orjson.loads(line)["id"] for line in gzip.decompress(shard.read_bytes()).splitlines())
    return ids


def output_ids(out: Path) -> Counter[str]:
    """Ids in every output and error shard; raises on a torn or broken line."""
    ids: Counter[str] = Counter()
    for path in sorted(out.rglob("*.jsonl.zst")):
        data = zstandard.ZstdDecompressor().stream_reader(path.read_bytes()).read()
        for line in data.splitlines():
            ids[orjson.loads(line)["id"]] += 1
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shards", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--interrupt-after", type=float, default=8.0)
    args = parser.parse_args()
    expected = input_ids(args.shards)
    work = Path(tempfile.mkdtemp(prefix="dehusk-bulk-"))
    try:
        one, rss_one = timed(
            dehusk(str(args.shards), "--mode", "fast", "--workers", "1", "-o", f"{work}/one/")
        )
        many, rss_many = timed(
            dehusk(str(args.shards), "--mode", "fast", "--workers", str(args.workers), "-o", f"{work}/many/")
        )
        print(f"--workers 1: {one:.1f} s; --workers {args.workers}: {many:.1f} s; speed-up {one / many:.2f}x")
        print(f"peak RSS of the largest process: {rss_one} MB (1 worker), {rss_many} MB (all runs so far)")
        for name in ("one", "many"):
            ok = output_ids(work / name) == expected
            print(f"{name}: every id exactly once: {ok}")

        out = work / "interrupted"
        process = subprocess.Popen(
            dehusk(str(args.shards), "--mode", "fast", "--workers", str(args.workers), "-o", f"{out}/"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(args.interrupt_after)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        done = len(list(out.rglob("*.done")))
        print(f"interrupted: exit {process.returncode}, {done} shards done; {err.decode().strip()}")
        subprocess.run(
            dehusk(
                str(args.shards),
                "--mode",
                "fast",
                "--workers",
                str(args.workers),
                "-o",
                f"{out}/",
                "--resume",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        ids = output_ids(out)
        print(f"after --resume: every id exactly once: {ids == expected} ({sum(ids.values())} records)")
        leftovers = [p.name for p in out.rglob(".*")]
        print(f"temporary files left: {leftovers or 'none'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The Ray engine gives the same records as the local engine (needs the extra: pip install '.[ray]').

Starts a local Ray cluster of two CPUs for the module; skipped when Ray is not installed.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from dehusk.options import Options
from dehusk.run.local import RunOptions, run
from test_bulk import PAGES, records

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """Four JSONL shards of the project's pages."""
    root = tmp_path / "in"
    root.mkdir()
    for k in range(4):
        with gzip.open(root / f"part-{k}.jsonl.gz", "wb") as file:
            for page in PAGES[k::4]:
                field = "html" if page.suffix == ".html" else "text"
                file.write(orjson.dumps({"id": page.stem, field: page.read_text("utf-8")}) + b"\n")
    return root


def test_ray_tasks_write_the_records_the_local_engine_writes(cluster, shards: Path, tmp_path: Path) -> None:
    from dehusk.run.ray import run_ray

    out = tmp_path / "ray"
    outcome = run_ray([str(shards)], Options(), RunOptions(output=f"{out}/", workers=2))
    local = tmp_path / "local.jsonl"
    run([str(shards)], Options(), RunOptions(output=str(local), workers=2))

    by_ray = {r["id"]: r for p in sorted(out.glob("*.jsonl.zst")) for r in records(p)}
    by_local = {r["id"]: r for r in records(local)}
    assert len(by_ray) == len(PAGES) == outcome.stats.read == outcome.stats.written
    assert {i: r["text"] for i, r in by_ray.items()} == {i: r["text"] for i, r in by_local.items()}
    assert sorted(p.name for p in out.glob("*.done")) == [f"part-{k}.done" for k in range(4)]

    again = run_ray([str(shards)], Options(), RunOptions(output=f"{out}/", workers=2, resume=True))
    assert again.skipped == 4 and again.stats.read == 0

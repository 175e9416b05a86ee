"""The Ray engine: one Ray task per input shard, each running the local engine's shard cleaner.

``dehusk clean IN -o OUT/ --engine ray`` plans the shards exactly as a local run does
(run.shards), skips the ones already done with ``--resume``, and sends each remaining one
to a Ray core task that calls ``run.local.clean_shards`` on it with one worker: no second
code path for cleaning, the same output files, markers and counts. Plain tasks, not Ray
Data: Ray Data would re-split the inputs into blocks of its own and break the one output
shard per input shard that ``--resume`` relies on (and it measured 4x slower here).

Inputs and outputs must be on paths every node can see: a shared filesystem (paths are
made absolute on the driver) or an object store by URL (``s3://…``, through fsspec,
passed through as they are). A task whose worker dies (a node lost, the OOM killer) is
retried from the start of its shard, which ``ShardOutput.open`` makes safe. Each task asks
for one CPU and ``memory_per_task`` bytes, so Ray never packs more tasks on a node than
its memory holds.

Ray is an optional extra (``pip install 'dehusk[ray]'``); this module is imported only
for ``--engine ray``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from dehusk import storage
from dehusk.options import Options
from dehusk.readers.paths import Input, check_paths, inputs
from dehusk.run.local import Outcome, RunOptions, clean_shards, shards_to_do
from dehusk.run.pipeline import STEPS, Step
from dehusk.run.progress import progress
from dehusk.run.shards import Shard, plan, select

#: Memory Ray reserves for each task (bytes): a worker's peak is well under half of it.
MEMORY_PER_TASK = 1 << 30
#: How often Ray retries a shard whose worker died.
RETRIES = 3


def run_ray(
    paths: Sequence[str],
    options: Options,
    how: RunOptions,
    steps: tuple[Step, ...] = STEPS,
    address: str | None = None,
    memory_per_task: int = MEMORY_PER_TASK,
) -> Outcome:
    """Clean ``paths`` into the directory ``how.output`` with one Ray task per shard.

    ``address``: a running cluster (``auto``, ``ray://…``), else ``RAY_ADDRESS``, else a
    local cluster of ``how.workers`` CPUs (0: every core) started for the run.
    """
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError("--engine ray needs Ray: pip install 'dehusk[ray]'") from exc

    if "-" in paths:
        raise ValueError("--engine ray reads files every node can see, not stdin")
    directory = how.output if storage.is_url(how.output) else str(Path(how.output).absolute())
    shards = select(plan(_absolute(inputs(check_paths(paths)))), how.shard_index, how.num_shards)
    outcome = Outcome()
    todo = [shard for shard, _ in shards_to_do(shards, directory, how, outcome)]
    if not todo:
        outcome.stats.stop()
        return outcome

    started_here = not ray.is_initialized()
    if started_here:
        address = address or os.environ.get("RAY_ADDRESS")
        ray.init(
            address=address,
            num_cpus=None if address else (how.workers or None),
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    try:
        task = ray.remote(num_cpus=1, memory=memory_per_task, max_retries=RETRIES)(_clean_one_shard)
        one_worker = replace(how, workers=1, resume=False, show_progress=False)
        pending = [task.remote(shard, directory, options, one_worker, steps) for shard in todo]
        with progress(how.show_progress, unit="shards") as advance:
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                outcome.merge(ray.get(done[0]))
                advance(None)  # one shard
    finally:
        if started_here:
            ray.shutdown()
    outcome.stats.stop()
    return outcome


def _clean_one_shard(
    shard: Shard, directory: str, options: Options, how: RunOptions, steps: tuple[Step, ...]
) -> Outcome:
    """In a Ray worker: the local engine's shard cleaner on one shard, in this process."""
    return clean_shards([shard], directory, options, how, steps, workers=1)


def _absolute(items: Iterable[Input]) -> list[Input]:
    """Inputs with absolute paths: a Ray worker's working directory is not the driver's (URLs as they are)."""
    return [_absolute_one(item) for item in items]


def _absolute_one(item: Input) -> Input:
    if item.path is None or storage.is_url(item.path):
        return item
    return replace(item, path=os.path.abspath(item.path))

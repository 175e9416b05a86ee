#!/usr/bin/env python3
"""Build JSONL.gz shards of real pages, HTML and flattened text dumps mixed, for bulk runs.

    python scripts/make_shards.py CORPUS OUT [--shards 8] [--per-shard 500] [--seed 0]

CORPUS is a folder in the ScrapingHub layout (``html/NAME.html.gz`` and ``ground-truth.json``
for the urls), e.g. ../shared/corpora/scrapinghub. Each shard ``OUT/shard-NN.jsonl.gz`` holds
``--per-shard`` records drawn from the pages in a seeded order (pages repeat across shards
when there are fewer pages than records), half of them as ``{"id", "url", "html"}``, half as
``{"id", "url", "text"}`` with the page flattened the way a naive scraper does. Ids are
unique across shards (``NN-NNNN-NAME``), so a run over them can check that every id comes
out exactly once. Nothing is fetched: only the corpus given is read.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

import orjson

from dehusk.extract.flatten import flatten_html
from dehusk.repair.decode import decode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--per-shard", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    truth_file = args.corpus / "ground-truth.json"
    truth = json.loads(truth_file.read_text("utf-8")) if truth_file.exists() else {}
    pages = []
    for path in sorted((args.corpus / "html").glob("*.html*")):
        name = path.name.split(".html")[0]
        raw = path.read_bytes()
        html, _ = decode(gzip.decompress(raw) if path.suffix == ".gz" else raw)
        pages.append((name, (truth.get(name) or {}).get("url"), html, flatten_html(html)))
    if not pages:
        parser.error(f"no pages in {args.corpus / 'html'}")
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for shard in range(args.shards):
        order = [pages[rng.randrange(len(pages))] for _ in range(args.per_shard)]
        with gzip.open(args.out / f"shard-{shard:02d}.jsonl.gz", "wb") as file:
            for n, (name, url, html, dump) in enumerate(order):
                field = "html" if rng.random() < 0.5 else "text"
                record = {
                    "id": f"{shard:02d}-{n:04d}-{name[:12]}",
                    "url": url,
                    field: html if field == "html" else dump,
                }
                file.write(orjson.dumps(record) + b"\n")
    print(f"{args.shards} shards of {args.per_shard} records in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

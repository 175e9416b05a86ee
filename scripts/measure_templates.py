#!/usr/bin/env python3
"""Measure corpus-level templates: F1 without them, learned while streaming, and two-pass.

    python scripts/measure_templates.py --scrapinghub ../shared/corpora/scrapinghub \\
        --sites /work/data/templates/sites [--work /work/data/templates/measure] [--workers 2]

Corpora (each scored with dehusk.evaluate.metric, the ScrapingHub shingle F1):

- ``sh-dumps``: the ScrapingHub pages flattened into text dumps as a naive scraper would
  (the code of scripts/flatten_pages.py), written as JSONL records with each page's URL from
  the gold, so that pages group by host (1-2 pages per host: templates can barely act).
- ``sites-dumps`` / ``sites-pages``: the corpus of scripts/build_site_corpus.py (several
  sites, ~100 real pages each), its text dumps and its HTML pages.

Every corpus is cleaned by the real run (``dehusk.run.local.run``, the workers and the
parent's template stage) with ``Options()``, ``Options(templates=True)`` and
``Options(two_pass=True)``; the table gives precision, recall, F1, the change in F1 and
the blocks removed as templates.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

import orjson

from dehusk.evaluate.metric import evaluate
from dehusk.extract.flatten import flatten_html
from dehusk.options import Options
from dehusk.repair.decode import decode
from dehusk.run.local import RunOptions, run

MODES = {"off": Options(), "streaming": Options(templates=True), "two-pass": Options(two_pass=True)}


def flatten_scrapinghub(corpus: Path, target: Path) -> Path:
    """The ScrapingHub pages as JSONL text dumps ``{id, url, text}`` (built once)."""
    if target.exists():
        return target
    gold = orjson.loads((corpus / "ground-truth.json").read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for page in sorted((corpus / "html").iterdir()):
            match = re.fullmatch(r"(.+)\.html?(\.gz)?", page.name)
            if not match:
                continue
            raw = page.read_bytes()
            html, _ = decode(gzip.decompress(raw) if match.group(2) else raw)
            page_id = match.group(1)
            url = gold.get(page_id, {}).get("url")
            out.write(orjson.dumps({"id": page_id, "url": url, "text": flatten_html(html)}) + b"\n")
    return target


def gold_texts(path: Path) -> dict[str, str]:
    return {k: v["articleBody"] for k, v in orjson.loads(path.read_bytes()).items()}


def measure(name: str, source: Path, gold: dict[str, str], work: Path, workers: int) -> list[str]:
    rows = []
    base = None
    for mode, options in MODES.items():
        output = work / f"{name}.{mode}.jsonl"
        how = RunOptions(output=str(output), workers=workers, show_progress=False)
        outcome = run([str(source)], options, how)
        texts = {}
        for line in output.read_bytes().splitlines():
            record = orjson.loads(line)
            texts[record["id"].rsplit("/", 1)[-1]] = record["text"]
        scores, _ = evaluate(texts, gold)
        base = scores.f1 if base is None else base
        cells = [name, len(gold), mode, f"{scores.precision:.4f}", f"{scores.recall:.4f}", f"{scores.f1:.4f}"]
        removed, seconds = outcome.removed.get("template", 0), outcome.stats.seconds
        cells += [f"{scores.f1 - base:+.4f}", removed, f"{seconds:.0f}"]
        rows.append("| " + " | ".join(map(str, cells)) + " |")
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scrapinghub", type=Path, help="the ScrapingHub corpus: html/ + ground-truth.json")
    ap.add_argument("--sites", type=Path, help="OUT_DIR of scripts/build_site_corpus.py")
    ap.add_argument("--work", type=Path, default=Path("/tmp/dehusk-templates"), help="outputs go here")
    ap.add_argument("--workers", type=int, default=0, help="worker processes [every core]")
    args = ap.parse_args()
    if not args.scrapinghub and not args.sites:
        ap.error("give --scrapinghub and/or --sites")
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.scrapinghub:
        dumps = flatten_scrapinghub(args.scrapinghub, args.work / "sh_dumps.jsonl")
        gold = gold_texts(args.scrapinghub / "ground-truth.json")
        rows += measure("sh-dumps", dumps, gold, args.work, args.workers)
    if args.sites:
        gold = gold_texts(args.sites / "gold.json")
        rows += measure("sites-dumps", args.sites / "dumps.jsonl", gold, args.work, args.workers)
        rows += measure("sites-pages", args.sites / "pages.jsonl", gold, args.work, args.workers)
    print("| corpus | pages | templates | precision | recall | F1 | ΔF1 | template blocks | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

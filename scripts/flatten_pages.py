#!/usr/bin/env python3
"""Flatten HTML pages into text dumps, the way a naive scraper does, to benchmark the text path.

    python scripts/flatten_pages.py CORPUS/html DUMPS/

Every page `NAME.html[.gz]` becomes `DUMPS/NAME.txt`: block elements become paragraphs
separated by a blank line, <br> and list items line breaks; script, style and <head> go.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from dehusk.extract.flatten import flatten_html
from dehusk.repair.decode import decode


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    n = 0
    for page in sorted(source.iterdir()):
        match = re.fullmatch(r"(.+)\.html?(\.gz)?", page.name)
        if not match:
            continue
        raw = page.read_bytes()
        html, _ = decode(gzip.decompress(raw) if match.group(2) else raw)
        (target / f"{match.group(1)}.txt").write_text(flatten_html(html), encoding="utf-8")
        n += 1
    print(f"flattened {n} pages into {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

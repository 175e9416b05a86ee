"""Writers: finished Documents out as JSONL records (stdout, .jsonl[.gz|.zst]), and the run's counts."""

from __future__ import annotations

from dehusk.writers.jsonl import JsonlWriter, NullWriter, Writer, dumps, open_writer
from dehusk.writers.stats import RunStats

__all__ = ["JsonlWriter", "NullWriter", "RunStats", "Writer", "dumps", "open_writer"]

"""Load gold standards and outputs to score, as ``{id: text}`` maps for :mod:`.metric`.

Gold comes in the shapes people already have on disk:

- a ScrapingHub ``ground-truth.json``: ``{id: {"articleBody": ...}}`` (stored peer outputs
  wrap the same map as ``{"version": v, "output": {...}}``; both are accepted);
- a folder of expectation files ``NAME.json``, each with a ``"text"`` (the id is ``NAME``);
- a JSONL file of ``{"id", "text"}`` records -- which is also what ``dehusk clean`` writes.

Files may be gzip (``.gz``) or Zstandard (``.zst``) compressed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from dehusk.readers.formats import split_name
from dehusk.readers.streams import decompress

__all__ = ["load_gold", "load_outputs"]

PathLike = str | Path


@contextmanager
def _open_text(path: PathLike) -> Iterator[IO[str]]:
    """Open a UTF-8 text file, decompressing ``.gz`` and ``.zst`` on the fly (the readers' streams)."""
    path = Path(path)
    _, _, compression = split_name(path.name)
    with path.open("rb") as raw:
        yield io.TextIOWrapper(decompress(raw, compression), encoding="utf-8")


def _is_jsonl(path: Path) -> bool:
    name = path.name.removesuffix(".gz").removesuffix(".zst")
    return name.endswith(".jsonl")


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one per non-blank line."""
    with _open_text(path) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from None
            if not isinstance(record, dict) or "id" not in record:
                raise ValueError(f"{path}:{lineno}: expected a JSON object with an 'id'")
            yield record


def _texts_from_jsonl(path: Path) -> dict[str, str]:
    # A record without text (or with null) is an empty output, as the benchmark scores it.
    return {str(rec["id"]): rec.get("text") or "" for rec in _records(path)}


def _texts_from_json(data: Any, path: Path) -> dict[str, str]:
    """The id -> text map of a parsed JSON file in one of the accepted shapes."""
    if isinstance(data, dict) and isinstance(data.get("output"), dict) and "version" in data:
        data = data["output"]
    if isinstance(data, dict) and isinstance(data.get("text"), str):
        # a single expectation file
        return {str(data.get("id") or path.name.split(".")[0]): data["text"]}
    if isinstance(data, dict) and all(isinstance(v, dict) for v in data.values()):
        if all("articleBody" in v for v in data.values()):
            return {str(k): v["articleBody"] or "" for k, v in data.items()}
        if any("with" in v for v in data.values()):
            raise ValueError(f"{path}: a with/without snippet gold; the shingle metric cannot score it")
    raise ValueError(f"{path}: not a gold standard (expected {{id: {{'articleBody': ...}}}} or records)")


def _load_file(path: Path) -> dict[str, str]:
    if _is_jsonl(path):
        return _texts_from_jsonl(path)
    with _open_text(path) as fh:
        raw = fh.read()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        # JSON Lines under another name: more than one object, one per line
        return _texts_from_jsonl(path)
    return _texts_from_json(data, path)


def load_gold(path: PathLike) -> dict[str, str]:
    """The gold text of every page, by id, from a file or a folder of expectation files."""
    path = Path(path)
    if path.is_dir():
        gold = {}
        for file in sorted(path.glob("*.json")):
            data = orjson.loads(file.read_bytes())
            if not isinstance(data, dict) or not isinstance(data.get("text"), str):
                raise ValueError(f"{file}: an expectation file needs a 'text'")
            gold[file.stem] = data["text"]
        if not gold:
            raise ValueError(f"{path}: no NAME.json expectation files")
        return gold
    return _load_file(path)


def load_outputs(path: PathLike) -> dict[str, str]:
    """The output text of every page, by id, from a dehusk JSONL (``.gz``/``.zst`` too).

    A stored peer output in the ScrapingHub JSON shape is accepted as well, so that the
    benchmark's reference extractors can be scored by the same code. When an id repeats,
    the last record wins.
    """
    return _load_file(Path(path))

"""Boilerplate cue words per kind of block, in several languages, loaded from cues.toml.

The lexicon is data, not code: a new language or a new widget is a new pattern in the
TOML file. Matching is one compiled alternation per kind, so a block costs one regex
search per kind whatever the size of the lexicon.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def _compiled() -> dict[str, re.Pattern[str]]:
    data = tomllib.loads(files("dehusk.classify").joinpath("cues.toml").read_text(encoding="utf-8"))
    return {
        kind: re.compile("|".join(f"(?:{p})" for p in table["patterns"]), re.IGNORECASE | re.MULTILINE)
        for kind, table in data.items()
    }


def cue_kinds() -> tuple[str, ...]:
    """The kinds the lexicon has cues for, in file order."""
    return tuple(_compiled())


def find_cue(kind: str, text: str) -> str | None:
    """The first cue of ``kind`` in ``text``, as written there, or None.

    >>> find_cue("weather", "New Delhi -°C"), find_cue("share", "A long sentence.")
    ('-°C', None)
    """
    match = _compiled()[kind].search(text)
    return match.group(0).strip() if match else None


def cue_hits(text: str) -> list[bool]:
    """For each kind of :func:`cue_kinds`, whether ``text`` holds one of its cues."""
    return [pattern.search(text) is not None for pattern in _compiled().values()]

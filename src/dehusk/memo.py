"""What a process remembers of the texts it has met, and how to forget it.

Answers about texts are cached where they are computed (a block's normalised words and its
cues, a class string's words, a date search, a rare word's verdict): a corpus repeats its
templates' strings from page to page, and a cache hit beats the work. A benchmark that times
pages as new ones must forget them all; each such cache registers itself here, so that no
caller has to know their names (models, lexicons and tables are not answers: they stay).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

_FORGETTERS: list[Callable[[], None]] = []


def text_cache(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` for answers about texts, emptied by ``forget_texts``."""

    def decorate(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        _FORGETTERS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return decorate


def on_forget(clear: Callable[[], None]) -> Callable[[], None]:
    """Have ``forget_texts`` call ``clear``, which empties a memo of answers about texts."""
    _FORGETTERS.append(clear)
    return clear


def forget_texts() -> None:
    """Forget every answer about texts that this process remembers."""
    for clear in _FORGETTERS:
        clear()

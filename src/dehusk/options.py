"""The options every face of dehusk shares: the CLI flags, the API keywords."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    """How to clean. The defaults are what ``dehusk clean`` does without flags."""

    mode: str = "fast"  # fast | precise: the HTML extraction path
    threshold: float = 0.5  # a block is kept when the model's probability reaches this
    repair: bool = True  # the repair stage on kept text
    typos: str = "safe"  # off | safe | aggressive
    protected: frozenset[str] = frozenset()  # words the typo repair never touches
    fallback: bool = True  # a fast result that looks unreliable goes to the precise path
    model: str | None = None  # a block model JSON file of one's own (scripts/train_models.py)
    title_model: str | None = None  # a title model JSON file of one's own
    explain: bool = False  # keep every block of an HTML page, those outside the article's container too

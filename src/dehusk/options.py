"""The options every face of dehusk shares: the CLI flags, the API keywords."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits that keep one hostile input from stalling or swamping a run.

    Past a size limit a document is refused as ``too-large`` before it is read whole (a
    gzip bomb is inflated only up to the limit); long lines and deep nesting are cut down
    to size and the cut is recorded in the record's ``metadata.limits``. The time limit
    per document is the run's (RunOptions.timeout), because only a run can stop a worker.
    """

    max_document_bytes: int = 32 << 20  # a page, dump or record, decompressed: no article is 32 MB
    max_file_bytes: int = 16 << 30  # a file of records (JSONL), decompressed
    max_line_chars: int = 20_000  # a line of a text dump longer than this is cut into lines
    max_depth: int = 512  # HTML elements nested deeper than this are read as their text
    max_blocks: int = 20_000  # blocks classified per document: the rest of a page this long is cut


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
    # corpus-level templates (classify.templates): lines a site prints on many of its pages go.
    # Off by default: on ScrapingHub and a corpus of 4 sites x ~100 pages it measured no gain.
    templates: bool = False  # learned while the run streams (a site's first pages are judged on fewer)
    two_pass: bool = False  # counted over all inputs first, then applied (implies templates; not stdin)
    limits: Limits = field(default_factory=Limits)

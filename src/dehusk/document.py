"""The two types every stage passes along: a Document and the Blocks it is cut into.

A reader makes a Document from one input record; each later stage fills in more of it
(decoded text, blocks and their decisions, metadata, repairs) and a writer turns it into
one output record, or one error record when a stage gave up on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Error kinds, a closed vocabulary so that error files can be counted and grepped.
ERROR_KINDS = (
    "not-text",  # binary content where text or HTML was expected
    "decode",  # bytes that no charset turns into text
    "too-large",  # over a configured size limit
    "timeout",  # over the time limit per document
    "truncated",  # the input ends before the record does
    "corrupt",  # a compressed or container stream that cannot be read
    "bad-json",  # a JSONL line that is not a JSON object
    "no-content-field",  # a JSON record with neither text nor html
    "empty",  # nothing at all to clean
    "internal",  # a bug in dehusk: the traceback is in the detail
)


@dataclass(slots=True)
class Block:
    """One unit of decision: a paragraph, heading, list item or table, with its verdict.

    ``kind`` names what the block is (``content``, ``title``, ``nav``, ``caption``...),
    ``keep`` whether it goes into the article text, ``reason`` why, in words a person can
    check. The DOM fields stay at their defaults for blocks cut from a text dump.
    """

    text: str
    kind: str = "content"
    keep: bool = True
    reason: str = ""
    score: float = 0.0  # the model's probability that the block is article content
    # HTML only: where the block stood in the page
    tag: str = ""
    tokens: str = ""  # class and id words of the block's element, then of each ancestor: "caption > figure"
    link_density: float = 0.0
    depth: int = 0
    heading: int = 0  # 1-6 for h1-h6, else 0
    in_list: bool = False
    in_table: bool = False


@dataclass(slots=True)
class DocumentError:
    """Why a document could not be cleaned: a kind from ERROR_KINDS and a detail."""

    kind: str
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ERROR_KINDS:
            raise ValueError(f"unknown error kind {self.kind!r}")


@dataclass(slots=True)
class Document:
    """One input record on its way through the pipeline.

    ``content`` holds what the reader found: bytes from a file (decoded by the first
    stage) or text from a JSON field. ``format`` says how to read it: ``text`` for a
    flattened dump, ``html`` for markup.
    """

    id: str
    source: str
    format: str
    content: str | bytes
    url: str | None = None
    title: str | None = None
    description: str | None = None
    date: str | None = None
    text: str = ""
    lang: str | None = None
    blocks: list[Block] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    error: DocumentError | None = None

    def fail(self, kind: str, detail: str = "") -> Document:
        """Mark the document as failed; later stages pass it through untouched."""
        self.error = DocumentError(kind, detail)
        return self

    def count_repair(self, name: str, n: int = 1) -> None:
        """Add ``n`` repairs of kind ``name`` to ``metadata['repairs']``."""
        if n:
            repairs = self.metadata.setdefault("repairs", {})
            repairs[name] = repairs.get(name, 0) + n

    def to_record(self) -> dict[str, Any]:
        """The output record of design.md: id, url, title, description, date, text, metadata."""
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "description": self.description,
            "date": self.date,
            "text": self.text,
            "metadata": {"source": self.source, "format": self.format, "lang": self.lang, **self.metadata},
        }

    def to_error_record(self) -> dict[str, Any]:
        """The error record: id, source, error kind and a detail a person can act on."""
        assert self.error is not None
        return {"id": self.id, "source": self.source, "error": self.error.kind, "detail": self.error.detail}

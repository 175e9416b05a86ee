"""The run's counts: what was read, written, empty or failed, how many bytes and how fast.

Every document read ends either written or as an error, so ``read == written +
sum(errors.values())`` always holds; a run whose numbers do not add up lost documents.

>>> stats = RunStats()
>>> stats.add(Document(id="a", source="a.txt", format="text", content=b"x", text="x"))
>>> stats.read, stats.written, stats.empty
(1, 1, 0)
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dehusk.document import Document


@dataclass
class RunStats:
    """Counts for one run; ``add`` each finished document, print ``summary()`` at the end."""

    read: int = 0
    written: int = 0
    empty: int = 0  # written, but with no text left after cleaning
    errors: Counter[str] = field(default_factory=Counter)
    bytes_in: int = 0
    bytes_out: int = 0
    fallbacks: int = 0  # fast HTML results handed to the precise path (its result kept or declined)
    started: float = field(default_factory=time.monotonic)
    stopped: float | None = None

    def add(self, doc: Document, bytes_out: int = 0) -> None:
        """Count one finished document (written or failed) and the bytes its record took."""
        self.read += 1
        self.bytes_in += doc.metadata.get("bytes") or _size(doc.content)
        self.bytes_out += bytes_out
        self.fallbacks += "fallback" in doc.metadata or "fallback_declined" in doc.metadata
        if doc.error is not None:
            self.errors[doc.error.kind] += 1
        else:
            self.written += 1
            if not doc.text.strip():
                self.empty += 1

    def merge(self, other: RunStats) -> None:
        """Add another run's counts (a shard cleaned elsewhere); the clock stays this run's."""
        self.read += other.read
        self.written += other.written
        self.empty += other.empty
        self.errors.update(other.errors)
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.fallbacks += other.fallbacks

    def stop(self) -> None:
        """Freeze the clock, so summary() and as_dict() agree on the time taken."""
        if self.stopped is None:
            self.stopped = time.monotonic()

    @property
    def seconds(self) -> float:
        """Time since the run started (until stop())."""
        return (self.stopped if self.stopped is not None else time.monotonic()) - self.started

    @property
    def docs_per_second(self) -> float:
        seconds = self.seconds
        return self.read / seconds if seconds > 0 else 0.0

    def summary(self) -> str:
        """One line for the end of a run, errors by kind when there are any.

        ``read 5 · written 3 · empty 0 · errors 2 (bad-json 1, empty 1) · 0.4 s · 12.3 docs/s``
        """
        errors = f"errors {sum(self.errors.values())}"
        if self.errors:
            kinds = sorted(self.errors.items(), key=lambda kind_count: (-kind_count[1], kind_count[0]))
            errors += " (" + ", ".join(f"{kind} {count}" for kind, count in kinds) + ")"
        return " · ".join(
            [
                f"read {self.read}",
                f"written {self.written}",
                f"empty {self.empty}",
                errors,
                *([f"fallback {self.fallbacks}"] if self.fallbacks else []),
                f"{self.seconds:.1f} s",
                f"{self.docs_per_second:.1f} docs/s",
            ]
        )

    def as_dict(self) -> dict[str, Any]:
        """The counts as plain JSON values, for a ``--stats`` file."""
        return {
            "read": self.read,
            "written": self.written,
            "empty": self.empty,
            "errors": dict(sorted(self.errors.items())),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "fallbacks": self.fallbacks,
            "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.docs_per_second, 1),
        }


def _size(content: str | bytes) -> int:
    """Bytes of a document's input: str content counts as its UTF-8 encoding."""
    if isinstance(content, bytes):
        return len(content)
    if content.isascii():
        return len(content)
    return len(content.encode("utf-8", "surrogatepass"))

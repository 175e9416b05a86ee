"""One repair, as recorded: what kind, what was written, what it became, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Change:
    """A repair made to the text; ``before`` and ``after`` are short excerpts, ``why`` a reason
    a person can check ("one letter doubled; 'ups' is 900x more common than 'upps'")."""

    kind: str  # typo, doubled, hyphenation, characters, encoding, spaces
    before: str
    after: str
    why: str = ""

    def record(self) -> dict[str, str]:
        """As stored in ``metadata.repairs_detail``."""
        return {"kind": self.kind, "from": self.before, "to": self.after, "why": self.why}

"""WARC input: not supported yet. Reading WARC records (one Document per response) is a later issue.

Until then a WARC file becomes one clear error record instead of being read as text.
"""

from __future__ import annotations

from collections.abc import Iterator

from dehusk.document import Document


def read_warc(file_id: str, source: str) -> Iterator[Document]:
    """One ``not-text`` error record for the whole file."""
    doc = Document(id=file_id, source=source, format="warc", content=b"")
    yield doc.fail("not-text", f"{source}: WARC input is not supported yet")

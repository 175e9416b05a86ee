"""The library face of dehusk: clean a page, a stream of records, or paths.

>>> page = "Home\\n\\nA headline for the story\\n\\n" + "The council met on Monday and agreed a plan. " * 4
>>> doc = clean(page)
>>> doc.title, doc.text[:22]
('A headline for the story', 'The council met on Mon')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from dehusk.document import Document
from dehusk.options import Options
from dehusk.readers import looks_like_html, read
from dehusk.run.pipeline import clean_document, pipeline


def clean(
    content: str | bytes,
    *,
    url: str | None = None,
    format: str | None = None,
    id: str = "document",
    **options: Any,
) -> Document:
    """Clean one page or dump; the Document comes back with its blocks and their verdicts.

    ``format`` is ``"text"`` for a flattened dump or ``"html"``; by default it is sniffed.
    ``options`` are the fields of :class:`dehusk.options.Options` (mode, threshold, repair...).
    """
    if format is None:
        sample = content[:4096].decode("utf-8", "replace") if isinstance(content, bytes) else content[:4096]
        format = "html" if looks_like_html(sample) else "text"
    doc = Document(id=id, source=id, format=format, content=content, url=url)
    return clean_document(doc, Options(**options))


def clean_records(records: Iterable[Mapping[str, Any]], **options: Any) -> Iterator[Document]:
    """Clean a stream of records with ``id``, ``url`` and ``text`` or ``html``, lazily."""
    for n, record in enumerate(records, start=1):
        # a field that is not a string (null, a number) is no page: the record fails, the stream goes on
        html, text_field = (_string(record.get(name)) for name in ("html", "text"))
        text = html or text_field or ""
        fmt = "html" if html or looks_like_html(text[:4096]) else "text"
        doc = Document(
            id=str(record.get("id", n)), source="<records>", format=fmt, content=text, url=record.get("url")
        )
        if not text.strip():
            doc.fail("no-content-field" if html is None and text_field is None else "empty", f"record {n}")
            yield doc
        else:
            yield clean_document(doc, Options(**options))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def clean_paths(paths: Sequence[str], **options: Any) -> Iterator[Document]:
    """Clean files, directories, globs or ``-``, as ``dehusk clean`` does, lazily."""
    return pipeline(Options(**options))(read(paths))

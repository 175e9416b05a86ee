"""The extractors a benchmark compares: dehusk's two paths and the peers, behind one signature.

Each adapter turns a :class:`~dehusk.evaluate.corpus.Page` into article text, called the way
the tool's own documentation calls it for main-content extraction, comments off:

==========================  =====================================================================
``dehusk-fast``             ``dehusk.api.clean(bytes, format="html")`` (fallback to precise on)
``dehusk-precise``          ``dehusk.api.clean(bytes, format="html", mode="precise")``
``trafilatura``             ``trafilatura.extract(text, include_comments=False)`` -- the baseline
``trafilatura-precision``   the same with ``favor_precision=True``
``readability``             readability-lxml ``Document(text).summary(html_partial=True)``, flattened
``resiliparse``             ``extract_plain_text(text, main_content=True)``
``justext``                 ``justext.justext(bytes, all stoplists)``, the non-boilerplate paragraphs
``newspaper4k``             ``newspaper.article(url, input_html=text).text``
==========================  =====================================================================

dehusk gets the file's bytes (decoding is part of its job, as in ``dehusk clean``); the peers get
the page already decoded, which can only flatter them. Peers are imported when asked for; a
peer that is not installed is reported as missing, never an error: none is a dependency of
dehusk, except trafilatura and jusText (the precise path uses them).
"""

from __future__ import annotations

import importlib.metadata
import logging
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dehusk.evaluate.corpus import Page

__all__ = ["BASELINE", "EXTRACTORS", "Extractor", "ExtractorError", "load_extractor", "load_extractors"]

#: Speed is reported as a ratio to this one, measured in the same run.
BASELINE = "trafilatura"
#: For newspaper4k, which wants a URL; it is never fetched.
_PLACEHOLDER_URL = "https://example.com/article"


class ExtractorError(RuntimeError):
    """The extractor failed on a page (its output is scored as empty)."""


@dataclass(frozen=True, slots=True)
class Extractor:
    """A named extractor: ``run(page)`` is the article text."""

    name: str
    label: str  # for tables and plots
    version: str
    run: Callable[[Page], str]

    def extract(self, page: Page) -> tuple[str, str | None]:
        """The output and None, or "" and the error in one line: a failing page must not stop a bench."""
        try:
            return self.run(page) or "", None
        except Exception as exc:
            return "", f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _dehusk(mode: str) -> Extractor:
    from dehusk import __version__
    from dehusk.api import clean

    def run(page: Page) -> str:
        doc = clean(page.raw, format="html", id=page.id, url=page.url, mode=mode)
        if doc.error is not None and doc.error.kind == "internal":
            raise ExtractorError(doc.error.detail.splitlines()[0])
        return doc.text

    return Extractor(f"dehusk-{mode}", f"dehusk {mode}", __version__, run)


def _trafilatura(precision: bool) -> Extractor:
    import trafilatura

    def run(page: Page) -> str:
        return trafilatura.extract(page.html, include_comments=False, favor_precision=precision) or ""

    if precision:
        return Extractor("trafilatura-precision", "trafilatura precision", _version("trafilatura"), run)
    return Extractor("trafilatura", "trafilatura", _version("trafilatura"), run)


def _readability() -> Extractor:
    from readability import Document as ReadabilityDocument

    from dehusk.extract.flatten import flatten_html

    logging.getLogger("readability").setLevel(logging.ERROR)  # it logs every page it finds hard

    def run(page: Page) -> str:
        # its output is HTML: flattened as a reader sees it, paragraphs apart
        return flatten_html(ReadabilityDocument(page.html).summary(html_partial=True))

    return Extractor("readability", "readability-lxml", _version("readability-lxml"), run)


def _resiliparse() -> Extractor:
    from resiliparse.extract.html2text import extract_plain_text

    def run(page: Page) -> str:
        return extract_plain_text(page.html, main_content=True)

    return Extractor("resiliparse", "resiliparse", _version("resiliparse"), run)


def _justext() -> Extractor:
    import justext

    # every language's stop words at once, as trafilatura calls it: the pages are not all English
    stoplist = frozenset().union(*(justext.get_stoplist(lang) for lang in justext.get_stoplists()))

    def run(page: Page) -> str:
        paragraphs = justext.justext(page.raw, stoplist)
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return Extractor("justext", "jusText", _version("justext"), run)


def _newspaper() -> Extractor:
    with warnings.catch_warnings():  # it warns at import that its optional NLP is missing
        warnings.simplefilter("ignore")
        import newspaper

    def run(page: Page) -> str:
        with warnings.catch_warnings():  # dateutil's, on every page with a time zone it does not know
            warnings.simplefilter("ignore")
            # fetch_images off: it would download each page's images to size them (network, not extraction)
            url = page.url or _PLACEHOLDER_URL
            article = newspaper.article(url, input_html=page.html, fetch_images=False)
        return article.text or ""

    return Extractor("newspaper4k", "newspaper4k", _version("newspaper4k"), run)


#: Every known extractor by name, in table order: dehusk first, then the baseline, then the peers.
EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "dehusk-fast": lambda: _dehusk("fast"),
    "dehusk-precise": lambda: _dehusk("precise"),
    "trafilatura": lambda: _trafilatura(False),
    "trafilatura-precision": lambda: _trafilatura(True),
    "readability": _readability,
    "resiliparse": _resiliparse,
    "justext": _justext,
    "newspaper4k": _newspaper,
}


def load_extractor(name: str) -> Extractor:
    """The named extractor; ImportError when its package is not installed, KeyError for a bad name."""
    if name not in EXTRACTORS:
        raise KeyError(f"unknown extractor {name!r}; known: {', '.join(EXTRACTORS)}")
    return EXTRACTORS[name]()


def load_extractors(names: Iterable[str] | None = None) -> tuple[list[Extractor], dict[str, str]]:
    """The named extractors (all known ones by default) that are installed, and why others are not."""
    wanted: Sequence[str] = list(names) if names else list(EXTRACTORS)
    found, missing = [], {}
    for name in wanted:
        try:
            found.append(load_extractor(name))
        except ImportError as exc:
            missing[name] = f"not installed ({exc.name or exc})"
    return found, missing

"""The text-dump path and the repair stage, each on its own.

- ``text-dump``: the ScrapingHub pages flattened as a naive scraper would (every visible text,
  menus too: ``dehusk.extract.flatten``), cleaned by dehusk's text path; trafilatura on the same
  dumps (each paragraph wrapped in ``<p>``) is the baseline of the group (design.md: 0.69 there).
- ``repair``: the repair stage alone (``safe`` typos) on the gold article bodies -- clean text,
  so what it costs is overhead, and every change it makes is a false one (``changes`` in
  ``extra_info``). The issue's bar: under 10% of the fast path's time per page, written into the
  JSON as ``share_of_fast_path`` (this group's mean over the ``html`` group's dehusk fast mean:
  run with ``test_html.py`` for it to appear).
"""

from __future__ import annotations

import html
from collections import Counter

import pytest

from bench_support import per_page, record, record_accuracy
from dehusk.api import clean
from dehusk.evaluate.corpus import Corpus
from dehusk.evaluate.metric import evaluate
from dehusk.extract.flatten import flatten_html
from dehusk.language import detect_language
from dehusk.repair import repair_text


@pytest.fixture(scope="session")
def dumps(scrapinghub: Corpus) -> list[tuple[str, str]]:
    return [(page.id, flatten_html(page.html)) for page in scrapinghub.pages]


def _dehusk_text(dump: str) -> str:
    doc = clean(dump, format="text")
    assert doc.error is None or doc.error.kind == "empty", doc.error
    return doc.text


def _as_html(dump: str) -> str:
    """A dump as the page an HTML extractor needs: a paragraph per block, ``<br>`` per line break."""
    paragraphs = (html.escape(p).replace("\n", "<br>") for p in dump.split("\n\n") if p.strip())
    return "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"


def _trafilatura_text(dump: str) -> str:
    import trafilatura

    # given the bare text it finds no HTML and returns nothing; wrapped, it scores 0.69 (design.md)
    return trafilatura.extract(_as_html(dump), include_comments=False) or ""


@pytest.mark.parametrize("name", ["dehusk-text", "trafilatura"])
def test_text_dump(
    benchmark, scrapinghub: Corpus, dumps: list[tuple[str, str]], passes: int, name: str
) -> None:
    benchmark.group = "text-dump"
    fn = _dehusk_text if name == "dehusk-text" else _trafilatura_text
    outputs = per_page(benchmark, fn, dumps, passes)
    scores, _ = evaluate(outputs, scrapinghub.gold)
    record_accuracy(benchmark, name, scores, len(dumps), passes, corpus=f"{scrapinghub.name} (flattened)")


def test_repair(benchmark, scrapinghub: Corpus, passes: int) -> None:
    benchmark.group = "repair"
    items = []
    for page_id, body in scrapinghub.gold.items():
        lang = detect_language([p for p in body.split("\n") if p.strip()])  # as classify would: not timed
        items.append((page_id, (body, lang)))
    results = per_page(benchmark, lambda arg: repair_text(arg[0], arg[1], "safe"), items, passes)

    changes = Counter(change.kind for _, found in results.values() for change in found)
    words = sum(len(body.split()) for body, _ in (arg for _, arg in items))
    benchmark.extra_info.update(
        corpus=f"{scrapinghub.name} (gold bodies)",
        pages=len(items),
        passes=passes,
        words=words,
        changes=dict(changes),  # on clean text every change is a false one
    )
    record(benchmark, "repair")

"""HTML pages: every extractor's time per page and its accuracy on the ScrapingHub set.

One benchmark per extractor in the group ``html``, the same pages for all; a peer that is
not installed is skipped. ``extra_info`` carries precision, recall and F1 (the benchmark's
shingle metric, over the pages timed) and, in the JSON, the speed ratios to trafilatura.
"""

from __future__ import annotations

import pytest

from bench_support import per_page, record_accuracy
from dehusk.evaluate.corpus import Corpus
from dehusk.evaluate.extractors import EXTRACTORS, load_extractor
from dehusk.evaluate.metric import evaluate


@pytest.mark.parametrize("name", list(EXTRACTORS))
def test_html(benchmark, scrapinghub: Corpus, passes: int, name: str) -> None:
    try:
        extractor = load_extractor(name)
    except ImportError as exc:
        pytest.skip(f"{name} is not installed ({exc.name or exc})")
    benchmark.group = "html"
    items = [(page.id, page) for page in scrapinghub.pages]
    results = per_page(benchmark, extractor.extract, items, passes)

    outputs = {key: text for key, (text, _) in results.items()}
    errors = sum(error is not None for _, error in results.values())
    scores, _ = evaluate(outputs, scrapinghub.gold)
    record_accuracy(
        benchmark,
        name,
        scores,
        len(items),
        passes,
        version=extractor.version,
        corpus=scrapinghub.name,
        errors=errors,
    )
    if name.startswith("dehusk"):
        assert errors == 0, "dehusk failed on a page: " + next(e for _, e in results.values() if e)

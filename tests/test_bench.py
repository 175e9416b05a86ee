"""``dehusk bench`` on a tiny corpus built in tmp_path from fixtures/html: loading, the runner, the
table in its three shapes (terminal, Markdown, JSON) and the plot.

The gold of each page is its expected paragraphs (fixtures/html-expected ``text_contains``).
The extractors are real ones that are always installed (dehusk fast, trafilatura -- the
baseline) and two stand-ins whose scores are known in advance: one returns the gold, one
raises. No network, no ../shared.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import orjson
import pytest
from rich.console import Console

from dehusk.evaluate.bench import (
    BenchReport,
    bench,
    percentile,
    render_table,
    run_bench,
    table_rows,
    to_json,
    to_markdown,
    write_report,
)
from dehusk.evaluate.corpus import Corpus, Page, find_gold, load_corpus, spread
from dehusk.evaluate.extractors import EXTRACTORS, Extractor, load_extractor, load_extractors
from dehusk.evaluate.memory import PeakMeter

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "html"
EXPECTED = ROOT / "fixtures" / "html-expected"
#: Pages of the tiny corpus: fixtures that have expected paragraphs.
NAMES = sorted(p.stem for p in EXPECTED.glob("*.json") if json.loads(p.read_text())["text_contains"])
GZIPPED = NAMES[::2]  # half of them as .html.gz, as in the ScrapingHub layout


def _gold(name: str) -> str:
    return "\n\n".join(json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))["text_contains"])


def make_scrapinghub(folder: Path) -> Path:
    """``html/NAME.html[.gz]`` and ``ground-truth.json``, as the ScrapingHub set has them."""
    (folder / "html").mkdir(parents=True)
    for name in NAMES:
        data = (PAGES / f"{name}.html").read_bytes()
        if name in GZIPPED:
            (folder / "html" / f"{name}.html.gz").write_bytes(gzip.compress(data))
        else:
            (folder / "html" / f"{name}.html").write_bytes(data)
    truth = {name: {"articleBody": _gold(name), "url": f"https://example.org/{name}"} for name in NAMES}
    (folder / "ground-truth.json").write_bytes(orjson.dumps(truth))
    return folder


def _echo_gold(corpus: Corpus) -> Extractor:
    return Extractor("oracle", "oracle", "1", lambda page: corpus.gold[page.id])


def _broken() -> Extractor:
    def run(page: Page) -> str:
        raise RuntimeError(f"cannot read {page.id}\nsecond line")

    return Extractor("broken", "broken", "0", run)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus(make_scrapinghub(tmp_path_factory.mktemp("sh") / "scrapinghub"))


@pytest.fixture(scope="module")
def report(corpus: Corpus) -> BenchReport:
    small = Corpus(
        corpus.name, corpus.path, corpus.pages[:4], {p.id: corpus.gold[p.id] for p in corpus.pages[:4]}
    )
    extractors = [load_extractor("dehusk-fast"), load_extractor("trafilatura"), _echo_gold(small), _broken()]
    return run_bench(small, extractors, warmup=1, repeat=2, missing={"resiliparse": "not installed (x)"})


# --- the corpus -------------------------------------------------------------------------------------------


def test_scrapinghub_layout_reads_plain_and_gzipped_pages(corpus: Corpus) -> None:
    assert [p.id for p in corpus.pages] == NAMES
    assert set(corpus.gold) == set(NAMES) and corpus.unmatched == 0
    for page in corpus.pages:
        assert page.raw == (PAGES / f"{page.id}.html").read_bytes()  # decompressed when gzipped
        assert "<" in page.html and page.url == f"https://example.org/{page.id}"
    assert corpus.gold["captions"].startswith("French firefighters said on Wednesday")


def test_folder_of_pages_with_a_gold_jsonl(tmp_path: Path) -> None:
    for name in NAMES[:3]:
        shutil.copy(PAGES / f"{name}.html", tmp_path / f"{name}.html")
    shutil.copy(PAGES / "simple.html", tmp_path / "no_gold.html")  # a page without gold is left out
    lines = [orjson.dumps({"id": name, "text": _gold(name)}) for name in NAMES[:3]]
    lines.append(orjson.dumps({"id": "no_page", "text": "A gold text for a page that is not there."}))
    (tmp_path / "mine.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    corpus = load_corpus(tmp_path)
    assert [p.id for p in corpus.pages] == NAMES[:3]
    assert corpus.unmatched == 2 and corpus.pages[0].url is None
    assert find_gold(tmp_path).name == "mine.jsonl"


def test_a_folder_without_gold_says_what_it_wanted(tmp_path: Path) -> None:
    shutil.copy(PAGES / "simple.html", tmp_path / "simple.html")
    with pytest.raises(FileNotFoundError, match=r"ground-truth\.json or gold\.jsonl"):
        load_corpus(tmp_path)
    (tmp_path / "gold.jsonl").write_text('{"id": "other", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no page has an id of the gold"):
        load_corpus(tmp_path)


def test_limit_spreads_over_the_corpus(tmp_path: Path) -> None:
    corpus = load_corpus(make_scrapinghub(tmp_path / "c"), limit=3)
    assert (
        [p.id for p in corpus.pages]
        == spread(NAMES, 3)
        == [NAMES[0], NAMES[len(NAMES) // 3], NAMES[2 * len(NAMES) // 3]]
    )
    assert set(corpus.gold) == {p.id for p in corpus.pages}


# --- the runner -----------------------------------------------------------------------------------------


def test_scores_of_known_extractors(report: BenchReport) -> None:
    oracle, broken = report.result("oracle"), report.result("broken")
    assert oracle is not None and broken is not None
    assert (oracle.scores.precision, oracle.scores.recall, oracle.scores.f1) == (1.0, 1.0, 1.0)
    assert oracle.page_f1 == [1.0] * 4 and not oracle.errors
    assert broken.scores.f1 == 0.0 and broken.scores.n_empty == 4
    assert set(broken.errors) == set(report.page_ids)
    assert broken.errors[report.page_ids[0]] == f"RuntimeError: cannot read {report.page_ids[0]}"  # one line
    fast = report.result("dehusk-fast")
    assert fast is not None and fast.scores.f1 > 0.8 and not fast.errors


def test_times_are_per_page_and_ratios_are_to_trafilatura(report: BenchReport) -> None:
    assert report.repeat == 2 and report.warmup == 1 and len(report.page_ids) == 4
    for result in report.results:
        assert len(result.cpu) == len(result.wall) == 4
        assert all(t >= 0 for t in result.cpu + result.wall)
        assert result.ms_median("cpu") <= result.ms_p95("cpu") <= 1000 * max(result.cpu) + 1e-9
        assert result.pages_per_second("wall") == pytest.approx(4 / sum(result.wall))
    base = report.result("trafilatura")
    assert base is not None and report.ratio(base) == pytest.approx(1.0)
    fast = report.result("dehusk-fast")
    assert fast is not None
    assert report.ratio(fast) == pytest.approx(fast.pages_per_second("cpu") / base.pages_per_second("cpu"))


def test_peak_memory_is_measured_per_extractor(report: BenchReport) -> None:
    assert report.memory_method in (PeakMeter.RSS, PeakMeter.TRACEMALLOC)
    assert all(isinstance(r.peak_bytes, int) and r.peak_bytes >= 0 for r in report.results)


@pytest.mark.parametrize("method", ["rss", "tracemalloc"])
def test_peak_meter_sees_a_transient_allocation(method: str) -> None:
    if method == "rss" and PeakMeter().kind != "rss":
        pytest.skip("this system cannot reset the RSS high-water mark")
    meter = PeakMeter(method)
    size = 64 * 2**20

    def transient() -> int:
        block = b"x" * size  # touched, so resident
        return len(block)

    result, peak = meter.measure(transient)
    assert result == size and size * 0.9 <= peak <= size * 1.5
    _, idle = meter.measure(lambda: None)
    assert idle < 2**20


def test_run_bench_rejects_bad_settings(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="clock"):
        run_bench(corpus, [], clock="sundial")
    with pytest.raises(ValueError, match="repeat"):
        run_bench(corpus, [], repeat=0)


def test_percentile() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0 and percentile([], 95) == 0.0


# --- the table ------------------------------------------------------------------------------------------


def test_table_rows(report: BenchReport) -> None:
    rows = table_rows(report)
    assert [r["name"] for r in rows] == ["dehusk-fast", "trafilatura", "oracle", "broken"]
    oracle = rows[2]
    assert (
        oracle["f1"] == 1.0 and oracle["errors"] == 0 and oracle["ratio"] == report.ratio(report.results[2])
    )
    assert rows[3]["errors"] == 4 and rows[3]["empty"] == 4


def test_terminal_table_names_the_method_and_the_memory_measure(report: BenchReport) -> None:
    console = Console(record=True, width=100)
    console.print(render_table(report))
    text = console.export_text()
    for label in ("dehusk fast", "trafilatura", "oracle", "1.000", "1.00×", "MB/call"):
        assert label in text
    assert "page-major order" in text and "median of 2 runs per page" in text
    assert "Pages that raised (scored as empty): broken 4." in text
    assert "Not run: resiliparse (not installed (x))." in text


def test_markdown(report: BenchReport) -> None:
    md = to_markdown(report)
    lines = md.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| extractor"))
    assert lines[header + 1].startswith("| --- | ---: |")
    rows = lines[header + 2 : header + 6]
    assert [r.split(" | ")[0] for r in rows] == [
        f"| dehusk fast {report.results[0].version}",
        f"| trafilatura {report.results[1].version}",
        "| oracle 1",
        "| broken 0",
    ]
    assert all(r.count("|") == 10 for r in rows)  # nine columns
    assert "| oracle 1 | 1.000 | 1.000 | 1.000 |" in md
    assert "Timing: CPU time" in md and "load average" in md


def test_json_carries_every_number(report: BenchReport) -> None:
    data = orjson.loads(to_json(report))
    assert data["corpus"]["pages"] == 4 and data["baseline"] == "trafilatura"
    assert data["method"]["clock"] == "cpu" and data["method"]["repeat"] == 2
    assert data["missing"] == {"resiliparse": "not installed (x)"}
    by_name = {e["name"]: e for e in data["extractors"]}
    assert by_name["oracle"]["f1"] == 1.0 and by_name["oracle"]["per_page"]["f1"] == [1.0] * 4
    assert by_name["trafilatura"]["clocks"]["wall"]["ratio"] == pytest.approx(1.0)
    assert len(by_name["dehusk-fast"]["per_page"]["cpu_ms"]) == 4 == len(data["page_ids"])
    assert set(by_name["broken"]["error_pages"]) == set(data["page_ids"])


def test_write_report(report: BenchReport, tmp_path: Path) -> None:
    md, js = write_report(report, tmp_path / "run1")
    assert (md.name, js.name) == ("run1.md", "run1.json")
    assert md.read_text(encoding="utf-8") == to_markdown(report)
    assert orjson.loads(js.read_bytes())["extractors"][2]["name"] == "oracle"
    assert write_report(report, tmp_path / "run2.md") == (tmp_path / "run2.md", tmp_path / "run2.json")


# --- the plot -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot(report: BenchReport, tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    from dehusk.evaluate.plot import plot_report

    path = plot_report(report, tmp_path / f"bench.{suffix}")
    data = path.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    else:
        text = data.decode("utf-8")
        assert "<svg" in text
        for label in ("dehusk fast", "trafilatura", "oracle", "broken"):  # one labelled point each
            assert f"<!-- {label} -->" in text


# --- the command ----------------------------------------------------------------------------------------


def test_bench_prints_writes_and_plots(tmp_path: Path) -> None:
    folder = make_scrapinghub(tmp_path / "corpus")
    console = Console(record=True, width=120)
    plot = tmp_path / "bench.svg" if importlib.util.find_spec("matplotlib") else None
    report = bench(
        folder, extractors=["dehusk-fast", "trafilatura"], pages=3, warmup=1, memory=False,
        output=tmp_path / "out", plot=plot, console=console,
    )  # fmt: skip
    text = console.export_text()
    assert "dehusk bench: corpus, 3 pages" in text and "dehusk fast" in text
    assert report.memory_method is None and all(r.peak_bytes is None for r in report.results)
    assert (tmp_path / "out.md").is_file() and (tmp_path / "out.json").is_file()
    assert plot is None or plot.is_file()


def test_bench_refuses_bad_arguments_before_running(tmp_path: Path) -> None:
    folder = make_scrapinghub(tmp_path / "corpus")
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        bench(folder, plot=tmp_path / "bench.pdf")
    with pytest.raises(ValueError, match="unknown extractor 'tika'"):
        bench(folder, extractors=["tika"])


def test_missing_peers_are_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "resiliparse", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "resiliparse.extract.html2text", None)
    found, missing = load_extractors(["resiliparse", "trafilatura"])
    assert [e.name for e in found] == ["trafilatura"]
    assert missing["resiliparse"].startswith("not installed")
    assert list(EXTRACTORS)[:3] == ["dehusk-fast", "dehusk-precise", "trafilatura"]


def test_bench_support_ratios() -> None:
    """The ratios the benchmark suites write into pytest-benchmark's JSON (benchmarks/bench_support.py)."""
    spec = importlib.util.spec_from_file_location("bench_support", ROOT / "benchmarks" / "bench_support.py")
    assert spec is not None and spec.loader is not None
    support = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(support)
    entries = [
        {"group": "html", "extractor": "trafilatura", "mean": 0.020, "median": 0.010, "extra_info": {}},
        {"group": "html", "extractor": "dehusk-fast", "mean": 0.010, "median": 0.008, "extra_info": {}},
        {"group": "text-dump", "extractor": "dehusk-text", "mean": 0.004, "median": 0.004, "extra_info": {}},
        {"group": "repair", "extractor": "repair", "mean": 0.0005, "median": 0.0004, "extra_info": {}},
        {"group": "html", "extractor": "broken", "mean": 0.0, "median": 0.0, "extra_info": {}},
    ]
    support.add_ratios(entries)
    assert entries[0]["extra_info"]["speed_vs_trafilatura"] == 1.0
    assert entries[1]["extra_info"] == {"speed_vs_trafilatura": 2.0, "median_vs_trafilatura": 1.25}
    assert entries[2]["extra_info"] == {}  # no trafilatura in its group
    assert entries[3]["extra_info"] == {}  # its share is measured in pairs, not divided out here
    assert entries[4]["extra_info"] == {}
    paired = {"extractor": "repair/fast, paired", "repair_ms_per_page": 0.61, "fast_ms_per_page": 7.0,
              "shares": [0.087, 0.0871], "share_of_fast_path": 0.0871}  # fmt: skip
    line = support.summary_lines([{"group": "repair-share", "mean": 1.4, "extra_info": paired}])[0]
    assert "0.61 ms/page of 7.00" in line and "8.7% of dehusk fast per page (pairs: 8.7, 8.7)" in line
    assert "by language" not in line  # recorded before languages were
    paired["share_by_language"] = {"en": [161, 0.077], "de": [2, 0.291]}
    line = support.summary_lines([{"group": "repair-share", "mean": 1.4, "extra_info": paired}])[0]
    assert line.endswith("by language (pages): en 7.7% (161), de 29.1% (2)")

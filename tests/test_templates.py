"""Corpus-level templates: a line on many pages of one site goes; a story on many pages does not.

The stage is tested on classified documents built here (the verdicts a classifier gives,
so the tests do not move with the model); the run and the CLI on text dumps built from
the seeds, with ``--templates`` and ``--two-pass``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest
from typer.testing import CliRunner

from dehusk.classify.templates import (
    TemplateParams,
    TemplateSketch,
    doc_units,
    fold,
    host_key,
    template_stage,
)
from dehusk.cli import app
from dehusk.document import Block, Document
from dehusk.options import Options
from dehusk.run.local import RunOptions, run

SEEDS = Path(__file__).parent.parent / "seeds"
PROMO = "Listen to Example Radio live, every weekday"


def paragraphs() -> list[str]:
    """Real article paragraphs, all different: the seeds' longer ones."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for part in path.read_text(encoding="utf-8").split("\n\n"):
            if len(part.split()) >= 30:
                found.append(" ".join(part.split()))
    assert len(found) >= 24
    return found


def page(i: int, host: str, texts: list[str], promo: str | None = PROMO) -> Document:
    """A classified page: its own paragraphs kept, ``promo`` kept too but with a low score."""
    blocks = [Block(text, score=0.9) for text in texts]
    if promo:
        blocks.insert(1, Block(promo, score=0.3))  # kept by context, as "between two paragraphs"
    return Document(id=f"{host}/{i}", source="<t>", format="text", content="", url=f"https://{host}/a/{i}",
                    blocks=blocks)  # fmt: skip


def kept(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if b.keep]


def test_a_line_on_every_page_of_a_site_goes_and_other_sites_are_untouched() -> None:
    paras = paragraphs()
    site = [page(i, "www.example.com", paras[3 * i : 3 * i + 3]) for i in range(6)]
    other = [page(i, "other.org", [paras[18 + i]]) for i in range(2)]
    done = list(template_stage(lookahead=10)([*site[:3], other[0], *site[3:], other[1]]))
    assert [d.id for d in done] == [d.id for d in [*site[:3], other[0], *site[3:], other[1]]]
    for doc in site:
        assert PROMO not in kept(doc)
        promo = doc.blocks[1]
        assert promo.kind == "template" and "6 of 6 pages of example.com" in promo.reason
        assert len(kept(doc)) == 3 and doc.metadata["templates"] == 1
    for doc in other:  # two pages of another site: below min_pages, nothing learned there
        assert PROMO in kept(doc) and "templates" not in doc.metadata


def test_without_lookahead_the_first_pages_are_judged_on_fewer() -> None:
    paras = paragraphs()
    site = [page(i, "example.com", paras[3 * i : 3 * i + 3]) for i in range(6)]
    list(template_stage(lookahead=0)(site))
    assert [PROMO in kept(d) for d in site] == [True, True, False, False, False, False]


def test_a_story_on_many_sites_or_pages_is_no_template() -> None:
    paras = paragraphs()
    story = paras[:3]
    on_hosts = [page(0, f"site{i}.com", story, promo=None) for i in range(5)]
    list(template_stage(lookahead=10)(on_hosts))
    assert all(kept(d) == story for d in on_hosts)
    # five near-copies on one site (print, AMP, a corrected version): counted once, nothing goes
    copies = [page(i, "example.com", [story[0] + f" Updated {i}.", *story[1:]], promo=None) for i in range(5)]
    sketch = TemplateSketch()
    list(template_stage(sketch, lookahead=10)(copies))
    assert sketch.pages("host:example.com") == 1
    assert all(len(kept(d)) == 3 for d in copies)


def test_long_or_confident_blocks_stay() -> None:
    paras = paragraphs()
    box = " ".join(paras[18:20])  # a long paragraph on every page: syndication inside the site
    assert len(box.split()) > TemplateParams().max_words
    site = [page(i, "example.com", paras[3 * i : 3 * i + 3], promo=box) for i in range(6)]
    sure = [page(i, "sure.com", paras[3 * i : 3 * i + 3], promo=None) for i in range(6)]
    for doc in sure:
        doc.blocks.insert(1, Block("Read the full report", score=0.8))
    list(template_stage(lookahead=10)([*site, *sure]))
    assert all(box in kept(d) for d in site)
    assert all("Read the full report" in kept(d) for d in sure)


def test_fold_and_host() -> None:
    assert fold("© 2024 Example Ltd.") == fold("© 2025  example ltd")
    assert host_key(Document("a", "x.jsonl", "text", "", url="https://www.Example.com/x"))[1] == "example.com"
    assert host_key(Document("a", "dir/x.jsonl", "text", ""))[0] == "shard:dir/x.jsonl"
    assert host_key(Document("a", "site/a.txt", "text", ""))[0] == "dir:site"
    # a record separator inside a text still gives one hash per block
    units = doc_units(Document("a", "<t>", "text", "", blocks=[Block("one\x1etwo"), Block("three")]))
    assert len(units.blocks) == 2


def test_memory_is_bounded_with_many_hosts_and_lines() -> None:
    params = TemplateParams(counters=64, hosts=16, recent=8)
    sketch = TemplateSketch(params)
    rng = np.random.default_rng(0)
    for i in range(400):
        words = rng.integers(0, 10**9, size=120)
        blocks = [Block(f"w{a} x{b} y{c}") for a, b, c in words.reshape(-1, 3)]
        blocks.append(Block("Subscribe to our newsletter today"))
        doc = Document(id=str(i), source="<t>", format="text", content="", url=f"https://h{i % 40}.com/{i}",
                       blocks=blocks)  # fmt: skip
        sketch.observe(doc_units(doc))
    assert len(sketch.sites) == 16
    assert all(site.size <= 64 for site in sketch.sites.values())
    assert sketch.nbytes() <= 16 * (64 * 16 + 8 * 8)
    # the line on every page of a site survives the churn of 40 one-off lines per page
    key = next(iter(sketch.sites))
    line = Document("a", "<t>", "text", "", blocks=[Block("Subscribe to our newsletter today")])
    hashes = doc_units(line).blocks
    assert sketch.lower_bounds(key, hashes)[0] >= 1


# --- the run and the CLI --------------------------------------------------------------------------


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    """Six text dumps of one site and two of another as JSONL records, a promo line on the first six."""
    paras = paragraphs()
    lines = []
    for i in range(6):
        text = "\n\n".join([paras[3 * i], PROMO, paras[3 * i + 1], paras[3 * i + 2]])
        lines.append({"id": f"ex-{i}", "url": f"https://example.com/news/{i}", "text": text})
    for i in range(2):
        text = "\n\n".join(paras[18 + 2 * i : 20 + 2 * i])
        lines.append({"id": f"ot-{i}", "url": f"https://other.org/{i}", "text": text})
    path = tmp_path / "dumps.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return path


def records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_the_run_learns_templates_and_two_pass_gives_every_id_once(
    dumps: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the classifier is sure of the promo line (p > 0.5), which the default parameters never
    # overrule; with doubt above 1 the run shows that it hashes, counts and re-assembles
    from dehusk.classify import templates
    from dehusk.run import local

    eager = templates.TemplateParams(doubt=1.01)
    monkeypatch.setattr(
        local, "count_blocks", lambda docs: templates.count_blocks(docs, TemplateSketch(eager))
    )
    monkeypatch.setattr(
        local,
        "template_stage",
        lambda sketch, **kw: templates.template_stage(sketch or TemplateSketch(eager), **kw),
    )
    outputs = {}
    modes = {"off": Options(), "stream": Options(templates=True), "two": Options(two_pass=True)}
    for name, options in modes.items():
        out = tmp_path / f"{name}.jsonl"
        run([str(dumps)], options, RunOptions(output=str(out), workers=1, show_progress=False))
        outputs[name] = records(out)
    ids = [r["id"] for r in outputs["off"]]
    assert len(ids) == 8 and len(set(ids)) == 8
    off = {r["id"]: r for r in outputs["off"]}
    assert all(PROMO in off[f"ex-{i}"]["text"] for i in range(6))  # the classifier alone keeps it
    for name in ("stream", "two"):
        assert [r["id"] for r in outputs[name]] == ids, name
        for record in outputs[name]:
            assert "_template_units" not in record["metadata"]
            before = off[record["id"]]
            if record["id"].startswith("ot-"):  # another site: untouched
                assert record["text"] == before["text"] and "templates" not in record["metadata"]
            else:  # only the repeated line goes, never a paragraph
                assert record["text"] == before["text"].replace(f"\n\n{PROMO}", ""), name
                assert record["metadata"]["templates"] == 1
                assert record["metadata"]["removed"]["template"] == 1
                assert record["metadata"]["blocks"]["kept"] == before["metadata"]["blocks"]["kept"] - 1


def test_cli_two_pass_and_its_usage_errors(dumps: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(dumps), "-o", f"{out}/", "--two-pass", "--workers", "1"])
    assert result.exit_code == 0, result.output
    shard = next(out.glob("*.jsonl*"))
    from dehusk.readers import read

    ids = [doc.id.rsplit("/", 1)[-1] for doc in read([str(shard)])]
    assert sorted(ids) == [*(f"ex-{i}" for i in range(6)), "ot-0", "ot-1"]
    result = runner.invoke(app, ["clean", "-", "--two-pass"])
    assert result.exit_code == 2 and "stdin" in result.output
    ray = ["clean", str(dumps), "-o", f"{tmp_path}/r/", "--two-pass", "--engine", "ray"]
    result = runner.invoke(app, ray)
    assert result.exit_code == 2 and "local engine" in result.output

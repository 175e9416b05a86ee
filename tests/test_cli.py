"""The command line, run in-process on the seeds and on small inputs made in tmp_path.

Two ways in: typer's CliRunner on ``dehusk.cli.app`` (output captured per stream), and
``dehusk.cli.main()`` -- the installed ``dehusk`` script -- with a patched ``sys.argv``,
which is where usage mistakes become one line and exit code 2.
"""

from __future__ import annotations

import gzip
import random
import re
import shutil
import struct
import sys
import zlib
from collections import Counter
from pathlib import Path

import orjson
import pytest
import zstandard
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from conftest import explained_blocks, html_page
from dehusk import cli
from dehusk.api import clean as api_clean
from dehusk.document import ERROR_KINDS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "seeds-expected"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
SEED_000 = SEEDS / "000_e5b2f53ae80714c2.txt"
SEED_004 = SEEDS / "004_9d7f267a3ae22dc7.txt"
RECORD_FIELDS = ["id", "url", "title", "description", "date", "text", "metadata"]
ERROR_FIELDS = ["id", "source", "error", "detail"]
SUMMARY = re.compile(r"^dehusk: read (\d+) · written (\d+) · empty (\d+) · errors (\d+)", re.MULTILINE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

runner = CliRunner()


def invoke(*args: str | Path, input: str | bytes | None = None):
    """Run ``dehusk ARGS`` in-process; fail the test on an unexpected exception."""
    result = runner.invoke(cli.app, [str(a) for a in args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> int:
    """Run the ``dehusk`` entry point as the shell would; return its exit code."""
    monkeypatch.setattr(sys, "argv", ["dehusk", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    code = exit_info.value.code
    return 0 if code is None else int(code)


def read_jsonl(data: bytes) -> list[dict]:
    return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def summary(stderr: str) -> tuple[int, int, int, int]:
    """(read, written, empty, errors) from the run's last line on stderr."""
    found = SUMMARY.findall(stderr)
    assert len(found) == 1, stderr
    return tuple(int(n) for n in found[0])  # type: ignore[return-value]


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], str]:
    """One ``dehusk clean seeds -o OUT.jsonl`` shared by the tests that only read its output."""
    out = tmp_path_factory.mktemp("seeds-run") / "out.jsonl"
    result = invoke("clean", SEEDS, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out, read_jsonl(out.read_bytes()), result.stderr


@pytest.fixture(scope="module")
def seed_texts(seeds_run: tuple[Path, list[dict], str]) -> dict[str, str]:
    return {record["id"]: record["text"] for record in seeds_run[1]}


# ---------------------------------------------------------------- clean: output


def test_clean_seeds_writes_one_schema_record_per_seed(seeds_run: tuple[Path, list[dict], str]) -> None:
    _, records, stderr = seeds_run
    assert [r["id"] for r in records] == SEED_IDS
    for record in records:
        assert list(record) == RECORD_FIELDS
        assert record["url"] is None
        assert isinstance(record["title"], str) and record["title"]
        assert record["date"] is None or ISO_DATE.match(record["date"])
        text = record["text"]
        assert isinstance(text, str) and len(text) > 500
        assert "\n\n" in text and "\n\n\n" not in text and text == text.strip()
        assert not text.startswith(record["title"]), "the title belongs in 'title', not in the text"
        meta = record["metadata"]
        assert {"source", "format", "mode", "lang", "blocks"} <= set(meta)
        assert Path(meta["source"]).name == record["id"] + ".txt"
        assert meta["format"] == "text"
        assert meta["mode"] in ("text", "fast", "precise")
        assert meta["lang"] == "en"
        assert set(meta["blocks"]) == {"kept", "removed"}
        assert meta["blocks"]["kept"] >= 1 and meta["blocks"]["removed"] >= 1
        assert meta["blocks"]["kept"] == len(text.split("\n\n"))
    first = records[0]
    assert (first["title"], first["date"]) == ("Cold War foes discuss Syria", "2015-09-19")
    assert summary(stderr) == (5, 5, 0, 0)


def test_clean_to_stdout_is_jsonl_and_the_summary_goes_to_stderr(seed_texts: dict[str, str]) -> None:
    result = invoke("clean", SEEDS)
    assert result.exit_code == 0
    records = read_jsonl(result.stdout_bytes)
    assert {r["id"]: r["text"] for r in records} == seed_texts
    assert "dehusk:" not in result.stdout
    assert "{" not in result.stderr  # no records (nor error records) on stderr
    assert summary(result.stderr) == (5, 5, 0, 0)


def _read_gz(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _read_zst(path: Path) -> bytes:
    with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as stream:
        return stream.read()


@pytest.mark.parametrize(("suffix", "decompress"), [(".gz", _read_gz), (".zst", _read_zst)])
def test_compressed_output_round_trips(
    tmp_path: Path, suffix: str, decompress, seeds_run: tuple[Path, list[dict], str]
) -> None:
    out = tmp_path / f"out.jsonl{suffix}"
    assert invoke("clean", SEEDS, "-o", out).exit_code == 0
    raw = out.read_bytes()
    assert not raw.startswith(b"{"), "the file is compressed"
    assert read_jsonl(decompress(out)) == seeds_run[1]  # the same records as the plain file


# ---------------------------------------------------------------- clean: inputs


def test_a_glob_reads_the_matching_files(seed_texts: dict[str, str]) -> None:
    result = invoke("clean", str(SEEDS / "00[0-2]_*.txt"))
    records = read_jsonl(result.stdout_bytes)
    assert [r["id"] for r in records] == SEED_IDS[:3]
    assert all(r["text"] == seed_texts[r["id"]] for r in records)


def test_a_single_file_is_named_by_its_stem(seed_texts: dict[str, str]) -> None:
    records = read_jsonl(invoke("clean", SEED_000).stdout_bytes)
    assert [r["id"] for r in records] == [SEED_000.stem]
    assert records[0]["text"] == seed_texts[SEED_000.stem]


def test_stdin_is_read_as_text(seed_texts: dict[str, str]) -> None:
    result = invoke("clean", "-", input=SEED_000.read_bytes())
    records = read_jsonl(result.stdout_bytes)
    assert [r["id"] for r in records] == ["stdin"]
    assert records[0]["metadata"]["source"] == "<stdin>"
    assert records[0]["text"] == seed_texts[SEED_000.stem]
    assert summary(result.stderr) == (1, 1, 0, 0)


def test_compressed_inputs_give_the_plain_seeds_text(tmp_path: Path, seed_texts: dict[str, str]) -> None:
    data = SEED_004.read_bytes()
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(data))
    (tmp_path / "other.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "nested.txt").write_bytes(data)
    records = read_jsonl(invoke("clean", tmp_path).stdout_bytes)
    # ids: the path below the root, less the format and compression extensions
    assert [r["id"] for r in records] == ["other", "page", "sub/nested"]
    assert all(r["text"] == seed_texts[SEED_004.stem] for r in records)


def test_jsonl_records_with_text_html_and_markup_in_text(tmp_path: Path, seed_texts: dict[str, str]) -> None:
    seed = SEED_000.read_text(encoding="utf-8")
    page = html_page([p for p in seed.split("\n\n") if p.strip()])
    lines = [
        {"id": "as-text", "url": "https://example.org/a", "text": seed},
        {"id": "as-html", "html": page},
        {"id": "markup-in-text", "text": page},
    ]
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")

    result = invoke("clean", path)
    records = {r["id"]: r for r in read_jsonl(result.stdout_bytes)}
    assert list(records) == ["as-text", "as-html", "markup-in-text"]
    assert records["as-text"]["url"] == "https://example.org/a"
    assert records["as-text"]["text"] == seed_texts[SEED_000.stem]
    assert [records[i]["metadata"]["format"] for i in records] == ["text", "html", "html"]
    first_sentence = "United States and Russian defence ministers have held their first talks"
    for record in records.values():
        assert record["text"].startswith(first_sentence)
        assert record["title"] == "Cold War foes discuss Syria"
        assert "Home News" not in record["text"] and "<p>" not in record["text"]
    assert summary(result.stderr) == (3, 3, 0, 0)


# ---------------------------------------------------------------- clean: bad inputs


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> Path:
    """A folder of two good inputs and one of each kind of bad one."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "good.txt")
    # an executable's header: NUL-padded fields, as binaries have
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(57) + bytes(range(256)))
    (folder / "unreadable.txt").symlink_to(tmp_path / "gone.txt")  # a link to nothing: open() fails
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00 this is not a gzip stream at all")
    records = [
        orjson.dumps({"id": "rec-ok", "text": SEED_004.read_text(encoding="utf-8")}),
        b"{this is not json",
        orjson.dumps({"id": "rec-nofield", "title": "A title and nothing else"}),
    ]
    (folder / "records.jsonl").write_bytes(b"\n".join(records) + b"\n")
    return folder


EXPECTED_ERRORS = {
    # id -> (error kind, what the detail must name)
    "binary": ("not-text", "binary.txt"),
    "broken": ("corrupt", "broken.txt.gz"),
    "empty": ("empty", "empty.txt"),
    "unreadable": ("corrupt", "unreadable.txt"),
    "records:2": ("bad-json", "line 2"),
    "rec-nofield": ("no-content-field", "line 3"),
}


def _check_errors(errors: list[dict], folder: Path) -> None:
    assert sorted(e["id"] for e in errors) == sorted(EXPECTED_ERRORS), "one error record per bad input"
    for error in errors:
        assert list(error) == ERROR_FIELDS
        assert error["error"] in ERROR_KINDS
        kind, named = EXPECTED_ERRORS[error["id"]]
        assert error["error"] == kind, error
        assert named in error["detail"], error
        assert Path(error["source"]).parent == folder


def test_bad_inputs_become_error_records_and_the_run_goes_on(tmp_path: Path, mixed_inputs: Path) -> None:
    out, errors, stats = tmp_path / "out.jsonl", tmp_path / "errs.jsonl", tmp_path / "stats.json"
    result = invoke("clean", mixed_inputs, "-o", out, "--errors", errors, "--stats", stats)
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in read_jsonl(out.read_bytes())] == ["good", "rec-ok"]
    _check_errors(read_jsonl(errors.read_bytes()), mixed_inputs)
    assert not (tmp_path / "out.errors.jsonl").exists(), "--errors names the one errors file"

    counts = orjson.loads(stats.read_bytes())
    assert counts["read"] == counts["written"] + sum(counts["errors"].values())
    assert (counts["read"], counts["written"]) == (8, 2)
    assert counts["errors"] == Counter(kind for kind, _ in EXPECTED_ERRORS.values())
    assert summary(result.stderr) == (8, 2, 0, 6)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_errors_go_beside_the_output_by_default(tmp_path: Path, mixed_inputs: Path, name: str) -> None:
    out = tmp_path / name
    assert invoke("clean", mixed_inputs, "-o", out).exit_code == 0
    _check_errors(read_jsonl((tmp_path / "out.errors.jsonl").read_bytes()), mixed_inputs)


def test_errors_go_to_stderr_when_the_output_is_stdout(mixed_inputs: Path) -> None:
    result = invoke("clean", mixed_inputs)
    assert [r["id"] for r in read_jsonl(result.stdout_bytes)] == ["good", "rec-ok"]
    lines = result.stderr.splitlines()
    assert all(lines), "one line per error record, no blank lines between them"
    _check_errors([orjson.loads(line) for line in lines[:-1]], mixed_inputs)
    assert lines[-1].startswith("dehusk: read 8")


def _png(width: int = 32, height: int = 32) -> bytes:
    """A real PNG image (noise pixels), made here so that no binary fixture is stored."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rng = random.Random(0)
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def test_an_image_without_extension_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "picture").write_bytes(_png())
    result = invoke("clean", tmp_path / "picture", "--errors", tmp_path / "errors.jsonl")
    assert result.stdout == ""
    [error] = read_jsonl((tmp_path / "errors.jsonl").read_bytes())
    assert (error["id"], error["error"]) == ("picture", "not-text")


def test_an_image_named_txt_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "picture.txt").write_bytes(_png())
    result = invoke("clean", tmp_path / "picture.txt", "--errors", tmp_path / "errors.jsonl")
    assert result.stdout == ""
    [error] = read_jsonl((tmp_path / "errors.jsonl").read_bytes())
    assert (error["id"], error["error"]) == ("picture", "not-text")


def test_stats_count_the_bytes_read(tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    assert invoke("clean", SEEDS, "-o", tmp_path / "out.jsonl", "--stats", stats).exit_code == 0
    size = sum(p.stat().st_size for p in SEEDS.glob("*.txt"))
    assert orjson.loads(stats.read_bytes())["bytes_in"] == size


def test_strict_exits_1_when_a_record_failed(tmp_path: Path, mixed_inputs: Path) -> None:
    result = invoke("clean", mixed_inputs, "-o", tmp_path / "out.jsonl", "--strict")
    assert result.exit_code == 1
    assert (tmp_path / "out.jsonl").exists(), "the good records are still written"


def test_strict_through_the_entry_point(
    tmp_path: Path, mixed_inputs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert run_main(monkeypatch, "clean", mixed_inputs, "-o", out) == 0
    assert run_main(monkeypatch, "clean", mixed_inputs, "-o", out, "--strict") == 1
    assert run_main(monkeypatch, "clean", SEED_000, "-o", out, "--strict") == 0
    assert [r["id"] for r in read_jsonl(out.read_bytes())] == [SEED_000.stem]
    assert "Traceback" not in capsys.readouterr().err


# ---------------------------------------------------------------- usage mistakes


USAGE_MISTAKES = {
    "missing path": ["clean", "no/such/dir", "-o", "{out}"],
    "glob matching nothing": ["clean", "no-such-*.txt", "-o", "{out}"],
    "unknown option": ["clean", str(SEEDS), "--bogus", "-o", "{out}"],
    "bad --mode": ["clean", str(SEEDS), "--mode", "slow", "-o", "{out}"],
    "bad --threshold": ["clean", str(SEEDS), "--threshold", "2", "-o", "{out}"],
    "no path at all": ["clean", "-o", "{out}"],
    "unknown command": ["frobnicate", str(SEEDS)],
    "unknown --id": ["explain", str(SEED_000), "--id", "no-such-id"],
    "eval of a missing file": ["eval", "no-such-output.jsonl", "--gold", str(GOLD)],
    "eval without --gold": ["eval", str(SEED_000)],
}


@pytest.mark.parametrize("args", USAGE_MISTAKES.values(), ids=USAGE_MISTAKES.keys())
def test_usage_mistakes_print_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    out = tmp_path / "out.jsonl"
    monkeypatch.chdir(tmp_path)
    assert run_main(monkeypatch, *(arg.format(out=out) for arg in args)) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("dehusk: error: ")
    assert len(lines[0]) > len("dehusk: error: ") + 5, "the message says what is wrong"
    assert not out.exists(), "nothing is written before the arguments are checked"


def test_the_message_names_the_culprit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, "clean", "no/such/dir") == 2
    assert "no/such/dir" in capsys.readouterr().err
    assert run_main(monkeypatch, "clean", str(SEEDS), "--mode", "slow") == 2
    assert "slow" in capsys.readouterr().err
    assert run_main(monkeypatch, "explain", str(SEED_000), "--id", "nope") == 2
    assert "nope" in capsys.readouterr().err


def test_bare_dehusk_shows_the_help_not_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch) in (0, 2)
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert "Usage:" in shown and all(command in shown for command in ("clean", "explain", "eval"))
    assert "dehusk: error" not in shown and "Traceback" not in shown


def test_unknown_id_is_a_usage_error_in_the_app_too() -> None:
    result = runner.invoke(cli.app, ["explain", str(SEED_000), "--id", "no-such-id"])
    assert result.exit_code == 2, result.exception
    assert "no-such-id" in result.stderr


# ---------------------------------------------------------------- explain


def test_explain_names_the_widget_blocks_of_seed_004() -> None:
    result = invoke("explain", SEED_004)
    assert result.exit_code == 0
    blocks = explained_blocks(result.stdout)
    assert len(blocks) == len(api_clean(SEED_004.read_text(encoding="utf-8")).blocks)
    widgets = {
        "Today in New Delhi": "weather",
        "Jan 26, 2020-Sunday": "weather",
        "Select city": "city-picker",
        "Metro cities": "city-picker",
        "Other cities": "city-picker",
    }
    for words, kind in widgets.items():
        found = [(sign, k) for sign, k, text in blocks if words in text]
        assert found == [("-", kind)], (words, found)
    assert any(sign == "+" and kind == "content" for sign, kind, _ in blocks)


def test_explain_html_writes_a_whole_page_with_every_block(tmp_path: Path) -> None:
    page = tmp_path / "explain.html"
    result = invoke("explain", SEED_004, "--html", page)
    assert result.exit_code == 0
    assert str(page) in result.stderr
    source = page.read_text(encoding="utf-8")
    assert source.lstrip().lower().startswith("<!doctype html>")
    assert source.rstrip().endswith("</html>")
    assert "<script" not in source.lower()
    tree = LexborHTMLParser(source)
    assert tree.css_first("title") is not None and tree.body is not None
    shown = " ".join(tree.body.text(separator=" ").split())
    doc = api_clean(SEED_004.read_text(encoding="utf-8"))
    for block in doc.blocks:
        assert " ".join(block.text.split()) in shown, block.text
    for kind in ("weather", "city-picker", "content"):
        assert kind in shown


def test_explain_id_selects_one_record_of_a_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "two.jsonl"
    lines = [
        {"id": "first", "text": SEED_000.read_text(encoding="utf-8")},
        {"id": "second", "text": SEED_004.read_text(encoding="utf-8")},
    ]
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    everything = invoke("explain", path).stdout
    assert "Cold War foes discuss Syria" in everything and "Select city" in everything

    result = invoke("explain", path, "--id", "second")
    assert result.exit_code == 0
    assert re.search(r"^\s*id second$", result.stdout, re.MULTILINE)
    assert not re.search(r"^\s*id first$", result.stdout, re.MULTILINE)
    assert "Cold War foes discuss Syria" not in result.stdout
    assert "city-picker" in result.stdout


# ---------------------------------------------------------------- eval


def _scores(output: str) -> dict[str, float]:
    match = re.search(r"precision ([\d.]+) recall ([\d.]+) f1 ([\d.]+)", output)
    assert match, output
    return dict(zip(("precision", "recall", "f1"), map(float, match.groups()), strict=True))


def test_eval_of_the_cleaned_seeds_scores_f1_above_0_9(seeds_run: tuple[Path, list[dict], str]) -> None:
    result = invoke("eval", seeds_run[0], "--gold", GOLD)
    assert result.exit_code == 0
    scores = _scores(result.stdout)
    assert scores["f1"] > 0.9
    assert 0.9 < scores["precision"] <= 1 and 0.9 < scores["recall"] <= 1


def test_eval_per_page_prints_a_line_per_page(seeds_run: tuple[Path, list[dict], str]) -> None:
    result = invoke("eval", seeds_run[0], "--gold", GOLD, "--per-page")
    assert result.exit_code == 0
    page_lines = [line for line in result.stdout.splitlines() if "\tF1 " in line]
    assert sorted(line.split("\t")[0] for line in page_lines) == SEED_IDS
    for line in page_lines:
        assert re.fullmatch(r"\S+\tP [\d.]+\tR [\d.]+\tF1 [\d.]+", line), line
    assert _scores(result.stdout)["f1"] > 0.9


def test_eval_scores_a_bad_output_low(tmp_path: Path, seeds_run: tuple[Path, list[dict], str]) -> None:
    """The metric can fail: keeping every line of the dumps, or nothing, scores below the cleaner."""
    cleaned = _scores(invoke("eval", seeds_run[0], "--gold", GOLD).stdout)
    everything = tmp_path / "everything.jsonl"
    everything.write_bytes(
        b"".join(
            orjson.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) + b"\n"
            for p in sorted(SEEDS.glob("*.txt"))
        )
    )
    nothing = tmp_path / "nothing.jsonl"
    nothing.write_bytes(b"".join(orjson.dumps({"id": i, "text": ""}) + b"\n" for i in SEED_IDS))
    kept_all = _scores(invoke("eval", everything, "--gold", GOLD).stdout)
    assert kept_all["recall"] > 0.95 and kept_all["precision"] < cleaned["precision"] - 0.1
    assert kept_all["f1"] < cleaned["f1"] - 0.05
    assert _scores(invoke("eval", nothing, "--gold", GOLD).stdout)["f1"] < 0.1


# --- dehusk repair -----------------------------------------------------------------------------------


def test_repair_reads_plain_text_on_stdin_and_prints_it_repaired() -> None:
    broken = "CafÃ© owners said the the rent had risen.\u00a0Prices went upps again in Berlin.\n"
    result = invoke("repair", "-", input=broken.encode())
    assert result.exit_code == 0
    assert result.stdout == "Café owners said the rent had risen. Prices went ups again in Berlin.\n"


def test_repair_keeps_every_block_and_counts_its_changes(tmp_path: Path) -> None:
    out = tmp_path / "repaired.jsonl"
    result = invoke("repair", SEED_000, "-o", out)
    assert result.exit_code == 0 and SUMMARY.search(result.stderr).groups() == ("1", "1", "0", "0")
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert list(record) == RECORD_FIELDS
    source = SEED_000.read_text(encoding="utf-8")
    # nothing removed: every line of the dump is still there, short of the repaired ones
    kept = [line for line in source.splitlines() if line.strip() and line.strip() in record["text"]]
    assert len(kept) >= 0.9 * sum(1 for line in source.splitlines() if line.strip())
    assert record["metadata"]["repairs"]


def test_repair_protects_the_words_it_is_given(tmp_path: Path) -> None:
    words = tmp_path / "protected.txt"
    words.write_text("upps\n", encoding="utf-8")
    text = b"Prices went upps again.\n"
    assert invoke("repair", "-", input=text).stdout == "Prices went ups again.\n"
    assert invoke("repair", "-", "--protect", words, input=text).stdout == "Prices went upps again.\n"
    assert invoke("repair", "-", "--typos", "off", input=text).stdout == "Prices went upps again.\n"

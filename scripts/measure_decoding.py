"""Measure ``decode()``: how often it gives back exactly the text a page was written in.

Two sets of pages, each encoded into legacy charsets with four declarations: the right one in
``<meta>``, none, a wrong legacy charset, and ``utf-8`` (the commonest lie).

* Small pages: real text, the ScrapingHub benchmark's article bodies (../shared: mostly English,
  some Russian, Portuguese, Korean, Japanese, German, Italian, Indonesian) and short texts written
  here for languages missing there, whole and cut into 300-character pieces (one for English,
  up to six for other languages), each wrapped into a small HTML page and encoded into every
  charset that can hold it. Pairs are "native" when the charset is one the text's language was
  written in, "other" otherwise (English with curly quotes fits gb18030: a hard, rare case).
* Real pages: the benchmark's 181 HTML pages themselves (scripts, styles, 115 KB median), their
  own charset declarations removed, encoded into their language's legacy charset, characters it
  lacks as character references (as a server would).

``decode()`` runs with each candidate detector plugged in (fed the page's non-ASCII stretches,
as decode does, or with --whole-page the page itself); a page counts when the text comes back
exactly. Pure-ASCII texts are left out: every charset gives them back.

Not a test: it prints tables. Without ../shared it says so and measures the written texts only.

    python scripts/measure_decoding.py [--corpus DIR] [--detectors a,b] [--no-real] [--failures]

Candidates need installing for the measurement only: ``pip install "chardet<6" faust-cchardet``.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dehusk.repair.decode as dec

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/scrapinghub"
SHORT = 300
#: 300-character pieces cut from a text: more for the languages the benchmark has few texts in.
PIECES = {"en": 1}
MAX_PIECES = 6

#: name: (Python codec to encode with, the label a page would declare)
#: Shift_JIS is written as Windows writes it (cp932), which is what browsers read.
CHARSETS = {
    "cp1252": ("cp1252", "windows-1252"),
    "latin-1": ("latin-1", "iso-8859-1"),
    "iso-8859-2": ("iso8859-2", "iso-8859-2"),
    "iso-8859-7": ("iso8859-7", "iso-8859-7"),
    "cp1251": ("cp1251", "windows-1251"),
    "koi8-r": ("koi8-r", "koi8-r"),
    "shift_jis": ("cp932", "shift_jis"),
    "gb18030": ("gb18030", "gb2312"),
    "euc-kr": ("euc-kr", "euc-kr"),
}
#: Charsets a browser decodes alike (a "wrong" declaration must be really wrong).
SAME = {"cp1252": "latin-1", "latin-1": "cp1252"}
#: The charsets pages in a language were written in; other pairs (English in gb18030: the curly
#: quotes fit) are measured too, but apart.
NATIVE = {
    **dict.fromkeys(
        ("en", "fr", "es", "sv", "de", "it", "pt", "id", "nl", "da", "no"), ("cp1252", "latin-1")
    ),
    **dict.fromkeys(("pl", "cs", "hu", "sk", "sl", "hr", "ro"), ("iso-8859-2",)),
    **dict.fromkeys(("ru", "bg", "uk", "be", "sr", "mk"), ("cp1251", "koi8-r")),
    "el": ("iso-8859-7",),
    "ja": ("shift_jis",),
    "zh": ("gb18030",),
    "ko": ("euc-kr",),
}
DECLARATIONS = ("right", "missing", "wrong", "utf-8 lie")

#: Languages the benchmark lacks, written for this measurement (and the tests).
TEXTS = json.loads((Path(__file__).resolve().parents[1] / "fixtures/encodings/texts.json").read_text("utf-8"))

PAGE = """<!DOCTYPE html>
<html>
<head>
{meta}<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/css/site.min.css?v=20240312">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body class="article-page">
<nav class="top"><a href="/">Home</a> | <a href="/news/">News</a> | <a href="/about/">About</a></nav>
<article id="main">
<h1>{title}</h1>
{paragraphs}
</article>
<footer><p>(c) 2024 Example Media. All rights reserved.</p></footer>
</body>
</html>
"""


def page(text: str, label: str | None, index: int) -> str:
    """``text`` as a small HTML page declaring ``label`` (two <meta> forms, alternately)."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    title = html.escape(paragraphs[0][:70], quote=False)
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return PAGE.format(meta=meta(label, index), title=title, paragraphs=body)


def meta(label: str | None, index: int) -> str:
    if label is None:
        return ""
    if index % 2:
        return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">\n'
    return f'<meta charset="{label}">\n'


@dataclass(slots=True)
class Case:
    source: str  # "small" or "real"
    name: str
    charset: str
    declaration: str
    native: bool
    text: str  # what decode() should give back
    data: bytes


def texts(corpus: Path) -> list[tuple[str, str, str]]:
    """(name, language, text): the benchmark's article bodies (if there) and the written ones,
    whole and in pieces; pure-ASCII ones left out."""
    whole: list[tuple[str, str, str]] = []
    truth = corpus / "ground-truth.json"
    if truth.exists():
        import py3langid

        for key, item in json.loads(truth.read_text(encoding="utf-8")).items():
            text = item["articleBody"]
            whole.append((f"sh-{key[:8]}", py3langid.classify(text)[0], text))
    else:
        print(f"(no {truth}: measuring the {len(TEXTS)} written texts only)\n")
    whole += [(f"written-{lang}", lang.split("-")[0], text) for lang, text in TEXTS.items()]
    out = []
    for name, lang, text in whole:
        if not text.isascii():
            out.append((name, lang, text))
        start = 0
        for k in range(PIECES.get(lang, MAX_PIECES)):
            piece = text[start : start + SHORT]
            if len(piece) == SHORT and " " in piece[SHORT // 2 :]:
                piece = piece.rsplit(" ", 1)[0]
            start += max(len(piece), 1)
            if piece.strip() and not piece.isascii() and len(text) > SHORT:
                out.append((f"{name}-{k}", lang, piece.strip()))
    return out


def small_cases(corpus: Path) -> list[Case]:
    """Every text in every charset that holds it, four declarations each.

    Texts whose page does not come back under the right charset's browser decoder (cp932 reads
    U+2212 MINUS as U+FF0D) are left out for that charset: no decoder could pass them.
    """
    out = []
    names = list(CHARSETS)
    for i, (name, lang, text) in enumerate(texts(corpus)):
        bare = page(text, None, i)
        for charset, (codec, label) in CHARSETS.items():
            try:
                if bare.encode(codec).decode(dec.charset_codec(label) or codec) != bare:
                    continue
            except UnicodeEncodeError:
                continue
            others = [c for c in names if c != charset and c != SAME.get(charset)]
            wrong = CHARSETS[others[i % len(others)]][1]
            native = charset in NATIVE.get(lang, ())
            for declaration, declared in zip(DECLARATIONS, (label, None, wrong, "utf-8"), strict=True):
                doc = page(text, declared, i)
                out.append(Case("small", name, charset, declaration, native, doc, doc.encode(codec)))
    return out


_DECLARATION = re.compile(r"<meta[^>]*charset[^>]*>|<\?xml[^>]*>", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)


def real_cases(corpus: Path) -> list[Case]:
    """The benchmark's pages in their language's first legacy charset (English: cp1252)."""
    truth = corpus / "ground-truth.json"
    if not truth.exists():
        return []
    import py3langid

    out = []
    names = list(CHARSETS)
    for i, (key, item) in enumerate(json.loads(truth.read_text(encoding="utf-8")).items()):
        path = corpus / "html" / f"{key}.html.gz"
        charsets = NATIVE.get(py3langid.classify(item["articleBody"])[0], ())
        if not path.exists() or not charsets:
            continue
        source = _DECLARATION.sub("", gzip.decompress(path.read_bytes()).decode("utf-8"))
        charset = charsets[0]
        codec, label = CHARSETS[charset]
        others = [c for c in names if c != charset and c != SAME.get(charset)]
        wrong = CHARSETS[others[i % len(others)]][1]
        for declaration, declared in zip(DECLARATIONS, (label, None, wrong, "utf-8"), strict=True):
            head = _HEAD.search(source)
            at = head.end() if head else 0
            data = (source[:at] + meta(declared, i) + source[at:]).encode(codec, errors="xmlcharrefreplace")
            if data.isascii():
                break
            expected = data.decode(dec.charset_codec(label) or codec)
            out.append(Case("real", f"page-{key[:8]}", charset, declaration, True, expected, data))
    return out


def _detectors() -> dict[str, Callable[[bytes], list[str]]]:
    found: dict[str, Callable[[bytes], list[str]]] = {"none": lambda data: []}
    found["charset-normalizer"] = dec._detect
    try:
        import chardet

        found["chardet"] = lambda data: [chardet.detect(data)["encoding"] or ""]
    except ImportError:
        print("(chardet not installed: pip install 'chardet<6')")
    try:
        import cchardet

        found["cchardet"] = lambda data: [cchardet.detect(data)["encoding"] or ""]
    except ImportError:
        print("(faust-cchardet not installed: pip install faust-cchardet)")
    return found


Key = tuple[str, bool, str, str]  # source, native, charset, declaration


@dataclass(slots=True)
class Run:
    right: Counter[Key]
    total: Counter[Key]
    failures: list[tuple[str, str, str, str]]


def _plugged(detect: Callable[[bytes], list[str]], whole_page: bool) -> Callable[[], None]:
    """Plug ``detect`` into decode(); returns the function that unplugs it."""
    original = dec._detect, dec._text_bytes
    dec._detect = detect
    if whole_page:
        dec._text_bytes = lambda data, limit=200_000: data[: limit * 4]

    def unplug() -> None:
        dec._detect, dec._text_bytes = original

    return unplug


def measure(cases: list[Case], detect: Callable[[bytes], list[str]], whole_page: bool) -> Run:
    """Exact round trips per key, and the failures on native pairs."""
    run = Run(Counter(), Counter(), [])
    unplug = _plugged(detect, whole_page)
    try:
        for case in cases:
            key = case.source, case.native, case.charset, case.declaration
            run.total[key] += 1
            try:
                text, used = dec.decode(case.data)
            except Exception as exc:  # a traceback is a failure of its own kind
                text, used = "", f"raised {exc!r}"
            if text == case.text:
                run.right[key] += 1
            elif case.native:
                run.failures.append((case.name, case.charset, case.declaration, used))
    finally:
        unplug()
    return run


def speed(
    cases: list[Case], detectors: dict[str, Callable[[bytes], list[str]]]
) -> dict[str, dict[str, float]]:
    """Milliseconds per page: decode() and the detector alone, on the native pages with no declaration.

    The detectors take turns page by page, so a busy machine slows them alike.
    """
    spent: defaultdict[str, Counter[str]] = defaultdict(Counter)
    pages: Counter[str] = Counter()
    timed = [c for c in cases if c.native and c.declaration == "missing"]
    for detect in detectors.values():  # warm up: imports, models, word lists
        unplug = _plugged(detect, False)
        for case in timed[:: max(1, len(timed) // 20)]:
            dec.decode(case.data)
        unplug()
    for case in timed:
        pages[case.source] += 1
        sample = dec._text_bytes(case.data)
        for name, detect in detectors.items():
            start = time.perf_counter()
            detect(sample)
            spent[name][f"detector, {case.source}"] += time.perf_counter() - start
            unplug = _plugged(detect, False)
            start = time.perf_counter()
            dec.decode(case.data)
            spent[name][f"decode(), {case.source}"] += time.perf_counter() - start
            unplug()
    return {
        name: {key: 1000 * value / pages[key.split(", ")[1]] for key, value in times.items()}
        for name, times in spent.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the ScrapingHub benchmark directory")
    parser.add_argument("--detectors", help="comma-separated subset of the detector names")
    parser.add_argument("--whole-page", action="store_true", help="also feed detectors the whole page")
    parser.add_argument("--no-real", action="store_true", help="small pages only")
    parser.add_argument("--failures", action="store_true", help="list the failures of each detector")
    args = parser.parse_args()

    cases = small_cases(args.corpus) + ([] if args.no_real else real_cases(args.corpus))
    detectors = _detectors()
    if args.detectors:
        detectors = {k: v for k, v in detectors.items() if k in args.detectors.split(",")}
    runs: dict[str, Run] = {}
    for name, detect in detectors.items():
        runs[name] = measure(cases, detect, whole_page=False)
        if args.whole_page and name != "none":
            runs[name + " (whole page)"] = measure(cases, detect, whole_page=True)
    report(cases, runs, speed(cases, detectors))
    if args.failures:
        for name, run in runs.items():
            by: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
            for text, charset, declaration, used in run.failures:
                by[charset, declaration, used].append(text)
            print(f"\nfailures on native pairs, {name}:")
            for (charset, declaration, used), names in sorted(by.items()):
                print(
                    f"  {charset:<10} {declaration:<10} -> {used:<16} {len(names):>4}  {' '.join(names[:4])}"
                )


def report(cases: list[Case], runs: dict[str, Run], times: dict[str, dict[str, float]]) -> None:
    """The tables: exact round trips / pages, per detector."""
    small = [c for c in cases if c.source == "small"]
    print(
        f"small pages: {len(small)} from {len({c.name for c in small})} non-ASCII texts and pieces "
        f"({sum(c.native for c in small)} in a charset native to the text's language); "
        f"real pages: {len(cases) - len(small)}. Cells: exact round trips / pages.\n"
    )
    width = max(16, *(len(n) for n in runs))
    header = " ".join(f"{n:>{width}}" for n in runs)

    def row(label: str, keep: Callable[[Key], bool]) -> None:
        cells = []
        for run in runs.values():
            ok = sum(v for k, v in run.right.items() if keep(k))
            n = sum(v for k, v in run.total.items() if keep(k))
            cells.append(f"{f'{ok}/{n} {100 * ok / n:5.1f}%' if n else '-':>{width}}")
        if any(c.strip() != "-" for c in cells):
            print(f"{label:<28} " + " ".join(cells))

    for source, title in (("small", "small pages, native"), ("real", "real pages")):
        if not any(c.source == source for c in cases):
            continue
        print(f"{title:<28} {header}")
        for charset in CHARSETS:
            for declaration in DECLARATIONS:
                row(
                    f"{charset} {declaration}",
                    lambda k, c=charset, d=declaration, s=source: k == (s, True, c, d),
                )
        for declaration in DECLARATIONS:
            row(f"all {declaration}", lambda k, d=declaration, s=source: k[:2] == (s, True) and k[3] == d)
        row("all", lambda k, s=source: k[:2] == (s, True))
        print()
    print(f"{'small pages, other pairs':<28} {header}")
    for declaration in DECLARATIONS:
        row(f"all {declaration}", lambda k, d=declaration: k[:2] == ("small", False) and k[3] == d)
    row("all", lambda k: k[:2] == ("small", False))
    print(f"\n{'ms per page, no declaration':<28} " + " ".join(f"{n:>{width}}" for n in times))
    for key in ("decode(), small", "decode(), real", "detector, small", "detector, real"):
        if any(key in t for t in times.values()):
            print(f"{key:<28} " + " ".join(f"{t.get(key, 0.0):>{width}.2f}" for t in times.values()))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Train dehusk's models (text-dump blocks, titles, HTML blocks) reproducibly, and report their F1 honestly.

    pip install -e '.[train]'
    python scripts/train_models.py                       # cross-validate only
    python scripts/train_models.py --seed 1              # ... on another split of the sites
    python scripts/train_models.py --out src/dehusk/classify/models

Each page of a ScrapingHub-layout corpus (html/*.html[.gz] + ground-truth.json) is
flattened the way the text dumps are made and cut into blocks as dehusk cuts them. A
block is labelled content when most of its 4-token shingles are in the gold article body
(a block of under 4 tokens: when it is in the body and a neighbouring long block is
content). Features are dehusk's own (dehusk.classify.features), so training and cleaning
cannot drift apart.

HTML: each page is cut into blocks by the fast path (its article container, each block
with DOM features) and labelled the same way; the HTML model reads the text features and
the DOM features.

Titles: the page's own headline (og:title, twitter:title, <h1>, or inside <title>) marks
which candidate block is the headline; the title scorer learns from the candidates of
pages cleaned by block models that never saw them.

Everything is cross-validated with folds grouped by site (no site on both sides): the
F1 printed is what dehusk gets on sites it was not trained on, through the whole
pipeline. The F1 of the shipped models on their own training pages means nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from dehusk.classify import classify
from dehusk.classify.features import (
    FEATURES,
    FEATURES_HTML,
    LOCAL_HTML,
    dom_matrix,
    feature_matrix,
    normalize,
)
from dehusk.classify.model import LinearModel, TreeEnsemble
from dehusk.document import Document
from dehusk.evaluate.metric import evaluate, tokenize
from dehusk.extract import html_fast
from dehusk.extract.flatten import flatten_html
from dehusk.extract.text import split_blocks
from dehusk.language import detect_language, is_char_language, stopwords
from dehusk.metadata import TITLE_FEATURES, article_start, title_candidates
from dehusk.options import Options
from dehusk.run.pipeline import clean_document

BLOCK_PARAMS = {
    "max_iter": 200,
    "learning_rate": 0.08,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 50,
    "l2_regularization": 5.0,
    "early_stopping": False,  # "auto" would hold out a random 10% above 10,000 blocks
    "random_state": 0,
}
#: The fast path evaluates its model on every page: half the trees, at a higher rate and at most six
#: deep (each level is a pass over all trees), score as well.
HTML_PARAMS = BLOCK_PARAMS | {"max_iter": 100, "learning_rate": 0.15, "max_depth": 6}
TITLE_C = 0.3  # inverse regularisation of the title scorer
TITLE_THRESHOLD = 0.047  # no title below this probability (a logit of -3)
NO_TITLE = LinearModel(TITLE_FEATURES, np.zeros(len(TITLE_FEATURES)), 0.0, 2.0, {})


def labels(texts: list[str], gold: str) -> np.ndarray:
    """1 for a block whose shingles are mostly in the gold body, else 0."""
    gold_tokens = tokenize(gold)
    gold_shingles = {tuple(gold_tokens[k : k + 4]) for k in range(max(1, len(gold_tokens) - 3))}
    gold_joined = f" {' '.join(gold_tokens)} "
    toks = [tokenize(t) for t in texts]
    y = np.zeros(len(texts), dtype=int)
    for i, t in enumerate(toks):
        if len(t) >= 4:
            shingles = [tuple(t[k : k + 4]) for k in range(len(t) - 3)]
            y[i] = sum(s in gold_shingles for s in shingles) >= 0.5 * len(shingles)
        elif t:
            y[i] = f" {' '.join(t)} " in gold_joined
    for i, t in enumerate(toks):  # a short block counts only beside content
        if 0 < len(t) < 4 and y[i]:
            prev = next((y[j] for j in range(i - 1, -1, -1) if len(toks[j]) >= 4), 0)
            nxt = next((y[j] for j in range(i + 1, len(toks)) if len(toks[j]) >= 4), 0)
            y[i] = int(bool(prev or nxt))
    return y


def page_titles(html: str) -> tuple[set[str], str]:
    """The page's own headlines (og:title, twitter:title, h1), normalised, and its <title>."""
    tree = LexborHTMLParser(html)
    titles = set()
    for selector in ('meta[property="og:title"]', 'meta[name="twitter:title"]'):
        node = tree.css_first(selector)
        if node is not None and node.attributes.get("content"):
            titles.add(normalize(node.attributes["content"] or ""))
    titles.update(normalize(h.text()) for h in tree.css("h1"))
    node = tree.css_first("title")
    return titles - {""}, normalize(node.text()) if node is not None else ""


def is_headline(text: str, titles: set[str], page_title: str) -> bool:
    key = normalize(text)
    if key in titles:
        return True
    if len(key.split()) >= 3 and key in page_title:
        return True
    return any(
        len(key.split()) >= 3
        and (key in t or t in key)
        and min(len(key), len(t)) > 0.7 * max(len(key), len(t))
        for t in titles
    )


def load_corpus(corpus: Path) -> list[dict]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, gold in sorted(truth.items()):
        path = next((p for p in (corpus / "html").glob(f"{page_id}.htm*")), None)
        if path is None:
            continue
        raw = path.read_bytes()
        html = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
        dump = flatten_html(html)
        texts = [b.text for b in split_blocks(dump)]
        lang = detect_language(texts)
        doc = Document(id=page_id, source=page_id, format="html", content=html)
        html_fast.extract(doc)
        html_lang = doc.lang or detect_language([b.text for b in doc.blocks])
        html_texts = [b.text for b in doc.blocks]
        html_x = np.hstack(
            [
                feature_matrix(html_texts, stopwords(html_lang), is_char_language(html_lang), LOCAL_HTML),
                dom_matrix(doc.blocks, doc.metadata.get("container_share", 1.0)),
            ]
        )
        pages.append(
            {
                "id": page_id,
                "site": urlparse(gold.get("url", "")).netloc or page_id,
                "dump": dump,
                "html": html,
                "gold": gold["articleBody"],
                "titles": page_titles(html),
                "x": feature_matrix(texts, stopwords(lang), is_char_language(lang)),
                "y": labels(texts, gold["articleBody"]),
                "html_x": html_x.reshape(-1, len(FEATURES_HTML)),
                "html_y": labels(html_texts, gold["articleBody"]),
            }
        )
    return pages


def fit_blocks(pages: list[dict], kind: str = "") -> dict:
    """A block model trained on ``pages`` (``kind`` "html_" for HTML blocks), as dehusk's JSON tree format."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([p[f"{kind}x"] for p in pages])
    y = np.concatenate([p[f"{kind}y"] for p in pages])
    model = HistGradientBoostingClassifier(**(HTML_PARAMS if kind else BLOCK_PARAMS)).fit(x, y)
    trees, depth = [], 0
    for (predictor,) in model._predictors:  # binary: one tree per iteration
        nodes = predictor.nodes
        depth = max(depth, int(nodes["depth"].max()))
        leaf_values = [
            float(v) if leaf else 0.0 for v, leaf in zip(nodes["value"], nodes["is_leaf"], strict=True)
        ]
        trees.append(
            {
                "feature": nodes["feature_idx"].tolist(),
                "threshold": nodes["num_threshold"].tolist(),
                "missing_left": nodes["missing_go_to_left"].astype(int).tolist(),
                "left": nodes["left"].tolist(),
                "right": nodes["right"].tolist(),
                "value": leaf_values,
            }
        )
    data = {
        "features": FEATURES_HTML if kind else FEATURES,
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "depth": depth,
        "trees": trees,
    }
    sample = x[:: max(1, len(x) // 3000)]
    ours = TreeEnsemble.from_json(data).predict(sample)
    assert np.abs(ours - model.predict_proba(sample)[:, 1]).max() < 1e-6, "exported trees disagree"
    return data


def fit_titles(rows: list[tuple[np.ndarray, np.ndarray]]) -> dict:
    """A title scorer trained on candidate rows (features, is-headline labels)."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([r[0] for r in rows if len(r[0])])
    y = np.concatenate([r[1] for r in rows if len(r[0])])
    model = LogisticRegression(C=TITLE_C, max_iter=5000).fit(x, y)
    return {
        "features": list(TITLE_FEATURES),
        "weights": model.coef_[0].tolist(),
        "bias": float(model.intercept_[0]),
        "threshold": TITLE_THRESHOLD,
    }


def candidates(page: dict, block_model: TreeEnsemble) -> tuple[np.ndarray, np.ndarray]:
    """The page's title candidates as a model that never saw it classifies the page."""
    doc = Document(id=page["id"], source=page["id"], format="text", content=page["dump"])
    doc.blocks = split_blocks(page["dump"])
    classify(doc, block_model, NO_TITLE)
    start = article_start(doc.blocks)
    if start is None:
        return np.zeros((0, len(TITLE_FEATURES))), np.zeros(0)
    indices, x = title_candidates(doc.blocks, start)
    titles, page_title = page["titles"]
    y = np.array([is_headline(doc.blocks[i].text, titles, page_title) for i in indices], dtype=int)
    return x, y


def title_accuracy(pages: list[dict], options: Options) -> tuple[int, int]:
    """Pages whose cleaned title is their headline, and pages with a title at all."""
    right = found = 0
    for page in pages:
        doc = clean_document(
            Document(id=page["id"], source=page["id"], format="text", content=page["dump"]), options
        )
        if doc.title:
            found += 1
            right += is_headline(doc.title, *page["titles"])
    return right, found


def cross_validate_html(pages: list[dict], folds: list) -> dict[str, object]:
    """Both HTML paths on sites their model never saw, through the whole pipeline.

    "fast" is the fast path alone, "fallback" the fast path handing unreliable pages to
    the precise one (the default), "precise" trafilatura with our classifier's veto.
    """
    outputs: dict[str, dict[str, str]] = {"fast": {}, "fallback": {}, "precise": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for fold, (train, test) in enumerate(folds):
            path = f"{tmp}/html{fold}.json"
            Path(path).write_text(
                json.dumps(fit_blocks([pages[i] for i in train], "html_")), encoding="utf-8"
            )
            settings = {
                "fast": Options(model=path, fallback=False),
                "fallback": Options(model=path),
                "precise": Options(model=path, mode="precise"),
            }
            for i in test:
                page = pages[i]
                for name, options in settings.items():
                    doc = Document(id=page["id"], source=page["id"], format="html", content=page["html"])
                    outputs[name][page["id"]] = clean_document(doc, options).text
    gold = {p["id"]: p["gold"] for p in pages}
    return {name: evaluate(out, gold)[0] for name, out in outputs.items()}


def main() -> int:
    from sklearn.model_selection import GroupKFold

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpora/scrapinghub"))
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds, grouped by site")
    ap.add_argument(
        "--seed",
        type=int,
        help="deal the sites into folds at random with this seed (default: GroupKFold's fixed split); "
        "F1 moves by about 0.01 from one split to another, so compare changes over several seeds",
    )
    ap.add_argument("--out", type=Path, help="write text.json and title.json (trained on every page) here")
    args = ap.parse_args()
    started = time.time()
    pages = load_corpus(args.corpus)
    log = lambda message: print(message, file=sys.stderr)  # noqa: E731
    log(f"{len(pages)} pages, {sum(len(p['y']) for p in pages)} blocks ({time.time() - started:.0f} s)")

    splitter = GroupKFold(n_splits=args.folds, shuffle=args.seed is not None, random_state=args.seed)
    folds = list(splitter.split(pages, groups=[p["site"] for p in pages]))
    outputs: dict[str, str] = {}
    title_rows: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros((0, 0)), np.zeros(0))] * len(pages)
    block_models = []
    with tempfile.TemporaryDirectory() as tmp:
        for train, test in folds:  # out-of-fold title candidates
            data = fit_blocks([pages[i] for i in train])
            block_models.append(data)
            model = TreeEnsemble.from_json(data)
            for i in test:
                title_rows[i] = candidates(pages[i], model)
        right = found = 0
        for fold, (train, test) in enumerate(folds):  # the whole pipeline on unseen sites
            block_path, title_path = f"{tmp}/text{fold}.json", f"{tmp}/title{fold}.json"
            Path(block_path).write_text(json.dumps(block_models[fold]), encoding="utf-8")
            Path(title_path).write_text(
                json.dumps(fit_titles([title_rows[i] for i in train])), encoding="utf-8"
            )
            options = Options(model=block_path, title_model=title_path)
            held_out = [pages[i] for i in test]
            for page in held_out:
                doc = Document(id=page["id"], source=page["id"], format="text", content=page["dump"])
                outputs[page["id"]] = clean_document(doc, options).text
            r, f = title_accuracy(held_out, options)
            right, found = right + r, found + f
            scores, _ = evaluate(
                {p["id"]: outputs[p["id"]] for p in held_out}, {p["id"]: p["gold"] for p in held_out}
            )
            log(f"fold {fold}: {len(held_out)} pages, F1 {scores.f1:.4f}")
    scores, _ = evaluate(outputs, {p["id"]: p["gold"] for p in pages})
    print(
        f"text dumps, cross-validated by site ({args.folds} folds, {len(pages)} pages): precision "
        f"{scores.precision:.4f} recall {scores.recall:.4f} F1 {scores.f1:.4f}; "
        f"titles right {right}/{len(pages)} (given {found})"
    )
    html = cross_validate_html(pages, folds)
    for name, found in html.items():
        print(
            f"HTML {name}, cross-validated by site: precision {found.precision:.4f} "  # type: ignore[attr-defined]
            f"recall {found.recall:.4f} F1 {found.f1:.4f}"  # type: ignore[attr-defined]
        )
    if args.out:
        meta = {"corpus": args.corpus.name, "pages": len(pages), "cv_f1": round(scores.f1, 4)}
        block = fit_blocks(pages) | {"meta": meta | {"params": BLOCK_PARAMS}}
        title = fit_titles(title_rows) | {"meta": meta | {"titles_right": right, "C": TITLE_C}}
        html_meta = meta | {"cv_f1": {k: round(v.f1, 4) for k, v in html.items()}, "params": HTML_PARAMS}
        html = fit_blocks(pages, "html_") | {"meta": html_meta}
        for name, data in (("text", block), ("title", title), ("html", html)):
            path = args.out / f"{name}.json"
            path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            log(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    log(f"{time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

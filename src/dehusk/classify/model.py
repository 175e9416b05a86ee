"""The learned models, evaluated with numpy: a tree ensemble for blocks, a linear scorer for titles.

The weights are trained by ``scripts/train_models.py`` (scikit-learn) and shipped as
JSON: feature names and, for the trees, a baseline and each tree's nodes. At run time we
need neither scikit-learn nor pickles, and every tree walks all the blocks of a page at
once, so a page costs a few dozen array operations rather than a Python loop per block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class TreeEnsemble:
    """Trees padded to complete binary trees of ``depth`` levels and stored level by level.

    Position p of level d in tree t is entry t * 2**d + p of that level's arrays, and its
    children are 2p + 1 (taken when x <= threshold) and 2p. A step of all trees at once is
    then ``node = 2 * node + (x <= threshold)``: no tree offset to add and no child indices
    to gather, which is most of what a page costs. A leaf above the last level is copied
    into both its children, so its (dummy) tests decide nothing.

    Feature rows never hold NaN (dehusk's features are always numbers), so the trees'
    missing-value branches are not needed.
    """

    features: tuple[str, ...]
    baseline: float
    trees: int
    depth: int
    feature: tuple[np.ndarray, ...]  # per level, int: feature index tested at each position
    threshold: tuple[np.ndarray, ...]  # per level, float: go left when x <= threshold
    value: np.ndarray  # float: the leaf value at each position of the last level
    roots: np.ndarray  # int, (trees, 1): each root's position in level 0
    meta: dict

    @classmethod
    def from_json(cls, data: dict) -> TreeEnsemble:
        trees = data["trees"]
        size = max(len(t["feature"]) for t in trees)

        def pad(key: str, dtype: type) -> np.ndarray:
            out = np.zeros((len(trees), size), dtype=dtype)
            for i, tree in enumerate(trees):
                out[i, : len(tree[key])] = tree[key]
            return out

        left, right = pad("left", np.intp), pad("right", np.intp)
        leaf = left == right
        idx = np.broadcast_to(np.arange(size, dtype=np.intp), left.shape)
        left = np.where(leaf, idx, left)  # a leaf's children are itself: it fills the levels below
        right = np.where(leaf, idx, right)
        feature, threshold = pad("feature", np.intp), pad("threshold", np.float64)
        depth = int(data["depth"])
        levels = _complete_levels(left, right, depth)
        rows = np.arange(len(trees))[:, None]
        return cls(
            features=tuple(data["features"]),
            baseline=float(data["baseline"]),
            trees=len(trees),
            depth=depth,
            feature=tuple(feature[rows, at].ravel() for at in levels[:-1]),
            threshold=tuple(threshold[rows, at].ravel() for at in levels[:-1]),
            value=pad("value", np.float64)[rows, levels[-1]].ravel(),
            roots=rows,
            meta=data.get("meta", {}),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for every row of ``x``: all trees, all rows at once."""
        n, width = x.shape
        if n == 0:
            return np.zeros(0)
        flat_x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        row_start = np.arange(0, n * width, width)
        node = self.roots  # (trees, 1) at level 0, where the roots sit at the tree's index
        for feature, threshold in zip(self.feature, self.threshold, strict=True):
            go_left = flat_x.take(feature.take(node) + row_start) <= threshold.take(node)
            node = go_left + (node + node)
        if not self.feature:  # every tree a single leaf: no level walked
            node = np.broadcast_to(node, (self.trees, n))
        # summed over the first axis of (trees, rows), as the trees were always added up
        raw = self.baseline + self.value.take(node).sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw))


def _complete_levels(left: np.ndarray, right: np.ndarray, depth: int) -> list[np.ndarray]:
    """For each level 0..depth of the complete trees, the original node at every position.

    Position 2p below p holds p's right child and 2p + 1 its left one, so going left adds 1.
    """
    rows = np.arange(len(left))[:, None]
    node = np.zeros((len(left), 1), dtype=np.intp)
    levels = [node]
    for _ in range(depth):
        node = np.stack([right[rows, node], left[rows, node]], axis=2).reshape(len(left), -1)
        levels.append(node)
    return levels


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression: probability = sigmoid(x . weights + bias)."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    threshold: float  # below this probability, no candidate is good enough
    meta: dict

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(
            features=tuple(data["features"]),
            weights=np.asarray(data["weights"], dtype=float),
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 0.5)),
            meta=data.get("meta", {}),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability for every row of ``x``."""
        if x.shape[0] == 0:
            return np.zeros(0)
        # an elementwise product, not ``x @ w``: a matrix product starts BLAS's worker
        # threads, which then spin beside the one core a worker is given
        return 1.0 / (1.0 + np.exp(-((x * self.weights).sum(axis=1) + self.bias)))


@cache
def load_model(name: str) -> TreeEnsemble | LinearModel:
    """A model shipped in ``dehusk/classify/models/NAME.json``, or one at the path ``name``."""
    if name.endswith(".json"):
        text = Path(name).read_text(encoding="utf-8")
    else:
        text = files("dehusk.classify").joinpath("models", f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return LinearModel.from_json(data) if "weights" in data else TreeEnsemble.from_json(data)

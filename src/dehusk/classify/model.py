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
    """Trees padded to one node count and laid end to end: node k of tree t is at t * size + k.

    Feature rows never hold NaN (dehusk's features are always numbers), so the trees'
    missing-value branches are not needed.
    """

    features: tuple[str, ...]
    baseline: float
    size: int  # nodes per (padded) tree
    trees: int
    feature: np.ndarray  # int: feature index tested at the node
    threshold: np.ndarray  # float: go left when x <= threshold
    left: np.ndarray  # int: child indices within the tree; a leaf points to itself
    right: np.ndarray
    value: np.ndarray  # float: leaf values (0 at inner nodes)
    depth: int
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

        left, right = pad("left", np.int64), pad("right", np.int64)
        leaf = left == right
        idx = np.broadcast_to(np.arange(size, dtype=np.int64), left.shape)
        return cls(
            features=tuple(data["features"]),
            baseline=float(data["baseline"]),
            size=size,
            trees=len(trees),
            feature=pad("feature", np.int64).ravel(),
            threshold=pad("threshold", np.float64).ravel(),
            left=np.where(leaf, idx, left).ravel(),  # a leaf's children are itself: extra steps stay put
            right=np.where(leaf, idx, right).ravel(),
            value=pad("value", np.float64).ravel(),
            depth=int(data["depth"]),
            meta=data.get("meta", {}),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for every row of ``x``: all trees, all rows at once."""
        n, width = x.shape
        if n == 0:
            return np.zeros(0)
        flat_x = np.ascontiguousarray(x, dtype=np.float64).ravel()
        row_start = (np.arange(n) * width)[None, :]
        tree_start = (np.arange(self.trees) * self.size)[:, None]
        node = np.zeros((self.trees, n), dtype=np.int64)
        for _ in range(self.depth):
            at = node + tree_start
            go_left = flat_x[row_start + self.feature[at]] <= self.threshold[at]
            node = np.where(go_left, self.left[at], self.right[at])
        raw = self.baseline + self.value[node + tree_start].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw))


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

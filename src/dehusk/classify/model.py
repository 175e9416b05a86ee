"""The learned models, evaluated with numpy: a tree ensemble for blocks, a linear scorer for titles.

The weights are trained by ``scripts/train_text_model.py`` (scikit-learn) and shipped as
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
    """Trees padded to one node count: arrays of shape (trees, nodes)."""

    features: tuple[str, ...]
    baseline: float
    feature: np.ndarray  # int: feature index tested at the node
    threshold: np.ndarray  # float: go left when x <= threshold
    missing_left: np.ndarray  # bool: where NaN goes
    left: np.ndarray  # int: child indices; a leaf points to itself
    right: np.ndarray
    value: np.ndarray  # float: leaf values (0 at inner nodes)
    depth: int
    meta: dict

    @classmethod
    def from_json(cls, data: dict) -> TreeEnsemble:
        trees = data["trees"]
        size = max(len(t["feature"]) for t in trees)

        def pad(key: str, fill: float, dtype: type) -> np.ndarray:
            out = np.full((len(trees), size), fill, dtype=dtype)
            for i, tree in enumerate(trees):
                out[i, : len(tree[key])] = tree[key]
            return out

        left, right = pad("left", 0, np.int32), pad("right", 0, np.int32)
        leaf = left == right
        idx = np.broadcast_to(np.arange(size, dtype=np.int32), left.shape)
        left = np.where(leaf, idx, left)  # a leaf's children are itself, so extra steps stay put
        right = np.where(leaf, idx, right)
        return cls(
            features=tuple(data["features"]),
            baseline=float(data["baseline"]),
            feature=pad("feature", 0, np.int32),
            threshold=pad("threshold", 0.0, np.float64),
            missing_left=pad("missing_left", 0, np.bool_),
            left=left,
            right=right,
            value=pad("value", 0.0, np.float64),
            depth=int(data["depth"]),
            meta=data.get("meta", {}),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for every row of ``x``."""
        n = x.shape[0]
        if n == 0:
            return np.zeros(0)
        trees = np.arange(self.feature.shape[0])[:, None]
        rows = np.arange(n)[None, :]
        node = np.zeros((len(trees), n), dtype=np.int32)
        for _ in range(self.depth):
            values = x[rows, self.feature[trees, node]]
            go_left = np.where(
                np.isnan(values), self.missing_left[trees, node], values <= self.threshold[trees, node]
            )
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        raw = self.baseline + self.value[trees, node].sum(axis=0)
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
        return 1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias)))


@cache
def load_model(name: str) -> TreeEnsemble | LinearModel:
    """A model shipped in ``dehusk/classify/models/NAME.json``, or one at the path ``name``."""
    if name.endswith(".json"):
        text = Path(name).read_text(encoding="utf-8")
    else:
        text = files("dehusk.classify").joinpath("models", f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return LinearModel.from_json(data) if "weights" in data else TreeEnsemble.from_json(data)

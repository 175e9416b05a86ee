"""The bench as a picture: F1 against pages per second (log scale), one labelled point per extractor.

matplotlib is optional (``pip install 'dehusk[plot]'``) and imported only here, only when a
plot is asked for. No pyplot: a bare ``Figure`` draws with the Agg canvas and leaves no global
state behind, so plotting from a library or a test cannot open a window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox

    from dehusk.evaluate.bench import BenchReport

__all__ = ["plot_report", "require_matplotlib"]

_INSTALL = "plotting needs matplotlib: pip install 'dehusk[plot]'"


def require_matplotlib() -> None:
    """Raise ImportError with the install command when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc


def plot_report(report: BenchReport, path: str | Path) -> Path:
    """Draw ``report`` into ``path`` (``.png`` or ``.svg``, from the suffix); return the path."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from dehusk.evaluate.bench import table_rows

    path = Path(path)
    rows = table_rows(report)
    figure = Figure(figsize=(7, 4.5), layout="constrained")
    FigureCanvasAgg(figure)  # a renderer to measure the labels with
    ax = figure.add_subplot()
    for row in rows:
        baseline = row["name"] == report.baseline
        ours = row["name"].startswith("dehusk")
        colour = "tab:red" if ours else "tab:grey" if baseline else "tab:blue"
        ax.scatter(row["pages_per_second"], row["f1"], s=60 if ours else 40, color=colour, zorder=3,
                   marker="D" if baseline else "o")  # fmt: skip
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    clock = "CPU" if report.clock == "cpu" else "wall-clock"
    ax.set_xlabel(f"pages per second ({clock} time, log scale)")
    ax.set_ylabel("F1 (ScrapingHub shingle metric)")
    ax.set_title(f"{report.corpus}: {len(report.page_ids)} pages")
    speeds = [r["pages_per_second"] for r in rows]
    if speeds and min(speeds) > 0:
        ax.set_xlim(min(speeds) / 2.5, max(speeds) * 3)  # room for the labels either side
    scores = [r["f1"] for r in rows]
    if scores:
        low, high = min(scores), max(scores)
        pad = max(0.01, (high - low) * 0.15)
        ax.set_ylim(max(0.0, low - pad), min(1.0, high + pad))
    ax.grid(True, which="both", alpha=0.3)
    figure.draw_without_rendering()  # the layout settled: labels are measured where they will be
    _label(ax, [(r["extractor"], r["pages_per_second"], r["f1"]) for r in rows])
    figure.savefig(path, dpi=150)
    return path


#: Where a label may go around its point, in points: right, left, above, below, then further out.
_OFFSETS = [(6, 4), (6, -12), (-6, 4), (-6, -12), (0, 8), (0, -16), (6, 14), (6, -22), (-6, 14)]
_OFFSETS += [(-6, -22)] + [(dx, dy) for dy in (-30, 24, -42, 36) for dx in (24, -24)]  # with a leader line


def _label(ax: Axes, points: list[tuple[str, float, float]]) -> None:
    """Label each point where the label overlaps no label placed before it (else at the first place).

    Points are labelled from the top down, so crowded clusters (the accurate extractors sit
    together near F1 1) spread out predictably.
    """
    from matplotlib import transforms

    renderer = ax.figure.canvas.get_renderer()
    marker = 4 * ax.figure.dpi / 72  # a marker's half-width in pixels
    dots = []  # every point's marker: a label must not hide another extractor's point
    for _, x, y in points:
        cx, cy = ax.transData.transform((x, y))
        dots.append(transforms.Bbox.from_extents(cx - marker, cy - marker, cx + marker, cy + marker))
    placed: list[Bbox] = []
    for i in sorted(range(len(points)), key=lambda k: -points[k][2]):
        text, x, y = points[i]
        others = placed + dots[:i] + dots[i + 1 :]
        label = None
        for dx, dy in _OFFSETS:
            if label is not None:
                label.remove()
            far = (dx, dy) != _OFFSETS[0]  # not beside its point: a thin line says whose label it is
            line = {"arrowstyle": "-", "color": "0.55", "lw": 0.6, "shrinkB": 4} if far else None
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=9,
                                ha="left" if dx >= 0 else "right", arrowprops=line)  # fmt: skip
            box = label.get_window_extent(renderer).expanded(1.05, 1.15)
            if not any(box.overlaps(other) for other in others):
                break
        else:
            if label is not None:
                label.remove()
            dx, dy = _OFFSETS[0]
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=9)
            box = label.get_window_extent(renderer)
        placed.append(box)

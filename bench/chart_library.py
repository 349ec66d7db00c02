"""Which library draws the charts: matplotlib against cab's own SVG writer, on the sample.

Run with an interpreter that has sphinxcontrib_cab importable; matplotlib is timed only when it
is importable too (it is not a dependency: install it into a throwaway venv and put cab on its
``PYTHONPATH``). Prints one JSON object. Each timing is the median of ``--reps`` runs; the
import of matplotlib is timed in a fresh interpreter, as a Sphinx build would pay it.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def median_time(work: Any, reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ours(cells: Any, reps: int) -> dict[str, float]:
    from sphinxcontrib_cab.directives.chart import svg, tikz
    from sphinxcontrib_cab.directives.chart.directive import Chart
    from sphinxcontrib_cab.snapshot import charts

    def heatmap() -> None:
        chart = Chart("heatmap", "c", "t", "d", 3, heatmap=charts.heatmap(cells))
        svg.heatmap_svg(chart)
        tikz.heatmap_tikz(chart)

    def frontier() -> None:
        chart = Chart("frontier", "c", "t", "d", 3, frontier=charts.frontier(cells))
        svg.frontier_svg(chart)
        tikz.frontier_tikz(chart)

    return {
        "heatmap_svg_and_tikz_s": median_time(heatmap, reps),
        "frontier_svg_and_tikz_s": median_time(frontier, reps),
    }


def matplotlib_times(cells: Any, reps: int) -> dict[str, float] | None:
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    from sphinxcontrib_cab.snapshot import charts

    heat = charts.heatmap(cells)
    rows = {t: i for i, t in enumerate(heat.tuis)}
    columns = {m: j for j, m in enumerate(heat.models)}

    def pairs_heatmap() -> None:
        grid = [[float("nan")] * len(columns) for _ in rows]
        fig, ax = plt.subplots(figsize=(9, 6))
        for pair in heat.squares:
            mean = charts.drawn(pair.headline) or 0.0
            grid[rows[pair.tui]][columns[pair.model]] = mean
            ax.text(columns[pair.model], rows[pair.tui], f"{mean:.3f}", ha="center", va="center")
        ax.imshow(grid, cmap="cividis", vmin=0, vmax=1)
        fig.savefig(io.StringIO(), format="svg")
        plt.close(fig)

    by_cell = [charts.drawn(c.headline) or 0.0 for c in cells]
    side = int(len(by_cell) ** 0.5) + 1

    def cells_heatmap() -> None:
        fig, ax = plt.subplots(figsize=(12, 12))
        grid = [[float("nan")] * side for _ in range(side)]
        for k, value in enumerate(by_cell):
            grid[k // side][k % side] = value
            ax.text(k % side, k // side, f"{value:.2f}", ha="center", va="center", fontsize=4)
        ax.imshow(grid, cmap="cividis", vmin=0, vmax=1)
        fig.savefig(io.StringIO(), format="svg")
        plt.close(fig)

    imports = [
        float(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import time; t = time.perf_counter(); "
                    "import matplotlib.pyplot; print(time.perf_counter() - t)",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(reps)
    ]
    return {
        "version": matplotlib.__version__,  # type: ignore[dict-item]
        "import_pyplot_s": statistics.median(imports),
        "pairs_heatmap_svg_s": median_time(pairs_heatmap, reps),
        "cells_heatmap_svg_s": median_time(cells_heatmap, reps),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    from sphinxcontrib_cab.snapshot import SourcePaths, load_snapshot

    cells = load_snapshot(SourcePaths.under(REPO / "data")).cells
    print(
        json.dumps(
            {
                "cells": len(cells),
                "ours": ours(cells, args.reps),
                "matplotlib": matplotlib_times(cells, args.reps),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

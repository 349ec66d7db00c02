"""Charts as TikZ pictures for the LaTeX builder (vector in the PDF), from a
:class:`~.directive.Chart`: the same marks as the SVG, scaled to the text width, then the title
and description as a caption. Focus details have no PDF equivalent: the table after the figure
has every number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...render import visible_inline
from ...snapshot import charts
from ...snapshot.formats import format_number
from .labels import member_labels

if TYPE_CHECKING:
    from .directive import Chart

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "%": r"\%",
}


def tex(value: str) -> str:
    """``value`` (hidden characters shown as escapes) with every LaTeX special escaped."""
    return "".join(_SPECIAL.get(char, char) for char in visible_inline(value))


LABEL_CHARS = 40
"""Longest name a picture prints: TeX cannot set a box wider than about 5.75 m, and a name from
the data has no length limit. The numbers table under the chart names every pair in full."""


def name_label(value: str) -> str:
    """A TUI, model, task or pair name for a picture: escaped, cut to :data:`LABEL_CHARS` with an
    ellipsis when longer."""
    shown = visible_inline(value)
    if len(shown) > LABEL_CHARS:
        shown = shown[: LABEL_CHARS - 1] + "\u2026"
    return "".join(_SPECIAL.get(char, char) for char in shown)


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{{rgb,255:red,{r};green,{g};blue,{b}}}"


def _c(value: float) -> str:
    return f"{value:.2f}"


def _wrap(chart: Chart, picture: list[str]) -> str:
    return "\n".join(
        [
            r"\begin{center}",
            r"\resizebox{\linewidth}{!}{%",
            r"\begin{tikzpicture}[font=\sffamily\scriptsize]",
            *picture,
            r"\end{tikzpicture}}",
            r"\par\smallskip\parbox{\linewidth}{\small\textbf{"
            + tex(chart.title)
            + "} "
            + tex(chart.description)
            + "}",
            r"\end{center}",
            "",
        ]
    )


def heatmap_tikz(chart: Chart) -> str:
    heat = chart.heatmap
    assert heat is not None
    rows = {tui: i for i, tui in enumerate(heat.tuis)}
    columns = {model: j for j, model in enumerate(heat.models)}
    # one unit = one square: 1.2 cm wide, 0.6 cm high, TUIs down from the top
    pic = [r"\begin{scope}[x=1.2cm,y=-0.6cm]"]
    for model, j in columns.items():
        pic.append(
            rf"\node[rotate=45,anchor=south west] at ({_c(j + 0.5)},0) {{{name_label(model)}}};"
        )
    for tui, i in rows.items():
        pic.append(rf"\node[anchor=east] at (0,{_c(i + 0.5)}) {{{name_label(tui)}}};")
    for pair in heat.squares:
        i, j = rows[pair.tui], columns[pair.model]
        mean = charts.drawn(pair.headline)
        if mean is None:
            pic.append(rf"\draw[dashed] ({j + 0.05},{i + 0.05}) rectangle ({j + 0.95},{i + 0.95});")
            ink = "black"
        else:
            fill = charts.colour(mean)
            ink = "white" if charts.text_colour(fill) == "#ffffff" else "black"
            pic.append(rf"\fill[fill={_rgb(fill)}] ({j},{i}) rectangle ({j + 1},{i + 1});")
        mark = r"$^{\bullet}$" if pair.failed else ""
        pic.append(
            rf"\node[text={ink}] at ({_c(j + 0.5)},{_c(i + 0.5)}) "
            rf"{{{tex(chart.short(pair.headline))}{mark}}};"
        )
    below = len(heat.tuis) + 1
    pic.append(rf"\node[anchor=west] at (0,{below}) {{Headline score (0 to 1): 0}};")
    for k in range(10):
        x = 2.2 + k * 0.3
        fill = _rgb(charts.colour((k + 0.5) / 10))
        pic.append(
            rf"\fill[fill={fill}] ({_c(x)},{below - 0.3}) rectangle ({_c(x + 0.3)},{below + 0.3});"
        )
    pic.append(rf"\node[anchor=west] at (5.3,{below}) {{1 \quad $\bullet$ some runs failed}};")
    pic.append(r"\end{scope}")
    return _wrap(chart, pic)


def frontier_tikz(chart: Chart) -> str:
    front = chart.frontier
    assert front is not None
    width, height = 12.0, 7.0
    placed = [front.points[i] for i in front.placed]
    ticks = charts.cost_ticks([charts.drawn(p.costs) or 0.0 for p in placed])
    lo, hi = ticks[0], ticks[-1]

    def px(seconds: float) -> float:
        return charts.log_share(max(seconds, lo), lo, hi) * width

    pic = [rf"\draw[gray!40] (0,0) grid[xstep={width},ystep={height / 5}] ({width},{height});"]
    for tick in ticks:
        x = px(tick)
        label = format_number(tick, 0 if tick >= 1 else 1)
        pic.append(
            rf"\draw[gray!40] ({_c(x)},0) -- ({_c(x)},{height});"
            rf"\node[below] at ({_c(x)},0) {{{label}}};"
        )
    for k in range(6):
        pic.append(
            rf"\node[anchor=east] at (0,{_c(k * height / 5)}) {{{format_number(k / 5, 1)}}};"
        )
    pic.append(
        rf"\node at ({width / 2},-0.9) {{Costs: mean wall-clock seconds per run (log scale)}};"
        rf"\node[rotate=90] at (-1.1,{height / 2}) {{Headline score (0 to 1)}};"
    )
    for p in placed:
        x, y = px(charts.drawn(p.costs) or lo), (charts.drawn(p.headline) or 0.0) * height
        if p.headline is not None and p.headline.low is not None and p.headline.high is not None:
            pic.append(
                rf"\draw[gray] ({_c(x)},{_c(p.headline.low * height)}) -- "
                rf"({_c(x)},{_c(p.headline.high * height)});"
            )
        if p.costs is not None and p.costs.low is not None and p.costs.high is not None:
            pic.append(
                rf"\draw[gray] ({_c(px(p.costs.low))},{_c(y)}) -- ({_c(px(p.costs.high))},{_c(y)});"
            )
        fill = _rgb(charts.colour(charts.drawn(p.headline) or 0.0))
        pic.append(
            rf"\filldraw[fill={fill},draw=black,line width=0.2pt] ({_c(x)},{_c(y)}) circle (0.06);"
        )
    corners: list[str] = []
    spots: list[tuple[float, float]] = []
    for i in front.members:
        p = front.points[i]
        x, y = px(charts.drawn(p.costs) or lo), (charts.drawn(p.headline) or 0.0) * height
        spots.append((x, y))
        if corners:
            corners.append(f"({_c(x)},{corners[-1].split(',')[1]}")
        corners.append(f"({_c(x)},{_c(y)})")
        pic.append(
            rf"\filldraw[fill={_rgb(charts.colour(charts.drawn(p.headline) or 0.0))},draw=black,"
            rf"thick] ({_c(x)},{_c(y)}) circle (0.1);"
        )
    if len(corners) > 1:
        pic.append(r"\draw[dashed,thick] " + " -- ".join(corners) + ";")
    # numbered on the plot, where names would overlap, and named in a list under it
    widths = [0.18 * len(str(n + 1)) for n in range(len(spots))]
    names = []
    numbers = member_labels(spots, widths, 0.3, 0.08)
    for n, (i, number) in enumerate(zip(front.members, numbers, strict=True)):
        pic.append(
            rf"\node[anchor=south east,inner sep=0pt,font=\sffamily\scriptsize\bfseries] "
            rf"at ({_c(number.right)},{_c(number.baseline)}) {{{n + 1}}};"
        )
        names.append(rf"{n + 1}~{name_label(front.points[i].name)}")
    if names:
        pic.append(
            rf"\node[anchor=north west,text width={width}cm,align=left] at (0,-1.3) "
            rf"{{\textbf{{Pareto frontier, by Costs:}} {'; '.join(names)}}};"
        )
    return _wrap(chart, pic)


def strip_tikz(chart: Chart) -> str:
    spreads = chart.strip
    assert spreads is not None
    width = 9.0
    pic = [r"\begin{scope}[y=-0.45cm]"]
    bottom = len(spreads)
    for k in range(6):
        x = k / 5 * width
        pic.append(
            rf"\draw[gray!40] ({_c(x)},0) -- ({_c(x)},{bottom}) "
            rf"node[below] {{{format_number(k / 5, 1)}}};"
        )
    pic.append(rf"\node at ({width / 2},{bottom + 1.6}) {{Headline score of a cell (0 to 1)}};")
    for row, spread in enumerate(spreads):
        y = row + 0.5
        pic.append(rf"\node[anchor=east] at (0,{y}) {{{name_label(spread.task)}}};")
        for k, value in enumerate(spread.values):
            jitter = ((k * 7) % 5 - 2) * 0.06
            pic.append(
                rf"\fill[black,opacity=0.45] ({_c(value * width)},{_c(y + jitter)}) circle (0.05);"
            )
        if spread.median is not None:
            x = spread.median * width
            pic.append(rf"\draw[thick] ({_c(x)},{_c(y - 0.35)}) -- ({_c(x)},{_c(y + 0.35)});")
    pic.append(r"\end{scope}")
    return _wrap(chart, pic)


WRITERS = {"heatmap": heatmap_tikz, "frontier": frontier_tikz, "strip": strip_tikz}

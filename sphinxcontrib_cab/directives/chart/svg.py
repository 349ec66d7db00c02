"""Charts as inline SVG inside a ``figure``, for the HTML builders (html, dirhtml, singlehtml,
epub), written from a :class:`~.directive.Chart`::

    figure.cab-chart.cab-chart-<kind>#<anchor>
      figcaption > span.cab-chart-title, span.cab-chart-desc, a[href=#<anchor>-numbers]
      svg.cab-chart-svg[role=group][aria-labelledby][aria-describedby] > title
        g.cab-datum[tabindex=0][role=img][aria-label][data-*]*  (a square or a point)
          title, shapes, text.cab-tip[visibility=hidden]        (shown on focus or hover by CSS)
        g.cab-strip-row[tabindex=0][role=img][aria-label][data-task]*  (a task's spread)
          title, task name, dots, median line, text.cab-tip      (the spread, under the axis)
        text.cab-member*  (a frontier member's number, placed by :mod:`.labels`; the list of
                           names beside the plot says which pair it is)

Axes, labels and dots use ``currentColor`` so they follow a light or dark theme; squares carry
their own palette colour with black or white text, whichever contrasts more. Nothing needs
JavaScript; the same numbers are in the table that follows the figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...html import attr, text
from ...render import visible_inline
from ...snapshot import charts
from ...snapshot.charts import cost_ticks
from ...snapshot.formats import format_number
from .labels import member_labels

if TYPE_CHECKING:
    from .directive import Chart

CHAR = 6.4
"""Average advance of an 11px sans-serif character: the room labels are given."""
SQUARE = (52, 28)
PLOT = (520, 320)
ROW = 20


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _t(value: str) -> str:
    return text(visible_inline(value))


def _a(value: str) -> str:
    return attr(visible_inline(value))


def _tip(chart: Chart, pair: charts.Pair, x: float, y: float) -> str:
    first, _, second = chart.pair_label(pair).partition("; Costs ")
    return (
        f'<text class="cab-tip" x="{_n(x)}" y="{_n(y)}" visibility="hidden">'
        f"<tspan>{_t(first)}</tspan>"
        f'<tspan x="{_n(x)}" dy="14">Costs {_t(second)}</tspan></text>'
    )


def _mark(chart: Chart, pair: charts.Pair) -> str:
    label = chart.pair_label(pair)
    return (
        f'<g class="cab-datum" tabindex="0" role="img" aria-label="{_a(label)}" '
        f'data-tui="{_a(pair.tui)}" data-model="{_a(pair.model)}" '
        f'data-headline="{_a(chart.headline(pair.headline))}" '
        f'data-costs="{_a(chart.costs(pair.costs))}" data-failed="{pair.failed}">'
        f"<title>{_t(label)}</title>"
    )


def _figure(chart: Chart, width: float, height: float, body: list[str]) -> str:
    a = chart.anchor
    return "".join(
        [
            f'<figure class="cab-chart cab-chart-{chart.kind}" id="{a}">',
            f'<figcaption><span class="cab-chart-title">{_t(chart.title)}</span> ',
            f'<span class="cab-chart-desc" id="{a}-desc">{_t(chart.description)}</span> ',
            f'<a class="cab-chart-link" href="#{chart.numbers}">The numbers as a table</a>',
            "</figcaption>",
            '<svg xmlns="http://www.w3.org/2000/svg" class="cab-chart-svg" '
            f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" '
            f'height="{_n(height)}" role="group" aria-labelledby="{a}-title" '
            f'aria-describedby="{a}-desc" font-size="11" fill="currentColor">',
            f'<title id="{a}-title">{_t(chart.title)}</title>',
            *body,
            "</svg></figure>",
        ]
    )


def heatmap_svg(chart: Chart) -> str:
    heat = chart.heatmap
    assert heat is not None
    w, h = SQUARE
    left = max((len(t) for t in heat.tuis), default=3) * CHAR + 14
    label_room = max((len(m) for m in heat.models), default=5) * CHAR * 0.71
    top = label_room + 26
    grid_bottom = top + len(heat.tuis) * h
    width = max(left + len(heat.models) * w + label_room + 8, 620)
    legend_y = grid_bottom + 22
    tip_y = legend_y + 44
    body = [
        '<text x="4" y="14" font-weight="bold">TUI \N{DOWNWARDS ARROW} / model '
        "\N{RIGHTWARDS ARROW}</text>"
    ]
    for j, model in enumerate(heat.models):
        x, y = left + j * w + w / 2, top - 6
        body.append(
            f'<text x="{_n(x)}" y="{_n(y)}" transform="rotate(-45 {_n(x)} {_n(y)})">'
            f"{_t(model)}</text>"
        )
    for i, tui in enumerate(heat.tuis):
        y = top + i * h + h / 2 + 4
        body.append(f'<text x="{_n(left - 8)}" y="{_n(y)}" text-anchor="end">{_t(tui)}</text>')
    rows = {tui: i for i, tui in enumerate(heat.tuis)}
    columns = {model: j for j, model in enumerate(heat.models)}
    for pair in heat.squares:
        x, y = left + columns[pair.model] * w, top + rows[pair.tui] * h
        mean = charts.drawn(pair.headline)
        body.append(_mark(chart, pair))
        if mean is None:
            body.append(
                f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{w - 2}" height="{h - 2}" '
                'fill="none" stroke="currentColor" stroke-dasharray="3 2"/>'
            )
            ink = "currentColor"
        else:
            fill = charts.colour(mean)
            ink = charts.text_colour(fill)
            body.append(
                f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{w - 2}" height="{h - 2}" '
                f'fill="{fill}"/>'
            )
        body.append(
            f'<text x="{_n(x + w / 2)}" y="{_n(y + h / 2 + 4)}" text-anchor="middle" '
            f'fill="{ink}">{_t(chart.short(pair.headline))}</text>'
        )
        if pair.failed:
            body.append(f'<circle cx="{_n(x + w - 6)}" cy="{_n(y + 6)}" r="2.5" fill="{ink}"/>')
        body.append(_tip(chart, pair, 4, tip_y) + "</g>")
    body.append(_legend(left, legend_y))
    return _figure(chart, width, tip_y + 20, body)


def _legend(x: float, y: float) -> str:
    steps = 10
    parts = [f'<text x="{_n(x)}" y="{_n(y)}">Headline score (0 to 1):</text>']
    start = x + 150
    for k in range(steps):
        fill = charts.colour((k + 0.5) / steps)
        parts.append(
            f'<rect x="{_n(start + k * 16)}" y="{_n(y - 10)}" width="16" height="12" '
            f'fill="{fill}"/>'
        )
    parts.append(f'<text x="{_n(start - 4)}" y="{_n(y + 14)}">0</text>')
    parts.append(f'<text x="{_n(start + steps * 16 - 4)}" y="{_n(y + 14)}">1</text>')
    parts.append(
        f'<circle cx="{_n(start + steps * 16 + 20)}" cy="{_n(y - 4)}" r="2.5"/>'
        f'<text x="{_n(start + steps * 16 + 28)}" y="{_n(y)}">some runs failed</text>'
    )
    return "".join(parts)


def frontier_svg(chart: Chart) -> str:
    front = chart.frontier
    assert front is not None
    pw, ph = PLOT
    left, top = 62.0, 14.0
    bottom = top + ph
    placed = [front.points[i] for i in front.placed]
    ticks = cost_ticks([charts.drawn(p.costs) or 0.0 for p in placed])
    lo, hi = ticks[0], ticks[-1]
    scores = charts.score_ticks(*_score_bounds(placed))
    y_lo, y_hi = scores[0], scores[-1]

    def px(seconds: float) -> float:
        return left + charts.log_share(max(seconds, lo), lo, hi) * pw

    def py(score: float) -> float:
        return bottom - (max(y_lo, min(y_hi, score)) - y_lo) / (y_hi - y_lo) * ph

    body = []
    for tick in ticks:
        x = px(tick)
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{_n(x)}" y="{_n(bottom + 16)}" text-anchor="middle">'
            f"{format_number(tick, 0 if tick >= 1 else 2)}</text>"
        )
    for score in scores:
        y = py(score)
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + pw)}" y2="{_n(y)}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" text-anchor="end">'
            f"{format_number(score, 1)}</text>"
        )
    body.append(
        f'<text x="{_n(left + pw / 2)}" y="{_n(bottom + 36)}" text-anchor="middle">'
        "Costs: mean wall-clock seconds per run (log scale; left is better)</text>"
        f'<text x="14" y="{_n(top + ph / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_n(top + ph / 2)})">Headline score (up is better)'
        "</text>"
    )

    def place(p: charts.Pair) -> tuple[float, float]:
        return px(charts.drawn(p.costs) or lo), py(charts.drawn(p.headline) or 0.0)

    if front.members:
        corners: list[tuple[float, float]] = []
        for i in front.members:
            x, y = place(front.points[i])
            if corners:
                corners.append((x, corners[-1][1]))
            corners.append((x, y))
        body.append(
            '<polyline class="cab-frontier" points="'
            + " ".join(f"{_n(x)},{_n(y)}" for x, y in corners)
            + '" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
    numbers = {i: n + 1 for n, i in enumerate(front.members)}
    tip_y = bottom + 60
    for i in front.placed:
        p = front.points[i]
        x, y = place(p)
        body.append(_mark(chart, p))
        if p.headline is not None and p.headline.low is not None and p.headline.high is not None:
            body.append(
                f'<line x1="{_n(x)}" y1="{_n(py(p.headline.low))}" x2="{_n(x)}" '
                f'y2="{_n(py(p.headline.high))}" stroke="currentColor" stroke-opacity="0.4"/>'
            )
        if p.costs is not None and p.costs.low is not None and p.costs.high is not None:
            body.append(
                f'<line x1="{_n(px(p.costs.low))}" y1="{_n(y)}" x2="{_n(px(p.costs.high))}" '
                f'y2="{_n(y)}" stroke="currentColor" stroke-opacity="0.4"/>'
            )
        fill = charts.colour(charts.drawn(p.headline) or 0.0)
        if i in numbers:
            body.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5.5" fill="{fill}" '
                'stroke="currentColor" stroke-width="2"/>'
            )
        else:
            body.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{fill}" '
                'stroke="currentColor" stroke-width="0.5"/>'
            )
        body.append(_tip(chart, p, 4, tip_y) + "</g>")
    # members are numbered on the plot and named in a list beside it, where names cannot overlap
    legend_x = left + pw + 16
    body.append(
        f'<text x="{_n(legend_x)}" y="{_n(top + 10)}" font-weight="bold">'
        "Pareto frontier, by Costs:</text>"
    )
    # (y up for the placement, so the screen's y is negated there and back)
    spots = [place(front.points[i]) for i in numbers]
    labels = member_labels(
        [(x, -y) for x, y in spots], [len(str(n)) * CHAR + 2 for n in numbers.values()], 12, 6
    )
    for (i, n), label in zip(numbers.items(), labels, strict=True):
        body.append(
            f'<text class="cab-member" x="{_n(label.right)}" y="{_n(-label.baseline)}" '
            f'text-anchor="end" font-weight="bold">{n}</text>'
            f'<text x="{_n(legend_x)}" y="{_n(top + 10 + n * 15)}">{n}  '
            f"{_t(front.points[i].name)}</text>"
        )
    names = max((len(front.points[i].name) for i in front.members), default=20)
    return _figure(chart, legend_x + max(names + 4, 26) * CHAR, tip_y + 20, body)


def _score_bounds(placed: list[charts.Pair]) -> tuple[list[float], list[float]]:
    lows, highs = [], []
    for p in placed:
        mean = charts.drawn(p.headline) or 0.0
        lows.append(mean if p.headline is None or p.headline.low is None else p.headline.low)
        highs.append(mean if p.headline is None or p.headline.high is None else p.headline.high)
    return lows, highs


def strip_svg(chart: Chart) -> str:
    spreads = chart.strip
    assert spreads is not None
    pw = 420.0
    left = max((len(s.task) for s in spreads), default=4) * CHAR + 14
    top = 8.0
    bottom = top + len(spreads) * ROW

    def px(score: float) -> float:
        return left + max(0.0, min(1.0, score)) * pw

    body = []
    for k in range(6):
        x = px(k / 5)
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{_n(x)}" y="{_n(bottom + 16)}" text-anchor="middle">'
            f"{format_number(k / 5, 1)}</text>"
        )
    body.append(
        f'<text x="{_n(left + pw / 2)}" y="{_n(bottom + 34)}" text-anchor="middle">'
        "Headline score of a cell (0 to 1; right is better)</text>"
    )
    tip_y = bottom + 56
    for row, spread in enumerate(spreads):
        y = top + row * ROW + ROW / 2
        label = _spread_label(chart, spread)
        task, _, spread_text = label.partition(": ")
        body.append(
            f'<g class="cab-strip-row" tabindex="0" role="img" aria-label="{_a(label)}" '
            f'data-task="{_a(spread.task)}"><title>{_t(label)}</title>'
            f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end">{_t(spread.task)}</text>'
            f'<text class="cab-tip" x="8" y="{_n(tip_y)}" visibility="hidden">'
            f'<tspan>{_t(task)}:</tspan><tspan x="8" dy="14">{_t(spread_text)}</tspan></text>'
        )
        for k, value in enumerate(spread.values):
            jitter = ((k * 7) % 5 - 2) * 1.6
            body.append(
                f'<circle cx="{_n(px(value))}" cy="{_n(y + jitter)}" r="3" fill-opacity="0.45"/>'
            )
        if spread.median is not None:
            x = px(spread.median)
            body.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 8)}" x2="{_n(x)}" y2="{_n(y + 8)}" '
                'stroke="currentColor" stroke-width="2"/>'
            )
        body.append("</g>")
    return _figure(chart, left + pw + 24, tip_y + 20, body)


def _spread_label(chart: Chart, spread: charts.Spread) -> str:
    if not spread.values:
        return f"{spread.task}: {spread.cells} cells, none with a headline"
    parts = (spread.values[0], spread.median or 0.0, spread.values[-1])
    low, middle, high = (format_number(v, chart.digits) for v in parts)
    return (
        f"{spread.task}: {len(spread.values)} of {spread.cells} cells; lowest {low}, "
        f"median {middle}, highest {high}"
    )


WRITERS = {"heatmap": heatmap_svg, "frontier": frontier_svg, "strip": strip_svg}

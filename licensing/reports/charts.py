"""Charts drawn on the server as SVG with matplotlib, so they read without JavaScript.

The app's Content-Security-Policy allows no inline styles, and matplotlib writes its colours as style
attributes and a <style> element. The SVG is rewritten to use SVG presentation attributes instead, which CSP
does not govern, so the chart draws the same as an image of its own (reports.chart) or inline."""

from __future__ import annotations

import html
import io
import re

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from licensing.reports.suppression import THRESHOLD, Cell  # noqa: E402

COLOURS = ["#1d70b8", "#f47738", "#00703c", "#912b88", "#505a5f", "#d4351c"]  # GOV.UK palette
plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "licensing-reports",
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
_TAG = re.compile(r"<[^>!?][^>]*>")
_FONT = re.compile(r"^(?:(italic|oblique|normal)\s+)?(?:(bold|normal|\d{3})\s+)?([\d.]+px)\s+(.+)$")


def _attributes(style: str) -> str:
    """CSS declarations as presentation attributes: `fill: #fff; font: 9px 'DejaVu Sans'` -> fill="#fff"
    ..."""
    out = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name == "font":
            match = _FONT.match(value)
            if match:
                style_, weight, size, family = match.groups()
                out += [f'font-size="{size}"', f'font-family="{html.escape(family.replace(chr(39), ""))}"']
                if weight:
                    out.append(f'font-weight="{weight}"')
                if style_:
                    out.append(f'font-style="{style_}"')
            continue
        out.append(f'{name}="{html.escape(value)}"')
    return " " + " ".join(out) if out else ""


def csp_safe_svg(svg: str, *, title: str) -> str:
    """matplotlib's SVG with styles turned into attributes, no XML prologue, and an accessible name."""
    svg = svg[svg.index("<svg") :]
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _TAG.sub(
        lambda tag: _STYLE_ATTR.sub(lambda m: _attributes(html.unescape(m.group(1))), tag.group(0)), svg
    )
    opening_end = svg.index(">") + 1
    opening = svg[:opening_end].replace(
        "<svg ", '<svg role="img" class="app-chart" stroke-linejoin="round" stroke-linecap="butt" ', 1
    )
    return f"{opening}<title>{html.escape(title)}</title>{svg[opening_end:]}"


def _figure(width: float, height: float):
    """A figure and its axes outside pyplot's registry of open figures (nothing to close, less to set up)."""
    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _render(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return csp_safe_svg(buffer.getvalue(), title=title)


def _shown(cell: Cell) -> float:
    """Hidden cells are drawn as nothing, never at their value."""
    return 0.0 if cell.hidden else float(cell.value)


def bar_chart(title: str, labels: list[str], series: list[str], cells: list[list[Cell]]) -> str:
    """Grouped horizontal bars: one group per row, one bar per series; suppressed cells are marked, not
    drawn."""
    figure, axes = _figure(7, 0.45 * max(len(labels), 2) * max(1, len(series) / 2) + 1)
    count = len(series)
    height = 0.8 / count
    for index, name in enumerate(series):
        positions = [row + (count - 1 - index) * height - 0.4 + height / 2 for row in range(len(labels))]
        values = [_shown(row[index]) for row in cells]
        axes.barh(positions, values, height=height, label=name, color=COLOURS[index % len(COLOURS)])
        for y, row in zip(positions, cells, strict=True):
            if row[index].hidden:
                axes.text(
                    0, y, " <5" if row[index].state == "primary" else " withheld", va="center", fontsize=7
                )
    axes.set_yticks(range(len(labels)), labels=[_wrap(label) for label in labels])
    axes.invert_yaxis()
    largest = max((_shown(cell) for row in cells for cell in row), default=0)
    axes.set_xlim(0, max(largest * 1.1, THRESHOLD))
    figure.subplots_adjust(left=0.36, right=0.97, top=0.97, bottom=0.08)  # room for wrapped labels, one draw
    axes.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # few ticks: each is costly to draw
    if count > 1:
        axes.legend(loc="lower right", frameon=False)
    return _render(figure, title)


def line_chart(title: str, labels: list[str], series: list[str], cells: list[list[Cell]]) -> str:
    """One line per series over the rows (months); a suppressed month is a gap in its line."""
    figure, axes = _figure(7, 3)
    for index, name in enumerate(series):
        values = [float("nan") if row[index].hidden else float(row[index].value) for row in cells]
        axes.plot(range(len(labels)), values, marker="o", label=name, color=COLOURS[index % len(COLOURS)])
    axes.set_xticks(range(len(labels)), labels=labels, rotation=45, ha="right")
    figure.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.22)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    largest = max((_shown(cell) for row in cells for cell in row), default=0)
    axes.set_ylim(0, max(largest * 1.1, THRESHOLD))
    axes.legend(loc="upper left", frameon=False)
    return _render(figure, title)


def district_map(title: str, labels: list[str], cells: list[list[Cell]]) -> str:
    """A grid of postcode districts (area letters down, each area's districts in number order across), each a
    bubble whose area is its count relative to the largest, so a county of thousands reads like a village."""
    figure, axes = _figure(7, 3)
    areas = sorted({_area(label) for label in labels})
    across: dict[str, int] = {}
    shown_x, shown_y, sizes, hidden_x, hidden_y = [], [], [], [], []
    largest = max((row[0].value for row in cells if not row[0].hidden), default=0) or 1
    for label, row in zip(labels, cells, strict=True):
        area, cell = _area(label), row[0]
        x, y = across.get(area, 0), areas.index(area)
        across[area] = x + 1
        if cell.hidden:
            hidden_x.append(x)
            hidden_y.append(y)
            text = "<5" if cell.state == "primary" else "withheld"  # withheld: 0 or 5 and more, not <5
        elif cell.value:
            shown_x.append(x)
            shown_y.append(y)
            sizes.append(40 + 560 * cell.value / largest)
            text = f"{cell.value}"
        else:
            continue
        axes.annotate(f"{label}\n{text}", (x, y), ha="center", va="center", fontsize=6)
    # One collection per kind of bubble: a call per district cost a tenth of a second on a county's map.
    if shown_x:
        axes.scatter(shown_x, shown_y, s=sizes, color=COLOURS[1], alpha=0.6, linewidths=0)
    if hidden_x:
        axes.scatter(hidden_x, hidden_y, s=40, facecolors="none", edgecolors=COLOURS[4])
    axes.set_yticks(range(len(areas)), labels=areas)
    axes.set_xticks([])
    axes.set_xlim(-0.6, max(across.values(), default=1) - 0.4)
    axes.set_ylim(-0.6, len(areas) - 0.4)
    axes.set_xlabel("Districts in number order (bubble area: complaints, against the largest)")
    figure.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.12)
    return _render(figure, title)


def _area(district: str) -> str:
    return "".join(ch for ch in district if ch.isalpha())[:2] or "?"


def _wrap(label: str, width: int = 32) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])

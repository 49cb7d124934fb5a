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
    """A grid of postcode districts (area letters down, district number across), bubbles sized by the
    count."""
    figure, axes = _figure(7, 3)
    areas = sorted({_area(label) for label in labels})
    for label, row in zip(labels, cells, strict=True):
        area, number = _area(label), _number(label)
        cell = row[0]
        y = areas.index(area)
        if cell.hidden:
            axes.scatter([number], [y], s=60, facecolors="none", edgecolors=COLOURS[4])
            shown = "<5" if cell.state == "primary" else "withheld"  # withheld: 0 or 5 and more, not <5
            axes.annotate(f"{label}\n{shown}", (number, y), ha="center", va="center", fontsize=6)
        elif cell.value:
            axes.scatter([number], [y], s=60 + cell.value * 40, color=COLOURS[1], alpha=0.7)
            axes.annotate(f"{label}\n{cell.value}", (number, y), ha="center", va="center", fontsize=6)
    axes.set_yticks(range(len(areas)), labels=areas)
    axes.set_xlabel("District number")
    figure.subplots_adjust(left=0.08, right=0.98, top=0.95, bottom=0.15)
    axes.margins(0.15)
    return _render(figure, title)


def _area(district: str) -> str:
    return "".join(ch for ch in district if ch.isalpha())[:2] or "?"


def _number(district: str) -> int:
    digits = "".join(ch for ch in district[len(_area(district)) :] if ch.isdigit())
    return int(digits) if digits else 0


def _wrap(label: str, width: int = 32) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])

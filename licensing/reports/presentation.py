"""Turns report tables into what people see: suppressed cells, a chart for each table, and export rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from licensing.reports import charts
from licensing.reports.services import Section, SuppressedTable, Table


@dataclass
class ShownTable:
    table: Table
    shown: SuppressedTable
    has_chart: bool
    link: str = ""
    chart_url: str = ""


def chart_figures(table: Table, shown: SuppressedTable) -> tuple | None:
    """What the table's chart draws (kind, title, labels, columns, cells): the suppressed cells without the
    totals; None when there is nothing to draw. Known without drawing, so the page can point at the chart."""
    if not table.chart or not table.rows:
        return None
    n_rows, n_cols = len(table.rows), len(table.columns)
    labels = tuple(shown.row_labels[:n_rows])
    cells = tuple(tuple(row[:n_cols]) for row in shown.cells[:n_rows])
    if table.chart == "map":  # only real postcode districts have a place on the map
        pairs = [
            (label, row)
            for label, row in zip(labels, cells, strict=True)
            if label[:1].isalpha() and label != "No address"
        ]
        if not pairs:
            return None
        labels, cells = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    return table.chart, table.title, labels, tuple(table.columns), cells


def chart_for(table: Table, shown: SuppressedTable) -> str:
    """The table's chart as SVG, or "" when it has none."""
    figures = chart_figures(table, shown)
    return _draw(*figures) if figures else ""


# Drawing takes a noticeable fraction of a second per chart; a chart depends only on the suppressed figures it
# shows, so repeated requests for the same figures reuse it.
@lru_cache(maxsize=256)
def _draw(kind: str, title: str, labels: tuple, columns: tuple, cells: tuple) -> str:
    if kind == "line":
        return charts.line_chart(title, list(labels), list(columns), [list(row) for row in cells])
    if kind == "map":
        return charts.district_map(title, list(labels), [list(row) for row in cells])
    return charts.bar_chart(title, list(labels), list(columns), [list(row) for row in cells])


def present(sections: list[Section]) -> list[tuple[Section, list[ShownTable]]]:
    """Each table with its suppressed cells and whether it has a chart (drawn by its own request)."""
    shown = []
    for section in sections:
        tables = []
        for table in section.tables:
            suppressed = table.suppressed()
            tables.append(ShownTable(table, suppressed, chart_figures(table, suppressed) is not None))
        shown.append((section, tables))
    return shown


EXPORT_HEADERS = ["Section", "Table", "Row", "Column", "Value"]


def export_rows(sections: list[Section]) -> list[list]:
    """One row per figure (long format), suppressed cells as words, measures after each table."""
    rows: list[list] = []
    for section, tables in present(sections):
        for shown in tables:
            for label, cells in shown.shown.rows():
                for column, cell in zip(shown.shown.columns, cells, strict=True):
                    rows.append(
                        [
                            section.title,
                            shown.table.title,
                            label,
                            column,
                            cell.text if cell.hidden else cell.value,
                        ]
                    )
            for label, this_period, previous in shown.table.measures:
                rows.append([section.title, shown.table.title, label, "This period", this_period])
                if previous:
                    rows.append([section.title, shown.table.title, label, "Previous period", previous])
    return rows

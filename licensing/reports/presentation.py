"""Turns report tables into what people see: suppressed cells, a chart beside each table, and export rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from licensing.reports import charts
from licensing.reports.services import Section, SuppressedTable, Table


@dataclass
class ShownTable:
    table: Table
    shown: SuppressedTable
    chart_svg: Markup
    link: str = ""


def chart_for(table: Table, shown: SuppressedTable) -> str:
    """The table's chart, drawn from the suppressed cells and without the totals."""
    if not table.chart or not table.rows:
        return ""
    n_rows, n_cols = len(table.rows), len(table.columns)
    labels = tuple(shown.row_labels[:n_rows])
    cells = tuple(tuple(row[:n_cols]) for row in shown.cells[:n_rows])
    return _draw(table.chart, table.title, labels, tuple(table.columns), cells)


# Drawing takes a noticeable fraction of a second per chart; a chart depends only on the suppressed figures it
# shows, so repeated views of the same report reuse it.
@lru_cache(maxsize=256)
def _draw(kind: str, title: str, labels: tuple, columns: tuple, cells: tuple) -> str:
    if kind == "line":
        return charts.line_chart(title, list(labels), list(columns), [list(row) for row in cells])
    if kind == "map":
        pairs = [
            (label, row)
            for label, row in zip(labels, cells, strict=True)
            if label[:1].isalpha() and label != "No address"
        ]
        if not pairs:
            return ""
        return charts.district_map(title, [p[0] for p in pairs], [list(p[1]) for p in pairs])
    return charts.bar_chart(title, list(labels), list(columns), [list(row) for row in cells])


def present(sections: list[Section], *, with_charts: bool = True) -> list[tuple[Section, list[ShownTable]]]:
    shown = []
    for section in sections:
        tables = []
        for table in section.tables:
            suppressed = table.suppressed()
            # Our own SVG: matplotlib escapes every label it draws, and charts.csp_safe_svg escapes
            # attributes.
            svg = Markup(chart_for(table, suppressed)) if with_charts else Markup("")  # noqa: S704
            tables.append(ShownTable(table, suppressed, svg))
        shown.append((section, tables))
    return shown


EXPORT_HEADERS = ["Section", "Table", "Row", "Column", "Value"]


def export_rows(sections: list[Section]) -> list[list]:
    """One row per figure (long format), suppressed cells as words, measures after each table."""
    rows: list[list] = []
    for section, tables in present(sections, with_charts=False):
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

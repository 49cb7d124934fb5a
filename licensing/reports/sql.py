"""Portable SQL expressions the reports need, compiled per database (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement):  # noqa: N801  (reads like the SQL function it stands for)
    """Whole days from `start` to `end` (dates or datetimes), as a number."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    end, start = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


@compiles(days_between, "postgresql")
def _days_postgres(element, compiler, **kw):
    end, start = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(EXTRACT(EPOCH FROM (CAST({end} AS timestamp) - CAST({start} AS timestamp))) / 86400.0)"


class year_month(FunctionElement):  # noqa: N801
    """'YYYY-MM' of a date, for monthly trends."""

    type = String()
    inherit_cache = True
    name = "year_month"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_month, "postgresql")
def _year_month_postgres(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class postcode_district(FunctionElement):  # noqa: N801
    """The outward code of a UK postcode ('HP13 6EX' -> 'HP13')."""

    type = String()
    inherit_cache = True
    name = "postcode_district"


@compiles(postcode_district, "sqlite")
def _district_sqlite(element, compiler, **kw):
    value = compiler.process(element.clauses, **kw)
    return f"upper(substr(trim({value}), 1, instr(trim({value}) || ' ', ' ') - 1))"


@compiles(postcode_district, "postgresql")
def _district_postgres(element, compiler, **kw):
    return f"upper(split_part(trim({compiler.process(element.clauses, **kw)}), ' ', 1))"


# Each applicant check's found identities, one row per (check, identity); the list holds {"id": ...} objects
# (or bare ids from older callers).
CHECK_IDENTITIES_SQL = {
    "sqlite": (
        "SELECT c.id AS check_id, c.authority_id AS authority_id, c.checked_at AS checked_at, "
        "CAST(CASE WHEN j.type = 'object' THEN json_extract(j.value, '$.id') ELSE j.value END AS INTEGER) "
        "AS identity_id FROM applicant_checks c, json_each(c.identity_ids) j"
    ),
    "postgresql": (
        "SELECT c.id AS check_id, c.authority_id AS authority_id, c.checked_at AS checked_at, "
        "CAST(CASE WHEN json_typeof(j.value) = 'object' THEN j.value ->> 'id' ELSE j.value #>> '{}' END "
        "AS INTEGER) AS identity_id "
        "FROM applicant_checks c CROSS JOIN LATERAL json_array_elements(c.identity_ids) AS j(value)"
    ),
}


class days_before(FunctionElement):  # noqa: N801
    """A date `n` days before a date or datetime column, as a date."""

    inherit_cache = True
    name = "days_before"


@compiles(days_before, "sqlite")
def _days_before_sqlite(element, compiler, **kw):
    value, days = list(element.clauses)
    return f"date({compiler.process(value, **kw)}, '-' || {compiler.process(days, **kw)} || ' days')"


@compiles(days_before, "postgresql")
def _days_before_postgres(element, compiler, **kw):
    value, days = list(element.clauses)
    value, days = compiler.process(value, **kw), compiler.process(days, **kw)
    return f"CAST(CAST({value} AS date) - CAST({days} AS integer) AS date)"

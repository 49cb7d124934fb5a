"""report_stock kept once per statement on PostgreSQL, not once per row

report_stock holds one counter row per group of licences or badges. A row-level trigger upserted the group's
counter once per licence, so a bulk import that wrote many licences of one group in one transaction made a new
version of the same counter for every licence; PostgreSQL cannot prune versions its own open transaction left
dead, so each upsert walked every earlier one and a 100,000-row import spent 810 s in COPY of licences (import7,
bench/results/import_round7.txt). Statement-level triggers with transition tables count each group once per
statement. SQLite updates in place and keeps its row triggers.

Revision ID: stock70001
Revises: reports60001
Create Date: 2026-11-29 21:30:00

"""
# ruff: noqa: S608  (the SQL is built from this file's own constants, never from input)
from alembic import op

revision = "stock70001"
down_revision = "reports60001"
branch_labels = None
depends_on = None

# Frozen copies of reports60001's stock keys (a migration must not follow later changes to app code).
STOCK_KEY = ("holding", "kind", "status", "expires_on", "issued_on", "authority_id", "training_on",
             "dbs_state", "dbs_checked_on")
NO_DATE, OPEN_ENDED = "DATE '0001-01-01'", "DATE '9999-12-31'"


def _licence_key(row):
    return ("'licence'", f"{row}.licence_type", f"{row}.status", f"coalesce({row}.expires_on, {OPEN_ENDED})",
            f"coalesce({row}.issued_on, {OPEN_ENDED})", f"{row}.authority_id",
            f"coalesce({row}.safeguarding_training_on, {NO_DATE})", "-1", NO_DATE)


def _badge_key(row):
    subscribed = f"{row}.dbs_subscribed"
    return ("'badge'", f"{row}.badge_type", f"{row}.status", f"{row}.expires_on", f"{row}.issued_on",
            f"{row}.authority_id", f"coalesce({row}.training_on, {NO_DATE})",
            f"CASE WHEN {subscribed} IS NULL THEN -1 WHEN {subscribed} THEN 1 ELSE 0 END",
            f"coalesce({row}.dbs_checked_on, {NO_DATE})")


def _groups(key, rows):
    """Each stock group among a transition table's rows, with how many rows it has."""
    columns = ", ".join(f"{value} AS {column}" for column, value in zip(STOCK_KEY, key("r"), strict=True))
    return f"SELECT {columns}, count(*) AS c FROM {rows} r GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"


def _same_group(a, b):
    return " AND ".join(f"{a}.{column} = {b}.{column}" for column in STOCK_KEY)


def _statement_function(name, key):
    keys = ", ".join(STOCK_KEY)
    # Taken away before added, so an UPDATE that keeps a row's group leaves its counter as it was.
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE report_stock s SET n = s.n - g.c FROM ({_groups(key, 'old_rows')}) g
                    WHERE {_same_group('s', 'g')};
                DELETE FROM report_stock s USING ({_groups(key, 'old_rows')}) g
                    WHERE s.n <= 0 AND {_same_group('s', 'g')};
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO report_stock ({keys}, n)
                    SELECT {keys}, c FROM ({_groups(key, 'new_rows')}) g ORDER BY {keys}
                    ON CONFLICT ({keys}) DO UPDATE SET n = report_stock.n + EXCLUDED.n;
            END IF;
            RETURN NULL;
        END $$"""


# (function, table, stock key). Transition tables allow one event per trigger, so three triggers each.
STOCK_TRIGGERS = (("report_stock_licence_statement", "licences", _licence_key),
                  ("report_stock_badge_statement", "report_badges", _badge_key))
EVENTS = {"insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
          "update": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
          "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows")}
ROW_TRIGGERS = (("report_stock_licence_sync", "licences", _licence_key),
                ("report_stock_badge_sync", "report_badges", _badge_key))


def _row_function(name, key):
    keys = ", ".join(STOCK_KEY)
    where = " AND ".join(f"{column} = {value}" for column, value in zip(STOCK_KEY, key("OLD"), strict=True))
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE report_stock SET n = n - 1 WHERE {where};
                DELETE FROM report_stock WHERE n <= 0 AND {where};
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO report_stock ({keys}, n) VALUES ({', '.join(key('NEW'))}, 1)
                    ON CONFLICT ({keys}) DO UPDATE SET n = report_stock.n + 1;
            END IF;
            RETURN NULL;
        END $$"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _key in ROW_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    for name, table, key in STOCK_TRIGGERS:
        op.execute(_statement_function(name, key))
        for event, (verb, referencing) in EVENTS.items():
            op.execute(f"CREATE TRIGGER {name}_{event} AFTER {verb} ON {table} {referencing} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _key in STOCK_TRIGGERS:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}_{event} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    for name, table, key in ROW_TRIGGERS:
        op.execute(_row_function(name, key))
        op.execute(f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {name}()")

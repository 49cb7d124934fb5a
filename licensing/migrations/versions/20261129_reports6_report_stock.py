"""report stock and link summaries: badges and licences counted by group, links with their authorities

The DBS and training figures count what is in force on a day; they now read report_stock, one row per
distinct combination of type, status, dates and DBS state with how many badges or licences share it, instead
of every badge and licence in force (714,000 licences at 1,000,000 records). The matching figures for one
authority read report_links, each link with the authorities of its two records. Triggers on licences,
report_badges (itself kept by triggers on badges and DBS certificates), record_links and person_records keep
both in step on SQLite and PostgreSQL; `flask reports rebuild` recomputes them. A partial index finds the few
records with neither identifier (issue 10, round 6).

Revision ID: reports60001
Revises: searchspeed60001
Create Date: 2026-11-29 17:45:00

"""
# ruff: noqa: S608  (the SQL is built from this file's own constants, never from input)
import sqlalchemy as sa
from alembic import op

revision = "reports60001"
down_revision = "searchspeed60001"
branch_labels = None
depends_on = None

# A missing date as stored in the stock keys (typed on PostgreSQL, where a bare literal in a SELECT is text).
DATES = {"sqlite": ("'0001-01-01'", "'9999-12-31'"),
         "postgresql": ("DATE '0001-01-01'", "DATE '9999-12-31'")}
STOCK_KEY = ("holding", "kind", "status", "expires_on", "issued_on", "authority_id", "training_on",
             "dbs_state", "dbs_checked_on")
NO_IDENTIFIER = "driving_licence_number = '' AND national_insurance = ''"


def _licence_key(row, d):
    NO_DATE, OPEN_ENDED = DATES[d]  # noqa: N806
    return ("'licence'", f"{row}.licence_type", f"{row}.status", f"coalesce({row}.expires_on, {OPEN_ENDED})",
            f"coalesce({row}.issued_on, {OPEN_ENDED})", f"{row}.authority_id",
            f"coalesce({row}.safeguarding_training_on, {NO_DATE})", "-1", NO_DATE)


def _badge_key(row, d):
    NO_DATE = DATES[d][0]  # noqa: N806
    subscribed = f"{row}.dbs_subscribed"
    return ("'badge'", f"{row}.badge_type", f"{row}.status", f"{row}.expires_on", f"{row}.issued_on",
            f"{row}.authority_id", f"coalesce({row}.training_on, {NO_DATE})",
            f"CASE WHEN {subscribed} IS NULL THEN -1 WHEN {subscribed} THEN 1 ELSE 0 END",
            f"coalesce({row}.dbs_checked_on, {NO_DATE})")


def _add(key):
    return (f"INSERT INTO report_stock ({', '.join(STOCK_KEY)}, n) VALUES ({', '.join(key)}, 1) "
            f"ON CONFLICT ({', '.join(STOCK_KEY)}) DO UPDATE SET n = report_stock.n + 1;")


def _take(key):
    where = " AND ".join(f"{column} = {value}" for column, value in zip(STOCK_KEY, key, strict=True))
    return (f"UPDATE report_stock SET n = n - 1 WHERE {where}; "
            f"DELETE FROM report_stock WHERE n <= 0 AND {where};")


LINK_COLUMNS = "link_id, state, set_at, created_at, record_a_id, record_b_id, authority_a, authority_b"
HOLDER = "(SELECT authority_id FROM person_records WHERE id = {})"


def _link_values(row):
    return (f"{row}.id, {row}.state, {row}.set_at, {row}.created_at, {row}.record_a_id, {row}.record_b_id, "
            f"{HOLDER.format(f'{row}.record_a_id')}, {HOLDER.format(f'{row}.record_b_id')}")


INSERT_LINK = f"INSERT INTO report_links ({LINK_COLUMNS}) VALUES ({_link_values('NEW')});"
MOVE_RECORD = ("UPDATE report_links SET authority_a = NEW.authority_id WHERE record_a_id = NEW.id; "
               "UPDATE report_links SET authority_b = NEW.authority_id WHERE record_b_id = NEW.id;")


def _sqlite_triggers():
    def licence(row):
        return _licence_key(row, "sqlite")

    def badge(row):
        return _badge_key(row, "sqlite")

    return {
        "report_stock_licence_insert": f"AFTER INSERT ON licences BEGIN {_add(licence('NEW'))} END",
        "report_stock_licence_update": "AFTER UPDATE ON licences BEGIN "
        f"{_take(licence('OLD'))} {_add(licence('NEW'))} END",
        "report_stock_licence_delete": f"AFTER DELETE ON licences BEGIN {_take(licence('OLD'))} END",
        "report_stock_badge_insert": f"AFTER INSERT ON report_badges BEGIN {_add(badge('NEW'))} END",
        "report_stock_badge_update": "AFTER UPDATE ON report_badges BEGIN "
        f"{_take(badge('OLD'))} {_add(badge('NEW'))} END",
        "report_stock_badge_delete": f"AFTER DELETE ON report_badges BEGIN {_take(badge('OLD'))} END",
        "report_links_insert": f"AFTER INSERT ON record_links BEGIN {INSERT_LINK} END",
        "report_links_update": "AFTER UPDATE ON record_links BEGIN "
        f"DELETE FROM report_links WHERE link_id = OLD.id; {INSERT_LINK} END",
        "report_links_delete": "AFTER DELETE ON record_links BEGIN "
        "DELETE FROM report_links WHERE link_id = OLD.id; END",
        "report_links_record_moved": "AFTER UPDATE OF authority_id ON person_records "
        f"WHEN OLD.authority_id IS NOT NEW.authority_id BEGIN {MOVE_RECORD} END",
    }


def _stock_function(name, key):
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {_take(key('OLD', 'postgresql'))}
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {_add(key('NEW', 'postgresql'))}
            END IF;
            RETURN NULL;
        END $$"""


def _postgres_statements():
    return [
        _stock_function("report_stock_licence_sync", _licence_key),
        _stock_function("report_stock_badge_sync", _badge_key),
        f"""CREATE FUNCTION report_link_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM report_links WHERE link_id = OLD.id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {INSERT_LINK}
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION report_link_record_moved() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {MOVE_RECORD}
            RETURN NULL;
        END $$""",
        "CREATE TRIGGER report_stock_licence_sync AFTER INSERT OR UPDATE OR DELETE ON licences "
        "FOR EACH ROW EXECUTE FUNCTION report_stock_licence_sync()",
        "CREATE TRIGGER report_stock_badge_sync AFTER INSERT OR UPDATE OR DELETE ON report_badges "
        "FOR EACH ROW EXECUTE FUNCTION report_stock_badge_sync()",
        "CREATE TRIGGER report_links_sync AFTER INSERT OR UPDATE OR DELETE ON record_links "
        "FOR EACH ROW EXECUTE FUNCTION report_link_sync()",
        "CREATE TRIGGER report_links_record_moved AFTER UPDATE OF authority_id ON person_records "
        "FOR EACH ROW WHEN (OLD.authority_id IS DISTINCT FROM NEW.authority_id) "
        "EXECUTE FUNCTION report_link_record_moved()",
    ]


def _fill(d):
    op.execute(f"INSERT INTO report_stock ({', '.join(STOCK_KEY)}, n) "
               f"SELECT {', '.join(_licence_key('l', d))}, count(*) FROM licences l "
               "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9")
    op.execute(f"INSERT INTO report_stock ({', '.join(STOCK_KEY)}, n) "
               f"SELECT {', '.join(_badge_key('b', d))}, count(*) FROM report_badges b "
               "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9")
    op.execute(f"INSERT INTO report_links ({LINK_COLUMNS}) "
               "SELECT l.id, l.state, l.set_at, l.created_at, l.record_a_id, l.record_b_id, a.authority_id, "
               "b.authority_id FROM record_links l LEFT JOIN person_records a ON a.id = l.record_a_id "
               "LEFT JOIN person_records b ON b.id = l.record_b_id")


INDEXES = [
    ("ix_report_links_record_a_id", "report_links", ["record_a_id"]),
    ("ix_report_links_record_b_id", "report_links", ["record_b_id"]),
    ("ix_report_links_set_at", "report_links", ["set_at", "state", "authority_a", "authority_b"]),
    ("ix_report_links_queue", "report_links", ["state", "created_at", "authority_a", "authority_b"]),
]


def upgrade():
    op.create_table(
        "report_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holding", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("training_on", sa.Date(), nullable=False),
        sa.Column("dbs_state", sa.Integer(), nullable=False),
        sa.Column("dbs_checked_on", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_stock")),
    )
    op.create_index("ix_report_stock_key", "report_stock", list(STOCK_KEY), unique=True)
    op.create_table(
        "report_links",
        sa.Column("link_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=False),
        sa.Column("authority_a", sa.Integer(), nullable=True),
        sa.Column("authority_b", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("link_id", name=op.f("pk_report_links")),
    )
    _fill(op.get_bind().dialect.name)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index("ix_person_records_no_identifier", "person_records", ["authority_id"], unique=False,
                    sqlite_where=sa.text(NO_IDENTIFIER), postgresql_where=sa.text(NO_IDENTIFIER))
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        for statement in _postgres_statements():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in reversed(list(_sqlite_triggers())):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        triggers = (("report_links_record_moved", "person_records"), ("report_links_sync", "record_links"),
                    ("report_stock_badge_sync", "report_badges"), ("report_stock_licence_sync", "licences"))
        for trigger, table in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("report_link_record_moved", "report_link_sync", "report_stock_badge_sync",
                         "report_stock_licence_sync"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_index("ix_person_records_no_identifier", table_name="person_records")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("report_links")
    op.drop_index("ix_report_stock_key", table_name="report_stock")
    op.drop_table("report_stock")

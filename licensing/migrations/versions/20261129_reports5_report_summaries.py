"""report summary tables (complaints, decisions, badges) kept up to date by SQLite and PostgreSQL triggers

Each complaint and decision with the identity of its person record and, for complaints, the postcode district
of the record's current address; each badge with what the DBS figure reads of its certificate: what the
dashboard otherwise joined for on every view (issue 10, round 5).
The triggers cover every write path, since they sit in the database: web forms, the API, the bulk import's
executemany, retention disposal, identity unlinks and the demo seed.

Revision ID: reports50001
Revises: import30001
Create Date: 2026-11-29 15:00:00

"""
# ruff: noqa: S608  (the SQL is built from this file's own constants, never from input)
import sqlalchemy as sa
from alembic import op

revision = 'reports50001'
down_revision = "import30001"
branch_labels = None
depends_on = None

DISTRICT = {
    "sqlite": "upper(substr(trim(a.postcode), 1, instr(trim(a.postcode) || ' ', ' ') - 1))",
    "postgresql": "upper(split_part(trim(a.postcode), ' ', 1))",
}


def _district(dialect, record):
    return (f"(SELECT {DISTRICT[dialect]} FROM addresses a WHERE a.person_record_id = {record} "
            "ORDER BY a.from_on DESC NULLS LAST, a.id DESC LIMIT 1)")


COMPLAINT_COLUMNS = ("complaint_id, authority_id, received_on, category, substantiated, person_record_id, "
                     "identity_id, district")
DECISION_COLUMNS = ("sanction_id, authority_id, decided_on, sanction_type, grounds, person_record_id, "
                    "identity_id")
IDENTITY = "(SELECT identity_id FROM person_records WHERE id = {}.person_record_id)"
BADGE_COLUMNS = ("badge_id, authority_id, badge_type, status, issued_on, expires_on, training_on, "
                 "dbs_certificate_id, dbs_subscribed, dbs_checked_on")


def _badge_values(new):
    certificate = f"FROM dbs_certificates WHERE id = {new}.dbs_certificate_id"
    return (f"{new}.id, {new}.authority_id, {new}.badge_type, {new}.status, {new}.issued_on, {new}.expires_on, "
            f"{new}.safeguarding_training_on, {new}.dbs_certificate_id, "
            f"(SELECT update_service_subscribed {certificate}), "
            f"(SELECT coalesce(last_status_check_on, issued_on) {certificate})")


CERTIFICATE_SET = ("UPDATE report_badges SET dbs_subscribed = NEW.update_service_subscribed, "
                   "dbs_checked_on = coalesce(NEW.last_status_check_on, NEW.issued_on) "
                   "WHERE dbs_certificate_id = NEW.id;")
CERTIFICATE_CLEAR = ("UPDATE report_badges SET dbs_subscribed = NULL, dbs_checked_on = NULL "
                     "WHERE dbs_certificate_id = OLD.id;")


def _complaint_values(dialect, new):
    return (f"{new}.id, {new}.authority_id, {new}.received_on, {new}.category, {new}.substantiated, "
            f"{new}.person_record_id, {IDENTITY.format(new)}, "
            f"{_district(dialect, f'{new}.person_record_id')}")


def _decision_values(new):
    return (f"{new}.id, {new}.authority_id, {new}.decided_on, {new}.sanction_type, {new}.grounds, "
            f"{new}.person_record_id, {IDENTITY.format(new)}")


def _sqlite_triggers():
    d = "sqlite"
    insert_complaint = (f"INSERT INTO report_complaints ({COMPLAINT_COLUMNS}) "
                        f"VALUES ({_complaint_values(d, 'NEW')});")
    insert_decision = f"INSERT INTO report_decisions ({DECISION_COLUMNS}) VALUES ({_decision_values('NEW')});"
    insert_badge = f"INSERT INTO report_badges ({BADGE_COLUMNS}) VALUES ({_badge_values('NEW')});"

    def set_district(record):
        return (f"UPDATE report_complaints SET district = {_district(d, record)} "
                f"WHERE person_record_id = {record};")

    return {
        "report_complaints_insert": f"AFTER INSERT ON complaints BEGIN {insert_complaint} END",
        "report_complaints_update": "AFTER UPDATE ON complaints BEGIN "
        f"DELETE FROM report_complaints WHERE complaint_id = OLD.id; {insert_complaint} END",
        "report_complaints_delete": "AFTER DELETE ON complaints BEGIN "
        "DELETE FROM report_complaints WHERE complaint_id = OLD.id; END",
        "report_decisions_insert": f"AFTER INSERT ON sanctions BEGIN {insert_decision} END",
        "report_decisions_update": "AFTER UPDATE ON sanctions BEGIN "
        f"DELETE FROM report_decisions WHERE sanction_id = OLD.id; {insert_decision} END",
        "report_decisions_delete": "AFTER DELETE ON sanctions BEGIN "
        "DELETE FROM report_decisions WHERE sanction_id = OLD.id; END",
        "report_identity_update": "AFTER UPDATE OF identity_id ON person_records "
        "WHEN OLD.identity_id IS NOT NEW.identity_id BEGIN "
        "UPDATE report_complaints SET identity_id = NEW.identity_id WHERE person_record_id = NEW.id; "
        "UPDATE report_decisions SET identity_id = NEW.identity_id WHERE person_record_id = NEW.id; END",
        "report_address_insert": "AFTER INSERT ON addresses BEGIN "
        f"{set_district('NEW.person_record_id')} END",
        "report_address_update": "AFTER UPDATE ON addresses BEGIN "
        f"{set_district('OLD.person_record_id')} {set_district('NEW.person_record_id')} END",
        "report_address_delete": "AFTER DELETE ON addresses BEGIN "
        f"{set_district('OLD.person_record_id')} END",
        "report_badges_insert": f"AFTER INSERT ON badges BEGIN {insert_badge} END",
        "report_badges_update": "AFTER UPDATE ON badges BEGIN "
        f"DELETE FROM report_badges WHERE badge_id = OLD.id; {insert_badge} END",
        "report_badges_delete": "AFTER DELETE ON badges BEGIN DELETE FROM report_badges WHERE badge_id = OLD.id; END",
        "report_certificate_update": f"AFTER UPDATE ON dbs_certificates BEGIN {CERTIFICATE_CLEAR} "
        f"{CERTIFICATE_SET} END",
        "report_certificate_delete": f"AFTER DELETE ON dbs_certificates BEGIN {CERTIFICATE_CLEAR} END",
    }


def _postgres_statements():
    d = "postgresql"
    return [
        f"""CREATE FUNCTION report_complaint_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM report_complaints WHERE complaint_id = OLD.id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO report_complaints ({COMPLAINT_COLUMNS}) VALUES ({_complaint_values(d, 'NEW')});
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION report_decision_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM report_decisions WHERE sanction_id = OLD.id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO report_decisions ({DECISION_COLUMNS}) VALUES ({_decision_values('NEW')});
            END IF;
            RETURN NULL;
        END $$""",
        """CREATE FUNCTION report_identity_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE report_complaints SET identity_id = NEW.identity_id WHERE person_record_id = NEW.id;
            UPDATE report_decisions SET identity_id = NEW.identity_id WHERE person_record_id = NEW.id;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION report_address_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE report_complaints SET district = {_district(d, 'OLD.person_record_id')}
                    WHERE person_record_id = OLD.person_record_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE report_complaints SET district = {_district(d, 'NEW.person_record_id')}
                    WHERE person_record_id = NEW.person_record_id;
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION report_badge_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM report_badges WHERE badge_id = OLD.id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO report_badges ({BADGE_COLUMNS}) VALUES ({_badge_values('NEW')});
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION report_certificate_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {CERTIFICATE_CLEAR}
            IF TG_OP = 'UPDATE' THEN
                {CERTIFICATE_SET}
            END IF;
            RETURN NULL;
        END $$""",
        "CREATE TRIGGER report_badges_sync AFTER INSERT OR UPDATE OR DELETE ON badges "
        "FOR EACH ROW EXECUTE FUNCTION report_badge_sync()",
        "CREATE TRIGGER report_certificate_sync AFTER UPDATE OR DELETE ON dbs_certificates "
        "FOR EACH ROW EXECUTE FUNCTION report_certificate_sync()",
        "CREATE TRIGGER report_complaints_sync AFTER INSERT OR UPDATE OR DELETE ON complaints "
        "FOR EACH ROW EXECUTE FUNCTION report_complaint_sync()",
        "CREATE TRIGGER report_decisions_sync AFTER INSERT OR UPDATE OR DELETE ON sanctions "
        "FOR EACH ROW EXECUTE FUNCTION report_decision_sync()",
        "CREATE TRIGGER report_identity_sync AFTER UPDATE OF identity_id ON person_records FOR EACH ROW "
        "WHEN (OLD.identity_id IS DISTINCT FROM NEW.identity_id) EXECUTE FUNCTION report_identity_sync()",
        "CREATE TRIGGER report_address_sync AFTER INSERT OR UPDATE OR DELETE ON addresses "
        "FOR EACH ROW EXECUTE FUNCTION report_address_sync()",
    ]


def _fill(dialect):
    op.execute(f"INSERT INTO report_complaints ({COMPLAINT_COLUMNS}) "
               "SELECT c.id, c.authority_id, c.received_on, c.category, c.substantiated, c.person_record_id, "
               f"p.identity_id, {_district(dialect, 'c.person_record_id')} "
               "FROM complaints c LEFT JOIN person_records p ON p.id = c.person_record_id")
    op.execute(f"INSERT INTO report_decisions ({DECISION_COLUMNS}) "
               "SELECT s.id, s.authority_id, s.decided_on, s.sanction_type, s.grounds, s.person_record_id, "
               "p.identity_id FROM sanctions s LEFT JOIN person_records p ON p.id = s.person_record_id")
    op.execute(f"INSERT INTO report_badges ({BADGE_COLUMNS}) "
               "SELECT b.id, b.authority_id, b.badge_type, b.status, b.issued_on, b.expires_on, "
               "b.safeguarding_training_on, b.dbs_certificate_id, d.update_service_subscribed, "
               "coalesce(d.last_status_check_on, d.issued_on) "
               "FROM badges b LEFT JOIN dbs_certificates d ON d.id = b.dbs_certificate_id")


def upgrade():
    op.create_table(
        'report_complaints',
        sa.Column('complaint_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('authority_id', sa.Integer(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('substantiated', sa.Boolean(), nullable=True),
        sa.Column('person_record_id', sa.Integer(), nullable=False),
        sa.Column('identity_id', sa.Integer(), nullable=True),
        sa.Column('district', sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint('complaint_id', name=op.f('pk_report_complaints')),
    )
    op.create_table(
        'report_decisions',
        sa.Column('sanction_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('authority_id', sa.Integer(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('sanction_type', sa.String(length=40), nullable=False),
        sa.Column('grounds', sa.String(length=40), nullable=False),
        sa.Column('person_record_id', sa.Integer(), nullable=False),
        sa.Column('identity_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('sanction_id', name=op.f('pk_report_decisions')),
    )
    op.create_table(
        'report_badges',
        sa.Column('badge_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('authority_id', sa.Integer(), nullable=False),
        sa.Column('badge_type', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=40), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=False),
        sa.Column('training_on', sa.Date(), nullable=True),
        sa.Column('dbs_certificate_id', sa.Integer(), nullable=True),
        sa.Column('dbs_subscribed', sa.Boolean(), nullable=True),
        sa.Column('dbs_checked_on', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('badge_id', name=op.f('pk_report_badges')),
    )
    dialect = op.get_bind().dialect.name
    _fill(dialect)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    if dialect == "sqlite":
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        for statement in _postgres_statements():
            op.execute(statement)


INDEXES = [
    ('ix_report_complaints_person_record_id', 'report_complaints', ['person_record_id']),
    ('ix_report_complaints_period', 'report_complaints', ['received_on', 'authority_id', 'district']),
    ('ix_report_complaints_serious', 'report_complaints',
     ['category', 'received_on', 'identity_id', 'authority_id']),
    ('ix_report_complaints_identity', 'report_complaints',
     ['identity_id', 'received_on', 'category', 'authority_id']),
    ('ix_report_decisions_person_record_id', 'report_decisions', ['person_record_id']),
    ('ix_report_decisions_period', 'report_decisions', ['decided_on', 'authority_id', 'identity_id']),
    ('ix_report_decisions_identity', 'report_decisions',
     ['identity_id', 'decided_on', 'sanction_type', 'authority_id']),
    ('ix_report_badges_dbs_certificate_id', 'report_badges', ['dbs_certificate_id']),
    ('ix_report_badges_valid', 'report_badges',
     ['status', 'expires_on', 'issued_on', 'authority_id', 'badge_type', 'training_on', 'dbs_subscribed',
      'dbs_checked_on']),
    ('ix_report_badges_authority', 'report_badges',
     ['authority_id', 'status', 'expires_on', 'issued_on', 'badge_type', 'training_on', 'dbs_subscribed',
      'dbs_checked_on']),
]


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in reversed(list(_sqlite_triggers())):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        triggers = (("report_certificate_sync", "dbs_certificates"), ("report_badges_sync", "badges"),
                    ("report_address_sync", "addresses"), ("report_identity_sync", "person_records"),
                    ("report_decisions_sync", "sanctions"), ("report_complaints_sync", "complaints"))
        for trigger, table in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("report_certificate_sync", "report_badge_sync", "report_address_sync",
                         "report_identity_sync", "report_decision_sync",
                         "report_complaint_sync"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table('report_badges')
    op.drop_table('report_decisions')
    op.drop_table('report_complaints')

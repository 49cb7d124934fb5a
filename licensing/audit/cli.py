import sys

import click
from flask.cli import AppGroup

from licensing.audit.chain import verify

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Check the audit hash chain: exit 0 with a count when whole, 1 naming the first broken event."""
    result = verify()
    if result.ok:
        note = f" ({result.unchained} older events predate the chain)" if result.unchained else ""
        click.echo(f"Audit chain verified: {result.checked} events{note}")
        return
    where = (
        f"event {result.broken_event_id}" if result.broken_event_id is not None else "the end of the chain"
    )
    click.echo(
        f"Audit chain BROKEN at {where}: {result.problem} ({result.checked} events before it verified)",
        err=True,
    )
    sys.exit(1)


@audit_cli.command("grant-app-role")
@click.argument("role")
def grant_app_role(role: str) -> None:
    """PostgreSQL, run as the owner after migrating: ROLE may use every table but only INSERT and SELECT audit events."""  # noqa: E501
    from sqlalchemy import text

    from licensing.db import db

    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("Database roles apply to PostgreSQL only")
    if not role.replace("_", "").isalnum():
        raise click.ClickException("A role name is letters, digits and underscores")
    quoted = db.engine.dialect.identifier_preparer.quote(role)
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ):
        db.session.execute(text(statement))
    db.session.commit()
    click.echo(f"{role} may INSERT and SELECT audit_events, and use the other tables; it owns nothing")

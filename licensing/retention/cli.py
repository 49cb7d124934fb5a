import click
from flask.cli import AppGroup
from sqlalchemy import select

from licensing.authorities.models import Authority
from licensing.db import db

retention_cli = AppGroup("retention", help="Retention rules.")


@retention_cli.command("complaint-policy")
@click.argument("authority_code")
@click.argument("years", type=click.IntRange(1, 50), required=False)
def complaint_policy(authority_code: str, years: int | None) -> None:
    """Set how many years AUTHORITY_CODE keeps complaints (no YEARS: back to the configured default)."""
    authority = db.session.scalar(select(Authority).where(Authority.code == authority_code))
    if authority is None:
        raise click.ClickException(f"No authority {authority_code}")
    authority.complaint_retention_years = years
    db.session.commit()
    click.echo(f"{authority.code} keeps complaints {years or 'the default number of'} years from receipt")

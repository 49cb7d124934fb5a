import click
from flask.cli import AppGroup
from sqlalchemy import select

from licensing.auth.models import Role
from licensing.auth.services import create_user
from licensing.authorities.models import Authority
from licensing.db import db
from licensing.errors import RuleViolation

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--authority", "authority_code", required=True, help="Code of the administrator's authority")
@click.password_option()
def create_admin(email: str, name: str, authority_code: str, password: str) -> None:
    """Create an administrator (the first account on a new production database)."""
    authority = db.session.scalar(select(Authority).where(Authority.code == authority_code.upper()))
    if authority is None:
        raise click.ClickException(f"No authority with code {authority_code}")
    try:
        create_user(
            email=email,
            name=name,
            authority=authority,
            role=Role.ADMINISTRATOR,
            password=password,
            actor=None,
        )
    except RuleViolation as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Administrator {email} created")

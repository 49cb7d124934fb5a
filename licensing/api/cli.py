"""`flask --app licensing api-tokens create --email USER --label NAME`: prints the token alone, last."""

import getpass
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from licensing.api.tokens import DEFAULT_DAYS, create_token
from licensing.auth.models import User
from licensing.db import db
from licensing.errors import RuleViolation

api_tokens_cli = AppGroup("api-tokens", help="Tokens for the JSON API.")


@api_tokens_cli.command("create")
@click.option("--email", required=True, help="The user the token acts as")
@click.option("--label", required=True, help="Which system uses the token")
@click.option("--days", default=DEFAULT_DAYS, show_default=True, help="Days until it expires")
def create(email: str, label: str, days: int) -> None:
    """Issue a token; it is shown once and stored only as a hash."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        click.echo(f"Error: no user {email}", err=True)
        sys.exit(2)
    try:
        plain, token = create_token(
            user, label, actor=None, days=days, actor_label=f"cli:{getpass.getuser()}"
        )
    except RuleViolation as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Token {token.label} for {user.email}, expires {token.expires_at:%Y-%m-%d}. Shown once:")
    click.echo(plain)

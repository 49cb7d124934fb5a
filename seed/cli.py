import click
from flask import current_app
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Synthetic demo data (no real personal data).")


@seed_cli.command("demo")
@click.option("--records", default=3000, show_default=True, help="Person records to generate")
@click.option("--seed", "random_seed", default=20261122, show_default=True, help="Random seed")
@click.option("--if-empty", is_flag=True, help="Do nothing if the register already holds data")
def demo(records: int, random_seed: int, if_empty: bool) -> None:
    """Load the synthetic demo county and one demo user per role."""
    from seed.demo import DEMO_PASSWORD, DEMO_USERS, load_demo, register_is_empty

    if if_empty and not register_is_empty():
        click.echo("The register already holds data; demo data not loaded.")
    else:
        click.echo(load_demo(n_records=records, seed=random_seed, echo=click.echo))
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    secrets = _demo_totp_secrets() if current_app.config.get("SHOW_DEMO_TOTP_SECRETS") else {}
    for email, _name, role, authority in DEMO_USERS:
        totp = f"  TOTP secret {secrets[email]}" if secrets.get(email) else ""
        click.echo(f"  {email:<38} {role.label} ({authority}){totp}")
    if secrets:
        click.echo(
            "Add a secret to an authenticator app (or: python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\")."  # noqa: E501
        )


def _demo_totp_secrets() -> dict[str, str]:
    """Development only: the demo accounts' TOTP secrets, so a person or a test can complete two-factor sign-in."""  # noqa: E501
    from sqlalchemy import select

    from licensing.auth.models import User
    from licensing.db import db
    from seed.demo import DEMO_USERS

    emails = [email for email, *_ in DEMO_USERS]
    return dict(db.session.execute(select(User.email, User.totp_secret).where(User.email.in_(emails))).all())

import click
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
    for email, _name, role, authority in DEMO_USERS:
        click.echo(f"  {email:<38} {role.label} ({authority})")

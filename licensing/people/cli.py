import click
from flask.cli import AppGroup

from licensing.people.identity import rematch_all

people_cli = AppGroup("people", help="The register's person records and identities.")


@people_cli.command("rematch")
@click.option("--batch-size", default=500, show_default=True, help="Records committed per batch")
@click.option("--restart", is_flag=True, help="Start again from the first record instead of resuming")
def rematch(batch_size: int, restart: bool) -> None:
    """Re-link the whole register. Resumable: an interrupted run carries on from where it stopped."""
    rematch_all(batch_size=batch_size, restart=restart, echo=click.echo)

from pathlib import Path

import click
from flask.cli import AppGroup

from licensing.backup.services import create_backup, restore_backup, table_checksums
from licensing.db import db

backup_cli = AppGroup("backup", help="Back up and restore the register.")


@backup_cli.command("create")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def create_command(target: Path) -> None:
    """Write a consistent backup of the whole database to TARGET (the app may keep running)."""
    create_backup(db.engine, target)
    rows = sum(count for count, _ in table_checksums(db.engine).values())
    click.echo(f"Backup written to {target} ({rows} rows)")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the database's current contents are to be replaced")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database's contents with SOURCE; stop the app first, then run `flask audit verify`."""
    if not yes:
        raise click.ClickException("Restoring replaces everything in the database: add --yes to confirm")
    restore_backup(db.engine, source)
    rows = sum(count for count, _ in table_checksums(db.engine).values())
    click.echo(f"Restored {source} ({rows} rows). Now run: flask audit verify")

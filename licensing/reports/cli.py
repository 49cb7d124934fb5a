import click
from flask.cli import AppGroup

from licensing.db import db
from licensing.reports.summaries import rebuild

reports_cli = AppGroup("reports", help="The oversight reports.")


@reports_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute the reports' summary tables from the complaints, decisions, records and addresses."""
    counts = rebuild()
    db.session.commit()
    click.echo("Summary tables rebuilt: " + ", ".join(f"{table} {n:,} rows" for table, n in counts.items()))

"""`flask --app licensing export-register`: an authority's register in the import layout."""

import getpass
import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from licensing.authorities.models import Authority
from licensing.db import db
from licensing.exports.register import register_rows
from licensing.exports.tabular import csv_bytes, xlsx_bytes


@click.command("export-register")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--authority", "authority_code", required=True)
@click.option("--reason", required=True, help="Why the register is being exported (audited)")
@click.option("--headings", default="", help="JSON object of register column -> heading to write instead")
@with_appcontext
def export_register_command(output: str, authority_code: str, reason: str, headings: str) -> None:
    """Write AUTHORITY's records to OUTPUT (.csv or .xlsx), ready to import elsewhere."""
    authority = db.session.scalar(select(Authority).where(Authority.code == authority_code))
    if authority is None:
        click.echo(f"Error: no authority with code {authority_code}", err=True)
        sys.exit(2)
    headers, rows = register_rows(
        authority,
        actor=None,
        reason=reason,
        headings=json.loads(headings or "{}"),
        actor_label=f"cli:{getpass.getuser()}",
    )
    path = Path(output)
    data = (
        xlsx_bytes(headers, rows, sheet_title=authority.code)
        if path.suffix == ".xlsx"
        else csv_bytes(headers, rows)
    )
    path.write_bytes(data)
    db.session.commit()
    click.echo(f"Exported {authority.code}'s register to {path}")

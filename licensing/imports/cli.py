"""`flask --app licensing import-records FILE --authority CODE`: the same import service as the web page."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from tqdm import tqdm

from licensing.authorities.models import Authority
from licensing.db import db
from licensing.errors import RuleViolation
from licensing.imports import worker
from licensing.imports.reader import ImportFileError
from licensing.imports.services import Progress, find_mapping, run_import, summary_line

EXIT_WRITTEN, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Bar:
    """tqdm on stderr, silent when stderr is not a terminal (disable=None)."""

    def __init__(self) -> None:
        self.bar = None

    def start(self, phase: str, total: int) -> None:
        self.close()
        self.bar = tqdm(total=total or None, desc=phase, unit="row", file=sys.stderr, disable=None)

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.command("import-records")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--authority", "authority_code", required=True, help="Code of the authority whose register this is"
)
@click.option("--dry-run", is_flag=True, help="Check and count everything, write nothing")
@click.option("--mapping", "mapping_name", default="", help="A saved mapping of this authority's headings")
@click.option(
    "--valid-rows-only", is_flag=True, help="Import the valid rows and skip the invalid ones (audited)"
)
@with_appcontext
def import_records_command(
    file: str, authority_code: str, dry_run: bool, mapping_name: str, valid_rows_only: bool
) -> None:
    """Import an authority's register from CSV or .xlsx. Exit 0 written, 1 invalid rows (nothing written),
    2 usage or file error."""
    path = Path(file)
    if not path.is_file():
        _fail(f"no such file: {file}")
    authority = db.session.scalar(select(Authority).where(Authority.code == authority_code))
    if authority is None:
        _fail(f"no authority with code {authority_code}")
    mapping = {}
    if mapping_name:
        saved = find_mapping(authority, mapping_name)
        if saved is None:
            _fail(f"{authority_code} has no mapping named {mapping_name!r}")
        mapping = saved.columns
    bar = _Bar()
    click.echo(f"import: reading {path.name} for {authority_code}", err=True)
    try:
        report = run_import(
            path,  # streamed, never read whole
            path.name,
            authority,
            actor=None,
            mapping=mapping,
            valid_rows_only=valid_rows_only,
            dry_run=dry_run,
            progress=Progress(start=bar.start, advance=bar.advance),
            actor_label=f"cli:{getpass.getuser()}",
        )
    except (ImportFileError, RuleViolation) as error:
        bar.close()
        db.session.rollback()
        _fail(str(error))
    bar.close()
    for error in report.errors:
        click.echo(str(error))
    if report.errors and not valid_rows_only:
        db.session.rollback()
        click.echo("Nothing was written: fix the rows above, or run with --valid-rows-only.")
        click.echo(report.summary_line())
        sys.exit(EXIT_INVALID)
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
    else:
        db.session.commit()
    if report.skipped_lines:
        click.echo(f"Skipped invalid lines: {', '.join(map(str, report.skipped_lines))}")
    click.echo(report.summary_line())


@click.group("imports")
def imports_cli() -> None:
    """Import jobs queued on the import page."""


@imports_cli.command("work")
@with_appcontext
def work_command() -> None:
    """Run every queued import, oldest first; prints each one's outcome."""
    for upload in worker.run_queued():
        outcome = summary_line(upload.report) if upload.status == "done" else f"failed: {upload.failure}"
        click.echo(f"upload {upload.id} {upload.filename}: {outcome}")

"""`flask match-file IN OUT`: the batch engine, without touching the app's database.

Kept beside the engine but imported only by licensing/cli.py, so the engine itself stays free of Flask."""

import sys

import click


@click.command("match-file")
@click.argument("input_csv", type=click.Path(exists=True, dir_okay=False))
@click.argument("output_csv", type=click.Path(dir_okay=False, writable=True))
def match_file_command(input_csv: str, output_csv: str) -> None:
    """Write every pair of records in INPUT_CSV that belong to the same person to OUTPUT_CSV."""
    from licensing.matching.batch import BatchError, match_file

    try:
        report = match_file(input_csv, output_csv, progress=sys.stderr)
    except BatchError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary() if hasattr(report, "summary") else str(report))

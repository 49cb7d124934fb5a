"""`flask match-file IN OUT [--review FILE]`: the batch engine, without touching the app's database.

Kept beside the engine but imported only by licensing/cli.py, so the engine itself stays free of Flask."""

import sys

import click

from licensing.matching.batch import BatchError, match_file


@click.command("match-file")
@click.argument("input_csv", type=click.Path(exists=True, dir_okay=False))
@click.argument("output_csv", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--review",
    "review_csv",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Also write the pairs an officer should review (between the review and auto-link thresholds).",
)
@click.option(
    "--thorough",
    is_flag=True,
    help="Also compare records that share two names and part of the date of birth (more pairs, slower).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use (default 1). More fork workers that share the records: faster, more memory.",
)
@click.option(
    "--pairs-only",
    is_flag=True,
    help="Write only pairs linked directly, not every pair of records joined into one person.",
)
def match_file_command(
    input_csv: str,
    output_csv: str,
    review_csv: str | None,
    thorough: bool,
    workers: int | None,
    pairs_only: bool,
) -> None:
    """Write every pair of records in INPUT_CSV that belong to the same person to OUTPUT_CSV."""
    try:
        report = match_file(
            input_csv,
            output_csv,
            progress=sys.stderr,
            review_path=review_csv,
            thorough=thorough,
            workers=workers,
            clusters=not pairs_only,
        )
    except BatchError as error:
        raise click.ClickException(str(error)) from error
    click.echo(str(report))

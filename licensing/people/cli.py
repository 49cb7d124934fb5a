import sys

import click
from flask.cli import AppGroup
from tqdm import tqdm

from licensing.db import db
from licensing.matching import keying_fingerprint
from licensing.people.identity import rematch_all
from licensing.people.rekey import keys_are_stale, mark_keys_current_if_fresh, rebuild_keys

people_cli = AppGroup("people", help="The register's person records and identities.")


@people_cli.command("rematch")
@click.option("--batch-size", default=500, show_default=True, help="Records committed per batch")
@click.option("--restart", is_flag=True, help="Start again from the first record instead of resuming")
def rematch(batch_size: int, restart: bool) -> None:
    """Re-link the whole register. Resumable: an interrupted run carries on from where it stopped."""
    rematch_all(batch_size=batch_size, restart=restart, echo=click.echo)


@people_cli.command("rebuild-keys")
@click.option("--if-stale", is_flag=True, help="Only when the keys were built under other keying rules")
def rebuild_keys_command(if_stale: bool) -> None:
    """Recompute every record's blocking keys and the name counts under the code's keying rules, in one
    transaction (a failure leaves the old ones). Links are not changed."""
    if if_stale and not keys_are_stale():
        click.echo(f"Keys are current (keying rules {keying_fingerprint()}): nothing to rebuild.")
        mark_keys_current_if_fresh()  # an empty register's keys will follow these rules
        db.session.commit()
        return
    # On stderr, silent when stderr is not a terminal (disable=None), as the import's bar.
    bar = tqdm(desc="Rebuilding keys", unit="record", file=sys.stderr, disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = rebuild_keys(progress=progress)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        bar.close()
    click.echo(report.summary())

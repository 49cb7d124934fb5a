"""Registers each area's command group on the app."""

from flask import Flask


def init_app(app: Flask) -> None:
    from licensing.audit.cli import audit_cli
    from licensing.auth.cli import users_cli
    from licensing.backup.cli import backup_cli
    from licensing.matching.cli import match_file_command
    from licensing.people.cli import people_cli
    from seed.cli import seed_cli

    for command in (seed_cli, audit_cli, backup_cli, users_cli, people_cli, match_file_command):
        app.cli.add_command(command)

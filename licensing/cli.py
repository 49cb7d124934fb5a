"""Registers each area's command group on the app."""

from flask import Flask


def init_app(app: Flask) -> None:
    from licensing.api.cli import api_tokens_cli
    from licensing.auth.cli import users_cli
    from licensing.exports.cli import export_register_command
    from licensing.imports.cli import import_records_command
    from licensing.matching.cli import match_file_command
    from licensing.people.cli import people_cli
    from seed.cli import seed_cli

    for command in (seed_cli, users_cli, people_cli, match_file_command, import_records_command,
                    export_register_command, api_tokens_cli):
        app.cli.add_command(command)

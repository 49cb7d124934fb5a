"""Registers each area's command group on the app, and the development-only groups the config names."""

import importlib
import importlib.util

from flask import Flask

from licensing.api.cli import api_tokens_cli
from licensing.audit.cli import audit_cli
from licensing.auth.cli import users_cli
from licensing.backup.cli import backup_cli
from licensing.exports.cli import export_register_command
from licensing.imports.cli import import_records_command, imports_cli
from licensing.matching.cli import match_file_command
from licensing.people.cli import people_cli
from licensing.reports.cli import reports_cli
from licensing.retention.cli import retention_cli


def init_app(app: Flask) -> None:
    for command in (
        users_cli,
        audit_cli,
        backup_cli,
        people_cli,
        match_file_command,
        import_records_command,
        imports_cli,
        export_register_command,
        api_tokens_cli,
        retention_cli,
        reports_cli,
    ):
        app.cli.add_command(command)
    for spec in app.config.get("DEV_COMMANDS", ()):
        module_name, name = spec.split(":")
        # Absent from an installed app (the seed package does not ship): the group is then simply not offered.
        if importlib.util.find_spec(module_name.split(".")[0]) is not None:
            app.cli.add_command(getattr(importlib.import_module(module_name), name))

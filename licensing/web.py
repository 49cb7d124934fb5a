"""The one shape of a view that changes something: call the service, then commit, or roll back and say why."""

from collections.abc import Callable
from typing import Any

from flask import flash
from wtforms import Field

from licensing.db import db
from licensing.errors import RuleViolation


def run_service(action: Callable[[], Any], *, field: Any = None,
                success: str | Callable[[Any], str] = "") -> tuple[bool, Any]:
    """Call one service. A broken rule rolls everything back and shows its message on the form `field` (or on
    the field that `field(message)` picks, or as a flash); otherwise the change is committed and `success`
    (text, or a function of the result) is flashed. Returns (done, the service's result)."""
    try:
        result = action()
    except RuleViolation as error:
        db.session.rollback()
        target = field if field is None or isinstance(field, Field) else field(str(error))
        if target is None:
            flash(str(error), "error")
        else:
            target.errors.append(str(error))
        return False, None
    db.session.commit()
    if success:
        flash(success(result) if callable(success) else success, "success")
    return True, result

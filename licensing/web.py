"""The one shape of a view that changes something: call the service, then commit, or roll back and say why."""

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_login import current_user
from wtforms import Field

from licensing.auth.services import claim_form_token
from licensing.db import db
from licensing.errors import RuleViolation


def run_service(action: Callable[[], Any], *, field: Any = None,
                on_error: Callable[[RuleViolation], Any] | None = None,
                success: str | Callable[[Any], str] = "", once: Any = None) -> tuple[bool, Any]:
    """Call one service. A broken rule rolls everything back and shows its message on the form `field` (or on
    the field that `field(message)` picks, or as a flash), or hands it to `on_error` when the view shows it
    its own way; otherwise the change is committed and `success` (text, or a function of the result) is
    flashed. `once` is a create form's one-time token field, taken in the same transaction so a form sent
    twice makes one record. Returns (done, the service's result), or (False, what on_error returned)."""
    try:
        if once is not None:  # a create form's one-time token field: taken with the change, or refused
            claim_form_token(once.data, actor=current_user)
        result = action()
    except RuleViolation as error:
        db.session.rollback()
        if on_error is not None:
            return False, on_error(error)
        target = field if field is None or isinstance(field, Field) else field(str(error))
        if target is None:
            flash(str(error), "error")
        else:
            target.errors.append(str(error))
        return False, None
    # The message is worded before the commit, which expires what the service loaded: worded after it, each
    # object it names was read again.
    message = success(result) if callable(success) else success
    db.session.commit()
    if message:
        flash(message, "success")
    return True, result

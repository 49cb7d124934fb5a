"""Form fields shared by every area: GOV.UK widgets with safe handling of hostile input."""

import secrets
import unicodedata

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from licensing.errors import StaleSave

# Bidirectional overrides and zero-width characters hide or reorder text; never store them in names.
INVISIBLE_CHARS = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d",
                   "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"}


def clean_text(value):
    """NFC-normalise, strip surrounding space and drop invisible formatting characters."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    return "".join(ch for ch in value if ch not in INVISIBLE_CHARS).strip()


def no_control_characters(form, field) -> None:
    """Reject NUL and other control characters, which PostgreSQL refuses and no person types."""
    data = field.data or ""
    if isinstance(data, str) and any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in data):
        raise ValidationError(f"{field.label.text} must not contain control characters")


class CleanStringField(StringField):
    """A text field that is NFC-normalised, trimmed and free of control characters."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [no_control_characters, *(validators or [])], filters=[clean_text], **kwargs)


class GovDate(DateField):
    """A day/month/year date field; a hand-crafted POST with the wrong number of parts is an error, not a
    500."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, validators, **kwargs)

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if not self.raw_data:
            self.raw_data = None  # the widget unpacks raw_data into exactly three parts

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        parts = [part.strip() for part in valuelist]
        if len(parts) != 3:
            self.raw_data = (parts + ["", "", ""])[:3]
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date")
        if not any(parts):
            self.data = None
            return
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, for example 27 3 1985")
        try:
            super().process_formdata([" ".join(parts)])
        except ValueError as error:
            raise ValueError(f"{self.label.text} must be a real date") from error


def _new_form_token() -> str:
    return secrets.token_urlsafe(24)


class FormTokenField(HiddenField):
    """A create form's one-time token (made when the form is shown), so sending it twice makes one record."""

    def __init__(self, label="", **kwargs):
        kwargs.setdefault("default", _new_form_token)
        checks = [Optional(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")]
        super().__init__(label, validators=checks, **kwargs)


class VersionField(HiddenField):
    """The version of the record the form was opened on, so a save over someone else's change is refused."""

    def __init__(self, label="", **kwargs):
        super().__init__(label, **kwargs)


def check_version(record, field: VersionField) -> None:
    """Refuse a save made from an older version of the record (optimistic locking, ASVS 2.3.4)."""
    if field.data and field.data != str(record.version_id):
        raise StaleSave(StaleSave.MESSAGE)

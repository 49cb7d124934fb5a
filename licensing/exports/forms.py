from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SubmitField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from licensing.badges.forms import LIST_KINDS
from licensing.people.forms import ReasonField, SearchForm

FORMATS = [SelectChoice("csv", "CSV"), SelectChoice("xlsx", "Excel (.xlsx)")]
EXPORT_REASON_HINT = "Why you are exporting this and who will receive it. It is recorded as a disclosure."


class ExportForm(FlaskForm):
    """A reason and a file format: every export is a disclosure and is recorded."""

    file_format = RadioField(
        "Format",
        widget=GovRadioInput(),
        choices=FORMATS,
        default="csv",
        validators=[DataRequired("Choose a format")],
    )
    reason = ReasonField("Reason for the export", description=EXPORT_REASON_HINT)
    submit = SubmitField("Export", widget=GovSubmitInput())


class SearchExportForm(SearchForm):
    """The search page's own form, sent to the export: the same criteria and reason run the same search."""

    file_format = RadioField(
        "Format",
        widget=GovRadioInput(),
        choices=FORMATS,
        default="csv",
        validators=[DataRequired("Choose a format")],
    )


class BadgeListExportForm(ExportForm):
    list = HiddenField(validators=[DataRequired()])
    operator = HiddenField(validators=[Optional()])
    days = IntegerField(validators=[Optional(), NumberRange(min=1, max=730)], default=60)

    def validate_list(self, field) -> None:
        if field.data not in LIST_KINDS:
            raise ValidationError("Unknown list")

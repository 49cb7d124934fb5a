from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from licensing.forms import CleanStringField, no_control_characters


class UploadForm(FlaskForm):
    """The file and how to read it; an administrator also picks the authority whose register it is."""

    authority_id = SelectField(
        "Authority whose register this is", widget=GovSelect(), coerce=int, validate_choice=True
    )
    file = FileField(
        "Register file (.csv or .xlsx, at most 5 MB)",
        widget=GovFileInput(),
        validators=[
            FileRequired("Choose a .csv or .xlsx file"),
            FileAllowed(["csv", "xlsx"], "The file must be .csv or .xlsx"),
        ],
    )
    mapping = SelectField("Column mapping", widget=GovSelect(), validate_choice=True)
    valid_rows_only = BooleanField(
        "Import the valid rows only, skipping invalid ones (recorded in the audit trail)",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Check the file (dry run)", widget=GovSubmitInput())


class CommitForm(FlaskForm):
    submit = SubmitField("Import these records", widget=GovSubmitInput())


class MappingForm(FlaskForm):
    name = CleanStringField(
        "Mapping name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a name for the mapping"), Length(max=60)],
    )
    columns = TextAreaField(
        "Mapping as JSON: register column to your heading",
        widget=GovTextArea(),
        validators=[DataRequired("Enter the mapping"), Length(max=10000), no_control_characters],
    )
    submit = SubmitField("Save mapping", widget=GovSubmitInput())

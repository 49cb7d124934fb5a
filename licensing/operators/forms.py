from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from licensing.forms import CleanStringField

REFERENCE = Regexp(r"^[A-Za-z0-9 /-]+$", message="Use only letters, numbers, spaces, slashes and hyphens")


class OperatorSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = CleanStringField(
        "Operator name, licence number or vehicle registration",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a name, licence number or registration"), Length(max=120)],
    )
    submit = SubmitField("Search", widget=GovSubmitInput())


class OperatorForm(FlaskForm):
    name = CleanStringField(
        "Operator name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the operator's name"), Length(max=120)],
    )
    licence_number = CleanStringField(
        "Operator licence number (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=30), REFERENCE],
    )
    submit = SubmitField("Add operator", widget=GovSubmitInput())


class WorkingLicenceForm(FlaskForm):
    number = CleanStringField(
        "Driver or vehicle licence number",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the licence number"), Length(max=30), REFERENCE],
    )
    submit = SubmitField("Add to this operator", widget=GovSubmitInput())

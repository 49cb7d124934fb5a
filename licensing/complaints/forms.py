from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from licensing.complaints.models import ComplaintCategory, ComplaintSource
from licensing.forms import CleanStringField, FormTokenField, GovDate, clean_text, no_control_characters


class ComplaintForm(FlaskForm):
    form_token = FormTokenField()
    received_on = GovDate(
        "Date received", validators=[InputRequired("Enter the date the complaint was received")]
    )
    source = SelectField(
        "Source", widget=GovSelect(), choices=[SelectChoice(s.value, s.label) for s in ComplaintSource]
    )
    category = RadioField(
        "Category",
        widget=GovRadioInput(),
        validators=[DataRequired("Select the category")],
        choices=[SelectChoice(c.value, c.label) for c in ComplaintCategory],
    )
    occurred_on = GovDate("Date of the incident (optional)", validators=[Optional()])
    place = CleanStringField(
        "Where it happened", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    vehicle_registration = CleanStringField(
        "Vehicle registration (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z0-9 ]{2,8}$", message="Enter a vehicle registration like AB12 CDE"),
        ],
    )
    operator_name = CleanStringField(
        "Operator (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=120)]
    )
    narrative = TextAreaField(
        "What happened",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter what happened"), Length(max=5000), no_control_characters],
    )
    substantiated = SelectField(
        "Substantiated",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "Not yet decided"),
            SelectChoice("yes", "Substantiated"),
            SelectChoice("no", "Not substantiated"),
        ],
    )
    outcome = CleanStringField(
        "Outcome (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=500)]
    )
    complainant_name = CleanStringField(
        "Complainant's name (seen only by your authority)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100)],
    )
    complainant_contact = CleanStringField("Complainant's contact details (seen only by your authority)",
                                           widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    submit = SubmitField("Record complaint", widget=GovSubmitInput())

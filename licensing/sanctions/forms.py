from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from licensing.forms import CleanStringField, FormTokenField, GovDate, clean_text, no_control_characters
from licensing.licences.models import LicenceType
from licensing.sanctions.models import AppealOutcome, GroundsCategory, SanctionType

# The decision form's choices, worded as what the authority does; every choice but a grant is a sanction.
DECISION_CHOICES = [
    SelectChoice("grant", "Grant or renew"),
    SelectChoice(SanctionType.REFUSAL.value, "Refuse"),
    SelectChoice(SanctionType.REFUSAL_TO_RENEW.value, "Refuse to renew"),
    SelectChoice(SanctionType.SUSPENSION.value, "Suspend"),
    SelectChoice(SanctionType.INTERIM_SUSPENSION.value, "Interim suspension pending investigation"),
    SelectChoice(SanctionType.REVOCATION.value, "Revoke"),
    SelectChoice(SanctionType.WARNING.value, "Warn"),
    SelectChoice(SanctionType.CONDITIONS.value, "Add conditions"),
    SelectChoice(SanctionType.PENALTY_POINTS.value, "Penalty points"),
]


class DecisionForm(FlaskForm):
    form_token = FormTokenField()
    decision = RadioField(
        "Decision",
        widget=GovRadioInput(),
        validators=[DataRequired("Select the decision")],
        choices=DECISION_CHOICES,
    )
    licence_id = SelectField("Licence it concerns", widget=GovSelect(), coerce=int, validate_choice=True)
    new_licence_type = SelectField("New licence type (when granting a new licence)", widget=GovSelect(),
                                   choices=[SelectChoice("", "Not a new licence")]
                                   + [SelectChoice(t.value, t.label) for t in LicenceType])
    new_licence_number = CleanStringField("New licence number", widget=GovTextInput(),
                                          validators=[Optional(), Length(max=30)])
    grounds = RadioField("Grounds", widget=GovRadioInput(), validators=[Optional()],
                         choices=[SelectChoice(g.value, g.label) for g in GroundsCategory])
    decided_on = GovDate("Date decided", validators=[InputRequired("Enter the date decided")])
    effective_on = GovDate(
        "Date effective", validators=[InputRequired("Enter the date the decision takes effect")]
    )
    ends_on = GovDate("Suspension ends (optional)", validators=[Optional()])
    decision_maker = CleanStringField(
        "Decision-maker",
        widget=GovTextInput(),
        validators=[DataRequired("Enter who made the decision"), Length(max=120)],
    )
    narrative = TextAreaField(
        "Reasons",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired("Enter the reasons for the decision"),
            Length(max=5000),
            no_control_characters,
        ],
    )
    conditions = TextAreaField("Conditions (optional)", widget=GovTextArea(), filters=[clean_text],
                               validators=[Optional(), Length(max=2000), no_control_characters])
    appeal_outcome = SelectField("Appeal", widget=GovSelect(),
                                 choices=[SelectChoice(a.value, a.label) for a in AppealOutcome])
    submit = SubmitField("Record decision", widget=GovSubmitInput())

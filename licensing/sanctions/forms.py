from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

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
    new_licence_type = SelectField(
        "New licence type (when granting a new licence)",
        widget=GovSelect(),
        choices=[SelectChoice("", "Not a new licence")]
        + [SelectChoice(t.value, t.label) for t in LicenceType],
    )
    new_licence_number = CleanStringField(
        "New licence number", widget=GovTextInput(), validators=[Optional(), Length(max=30)]
    )
    grounds = RadioField(
        "Grounds",
        widget=GovRadioInput(),
        validators=[Optional()],
        choices=[SelectChoice(g.value, g.label) for g in GroundsCategory],
    )
    decided_on = GovDate("Date decided", validators=[InputRequired("Enter the date decided")])
    effective_on = GovDate(
        "Date effective", validators=[InputRequired("Enter the date the decision takes effect")]
    )
    ends_on = GovDate("Suspension ends (optional)", validators=[Optional()])
    safeguarding_training_on = GovDate("Date of the driver's safeguarding training (when granting)",
                                       validators=[Optional()])
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
    conditions = TextAreaField(
        "Conditions to add",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000), no_control_characters],
    )
    grant_conditions = TextAreaField(
        "Conditions of the licence (optional)",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000), no_control_characters],
    )
    points = IntegerField(
        "Number of penalty points",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(1, 12, "Penalty points must be between 1 and 12")],
    )
    appeal_outcome = SelectField(
        "Appeal", widget=GovSelect(), choices=[SelectChoice(a.value, a.label) for a in AppealOutcome]
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        """Each decision type's own required fields, with the error on that field (shape only; rules live in
        the service)."""
        valid = super().validate(extra_validators)
        decision = self.decision.data
        needs = {
            "grounds": decision and decision != "grant",
            "licence_id": decision in ("suspension", "interim_suspension", "revocation", "refusal_to_renew"),
            "conditions": decision == "conditions",
            "points": decision == "penalty_points",
        }
        messages = {
            "grounds": "Select the grounds for the decision",
            "licence_id": "Select the licence this decision concerns",
            "conditions": "Enter the conditions",
            "points": "Enter the number of penalty points",
        }
        for name, needed in needs.items():
            field = getattr(self, name)
            if needed and not field.data and not field.errors:
                field.errors = [*field.errors, messages[name]]
                valid = False
        return valid

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from licensing.forms import CleanStringField, GovDate, clean_text, no_control_characters
from licensing.people.forms import ReasonField
from licensing.retention.models import RetentionOutcome

RATIONALE_HINT = ("Why it is kept or disposed of, against the rule. It is recorded in the decision log; "
                  "leave out names and other personal details.")


class RetentionDecisionForm(FlaskForm):
    """Retain (with a new review date) or dispose, with a recorded rationale."""

    outcome = RadioField("Decision", widget=GovRadioInput(),
                         choices=[SelectChoice(o.value, o.label) for o in RetentionOutcome],
                         validators=[DataRequired("Choose whether to retain or dispose")])
    rationale = TextAreaField("Rationale", widget=GovTextArea(), filters=[clean_text],
                              description=RATIONALE_HINT,
                              validators=[DataRequired("Enter the rationale for this decision"),
                                          Length(min=10, max=2000,
                                                 message="Rationale must be between 10 and 2000 characters"),
                                          no_control_characters])
    review_on = GovDate("New review date", description="Only when retaining. For example, 27 3 2028",
                        validators=[Optional()])
    submit = SubmitField("Record decision", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        # Optional() ends the date's own checks when it is empty, so a retain without a date is caught here.
        valid = super().validate(extra_validators)
        if valid and self.outcome.data == RetentionOutcome.RETAIN.value and self.review_on.data is None:
            self.review_on.errors = ["Enter the new review date for a retained item"]
            return False
        return valid


SUBJECT_ACCESS_FORMATS = [SelectChoice("html", "Printable page"), SelectChoice("csv", "CSV"),
                          SelectChoice("xlsx", "Excel (.xlsx)")]


class SubjectAccessForm(FlaskForm):
    """A subject access request is a disclosure to the data subject: the reason names the request."""

    authority = SelectField("Authority holding a record of the person", widget=GovSelect(),
                            validators=[DataRequired("Choose the authority")], validate_choice=True)
    reference = CleanStringField("That authority's reference for the person", widget=GovTextInput(),
                                 validators=[DataRequired("Enter the reference"), Length(max=40)])

    file_format = RadioField("Format", widget=GovRadioInput(), choices=SUBJECT_ACCESS_FORMATS, default="html",
                             validators=[DataRequired("Choose a format")])
    reason = ReasonField("Reason", description="The subject access request this answers, for example its "
                                               "reference. It is recorded as a disclosure.")
    submit = SubmitField("Gather everything held", widget=GovSubmitInput())

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from licensing.forms import (
    CleanStringField,
    FormTokenField,
    GovDate,
    VersionField,
    clean_text,
    no_control_characters,
)
from licensing.matching import identifiers

REASON_HINT = (
    "Why you need this, for example the application or case reference. It is recorded with your search."
)


class ReasonField(TextAreaField):
    def __init__(self, label="Reason", **kwargs):
        super().__init__(
            label,
            widget=GovTextArea(),
            filters=[clean_text],
            validators=[
                DataRequired("Enter the reason for this search or view"),
                Length(min=5, max=300, message="Reason must be between 5 and 300 characters"),
                no_control_characters,
            ],
            **kwargs,
        )


def valid_postcode(form, field) -> None:
    if field.data and not identifiers.is_valid_postcode(field.data):
        raise ValidationError("Enter a real UK postcode, like HP11 2BZ")


def valid_ni(form, field) -> None:
    if field.data and not identifiers.is_valid_ni(field.data):
        raise ValidationError("Enter a National Insurance number in the correct format, like QQ 12 34 56 C")


def valid_dvla(form, field) -> None:
    if field.data and not identifiers.is_valid_dvla_number(field.data):
        raise ValidationError(
            "Enter a DVLA driving licence number in the correct format: 16 letters and numbers, "
            "like MORGA753116SM9IJ"
        )


class SearchForm(FlaskForm):
    """Any subset of what an officer holds about a person; at least one field must be filled."""

    forenames = CleanStringField("Forenames", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    surname = CleanStringField("Surname", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    date_of_birth = GovDate("Date of birth", validators=[Optional()])
    approximate_age = CleanStringField("Approximate age in years", widget=GovTextInput(),
                                       validators=[Optional(), Length(max=3)])
    postcode = CleanStringField("Postcode", widget=GovTextInput(), validators=[Optional(), valid_postcode])
    national_insurance = CleanStringField("National Insurance number", widget=GovTextInput(),
                                          validators=[Optional(), valid_ni])
    driving_licence_number = CleanStringField("Driving licence number", widget=GovTextInput(),
                                              validators=[Optional(), valid_dvla])
    reference_number = CleanStringField(
        "Licence, badge or vehicle registration number",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=30)],
    )
    reason = ReasonField(description=REASON_HINT)
    submit = SubmitField("Search", widget=GovSubmitInput())

    SEARCH_FIELDS = (
        "forenames",
        "surname",
        "date_of_birth",
        "approximate_age",
        "postcode",
        "national_insurance",
        "driving_licence_number",
        "reference_number",
    )

    def validate_approximate_age(self, field) -> None:
        if field.data and (not field.data.isdigit() or not 16 <= int(field.data) <= 100):
            raise ValidationError("Approximate age must be a whole number between 16 and 100")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not any(getattr(self, name).data for name in self.SEARCH_FIELDS):
            self.forenames.errors = [*self.forenames.errors, "Enter at least one detail to search for"]
            return False
        return valid


class ReasonForm(FlaskForm):
    reason = ReasonField(description="Why you need to see this person. It is recorded.")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class PersonRecordForm(FlaskForm):
    """A new person record at the officer's own authority (and, with its version, a change to one)."""

    form_token = FormTokenField()
    version = VersionField()

    authority_reference = CleanStringField("Your reference", widget=GovTextInput(),
                                           validators=[DataRequired("Enter your reference"), Length(max=40)])
    forenames = CleanStringField("Forenames", widget=GovTextInput(),
                                 validators=[DataRequired("Enter the forenames"), Length(max=100)])
    surname = CleanStringField("Surname", widget=GovTextInput(),
                               validators=[DataRequired("Enter the surname"), Length(max=100)])
    previous_name = CleanStringField("Previous name or alias (optional)", widget=GovTextInput(),
                                     validators=[Optional(), Length(max=200)])
    date_of_birth = GovDate("Date of birth", validators=[InputRequired("Enter the date of birth")])
    sex = RadioField("Sex", widget=GovRadioInput(), validators=[DataRequired("Select the sex")],
                     choices=[SelectChoice("M", "Male"), SelectChoice("F", "Female")])
    address_line = CleanStringField(
        "Address line 1",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the first line of the address"), Length(max=120)],
    )
    town = CleanStringField("Town", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    postcode = CleanStringField("Postcode", widget=GovTextInput(),
                                validators=[DataRequired("Enter the postcode"), valid_postcode])
    phone = CleanStringField(
        "Phone (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=20)]
    )
    email = CleanStringField(
        "Email (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=254)]
    )
    driving_licence_number = CleanStringField("DVLA driving licence number", widget=GovTextInput(),
                                              validators=[Optional(), valid_dvla])
    national_insurance = CleanStringField("National Insurance number", widget=GovTextInput(),
                                          validators=[Optional(), valid_ni])
    submit = SubmitField("Save record", widget=GovSubmitInput())

    def validate_date_of_birth(self, field) -> None:
        import datetime as dt

        if field.data and not dt.date(1900, 1, 1) <= field.data <= dt.date.today():
            raise ValidationError("Date of birth must be in the past and after 1900")

    def validate_email(self, field) -> None:
        if field.data and ("@" not in field.data or " " in field.data):
            raise ValidationError("Enter an email address like name@example.com")


class ReviewDecisionForm(FlaskForm):
    decision = RadioField(
        "Are these records the same person?",
        widget=GovRadioInput(),
        validators=[DataRequired("Select whether these records are the same person")],
        choices=[
            SelectChoice("confirm", "Yes, the same person: link them"),
            SelectChoice("reject", "No, different people: never propose this pair again"),
        ],
    )
    version = VersionField()
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class UnlinkForm(FlaskForm):
    reason = ReasonField("Why this record is not the same person")
    submit = SubmitField("Unlink record", widget=GovSubmitInput())


class ApproveUnlinkForm(FlaskForm):
    submit = SubmitField("Approve the unlink", widget=GovSubmitInput())


class ApplicantCheckForm(SearchForm):
    """The application's details; the applicant reference doubles as the recorded reason for the search."""

    reason = None
    applicant_reference = CleanStringField("Application reference", widget=GovTextInput(),
                                           validators=[DataRequired("Enter the application reference"),
                                                       Length(min=3, max=40)])
    submit = SubmitField("Check the register", widget=GovSubmitInput())


class CheckOutcomeForm(FlaskForm):
    findings = TextAreaField(
        "What the register showed",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired("Enter what the register showed, or that nothing was found"),
            Length(max=5000),
            no_control_characters,
        ],
    )
    nr3s_outcome = RadioField(
        "NR3S search",
        widget=GovRadioInput(),
        validators=[DataRequired("Select the NR3S outcome")],
        choices=[
            SelectChoice("no_match", "Searched: no match"),
            SelectChoice("match_found", "Searched: match found"),
            SelectChoice("not_searched", "Not searched"),
        ],
    )
    nr3s_reference = CleanStringField("NR3S reference (if a match was found)", widget=GovTextInput(),
                                      validators=[Optional(), Length(max=100)])
    submit = SubmitField("Record the check", widget=GovSubmitInput())

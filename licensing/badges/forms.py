"""Badge forms: they check the shape of what was typed; the badge rules live in licences/services.py."""

import datetime as dt

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from licensing.badges.inputs import (
    NEW_INFORMATION,
    NO_NEW_INFORMATION,
    BadgeChecks,
    DbsInput,
    ExistingHolder,
)
from licensing.forms import (
    CleanStringField,
    FormTokenField,
    GovDate,
    VersionField,
    clean_text,
    no_control_characters,
)
from licensing.licences.models import BadgeType
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode
from licensing.people.forms import ReasonField, valid_dvla, valid_ni, valid_postcode
from licensing.people.inputs import AddressInput, PersonRecordInput

BADGE_NUMBER = Regexp(
    r"^[A-Za-z0-9 -]+$", message="Badge number must contain only letters, numbers and hyphens"
)


def not_in_future(form, field) -> None:
    if field.data and field.data > dt.date.today():
        raise ValidationError(f"{field.label.text} must be today or in the past")


def not_before_1950(form, field) -> None:
    if field.data and field.data < dt.date(1950, 1, 1):
        raise ValidationError(f"{field.label.text} must be after 1950")


def past_date(label: str, description: str = "") -> GovDate:
    return GovDate(label, validators=[Optional(), not_in_future, not_before_1950], description=description)


class ChangeReasonField(TextAreaField):
    def __init__(self, label="Reason", **kwargs):
        super().__init__(
            label,
            widget=GovTextArea(),
            filters=[clean_text],
            validators=[
                DataRequired("Enter the reason"),
                Length(min=5, max=500, message="Reason must be between 5 and 500 characters"),
                no_control_characters,
            ],
            **kwargs,
        )


class BadgeCheckForm(FlaskForm):
    """The badge number travels in the POST body, so it never sits in a URL or a log of URLs."""

    number = CleanStringField(
        "Badge number",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the badge number"),
            Length(max=30, message="Badge number must be 30 characters or fewer"),
            BADGE_NUMBER,
        ],
    )
    # The holder's name and flags are personal data: every check states why (DPA 2018 s.62), as searches do.
    reason = ReasonField("Why are you checking this badge?",
                         description="For example, the driver of a school route that starts today")
    submit = SubmitField("Check badge", widget=GovSubmitInput())


class BadgeChecksForm(FlaskForm):
    """DBS, references, English test and safeguarding training: the checks every issue and renewal needs."""

    dbs_certificate_number = CleanStringField(
        "DBS certificate number",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the DBS certificate number"),
            Regexp(
                r"^\d{12}$", message="DBS certificate number must be exactly 12 digits, like 001234567890"
            ),
        ],
    )
    dbs_issued_on = GovDate(
        "Date the DBS certificate was issued",
        validators=[
            InputRequired("Enter the date the DBS certificate was issued"),
            not_in_future,
            not_before_1950,
        ],
    )
    barred_lists_checked = BooleanField(
        "The enhanced check included both barred lists (children and adults)", widget=GovCheckboxInput()
    )
    update_service_subscribed = BooleanField(
        "The holder subscribes to the DBS Update Service", widget=GovCheckboxInput()
    )
    last_status_check_on = past_date(
        "Date of the last Update Service status check", "Leave blank if none has been done"
    )
    last_status_result = RadioField(
        "Result of the last status check",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            Optional(),
            AnyOf([NO_NEW_INFORMATION, NEW_INFORMATION], message="Select a status check result"),
        ],
        choices=[
            SelectChoice(NO_NEW_INFORMATION, "No new information"),
            SelectChoice(NEW_INFORMATION, "New information"),
        ],
    )
    first_reference_on = past_date("Date the first character reference was received")
    second_reference_on = past_date("Date the second character reference was received")
    english_test_passed_on = past_date("Date the English test was passed")
    safeguarding_training_on = past_date("Date of safeguarding training")
    reason = ChangeReasonField(description="For example the route, school or contract. It is recorded.")
    register_rationale = TextAreaField(
        "Why the badge should be issued despite the register\u2019s information",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000), no_control_characters],
        description="It is kept in the person's chronology and the audit trail. A police or "
        "safeguarding concern also alerts the police point of contact.",
    )

    def validate_last_status_check_on(self, field) -> None:
        if field.data and self.dbs_issued_on.data and field.data < self.dbs_issued_on.data:
            raise ValidationError("The last status check cannot be before the DBS certificate was issued")

    def checks(self) -> BadgeChecks:
        return BadgeChecks(
            dbs=DbsInput(
                certificate_number=self.dbs_certificate_number.data or "",
                issued_on=self.dbs_issued_on.data,
                barred_lists_checked=bool(self.barred_lists_checked.data),
                update_service_subscribed=bool(self.update_service_subscribed.data),
                last_status_check_on=self.last_status_check_on.data,
                last_status_result=self.last_status_result.data or "",
            ),
            first_reference_on=self.first_reference_on.data,
            second_reference_on=self.second_reference_on.data,
            english_test_passed_on=self.english_test_passed_on.data,
            safeguarding_training_on=self.safeguarding_training_on.data,
        )


HOLDER_EXISTING, HOLDER_NEW = "existing", "new"
NEW_HOLDER_REQUIRED = {
    "new_reference": "Enter your reference for the new holder",
    "new_forenames": "Enter the holder's forenames",
    "new_surname": "Enter the holder's surname",
    "new_date_of_birth": "Enter the holder's date of birth",
    "new_sex": "Select the holder's sex",
    "new_address_line": "Enter the first line of the holder's address",
    "new_postcode": "Enter the holder's postcode",
}


class IssueBadgeForm(BadgeChecksForm):
    form_token = FormTokenField()
    holder = RadioField(
        "Who is the badge for?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            DataRequired("Select whether the holder is already on your records"),
            AnyOf([HOLDER_EXISTING, HOLDER_NEW], message="Select who the badge is for"),
        ],
        choices=[
            SelectChoice(HOLDER_EXISTING, "Someone already on our records"),
            SelectChoice(HOLDER_NEW, "A new person"),
        ],
    )
    holder_reference = CleanStringField(
        "Your reference or record number for the holder",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40)],
    )
    new_reference = CleanStringField(
        "Your reference for the new holder", widget=GovTextInput(), validators=[Optional(), Length(max=40)]
    )
    new_forenames = CleanStringField(
        "Forenames", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    new_surname = CleanStringField("Surname", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    new_date_of_birth = GovDate("Date of birth", validators=[Optional(), not_in_future])
    new_sex = RadioField(
        "Sex",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[Optional(), AnyOf(["M", "F"], message="Select the holder's sex")],
        choices=[SelectChoice("M", "Male"), SelectChoice("F", "Female")],
    )
    new_address_line = CleanStringField(
        "Address line 1", widget=GovTextInput(), validators=[Optional(), Length(max=120)]
    )
    new_town = CleanStringField("Town", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    new_postcode = CleanStringField(
        "Postcode", widget=GovTextInput(), validators=[Optional(), valid_postcode]
    )
    new_driving_licence_number = CleanStringField(
        "DVLA driving licence number (optional)", widget=GovTextInput(), validators=[Optional(), valid_dvla]
    )
    new_national_insurance = CleanStringField(
        "National Insurance number (optional)", widget=GovTextInput(), validators=[Optional(), valid_ni]
    )
    badge_type = RadioField(
        "Badge type",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            DataRequired("Select the badge type"),
            AnyOf([t.value for t in BadgeType], message="Select the badge type"),
        ],
        choices=[SelectChoice(t.value, t.label) for t in BadgeType],
    )
    operator_name = CleanStringField(
        "Operator",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the operator the holder works for"), Length(max=120)],
    )
    submit = SubmitField("Issue badge", widget=GovSubmitInput())

    def validate_new_date_of_birth(self, field) -> None:
        if field.data and field.data < dt.date(1900, 1, 1):
            raise ValidationError("Date of birth must be after 1900")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.holder.data == HOLDER_EXISTING and not self.holder_reference.data:
            self.holder_reference.errors = [
                *self.holder_reference.errors,
                "Enter your reference or record number for the holder",
            ]
            valid = False
        if self.holder.data == HOLDER_NEW:
            for name, message in NEW_HOLDER_REQUIRED.items():
                field = getattr(self, name)
                if not field.data and not field.errors:
                    field.errors = [*field.errors, message]
                    valid = False
        return valid

    def new_holder(self):
        return PersonRecordInput(
            authority_reference=self.new_reference.data,
            forenames=self.new_forenames.data,
            surname=self.new_surname.data,
            date_of_birth=self.new_date_of_birth.data,
            sex=self.new_sex.data,
            driving_licence_number=normalise_dvla_number(self.new_driving_licence_number.data or ""),
            national_insurance=normalise_ni(self.new_national_insurance.data or ""),
            addresses=(
                AddressInput(
                    self.new_address_line.data,
                    self.new_town.data or "",
                    normalise_postcode(self.new_postcode.data),
                    from_on=dt.date.today(),
                ),
            ),
        )

    def holder_choice(self):
        return (
            ExistingHolder(self.holder_reference.data)
            if self.holder.data == HOLDER_EXISTING
            else self.new_holder()
        )


class RenewBadgeForm(BadgeChecksForm):
    version = VersionField()
    submit = SubmitField("Renew badge", widget=GovSubmitInput())


class BadgeStatusForm(FlaskForm):
    version = VersionField()
    action = RadioField(
        "What do you want to do?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            DataRequired("Select suspend, withdraw or lift the suspension"),
            AnyOf(
                ["suspend", "withdraw", "reinstate"],
                message="Select suspend, withdraw or lift the suspension",
            ),
        ],
        choices=[
            SelectChoice("suspend", "Suspend the badge"),
            SelectChoice("withdraw", "Withdraw the badge for good"),
            SelectChoice("reinstate", "Lift the suspension"),
        ],
    )
    reason = ChangeReasonField(
        description="Why, for example the complaint or investigation reference. "
        "It is recorded and shown on the badge."
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())


LIST_KINDS = {
    "expiring": "Badges expiring",
    "dbs": "DBS status checks due",
    "safeguarding": "Safeguarding training due",
}


class BadgeListFilterForm(FlaskForm):
    """Filters travel in the query string (GET): an operator and a number of days are not personal data."""

    class Meta:
        csrf = False

    list = SelectField(
        "List",
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=True,
        choices=[SelectChoice(k, v) for k, v in LIST_KINDS.items()],
        default="expiring",
    )
    operator = SelectField(
        "Operator", widget=GovSelect(), validators=[Optional()], validate_choice=True, default=""
    )
    days = IntegerField(
        "Expiring within (days)",
        widget=GovTextInput(),
        default=60,
        validators=[
            Optional(),
            NumberRange(min=1, max=730, message="Days must be a whole number from 1 to 730"),
        ],
    )
    submit = SubmitField("Show", widget=GovSubmitInput())


def checks_form_data(badge) -> dict:
    """The badge's current checks, to start a renewal from (the officer updates what has changed)."""
    cert = badge.dbs_certificate
    data = {
        "first_reference_on": badge.first_reference_on,
        "second_reference_on": badge.second_reference_on,
        "english_test_passed_on": badge.english_test_passed_on,
        "safeguarding_training_on": badge.safeguarding_training_on,
    }
    if cert is not None:
        data |= {
            "dbs_certificate_number": cert.certificate_number,
            "dbs_issued_on": cert.issued_on,
            "barred_lists_checked": cert.barred_lists_checked,
            "update_service_subscribed": cert.update_service_subscribed,
            "last_status_check_on": cert.last_status_check_on,
            "last_status_result": cert.last_status_result or None,
        }
    return data


class DbsCertificateForm(FlaskForm):
    """An enhanced DBS certificate, or a new Update Service status check on one already recorded."""

    dbs_certificate_number = BadgeChecksForm.dbs_certificate_number
    dbs_issued_on = BadgeChecksForm.dbs_issued_on
    barred_lists_checked = BadgeChecksForm.barred_lists_checked
    update_service_subscribed = BadgeChecksForm.update_service_subscribed
    last_status_check_on = BadgeChecksForm.last_status_check_on
    last_status_result = BadgeChecksForm.last_status_result
    submit = SubmitField("Save DBS check", widget=GovSubmitInput())

    def validate_last_status_check_on(self, field) -> None:
        if field.data and self.dbs_issued_on.data and field.data < self.dbs_issued_on.data:
            raise ValidationError("The last status check cannot be before the DBS certificate was issued")

    def dbs(self) -> DbsInput:
        return DbsInput(
            certificate_number=self.dbs_certificate_number.data or "",
            issued_on=self.dbs_issued_on.data,
            barred_lists_checked=bool(self.barred_lists_checked.data),
            update_service_subscribed=bool(self.update_service_subscribed.data),
            last_status_check_on=self.last_status_check_on.data,
            last_status_result=self.last_status_result.data or "",
        )

"""The police point of contact's forms: the licensed-or-badged search, and submitting, updating and
withdrawing graded intelligence. Forms check shape only; the rules that need the database live in services."""

import datetime as dt
import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from licensing.authorities.models import Authority
from licensing.forms import (
    CleanStringField,
    FormTokenField,
    GovDate,
    VersionField,
    clean_text,
    no_control_characters,
)
from licensing.intelligence.inputs import (
    IntelligenceInput,
    latest_review_date,
)
from licensing.intelligence.models import (
    HandlingCode,
    IntelligenceAssessment,
    IntelligenceCategory,
    IntelligenceItem,
    IntelligenceStatus,
    SourceEvaluation,
)
from licensing.licences.rules import normalise_vrm
from licensing.matching.identifiers import normalise_dvla_number, normalise_ni, normalise_postcode
from licensing.people.forms import ReasonField, SearchForm, valid_dvla, valid_ni, valid_postcode
from licensing.people.inputs import AddressInput, PersonRecordInput

FORCE_REFERENCE = r"^[A-Za-z0-9][A-Za-z0-9/-]*$"
VRM = re.compile(r"^[A-Z0-9]{2,8}$")
LEGAL_BASES = {"clpd": "Common Law Police Disclosure", "mash": "Multi-Agency Safeguarding Hub (MASH)"}
OTHER_BASIS = "other"


class GovRadioField(RadioField):
    """Radios where nothing chosen gives the field's own "Select ..." message rather than "Not a valid
    choice"."""

    def __init__(self, label, *, message: str, **kwargs):
        super().__init__(label, widget=GovRadioInput(), validators=[DataRequired(message)], **kwargs)

    def pre_validate(self, form) -> None:
        if self.data:
            super().pre_validate(form)


class LongTextField(TextAreaField):
    """Free text that is NFC-normalised, trimmed, free of control characters and length-limited."""

    def __init__(self, label, *, max_length: int, required: str | None = None, **kwargs):
        validators = (
            [DataRequired(required)] if required else []
        )  # Optional() would skip the cross-field checks
        validators += [
            Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer"),
            no_control_characters,
        ]
        super().__init__(label, widget=GovTextArea(), filters=[clean_text], validators=validators, **kwargs)


class RecipientsField(SelectMultipleField):
    """Checkboxes of authorities; a crafted value that is not on the list gets a plain message."""

    def __init__(self, label, **kwargs):
        super().__init__(label, widget=GovCheckboxesInput(), coerce=int, **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Select recipients from the list") from error

    def pre_validate(self, form) -> None:
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError("Select recipients from the list")


def valid_vrm(form, field) -> None:
    if field.data and not VRM.match(normalise_vrm(field.data)):
        raise ValidationError("Enter a vehicle registration of 2 to 8 letters and numbers, like HN19 ABC")


class PoliceSearchForm(SearchForm):
    """The generic search plus a vehicle registration, for "is this person licensed or badged, and by
    whom"."""

    vehicle_registration = CleanStringField(
        "Vehicle registration", widget=GovTextInput(), validators=[Optional(), Length(max=10), valid_vrm]
    )

    SEARCH_FIELDS = (*SearchForm.SEARCH_FIELDS, "vehicle_registration")


class IntelligenceForm(FlaskForm):
    """One graded item (3x5x2): grades, handling, status, category, references, texts, recipients, review."""

    form_token = FormTokenField()

    source_evaluation = GovRadioField(
        "Source evaluation",
        message="Select the source evaluation",
        description="How reliable the source is",
        choices=[SelectChoice(s.value, s.label) for s in SourceEvaluation],
    )
    intelligence_assessment = GovRadioField(
        "Intelligence assessment",
        message="Select the intelligence assessment",
        description="How the source knows the information",
        choices=[SelectChoice(a.value, a.label) for a in IntelligenceAssessment],
    )
    handling_code = GovRadioField(
        "Handling code",
        message="Select the handling code",
        description="Whether the sanitised summary may be shared",
        choices=[SelectChoice(h.value, h.label) for h in HandlingCode],
    )
    handling_conditions = LongTextField(
        "Handling conditions",
        max_length=1000,
        description="Required for handling code C. They travel with the item.",
    )
    category = GovRadioField(
        "Category",
        message="Select the category",
        description="What the information is about",
        choices=[SelectChoice(c.value, c.label) for c in IntelligenceCategory],
    )
    status = GovRadioField(
        "Status",
        message="Select the status",
        description="Where the case has got to",
        choices=[
            SelectChoice(s.value, s.label)
            for s in IntelligenceStatus
            if s is not IntelligenceStatus.WITHDRAWN
        ],
    )
    force_reference = CleanStringField(
        "Force reference",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the force reference"),
            Length(max=40, message="Force reference must be 40 characters or fewer"),
            Regexp(
                FORCE_REFERENCE,
                message="Force reference must be letters, numbers, slashes and hyphens, like TVP/2026/01234",
            ),
        ],
    )
    legal_basis = GovRadioField(
        "Legal basis for sharing",
        message="Select the legal basis for sharing",
        description="The route by which the police share this information",
        choices=[*(SelectChoice(k, v) for k, v in LEGAL_BASES.items()), SelectChoice(OTHER_BASIS, "Other")],
    )
    legal_basis_other = CleanStringField(
        "Other legal basis",
        widget=GovTextInput(),
        description="Only if you chose other",
        validators=[Length(max=200)],
    )
    full_text = LongTextField(
        "Full intelligence text",
        max_length=10000,
        required="Enter the full intelligence text",
        description="Seen only by police users.",
    )
    sanitised_summary = LongTextField(
        "Sanitised summary for sharing",
        max_length=2000,
        required="Enter the sanitised summary for sharing",
        description="Remove source details. Recipients see only this, when the handling code allows.",
    )
    recipients = RecipientsField(
        "Recipients",
        description="Authorities that may see the sanitised summary under handling code C. With handling code P "  # noqa: E501
        "every licensing authority and the client-transport team may see it.",
    )
    review_on = GovDate("Review date", validators=[InputRequired("Enter the review date")])
    save_without_holders = BooleanField(
        "Save without sharing the summary with them", widget=GovCheckboxInput()
    )
    submit = SubmitField("Submit intelligence", widget=GovSubmitInput())

    def __init__(self, *args, recipients: list[Authority], **kwargs):
        """`recipients`: the authorities the item may be shared with (the view asks the service)."""
        super().__init__(*args, **kwargs)
        self.recipients.choices = [SelectChoice(a.id, a.name) for a in recipients]
        self.today = dt.date.today()
        self.review_on.description = (
            f"After today and no later than {latest_review_date(self.today):%d %m %Y}, for example 27 3 2027"
        )

    def validate_handling_conditions(self, field) -> None:
        if self.handling_code.data == HandlingCode.CONDITIONS.value and not field.data:
            raise ValidationError("Enter the handling conditions: handling code C needs them")

    def validate_legal_basis_other(self, field) -> None:
        if self.legal_basis.data == OTHER_BASIS and not field.data:
            raise ValidationError("Enter the other legal basis")

    def validate_sanitised_summary(self, field) -> None:
        if field.data and field.data == self.full_text.data:
            raise ValidationError(
                "The sanitised summary must not be the full text: remove the source details"
            )

    def validate_review_on(self, field) -> None:
        if field.data and not self.today < field.data <= latest_review_date(self.today):
            raise ValidationError(
                f"Review date must be after today and no later than {latest_review_date(self.today):%d %B %Y}"
            )

    def to_input(self) -> IntelligenceInput:
        basis = (
            self.legal_basis_other.data
            if self.legal_basis.data == OTHER_BASIS
            else LEGAL_BASES[self.legal_basis.data]
        )
        return IntelligenceInput(
            source_evaluation=SourceEvaluation(self.source_evaluation.data),
            intelligence_assessment=IntelligenceAssessment(self.intelligence_assessment.data),
            handling_code=HandlingCode(self.handling_code.data),
            handling_conditions=self.handling_conditions.data or "",
            status=IntelligenceStatus(self.status.data),
            category=IntelligenceCategory(self.category.data),
            force_reference=self.force_reference.data,
            legal_basis=basis,
            full_text=self.full_text.data,
            sanitised_summary=self.sanitised_summary.data,
            recipient_ids=tuple(self.recipients.data or ()),
            review_on=self.review_on.data,
        )


class NewSubjectIntelligenceForm(IntelligenceForm):
    """An item about someone not yet in the register: the subject becomes a police-only person record."""

    subject_forenames = CleanStringField(
        "Forenames",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the subject's forenames"), Length(max=100)],
    )
    subject_surname = CleanStringField(
        "Surname",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the subject's surname"), Length(max=100)],
    )
    subject_date_of_birth = GovDate(
        "Date of birth", validators=[InputRequired("Enter the subject's date of birth")]
    )
    subject_sex = RadioField(
        "Sex (optional)",
        widget=GovRadioInput(),
        validators=[Optional()],
        description="If known",
        choices=[SelectChoice("M", "Male"), SelectChoice("F", "Female")],
    )
    subject_address_line = CleanStringField(
        "Address line 1 (optional)", widget=GovTextInput(), validators=[Length(max=120)]
    )
    subject_town = CleanStringField(
        "Town (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    subject_postcode = CleanStringField(
        "Postcode (optional)", widget=GovTextInput(), validators=[Optional(), valid_postcode]
    )
    subject_driving_licence_number = CleanStringField(
        "DVLA driving licence number (optional)", widget=GovTextInput(), validators=[Optional(), valid_dvla]
    )
    subject_national_insurance = CleanStringField(
        "National Insurance number (optional)", widget=GovTextInput(), validators=[Optional(), valid_ni]
    )

    def validate_subject_date_of_birth(self, field) -> None:
        if field.data and not dt.date(1900, 1, 1) <= field.data <= self.today:
            raise ValidationError("Date of birth must be in the past and after 1900")

    def validate_subject_address_line(self, field) -> None:
        if self.subject_postcode.data and not field.data:
            raise ValidationError("Enter the first line of the address, or leave the postcode blank")

    def subject_input(self):
        addresses = ()
        if self.subject_address_line.data:
            addresses = (
                AddressInput(
                    self.subject_address_line.data,
                    self.subject_town.data or "",
                    normalise_postcode(self.subject_postcode.data or ""),
                    from_on=self.today,
                ),
            )
        return PersonRecordInput(
            authority_reference=self.force_reference.data,
            forenames=self.subject_forenames.data,
            surname=self.subject_surname.data,
            date_of_birth=self.subject_date_of_birth.data,
            sex=self.subject_sex.data or "",
            driving_licence_number=normalise_dvla_number(self.subject_driving_licence_number.data or ""),
            national_insurance=normalise_ni(self.subject_national_insurance.data or ""),
            addresses=addresses,
        )


class EditIntelligenceForm(IntelligenceForm):
    """The same item fields, prefilled, plus why it changed (the review decision log)."""

    form_token = None  # an edit is guarded by its version instead
    version = VersionField()

    change_reason = ReasonField(
        "Reason for the change",
        description="For example: review outcome, charged on 3 March, or handling changed. It is recorded.",
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    @staticmethod
    def initial(item: IntelligenceItem) -> dict:
        basis = next((key for key, label in LEGAL_BASES.items() if label == item.legal_basis), OTHER_BASIS)
        return {
            "source_evaluation": item.source_evaluation.value,
            "intelligence_assessment": item.intelligence_assessment.value,
            "handling_code": item.handling_code.value,
            "handling_conditions": item.handling_conditions,
            "category": item.category.value,
            "status": item.status.value,
            "force_reference": item.force_reference,
            "legal_basis": basis,
            "legal_basis_other": item.legal_basis if basis == OTHER_BASIS else "",
            "full_text": item.full_text,
            "sanitised_summary": item.sanitised_summary,
            "recipients": [a.id for a in item.recipients],
            "review_on": item.review_on,
        }


class WithdrawForm(FlaskForm):
    reason = ReasonField(
        "Reason for withdrawing", description="For example: information shown to be false. It is recorded."
    )
    submit = SubmitField("Withdraw item", widget=GovSubmitInput())


class ItemReasonForm(FlaskForm):
    reason = ReasonField(description="Why you need to open this item. It is recorded.")
    submit = SubmitField("Continue", widget=GovSubmitInput())

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from licensing.auth.models import Role
from licensing.authorities.models import AuthorityKind
from licensing.forms import CleanStringField, VersionField

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]
KIND_CHOICES = [SelectChoice(kind.value, kind.label) for kind in AuthorityKind]


class UserForm(FlaskForm):
    name = CleanStringField(
        "Full name", widget=GovTextInput(), validators=[DataRequired("Enter the name"), Length(max=120)]
    )
    authority_id = SelectField("Authority", widget=GovSelect(), coerce=int)
    role = SelectField("Role", widget=GovSelect(), choices=ROLE_CHOICES)
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewUserForm(UserForm):
    email = CleanStringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the email address"),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like name@example.com"),
        ],
    )


class EditUserForm(UserForm):
    version = VersionField()
    is_enabled = BooleanField("Account enabled", widget=GovCheckboxInput())


class SetUpLinkForm(FlaskForm):
    submit = SubmitField("Make a new set-up link", widget=GovSubmitInput())


class ApproveForm(FlaskForm):
    submit = SubmitField("Approve police access", widget=GovSubmitInput())


class UnlockForm(FlaskForm):
    submit = SubmitField("Unlock account", widget=GovSubmitInput())


class AuthorityForm(FlaskForm):
    code = CleanStringField(
        "Code",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter a short code"),
            Length(max=20),
            Regexp(r"^[A-Z0-9-]+$", message="Code must be capital letters, digits and hyphens"),
        ],
    )
    name = CleanStringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the name"), Length(max=120)]
    )
    kind = SelectField("Kind", widget=GovSelect(), choices=KIND_CHOICES)
    submit = SubmitField("Save", widget=GovSubmitInput())


class AuthoritySettingsForm(FlaskForm):
    """The point of contact others are told to ask, and the penalty-points rolling period and threshold."""

    contact_name = CleanStringField(
        "Point of contact: name", widget=GovTextInput(), validators=[Length(max=120)]
    )
    contact_phone = CleanStringField(
        "Point of contact: phone",
        widget=GovTextInput(),
        validators=[
            Length(max=40),
            Optional(),
            Regexp(r"^[0-9 +()-]+$", message="Enter a phone number, like 01865 555 0100"),
        ],
    )
    contact_email = CleanStringField(
        "Point of contact: email",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like name@example.com"),
        ],
    )
    shared_mailbox = CleanStringField(
        "Shared mailbox for notifications",
        widget=GovTextInput(),
        description="New alerts, incoming requests and replies are emailed here: a reference and a link only",
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like name@example.com"),
        ],
    )
    penalty_points_period_months = IntegerField(
        "Penalty points: rolling period in months",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the rolling period in months"),
            NumberRange(1, 120, "The rolling period must be between 1 and 120 months"),
        ],
    )
    penalty_points_threshold = IntegerField(
        "Penalty points: warn at this many points",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the threshold"),
            NumberRange(1, 100, "The threshold must be between 1 and 100"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

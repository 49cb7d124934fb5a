from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from licensing.auth.models import Role
from licensing.authorities.models import AuthorityKind
from licensing.forms import CleanStringField

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

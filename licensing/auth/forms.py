from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from licensing.forms import CleanStringField


class SignInForm(FlaskForm):
    email = CleanStringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), Length(max=256)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SignOutForm(FlaskForm):
    submit = SubmitField("Sign out", widget=GovSubmitInput())


def _new_password_fields(label: str):
    new = PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a new password"), Length(max=256)],
        description="12 to 64 characters. Three or four unrelated words work well.",
    )
    confirm = PasswordField(
        "Confirm the new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Confirm the new password"),
            EqualTo("new_password", message="The passwords do not match"),
        ],
    )
    return new, confirm


class SetUpForm(FlaskForm):
    new_password, confirm_password = _new_password_fields("Choose a password")
    submit = SubmitField("Set my password", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password"), Length(max=256)],
    )
    new_password, confirm_password = _new_password_fields("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())


class TwoFactorForm(FlaskForm):
    code = CleanStringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the code"), Length(max=20)],
        description="6 digits, or one of your recovery codes",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    code = CleanStringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the code"), Length(max=20)],
    )
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class ResetTwoFactorForm(FlaskForm):
    submit = SubmitField("Reset two-factor sign-in", widget=GovSubmitInput())

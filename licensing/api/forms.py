from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

from licensing.forms import CleanStringField


class TokenForm(FlaskForm):
    user_id = SelectField("User the token acts as", widget=GovSelect(), coerce=int, validate_choice=True)
    label = CleanStringField(
        "Label (which system uses it)",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a label"), Length(max=80)],
    )
    days = IntegerField(
        "Days until it expires",
        widget=GovTextInput(),
        default=90,
        validators=[
            DataRequired("Enter the number of days"),
            NumberRange(min=1, max=365, message="A token lasts 1 to 365 days"),
        ],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke", widget=GovSubmitInput())

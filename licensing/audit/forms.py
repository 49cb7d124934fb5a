from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, SubmitField
from wtforms.validators import Length, Optional

from licensing.forms import CleanStringField, GovDate


class AuditFilterForm(FlaskForm):
    """Filters travel in the query string (GET), so no CSRF token is needed for this read-only form."""

    class Meta:
        csrf = False

    action = SelectField("Action", widget=GovSelect(), validators=[Optional()], validate_choice=True)
    user_email = CleanStringField(
        "User email", widget=GovTextInput(), validators=[Optional(), Length(max=254)]
    )
    authority_code = CleanStringField(
        "Authority code", widget=GovTextInput(), validators=[Optional(), Length(max=20)]
    )
    subject_id = CleanStringField(
        "Subject id", widget=GovTextInput(), validators=[Optional(), Length(max=40)]
    )
    date_from = GovDate("From", validators=[Optional()])
    date_to = GovDate("To", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())

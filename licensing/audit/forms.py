from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, SubmitField
from wtforms.validators import Length, Optional

from licensing.forms import CleanStringField, GovDate


class AuditFilterForm(FlaskForm):
    """Filters travel in the query string (GET), so no CSRF token is needed for this read-only form."""

    class Meta:
        csrf = False

    user = SelectField("User", widget=GovSelect(), validators=[Optional()], validate_choice=True, coerce=str)
    authority = SelectField("Authority", widget=GovSelect(), validators=[Optional()], validate_choice=True)
    person = CleanStringField(
        "Person (any part of a name)", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    kind = SelectField("Kind of event", widget=GovSelect(), validators=[Optional()], validate_choice=True)
    date_from = GovDate("From", validators=[Optional()])
    date_to = GovDate("To", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())

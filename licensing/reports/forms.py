from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional

from licensing.forms import GovDate


class ReportForm(FlaskForm):
    """The scope and period travel in the query string (GET), so links and exports repeat the same report."""

    class Meta:
        csrf = False

    scope = SelectField(
        "Authority", widget=GovSelect(), validators=[Optional()], validate_choice=False
    )  # checked by the service
    start = GovDate("From", validators=[Optional()])
    end = GovDate("To", validators=[Optional()])
    submit = SubmitField("Show report", widget=GovSubmitInput())

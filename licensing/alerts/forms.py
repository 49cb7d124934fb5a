from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from licensing.forms import clean_text, no_control_characters


class AcknowledgeForm(FlaskForm):
    action_taken = TextAreaField("Action taken", widget=GovTextArea(), filters=[clean_text],
                                 validators=[DataRequired("Enter the action taken"), Length(max=2000),
                                             no_control_characters])
    submit = SubmitField("Acknowledge", widget=GovSubmitInput())

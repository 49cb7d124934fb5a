from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from licensing.forms import VersionField, clean_text, no_control_characters
from licensing.requests.models import RequestKind


class RequestForm(FlaskForm):
    kind = RadioField(
        "What are you sending?",
        widget=GovRadioInput(),
        validators=[DataRequired("Select what you are sending")],
        choices=[
            SelectChoice(
                RequestKind.INFORMATION_REQUEST.value,
                "A request for the details behind their decision or complaint (reply due in 20 working days)",
            ),
            SelectChoice(
                RequestKind.OUT_OF_AREA_REFERRAL.value,
                "An out-of-area referral of concerns about their licensee (within 10 working days)",
            ),
        ],
    )
    to_authority_id = SelectField("To", widget=GovSelect(), coerce=int)
    details = TextAreaField(
        "Details",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter the details"), Length(max=5000), no_control_characters],
    )
    submit = SubmitField("Send", widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        "Your reply",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter the reply"), Length(max=10000), no_control_characters],
    )
    document = FileField(
        "Attach a document (optional)",
        widget=GovFileInput(),
        description="A PDF, a Word document (.docx), or a PNG or JPEG image, smaller than 4 MB",
    )
    version = VersionField()
    submit = SubmitField("Send reply", widget=GovSubmitInput())

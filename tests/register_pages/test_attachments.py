"""Replies carry documents: PDF, .docx or images, type checked by content, a size limit, stored
outside the web
root, downloadable only by the two authorities on the request."""

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from config import TestingConfig
from licensing import REPO_ROOT, create_app
from licensing.audit.models import AuditEvent
from licensing.auth.models import Role
from licensing.db import db
from licensing.requests.attachments import MAX_BYTES, Attachment
from licensing.requests.models import InformationRequest
from tests.conftest import RegisterClient
from tests.factories import arranged, authority, join_records, make_person

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, ATTACHMENT_DIR=str(tmp_path / "files")
    )
    app.test_client_class = RegisterClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _request(app, login) -> int:
    with arranged(app):
        identity_id = join_records(
            make_person("WDC", forenames="Amjad", surname="Bashir"),
            make_person("CDC", forenames="Amjad", surname="Bashir"),
        )
        wdc = authority("WDC").id
    assert (
        login(Role.LICENSING_OFFICER, "CDC")
        .submit(
            f"/requests/new?identity_id={identity_id}",
            {
                "kind": "information_request",
                "to_authority_id": str(wdc),
                "details": "Please send the committee report.",
            },
        )
        .status_code
        == 302
    )
    with app.app_context():
        return db.session.scalar(select(InformationRequest.id))


def _reply(client, request_id: int, name: str, data: bytes):
    return client.submit(
        f"/requests/{request_id}",
        {"reply": "Report attached.", "document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_pdf_reply_is_stored_outside_the_web_root_and_read_by_both_sides_only(app, login, tmp_path):
    request_id = _request(app, login)
    wycombe = login(Role.LICENSING_OFFICER, "WDC")
    response = _reply(wycombe, request_id, "../../committee report.exe.pdf", PDF)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        item = db.session.scalar(select(Attachment))
        assert item.content_type == "application/pdf" and item.filename == "committee report.exe.pdf"
        stored = Path(tmp_path / "files" / item.storage_key)
        assert stored.read_bytes() == PDF and REPO_ROOT / "licensing" / "static" not in stored.parents
        attachment_id = item.id
    chiltern = login(Role.LICENSING_OFFICER, "CDC")
    page = chiltern.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "committee report.exe.pdf" in page
    download = chiltern.get(f"/requests/{request_id}/documents/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment;" in download.headers["Content-Disposition"]
    assert (
        login(Role.LICENSING_OFFICER, "SBDC")
        .get(f"/requests/{request_id}/documents/{attachment_id}")
        .status_code
        == 404
    )
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"attachment.added", "attachment.downloaded"} <= actions


def test_docx_and_images_are_accepted_by_content(app, login):
    request_id = _request(app, login)
    wycombe = login(Role.LICENSING_OFFICER, "WDC")
    assert _reply(wycombe, request_id, "notes.bin", _docx()).status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Attachment))
        assert item.content_type.endswith("wordprocessingml.document") and item.filename == "notes.docx"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.pdf", b"MZ\x90\x00 this is a program", "must be a PDF, a Word document"),
        ("photo.png", b"<html><script>alert(1)</script>", "must be a PDF, a Word document"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES, "must be smaller than 4 MB"),
        ("macro.docx", b"PK\x03\x04 not really a zip", "must be a PDF, a Word document"),
    ],
)
def test_other_content_or_too_large_is_refused_on_the_file_field(app, login, name, data, message):
    request_id = _request(app, login)
    response = _reply(login(Role.LICENSING_OFFICER, "WDC"), request_id, name, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and 'href="#document"' in page
    with app.app_context():
        assert db.session.scalar(select(Attachment)) is None
        assert db.session.get(InformationRequest, request_id).replied_on is None

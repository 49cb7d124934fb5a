"""A live server on a free localhost port and Debian's Chromium driven by Playwright (never a downloaded
browser)."""

import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import IN_CI

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        # In CI a missing browser fails the run; on a developer's machine its tests are skipped.
        (pytest.fail if IN_CI else pytest.skip)(
            "Debian's chromium is not installed (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The app behind the live server, so sign_in() can do the TOTP step as the user's authenticator app would.
_served: dict = {}


@pytest.fixture
def live_server(app):
    _served["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(chromium, live_server, request):
    """A fresh browser context; console errors (CSP violations, 404s) fail the test."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.base_url = live_server
    page.console_errors = errors
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def screenshot(page, name: str, request) -> Path:
    """Save the final screen of a journey as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    backend = (
        request.node.callspec.params.get("database_url", "db") if hasattr(request.node, "callspec") else "db"
    )
    path = ARTIFACTS / f"{name}-{backend}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, email: str, password: str) -> None:
    """Password, then the code from the user's authenticator (enrolling with the QR page's key if need be)."""
    import pyotp

    from tests.factories import current_totp_code

    page.goto(f"{page.base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/sign-in/(two-factor|enrol)$"))
    if page.url.endswith("/enrol"):
        code = pyotp.TOTP(page.locator("#totp-secret").inner_text()).now()
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.get_by_role("link", name="Continue").click()
    else:
        with _served["app"].app_context():
            code = current_totp_code(email)
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/home")

"""A live server on a free localhost port and Debian's Chromium driven by Playwright (never a downloaded
browser)."""

import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import IN_CI
from tests.factories import arranged

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        # In CI a missing browser fails the run; on a developer's machine its tests are skipped.
        (pytest.fail if IN_CI else pytest.skip)(
            "Debian's chromium is not installed (apt-get install chromium)"
        )
    from playwright.sync_api import expect, sync_playwright

    # expect() has a 5 s timeout of its own, which page.set_default_timeout does not change: give its
    # assertions the same 15 s as the page's actions, or a page slow to load on a busy CI machine fails them.
    expect.set_options(timeout=15_000)
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
        with arranged(_served["app"]):
            code = current_totp_code(email)
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/home")


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 375)


def _govuk_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's conditional reveals put aria-expanded on the radio or checkbox that shows
    them, a pattern
    GOV.UK has tested with assistive technology; axe reports it as not allowed on that role. Only that exact
    finding is set aside: any other attribute, or aria-expanded elsewhere, still fails."""
    if violation["id"] != "aria-allowed-attr":
        return False
    html = node.get("html", "")
    messages = " ".join(check["message"] for check in node.get("any", []) + node.get("all", []))
    return ("govuk-radios__input" in html or "govuk-checkboxes__input" in html) and messages.count(
        "aria-"
    ) == messages.count("aria-expanded") > 0


def audit_page(page, name: str, request) -> None:
    """At the page's current width: no sideways scrolling, no serious or critical axe-core violation, and a
    screenshot. axe is injected through DevTools, so the page's own CSP stays in force."""
    width = page.viewport_size["width"]
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)""")
        screenshot(page, f"{name}-{width}-overflow", request)
        raise AssertionError(f"{name} at {width}px scrolls sideways by {overflow}px: {wide}")
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    bad = [
        (v["id"], v["impact"], [n["target"] for n in nodes][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        and (nodes := [n for n in v["nodes"] if not _govuk_reveal(v, n)])
    ]
    screenshot(page, f"{name}-{width}", request)
    assert not bad, f"{name} at {width}px: {bad}"


def follow_error_links(page) -> list[str]:
    """Click every link in the error summary; each must move focus to its own field. Returns the targets."""
    # The click that sent the form returns before the answer arrives: wait for the page it brings back.
    page.locator(".govuk-error-summary__list a").first.wait_for(state="attached", timeout=15_000)
    targets = page.locator(".govuk-error-summary__list a").evaluate_all(
        "links => links.map(a => a.hash.slice(1))"
    )
    assert targets, "no error summary links"
    # The form came back with 400, which Chromium logs as a failed load: expected here, not a page fault.
    page.console_errors[:] = [e for e in page.console_errors if "status of 400" not in e]
    for target in targets:
        page.locator(f'.govuk-error-summary__list a[href="#{target}"]').click()
        landed = page.evaluate(
            """(id) => { const t = document.getElementById(id), a = document.activeElement;
            return !!t && (a === t || t.contains(a) || a.id.startsWith(id)); }""",
            target,
        )
        assert landed, f"the error link #{target} did not land on its field"
    return targets

"""The review queue: bands from the linking thresholds, filters for my authority, age and band,
oldest first."""

import datetime as dt
import re

from licensing.auth.models import Role
from licensing.db import db, utcnow
from licensing.matching.bands import match_band
from licensing.people.identity import match_settings
from licensing.people.models import LinkState, RecordLink
from tests.factories import arranged, make_person


def _pair(code_a: str, code_b: str, score: float, age_days: int, name: str) -> int:
    a = make_person(code_a, forenames=name, surname=f"{name}son", date_of_birth=dt.date(1970, 1, 1))
    b = make_person(code_b, forenames=f"{name}x", surname=f"{name}sen", date_of_birth=dt.date(1990, 2, 2))
    link = RecordLink(
        record_a_id=a.id,
        record_b_id=b.id,
        score=score,
        evidence=[],
        summary="Surname: similar",
        state=LinkState.PENDING,
        created_at=utcnow() - dt.timedelta(days=age_days, hours=1),
    )
    db.session.add(link)
    db.session.commit()
    return link.id


def _queue(client, query: str = "") -> tuple[str, list[int]]:
    response = client.get(f"/review{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page, [int(i) for i in re.findall(r'id="pair-(\d+)"', page)]


def _setup(app):
    with arranged(app):
        settings = match_settings()
        strong = settings.auto_link_threshold
        possible = (settings.review_threshold + settings.auto_link_threshold) / 2
        weak = settings.review_threshold / 3
        ids = {
            "mine_old_possible": _pair("WDC", "CDC", possible, 40, "Aaqib"),
            "other_new_strong": _pair("CDC", "SBDC", strong, 2, "Basit"),
            "mine_mid_weak": _pair("SBDC", "WDC", weak, 10, "Cyrus"),
        }
        return ids, match_band(possible, settings).percentage, settings


def test_queue_shows_bands_and_waiting_time_oldest_first(app, login):
    ids, possible_percentage, _ = _setup(app)
    page, order = _queue(login(Role.LICENSING_OFFICER, "WDC"))
    # Only pairs the officer's authority may decide (one side is its record), oldest first.
    assert order == [ids["mine_old_possible"], ids["mine_mid_weak"]]
    assert 'data-band="possible"' in page and 'data-band="weak"' in page and 'data-band="strong"' not in page
    assert possible_percentage in page  # the only pair whose probability means something
    assert page.count("%)") == 1
    assert "40 days" in page and "10 days" in page
    page, order = _queue(login(Role.LICENSING_OFFICER, "CDC"))
    assert order == [ids["mine_old_possible"], ids["other_new_strong"]]
    assert 'data-band="strong"' in page and "2 days" in page


def test_queue_filters_by_my_authority_age_and_band(app, login):
    ids, _, _ = _setup(app)
    client = login(Role.LICENSING_OFFICER, "CDC")
    assert _queue(client, "?mine=yes")[1] == [ids["mine_old_possible"], ids["other_new_strong"]]
    assert _queue(client, "?older_than=30")[1] == [ids["mine_old_possible"]]
    assert _queue(client, "?older_than=1&mine=yes")[1] == [ids["mine_old_possible"], ids["other_new_strong"]]
    assert _queue(client, "?band=strong")[1] == [ids["other_new_strong"]]
    assert _queue(client, "?band=weak")[1] == []
    assert _queue(client, "?sort=strongest")[1] == [ids["other_new_strong"], ids["mine_old_possible"]]
    wycombe = login(Role.LICENSING_OFFICER, "WDC")
    assert _queue(wycombe, "?band=weak")[1] == [ids["mine_mid_weak"]]
    assert _queue(wycombe, "?sort=strongest")[1] == [ids["mine_old_possible"], ids["mine_mid_weak"]]
    page, order = _queue(client, "?band=nonsense&older_than=abc")
    assert len(order) == 2


def test_review_pair_shows_no_percentage_for_a_contradicted_pair(app, login):
    ids, _, _ = _setup(app)
    with app.app_context():
        link = db.session.get(RecordLink, ids["other_new_strong"])
        link.review_reason = "Different NI numbers: different people"
        db.session.commit()
    page = (
        login(Role.LICENSING_OFFICER, "CDC").get(f"/review/{ids['other_new_strong']}").get_data(as_text=True)
    )
    assert 'data-band="strong"' in page and "Different NI numbers" in page and "100.0%" not in page
    assert "Probability that these records are one person" not in page

"""Dashboard forms list every error at once (trial finding 15), as /admin/accounts does: GOV.UK's error summary
names each wrong field, linked to it, and the page keeps what was typed."""

from __future__ import annotations

from html import unescape

from tests.admin.test_form_dates import _summary
from tests.factories import add_participants, phone_number


def test_an_empty_action_form_lists_every_problem_at_once(services, admin_client):
    worker = admin_client("worker")
    page = worker.post_form("/admin/actions/new", {"round": "", "pledge": "", "said": "", "did": "", "status": ""})
    assert page.status_code == 400
    links = dict(_summary(page.data))
    assert set(links) == {"round", "pledge", "said", "did"}
    assert "Choose the round" in links["round"] and "a pledge, a top-ten message or a theme" in links["pledge"]
    html = page.data.decode()
    for name in links:  # each link lands on its field, which shows the same message
        assert f'id="{name}"' in html and f'id="{name}-error"' in html


def test_a_wrong_action_form_keeps_what_was_typed_and_names_each_wrong_field(services, admin_client):
    worker = admin_client("worker")
    form = {"round": "999", "pledge": "1", "said": "You told us about bus passes", "did": "", "owner": "Team lead"}
    page = worker.post_form("/admin/actions/new", form | {"due-day": "31", "due-month": "2", "due-year": "2027"})
    assert page.status_code == 400
    links = dict(_summary(page.data))
    assert set(links) == {"round", "did", "due-day"}
    html = unescape(page.data.decode())
    assert "You told us about bus passes</textarea>" in html and 'value="Team lead"' in html
    assert 'value="1" selected' in html  # the pledge stays chosen


def test_a_launch_form_with_ages_the_wrong_way_and_a_past_date_names_both(services, admin_client):
    add_participants(services, [{"phone": phone_number(1)}])
    worker = admin_client("worker")
    form = {"survey": "pulse", "min_age": "20", "max_age": "16", "area": "East"}
    page = worker.post_form("/admin/rounds/new", form | {"closes-day": "1", "closes-month": "3", "closes-year": "2020"})
    assert page.status_code == 400
    links = dict(_summary(page.data))
    assert links == {
        "min_age": "The youngest age must not be more than the oldest",
        "closes-day": "The closing date must be today or in the future",
    }
    html = page.data.decode()
    assert 'value="20"' in html and 'value="16"' in html and 'value="East"' in html and 'value="2020"' in html


def test_a_launch_form_with_nothing_chosen_and_bad_ages_lists_them_all(services, admin_client):
    worker = admin_client("worker")
    page = worker.post_form("/admin/rounds/new", {"survey": "", "status": "pets", "min_age": "x", "max_age": "99"})
    assert page.status_code == 400
    assert [target for target, _ in _summary(page.data)] == ["survey", "status", "min_age", "max_age"]


def test_a_recurring_round_lists_its_own_problem_with_the_forms(services, admin_client):
    worker = admin_client("worker")
    page = worker.post_form("/admin/rounds/schedule", {"survey": "", "open_days": "0", "cadence": "every 2 weeks"})
    assert page.status_code == 400
    assert [target for target, _ in _summary(page.data)] == ["survey", "open_days"]

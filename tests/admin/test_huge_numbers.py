"""A number the database cannot hold, in a dashboard address or form, is a 400/404 or the first page,
never a 500 (`web/admin/ids.py` reads them all)."""

from __future__ import annotations

import pytest

from voice_service.web.admin.ids import page_number, record_id

HUGE = "99999999999999999999999"


def test_ids_and_pages_are_read_in_one_place():
    assert [record_id(text) for text in ("12", " 7 ", "", None, "x", "0", "-3", "²", HUGE, "2147483648")] == [
        12,
        7,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert [page_number(text) for text in ("3", "", "abc", HUGE, "0")] == [3, 1, 1, 1, 1]


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("admin", f"/admin/audit?page={HUGE}"),
        ("worker", f"/admin/responses?round={HUGE}"),
        ("worker", f"/admin/responses?page={HUGE}&pledge={HUGE}"),
        ("worker", f"/admin/actions?round={HUGE}"),
        ("worker", f"/admin/participants?page={HUGE}"),
    ],
)
def test_a_huge_number_in_a_dashboard_address_is_not_a_500(admin_client, role, path):
    assert admin_client(role).get(path).status_code == 200


def test_a_huge_number_in_the_responses_export_is_a_400(admin_client):
    assert admin_client("worker").get(f"/admin/responses/export?round={HUGE}&format=csv").status_code == 400


def test_a_huge_number_in_the_action_form_is_a_form_error(admin_client):
    page = admin_client("worker").post_form(
        "/admin/actions/new", {"round": HUGE, "pledge": HUGE, "said": "x", "did": "y", "status": "done"}
    )
    assert page.status_code == 400 and "Choose" in page.get_data(as_text=True)


def test_a_huge_id_in_a_dashboard_path_gets_the_dashboards_own_404(admin_client):
    page = admin_client("worker").get(f"/admin/participants/{HUGE}")
    assert page.status_code == 404 and "Page not found" in page.get_data(as_text=True)
    assert page.content_type.startswith("text/html")


def test_responses_for_a_round_that_does_not_exist_are_not_found(admin_client):
    # Trial: ?round=999 answered 200, "No answers match these filters", and offered "Download round 999 as CSV".
    response = admin_client("worker").get("/admin/responses?round=999")
    assert response.status_code == 404
    assert "Download round 999" not in response.get_data(as_text=True)

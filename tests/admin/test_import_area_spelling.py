"""The import preview says how each area will be written (tester finding: an area written "north" and "North" was
two areas; trial 10, T10-10: the first spelling was kept for ever; `tests/participants/test_area_spelling.py`)."""

from __future__ import annotations

import io

from tests.factories import phone_number
from tests.participants.test_area_spelling import HEADER, _import


def test_the_import_preview_says_how_each_area_will_be_written(services, admin_client):
    _import(services, (1, "Ava", "north"))
    text = HEADER + f"{phone_number(2)},Ben,in_care,2011-03-04,North\n{phone_number(3)},Cal,in_care,2011-03-04,NORTH\n"
    preview = admin_client("worker").post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.data
    page = preview.get_data(as_text=True)
    said = "An area is written one way, as this file first writes it: “NORTH” is kept as “North”."
    assert said in page
    assert "Areas on the list already will be written as this file writes them: “north” becomes “North”." in page

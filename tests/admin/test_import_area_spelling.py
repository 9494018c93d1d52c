"""The import preview says which areas in the file are kept as the list already writes them (tester finding: an
area written "north" and "North" was two areas; `tests/participants/test_area_spelling.py`)."""

from __future__ import annotations

import io

from tests.factories import phone_number
from tests.participants.test_area_spelling import HEADER, _import


def test_the_import_preview_says_which_areas_are_kept_as_first_written(services, admin_client):
    _import(services, (1, "Ava", "North"))
    text = HEADER + f"{phone_number(2)},Ben,in_care,2011-03-04,north\n"
    preview = admin_client("worker").post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.data
    page = preview.get_data(as_text=True)
    said = "An area is kept the way it was first written, so each area is listed once: “north” is kept as “North”."
    assert said in page

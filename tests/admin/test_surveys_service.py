"""Surveys page functions: a survey previewed as the conversation it is, with problems by file."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.factories import small_survey
from voice_service.context import REPO_CONVERSATIONS
from voice_service.web.admin.surveys_service import preview_survey, survey_files


def test_preview_follows_the_engine_texts_and_branches():
    preview = preview_survey(small_survey())
    assert preview.intro.text.startswith("Hi Sam, it's the Voice team.") and preview.intro.segments == 1
    first = preview.steps[0]
    assert [(r.when, r.goto) for r in first.routes] == [
        ("the answer is <= 2", "question 2 (safe_home_why)"),
        ("any other answer, or a skip", "question 3 (listened)"),
    ]
    assert first.expects == "a number from 1 to 5 (SKIP allowed)"
    assert first.reask.text.startswith("Sorry, we didn't get that.")
    assert preview.steps[-1].routes[-1].goto == "the end (thank you)"
    assert preview.outro.text == "Thank you! You can text us any time."


def test_a_broken_file_is_reported_and_the_others_still_load(tmp_path):
    folder = tmp_path / "conversations"
    shutil.copytree(REPO_CONVERSATIONS, folder)
    (folder / "surveys" / "broken.toml").write_text('id = "broken"\ntitle = "x"\n', encoding="utf-8")
    files = survey_files(Path(folder))
    assert "pulse" in files.surveys and "broken" not in files.surveys
    assert any("intro" in str(p) for p in files.problems["broken.toml"])

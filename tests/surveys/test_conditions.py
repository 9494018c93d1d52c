"""Branch conditions belong to the survey: compiled once when it loads, never on each answer."""

from __future__ import annotations

import subprocess
import sys

from tests.factories import small_survey
from voice_service.engine.conversation import begin, handle
from voice_service.surveys import conditions


def test_branch_conditions_are_compiled_when_the_survey_loads(monkeypatch):
    survey = small_survey()
    branches = survey.question("safe_home").branches
    assert branches and all(branch.test is not None for branch in branches)

    def refuse(*_args):
        raise AssertionError("compiled again while answering")

    monkeypatch.setattr(conditions, "compile_when", refuse)
    monkeypatch.setattr("voice_service.engine.answers.compile_when", refuse)
    state = handle(survey, begin(survey, first_name="Sam").state, "yes").state
    assert handle(survey, state, "1").state.current == "safe_home_why"


def test_surveys_do_not_import_the_engine():
    code = "import sys, voice_service.surveys.loader; print('voice_service.engine' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

"""New-user trial: the shipped surveys wrote the same branch two ways, "<= 2" in one and "1-2" in another, for "a low
score goes to a follow-up question". Both work (`surveys.conditions`), but a council editing one survey from another
should see one way: every scale branch in the shipped surveys is a comparison ("<= 2"), as the docs write it."""

from __future__ import annotations

import re
from pathlib import Path

from voice_service.surveys.loader import load_catalogue

CONVERSATIONS = Path(__file__).resolve().parents[2] / "conversations"
COMPARISON = re.compile(r"^(<=|>=|<|>|==|!=) \d+$")


def test_every_scale_branch_in_the_shipped_surveys_is_written_the_same_way():
    catalogue = load_catalogue(CONVERSATIONS)
    whens = [
        (survey.id, question.id, branch.when)
        for survey in catalogue.surveys.values()
        for question in survey.questions
        if question.kind == "scale"
        for branch in question.branches
        if branch.when.strip().lower() != "any"
    ]
    assert whens, "the shipped surveys have scale branches"
    assert [w for w in whens if not COMPARISON.match(w[2])] == []

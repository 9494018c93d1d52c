"""Loading and checking survey, pledge and top-ten files."""

import hashlib
import shutil
from pathlib import Path

import pytest

from voice_service.surveys.loader import (
    SurveyError,
    check_paths,
    load_catalogue,
    load_pledges,
    load_survey,
    load_top_ten,
)

CONVERSATIONS = Path(__file__).resolve().parents[2] / "conversations"

GOOD = """\
id = "test-survey"
title = "Test"
intro = "Hi {first_name}, reply YES to start or STOP to opt out."
outro = "Thank you!"

[[questions]]
id = "safe"
kind = "scale"
text = "How safe do you feel? 1 (not safe) to 5 (very safe)"
min = 1
max = 5
pledges = [1]
messages = [2]
optional = true

  [[questions.branch]]
  when = "<= 2"
  goto = "why"

[[questions]]
id = "why"
kind = "text"
text = "What would help?"
pledges = [1]

[[questions]]
id = "worker"
kind = "yes_no"
text = "Do you see your worker enough?"
pledges = [6]

  [[questions.branch]]
  when = "no"
  goto = "end"

[[questions]]
id = "listened"
kind = "choice"
text = "Listened to? 1 Always 2 Sometimes 3 Never"
choices = ["Always", "Sometimes", "Never"]
pledges = [9]
messages = [8]
"""

PLEDGES = """\
[[pledges]]
number = 1
text = "Keep you safe"
short = "Safe"
themes = ["safety"]

[[pledges]]
number = 6
text = "Meet regularly"
themes = ["social_workers", "carers"]

[[pledges]]
number = 9
text = "Involved in decisions"
themes = ["having_a_say"]
"""

TOP_TEN = """\
[[messages]]
number = 2
text = "Respect"
themes = ["respect_and_identity"]

[[messages]]
number = 8
text = "Having our say"
themes = ["having_a_say"]
"""


def conversations(tmp_path, survey=GOOD, pledges=PLEDGES, top_ten=TOP_TEN):
    """Write a conversations/ folder with one survey, returning the survey's path."""
    (tmp_path / "surveys").mkdir()
    (tmp_path / "pledges.toml").write_text(pledges)
    (tmp_path / "top_ten.toml").write_text(top_ten)
    path = tmp_path / "surveys" / "test.toml"
    path.write_text(survey)
    return path


def test_shipped_conversations_load_cleanly():
    assert check_paths([str(CONVERSATIONS)]) == []
    catalogue = load_catalogue(CONVERSATIONS)
    assert set(catalogue.surveys) >= {"pulse", "care-leavers"}
    assert sorted(catalogue.pledges) == list(range(1, 12))
    assert sorted(catalogue.messages) == list(range(1, 11))
    assert all(p.short and p.themes for p in catalogue.pledges.values())
    assert all(m.short and m.themes for m in catalogue.messages.values())


def test_shipped_surveys_cover_all_pledges_and_key_every_question():
    catalogue = load_catalogue(CONVERSATIONS)
    shipped = [catalogue.surveys["pulse"], catalogue.surveys["care-leavers"]]
    covered = {n for survey in shipped for q in survey.questions for n in q.pledges}
    assert covered == set(range(1, 12))
    for survey in shipped:
        assert 6 <= len(survey.questions) <= 9
        assert {q.kind for q in survey.questions} <= {"scale", "yes_no", "choice", "text"}
        for question in survey.questions:
            assert question.pledges and question.messages, question.id
    kinds = {q.kind for survey in shipped for q in survey.questions}
    assert kinds == {"scale", "yes_no", "choice", "text"}
    assert any(q.translations.get("cy") for survey in shipped for q in survey.questions)
    assert any(q.branches for survey in shipped for q in survey.questions)
    pulse, leavers = shipped
    assert (pulse.audience, pulse.min_age, pulse.max_age) == (("in_care",), 11, 17)
    assert (leavers.audience, leavers.min_age, leavers.max_age) == (("care_leaver",), 18, 25)


def test_shipped_themes_follow_the_default_mapping():
    pledges = load_pledges(CONVERSATIONS / "pledges.toml")
    messages = load_top_ten(CONVERSATIONS / "top_ten.toml")
    assert pledges[1].themes == ("safety",)
    assert pledges[4].themes == ("leaving_care", "housing", "work_and_money")
    assert pledges[11].short == "Aim high for you"
    assert messages[10].themes == ("having_a_say", "respect_and_identity")


def test_good_survey_loads_with_version_hash(tmp_path):
    path = conversations(tmp_path)
    survey = load_survey(path)
    assert survey.id == "test-survey"
    assert survey.version == hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert survey.source == str(path)
    assert [q.id for q in survey.questions] == ["safe", "why", "worker", "listened"]
    assert survey.question("safe").branches[0].goto == "why"
    assert survey.question("listened").choices == ("Always", "Sometimes", "Never")
    assert check_paths([str(path)]) == []
    assert check_paths([str(tmp_path)]) == []


def edit(old, new):
    """A broken copy of the good survey."""
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


BROKEN = [
    # (survey text, question id, field, words in the message)
    (edit("optional = true", "optinal = true"), "safe", "optinal", "did you mean 'optional'"),
    (edit('id = "test-survey"', 'id = "Test Survey"'), "", "id", "lower-case"),
    (edit('title = "Test"\n', ""), "", "title", "missing"),
    (edit('outro = "Thank you!"', 'outro = "  "'), "", "outro", "empty"),
    (edit('id = "why"', 'id = "Why?"'), "Why?", "id", "lower-case letters"),
    (edit('id = "why"\nkind = "text"', 'id = "safe"\nkind = "text"'), "safe", "id", "already has this id"),
    (edit('kind = "text"', 'kind = "free_text"'), "why", "kind", "isn't a kind"),
    (edit('id = "why"\nkind = "text"\n', 'id = "why"\n'), "why", "kind", "missing"),
    (edit('text = "What would help?"\n', ""), "why", "text", "missing"),
    (edit('text = "What would help?"', 'text = ""'), "why", "text", "empty"),
    (edit("min = 1\n", ""), "safe", "min", "needs min and max"),
    (edit("min = 1", "min = 5"), "safe", "max", "bigger than min"),
    (edit("max = 5", 'max = "5"'), "safe", "max", "whole number"),
    (edit("min = 1\nmax = 5", "min = 0\nmax = 20").replace("5 (very safe)", "20"), "safe", "max", "at most 10"),
    (edit("1 (not safe) to 5 (very safe)", "pick a number"), "safe", "text", "should tell the range"),
    (edit('choices = ["Always", "Sometimes", "Never"]', 'choices = ["Always"]'), "listened", "choices", "at least 2"),
    (
        edit('choices = ["Always", "Sometimes", "Never"]', 'choices = ["Always", "always"]'),
        "listened",
        "choices",
        "twice",
    ),
    (edit('choices = ["Always", "Sometimes", "Never"]', 'choices = ["Always", ""]'), "listened", "choices", "empty"),
    (edit('choices = ["Always", "Sometimes", "Never"]\n', ""), "listened", "choices", "needs choices"),
    (edit('kind = "text"', 'kind = "text"\nchoices = ["a", "b"]'), "why", "choices", "only choice questions"),
    (edit('when = "<= 2"', 'when = "low"'), "safe", "branch[1].when", "comparison"),
    (edit('when = "<= 2"', 'when = "<= 0"'), "safe", "branch[1].when", "never matches"),
    (edit('when = "<= 2"', 'when = "3-1"'), "safe", "branch[1].when", "backwards"),
    (edit('when = "no"', 'when = "nah"'), "worker", "branch[1].when", '"yes", "no"'),
    (edit('goto = "why"', 'goto = "whyy"'), "safe", "branch[1].goto", "did you mean 'why'"),
    (edit('when = "no"\n  goto = "end"', 'when = "no"\n  goto = "safe"'), "worker", "branch[1].goto", "forward"),
    (edit('when = "no"\n  goto = "end"', 'when = "no"\n  goto = "worker"'), "worker", "branch[1].goto", "loop"),
    (edit('when = "no"\n  goto = "end"', 'goto = "end"'), "worker", "branch[1].when", "missing"),
    (edit('when = "no"', 'when = "no"\n  go = "x"'), "worker", "branch[1].go", "did you mean 'goto'"),
    (edit("pledges = [1]\nmessages = [2]", "pledges = [1, 42]\nmessages = [2]"), "safe", "pledges", "no pledge 42"),
    (edit("messages = [8]", "messages = [11]"), "listened", "messages", "no top-ten message 11"),
    (edit("pledges = [6]", 'pledges = "6"'), "worker", "pledges", "list of pledge numbers"),
    (edit("optional = true", 'optional = "yes"'), "safe", "optional", "true or false"),
    (edit("Hi {first_name}", "Hi {name}"), "", "intro", "{name}"),
    (edit("Hi {first_name}", "Hi {first_name"), "", "intro", "pair up"),
    (
        edit('text = "What would help?"', 'text = "What would help, {first_name}?"'),
        "why",
        "text",
        "only work in the intro",
    ),
    (edit('text = "What would help?"', 'text = "What would help?"\ntext_cy = ""'), "why", "text_cy", "translation"),
    (edit('title = "Test"', 'title = "Test"\naudience = ["kids"]'), "", "audience", "in_care"),
    (edit('title = "Test"', 'title = "Test"\nmin_age = 18\nmax_age = 11'), "", "max_age", "lower than min_age"),
    (edit('title = "Test"', 'title = "Test"\ncolour = "red"'), "", "colour", "unknown field"),
]


@pytest.mark.parametrize(("text", "where", "field", "words"), BROKEN)
def test_broken_survey_problem_names_file_question_and_field(tmp_path, text, where, field, words):
    path = conversations(tmp_path, survey=text)
    problems = check_paths([str(path)])
    assert problems, "expected a problem"
    matching = [p for p in problems if p.where == where and p.field == field]
    assert matching, [str(p) for p in problems]
    assert words in matching[0].message, str(matching[0])
    assert all(p.file == str(path) for p in problems)
    with pytest.raises(SurveyError) as raised:
        load_survey(path, pledges={1: None, 6: None, 9: None}, messages={2: None, 8: None})
    assert raised.value.problems
    assert str(path) in str(raised.value)


def test_toml_syntax_error_gives_the_line(tmp_path):
    path = conversations(tmp_path, survey=edit('title = "Test"', "title = Test"))
    [problem] = check_paths([str(path)])
    assert problem.file == str(path)
    assert "line 2" in problem.message and "TOML" in problem.message


def test_all_problems_are_reported_at_once(tmp_path):
    text = edit("optional = true", "optinal = true").replace('kind = "text"', 'kind = "txt"')
    path = conversations(tmp_path, survey=text)
    with pytest.raises(SurveyError) as raised:
        load_survey(path)
    assert {(p.where, p.field) for p in raised.value.problems} >= {("safe", "optinal"), ("why", "kind")}


def test_a_survey_without_reference_files_skips_number_checks(tmp_path):
    path = tmp_path / "alone.toml"
    path.write_text(edit("pledges = [6]", "pledges = [99]"))
    assert check_paths([str(path)]) == []


def test_explicit_pledges_file_is_used(tmp_path):
    path = tmp_path / "alone.toml"
    path.write_text(edit("pledges = [6]", "pledges = [99]"))
    pledges = tmp_path / "elsewhere" / "pledges.toml"
    pledges.parent.mkdir()
    pledges.write_text(PLEDGES)
    problems = check_paths([str(pledges), str(path)])
    assert [(p.where, p.field) for p in problems] == [("worker", "pledges")]


def test_missing_path_is_a_problem(tmp_path):
    [problem] = check_paths([str(tmp_path / "nope.toml")])
    assert "no such file" in problem.message


def test_duplicate_survey_ids_across_files(tmp_path):
    path = conversations(tmp_path)
    shutil.copy(path, path.with_name("copy.toml"))
    problems = check_paths([str(tmp_path)])
    assert [p.field for p in problems] == ["id"]
    with pytest.raises(SurveyError):
        load_catalogue(tmp_path)


@pytest.mark.parametrize(
    ("pledges", "field", "words"),
    [
        (PLEDGES.replace('themes = ["safety"]', 'themes = ["saftey"]'), "pledges[1].themes", "did you mean 'safety'"),
        (PLEDGES.replace("number = 6", "number = 1"), "pledges[2].number", "used twice"),
        (PLEDGES.replace("number = 6", 'number = "six"'), "pledges[2].number", "whole number"),
        (PLEDGES.replace('short = "Safe"', 'shrot = "Safe"'), "pledges[1].shrot", "did you mean 'short'"),
        (PLEDGES.replace('text = "Keep you safe"', 'text = ""'), "pledges[1].text", "empty"),
        (PLEDGES.replace('themes = ["having_a_say"]\n', ""), "pledges[3].themes", "missing"),
        ("[[pledge]]\nnumber = 1\n", "pledge", "unknown field"),
    ],
)
def test_broken_pledges_file(tmp_path, pledges, field, words):
    conversations(tmp_path, pledges=pledges)
    problems = check_paths([str(tmp_path / "pledges.toml")])
    matching = [p for p in problems if p.field == field]
    assert matching, [str(p) for p in problems]
    assert words in matching[0].message
    assert matching[0].file == str(tmp_path / "pledges.toml")
    with pytest.raises(SurveyError):
        load_catalogue(tmp_path)


def test_broken_top_ten_file(tmp_path):
    conversations(tmp_path, top_ten=TOP_TEN.replace('text = "Respect"', 'txt = "Respect"'))
    problems = check_paths([str(tmp_path)])
    fields = {p.field for p in problems}
    assert {"messages[1].txt", "messages[1].text"} <= fields


def test_councils_can_add_their_own_themes(tmp_path):
    conversations(tmp_path, pledges=PLEDGES.replace('["safety"]', '["safety", "transport"]'))
    assert check_paths([str(tmp_path)])
    assert check_paths([str(tmp_path)], known_themes=["transport"]) == []

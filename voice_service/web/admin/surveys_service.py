"""What the surveys pages need: each survey as the conversation a young person would have, and its problems.

Every text shown is the engine's own (intro, questions, re-asks, outro), so the preview is
what is sent, with its SMS segment count beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...engine import texts
from ...engine.conversation import FALLBACK_COUNCIL, intro_text, question_text
from ...surveys.loader import (
    PLEDGES_FILE,
    SURVEYS_DIR,
    TOP_TEN_FILE,
    SurveyError,
    check_paths,
    load_pledges,
    load_survey,
    load_top_ten,
)
from ...surveys.model import END, Catalogue, Pledge, Problem, Question, Survey, TopTenMessage

SAMPLE_NAME = "Sam"
KIND_WORDS = {"scale": "a number", "yes_no": "yes or no", "choice": "one of the choices", "text": "their own words"}


@dataclass(frozen=True)
class Said:
    """One text the service sends, with what it costs."""

    text: str
    characters: int
    segments: int


@dataclass(frozen=True)
class Route:
    """Where the conversation goes after an answer: `when` in words, and the target ("the end" or a question)."""

    when: str
    goto: str


@dataclass(frozen=True)
class QuestionStep:
    """One question as the young person meets it."""

    number: int
    question: Question
    asked: Said
    reask: Said
    expects: str
    routes: tuple[Route, ...]
    pledges: tuple[str, ...]
    messages: tuple[str, ...]


@dataclass(frozen=True)
class SurveyPreview:
    """A whole survey as a conversation, start to finish."""

    survey: Survey
    intro: Said
    steps: tuple[QuestionStep, ...]
    outro: Said
    audience: str


def said(text: str) -> Said:
    """A text with its length and SMS segment count."""
    return Said(text=text, characters=len(text), segments=texts.sms_segments(text))


def _target(survey: Survey, goto: str) -> str:
    if goto == END:
        return "the end (thank you)"
    position = [q.id for q in survey.questions].index(goto) + 1
    return f"question {position} ({goto})"


def _routes(survey: Survey, question: Question) -> tuple[Route, ...]:
    """The question's branches in words, then where any other answer goes."""
    routes = []
    catch_all = False
    for branch in question.branches:
        when = branch.when.strip()
        if when.lower() == "any":
            catch_all = True
            routes.append(Route("any other answer, or a skip", _target(survey, branch.goto)))
        else:
            routes.append(Route(f"the answer is {when}", _target(survey, branch.goto)))
    if not catch_all:
        routes.append(
            Route("otherwise" if routes else "after any answer", _target(survey, survey.next_after(question.id)))
        )
    return tuple(routes)


def audience_words(survey: Survey) -> str:
    """Who the survey is written for, as the page says it."""
    words = {"care_leaver": "care leavers", "in_care": "young people in care"}
    who = " and ".join(words.get(status, status) for status in survey.audience) or "anyone"
    if survey.min_age is not None or survey.max_age is not None:
        low = survey.min_age if survey.min_age is not None else "any age"
        high = survey.max_age if survey.max_age is not None else "up"
        who += f", aged {low} to {high}"
    return who


def preview_survey(
    survey: Survey,
    catalogue: Catalogue | None = None,
    *,
    first_name: str = SAMPLE_NAME,
    council: str = FALLBACK_COUNCIL,
) -> SurveyPreview:
    """The survey as a conversation: the invitation, each question with its re-ask and branches, the thank-you."""
    steps = []
    for number, question in enumerate(survey.questions, start=1):
        expects = KIND_WORDS[question.kind]
        if question.kind == "scale":
            expects = f"a number from {question.min} to {question.max}"
        elif question.kind == "choice":
            expects = "one of: " + "; ".join(f"{i} {c}" for i, c in enumerate(question.choices, start=1))
        if question.optional:
            expects += " (SKIP allowed)"
        pledges = tuple(
            f"{n}. {catalogue.pledges[n].short or catalogue.pledges[n].text}"
            if catalogue and n in catalogue.pledges
            else f"pledge {n}"
            for n in question.pledges
        )
        messages = tuple(
            f"{n}. {catalogue.messages[n].short or catalogue.messages[n].text}"
            if catalogue and n in catalogue.messages
            else f"message {n}"
            for n in question.messages
        )
        steps.append(
            QuestionStep(
                number=number,
                question=question,
                asked=said(question_text(question)),
                reask=said(texts.reask(question)),
                expects=expects,
                routes=_routes(survey, question),
                pledges=pledges,
                messages=messages,
            )
        )
    return SurveyPreview(
        survey=survey,
        intro=said(intro_text(survey, first_name, council)),
        steps=tuple(steps),
        outro=said(survey.outro),
        audience=audience_words(survey),
    )


@dataclass
class SurveyFiles:
    """The surveys that load, and every problem `surveys check` finds, by file."""

    surveys: dict[str, Survey]
    problems: dict[str, list[Problem]]
    # What `surveys check` warns about (no STOP in the invitation, choices never listed), by file.
    warnings: dict[str, list[Problem]] = field(default_factory=dict)


def survey_files(conversations: Path) -> SurveyFiles:
    """Load each survey file on its own, so one broken file does not hide the others, and check them all."""
    problems: dict[str, list[Problem]] = {}
    found_warnings: list[Problem] = []
    for problem in check_paths([str(conversations)], warnings=found_warnings):
        problems.setdefault(Path(problem.file).name, []).append(problem)
    warnings: dict[str, list[Problem]] = {}
    for warning in found_warnings:
        warnings.setdefault(Path(warning.file).name, []).append(warning)
    pledges: dict[int, Pledge] | None
    messages: dict[int, TopTenMessage] | None
    try:
        pledges = load_pledges(conversations / PLEDGES_FILE)
        messages = load_top_ten(conversations / TOP_TEN_FILE)
    except SurveyError:
        pledges = messages = None
    surveys: dict[str, Survey] = {}
    for path in sorted((conversations / SURVEYS_DIR).glob("*.toml")):
        try:
            survey = load_survey(path, pledges=pledges, messages=messages)
        except SurveyError:
            continue
        surveys.setdefault(survey.id, survey)
    return SurveyFiles(surveys=surveys, problems=problems, warnings=warnings)

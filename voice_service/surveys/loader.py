"""Load and check survey, pledge and top-ten files from `conversations/`.

Survey files are written by participation workers, not programmers, so every
mistake is reported at once, in plain words, naming the file, the question and
the field, instead of stopping at the first one.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard

from voice_service.analysis.lexicon import THEME_IDS
from voice_service.participants.groups import ParticipantStatus
from voice_service.surveys.conditions import ANY, compile_when
from voice_service.surveys.model import (
    END,
    QUESTION_KINDS,
    Branch,
    Catalogue,
    Pledge,
    Problem,
    Question,
    Survey,
    TopTenMessage,
)

# The default theme vocabulary from themes.md (its one home is analysis.lexicon); councils may add ids.
DEFAULT_THEMES = frozenset(THEME_IDS)
AUDIENCES = ParticipantStatus.KNOWN

SURVEY_FIELDS = ("id", "title", "intro", "outro", "questions", "audience", "min_age", "max_age")
SURVEY_REQUIRED = ("id", "title", "intro", "outro", "questions")
QUESTION_FIELDS = (
    "id",
    "kind",
    "text",
    "label",
    "min",
    "max",
    "choices",
    "pledges",
    "messages",
    "optional",
    "branch",
    "concern",
    "concern_category",
)
# The risk categories of themes.md a `concern` answer may raise an alert in.
CONCERN_CATEGORIES = ("self_harm", "abuse", "exploitation", "missing", "violence", "unsafe_home")
MAX_LABEL = 60
QUESTION_REQUIRED = ("id", "kind", "text")
BRANCH_FIELDS = ("when", "goto")
ENTRY_FIELDS = ("number", "text", "short", "themes")
ENTRY_REQUIRED = ("number", "text", "themes")

SURVEY_ID = re.compile(r"[a-z0-9-]+")
QUESTION_ID = re.compile(r"[a-z0-9_]+")
TRANSLATION_KEY = re.compile(r"text_([a-z]{2,3})")
# A choice question's choices in another language (`choices_cy`), in the order of `choices`: the words a young
# person whose language it is may answer with, each read as the choice in the same place.
CHOICES_TRANSLATION_KEY = re.compile(r"choices_([a-z]{2,3})")
# A survey's intro and outro in another language (`intro_cy`, `outro_cy`), sent to a young person whose language
# it is (`engine.conversation.intro_text`, `outro_text`).
SURVEY_TRANSLATION_KEY = re.compile(r"(intro|outro)_([a-z]{2,3})")
MAX_SCALE_SPAN = 10
PLEDGES_FILE, TOP_TEN_FILE, SURVEYS_DIR = "pledges.toml", "top_ten.toml", "surveys"


class SurveyError(Exception):
    """Raised when files have problems; `problems` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _Report:
    """Collects problems for one file, so each check is a single line."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, field: str, message: str) -> None:
        """Record one problem at a question (where) and field."""
        self.problems.append(Problem(self.file, where, field, message))


def _read_toml(path: Path, report: _Report) -> dict | None:
    """The parsed file, or None after reporting why it can't be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        report.add("", "", f"can't read the file: {error.strerror or error}")
        return None
    return _parse_toml(data, report)


def _parse_toml(data: bytes, report: _Report) -> dict | None:
    """Parse TOML bytes, reporting a syntax error with its line number."""
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        report.add("", "", "the file isn't UTF-8 text; save it as UTF-8")
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if match := re.search(r"\(at line (\d+), column (\d+)\)", message):
            detail = message[: match.start()].strip()
            message = f"line {match[1]}, column {match[2]}: {detail}"
        elif "end of document" in message:
            message = f"at the end of the file: {message}"
        report.add("", "", f"this isn't valid TOML ({message})")
    return None


def _unknown(keys: Iterable[str], allowed: Iterable[str], report: _Report, where: str, prefix: str = "") -> None:
    """Report fields that aren't known, suggesting the closest known name (typos like `optinal`)."""
    allowed = list(allowed)
    for key in keys:
        if key in allowed:
            continue
        guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean {guess[0]!r}?)" if guess else f" (known fields: {', '.join(allowed)})"
        report.add(where, prefix + key, f"unknown field{hint}")


def _text(table: Mapping, key: str, report: _Report, where: str, field: str | None = None) -> str:
    """A required non-empty string field, or "" after reporting the problem."""
    field = field or key
    if key not in table:
        report.add(where, field, "is missing")
        return ""
    value = table[key]
    if not isinstance(value, str):
        report.add(where, field, f"should be text in quotes, not {value!r}")
        return ""
    if not value.strip():
        report.add(where, field, "is empty")
        return ""
    return value


def _is_int(value: Any) -> TypeGuard[int]:
    """True for a TOML integer (TOML booleans are Python ints, so exclude them)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _numbers(
    table: Mapping, key: str, report: _Report, where: str, known: Mapping[int, Any] | None, what: str
) -> tuple[int, ...]:
    """A list of pledge or message numbers, each checked against the known ones if given."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(_is_int(n) for n in value):
        report.add(where, key, f"should be a list of {what} numbers, like [1, 4]")
        return ()
    for number in value:
        if known is not None and number not in known:
            report.add(where, key, f"there is no {what} {number} (known: {', '.join(map(str, sorted(known)))})")
    if len(set(value)) != len(value):
        report.add(where, key, f"lists the same {what} twice")
    return tuple(dict.fromkeys(value))


def _placeholders(text: str) -> list[str] | None:
    """The {names} used in a text, or None if its braces don't pair up."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None


def _check_placeholders(text: str, allowed: tuple[str, ...], report: _Report, where: str, field: str) -> None:
    """Only the placeholders the engine fills in may appear; anything else would be sent as-is."""
    names = _placeholders(text)
    if names is None:
        report.add(where, field, "has a { or } that doesn't pair up")
        return
    for name in names:
        if name not in allowed:
            if allowed:
                report.add(where, field, f"{{{name}}} can't be filled in: only {{first_name}} and {{council}} can")
            else:
                report.add(where, field, f"{{{name}}} can't be filled in here: placeholders only work in the intro")


def _choice_translations(
    raw: dict, kind: object, choices: tuple[str, ...], report: _Report, where: str
) -> dict[str, tuple[str, ...]]:
    """A choice question's `choices_<code>` (one text for each of `choices`, in the same order), reporting problems."""
    found: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if (match := CHOICES_TRANSLATION_KEY.fullmatch(key)) is None:
            continue
        if kind != "choice":
            report.add(where, key, "only choice questions have choices")
        elif not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value):
            report.add(where, key, "should be a list of non-empty texts in quotes, one for each of choices")
        elif choices and len(value) != len(choices):
            report.add(where, key, f"has {len(value)} choices but choices has {len(choices)}: one for each, in order")
        else:
            found[match[1]] = tuple(c.strip() for c in value)
    return found


def _question(raw: Any, position: int, report: _Report, pledges, messages) -> Question | None:
    """Build one question from its table, reporting problems; branches are checked later."""
    if not isinstance(raw, dict):
        report.add(f"#{position}", "questions", "each question should be a [[questions]] table")
        return None
    qid = raw.get("id")
    where = qid if isinstance(qid, str) and qid.strip() else f"#{position}"
    translations = {}
    for key, value in raw.items():
        if match := TRANSLATION_KEY.fullmatch(key):
            if isinstance(value, str) and value.strip():
                translations[match[1]] = value
            else:
                report.add(where, key, "the translation should be non-empty text")
    _unknown(
        [k for k in raw if not TRANSLATION_KEY.fullmatch(k) and not CHOICES_TRANSLATION_KEY.fullmatch(k)],
        QUESTION_FIELDS,
        report,
        where,
    )

    qid = _text(raw, "id", report, where)
    if qid and not QUESTION_ID.fullmatch(qid):
        report.add(where, "id", "use only lower-case letters, digits and _ (like safe_home)")
    text = _text(raw, "text", report, where)
    label = ""
    if "label" in raw:
        # The short name a panel reads in the summary; optional, so older files stay valid.
        label = _text(raw, "label", report, where).strip()
        if len(label) > MAX_LABEL:
            report.add(where, "label", f"keep it short: at most {MAX_LABEL} characters (it is a heading)")
        if label and _placeholders(label):
            report.add(where, "label", "a label can't have {placeholders}")
    kind = raw.get("kind")
    if "kind" not in raw:
        report.add(where, "kind", f"is missing (one of {', '.join(QUESTION_KINDS)})")
    elif kind not in QUESTION_KINDS:
        report.add(where, "kind", f"{kind!r} isn't a kind of question: use one of {', '.join(QUESTION_KINDS)}")
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        report.add(where, "optional", "should be true or false (no quotes)")
        optional = False

    lo, hi = raw.get("min"), raw.get("max")
    if kind == "scale":
        for key, value in (("min", lo), ("max", hi)):
            if value is None:
                report.add(where, key, "a scale question needs min and max")
            elif not _is_int(value):
                report.add(where, key, f"should be a whole number, not {value!r}")
        if _is_int(lo) and _is_int(hi):
            if lo >= hi:
                report.add(where, "max", f"max ({hi}) should be bigger than min ({lo})")
            elif hi - lo > MAX_SCALE_SPAN:
                report.add(where, "max", f"a scale can span at most {MAX_SCALE_SPAN} (like 0 to 10)")
            elif text:
                # By SMS the text is all they see, so it has to say what the numbers mean.
                for value, key in ((lo, "min"), (hi, "max")):
                    if not re.search(rf"(?<!\d){value}(?!\d)", text):
                        report.add(where, "text", f"should tell the range: it doesn't mention {key} {value}")
        else:
            lo = hi = None
    else:
        for key in ("min", "max"):
            if key in raw:
                report.add(where, key, "only scale questions have min and max")
        lo = hi = None

    choices: tuple[str, ...] = ()
    if kind == "choice":
        raw_choices = raw.get("choices")
        if raw_choices is None:
            report.add(where, "choices", 'a choice question needs choices = ["...", "..."]')
        elif not isinstance(raw_choices, list) or not all(isinstance(c, str) for c in raw_choices):
            report.add(where, "choices", "should be a list of texts in quotes")
        else:
            choices = tuple(c.strip() for c in raw_choices)
            if any(not c for c in choices):
                report.add(where, "choices", "has an empty choice")
            if len({c.lower() for c in choices}) != len(choices):
                report.add(where, "choices", "has the same choice twice")
            if len([c for c in choices if c]) < 2:
                report.add(where, "choices", "needs at least 2 choices")
    elif "choices" in raw:
        report.add(where, "choices", "only choice questions have choices")
    choice_translations = _choice_translations(raw, raw.get("kind"), choices, report, where)

    question_pledges = _numbers(raw, "pledges", report, where, pledges, "pledge")
    question_messages = _numbers(raw, "messages", report, where, messages, "top-ten message")
    for field, value in (("text", text), *((f"text_{code}", t) for code, t in translations.items())):
        if value:
            _check_placeholders(value, (), report, where, field)

    raw_branches = raw.get("branch", [])
    if not isinstance(raw_branches, list) or not all(isinstance(b, dict) for b in raw_branches):
        report.add(where, "branch", "write branches as [[questions.branch]] tables with when and goto")
        raw_branches = []
    branches = []
    for number, branch in enumerate(raw_branches, 1):
        prefix = f"branch[{number}]."
        _unknown(branch, BRANCH_FIELDS, report, where, prefix)
        when = _text(branch, "when", report, where, prefix + "when")
        goto = _text(branch, "goto", report, where, prefix + "goto")
        branches.append(Branch(when=when.strip(), goto=goto.strip()))
    concern = _text(raw, "concern", report, where).strip() if "concern" in raw else ""
    category = _text(raw, "concern_category", report, where).strip() if "concern_category" in raw else "unsafe_home"
    if category not in CONCERN_CATEGORIES:
        report.add(where, "concern_category", f"should be one of {', '.join(CONCERN_CATEGORIES)}")
    if kind not in QUESTION_KINDS or not qid:
        return None
    return Question(
        id=qid,
        kind=kind,
        text=text,
        min=lo,
        max=hi,
        choices=choices,
        choice_translations=choice_translations,
        pledges=question_pledges,
        messages=question_messages,
        optional=optional,
        branches=tuple(branches),
        translations=translations,
        label=label,
        concern=concern,
        concern_category=category,
    )


def _compiled(question: Question) -> Question:
    """The question with each branch condition (and its `concern`) compiled (checked by `_check_branches`)."""
    if question.concern:
        question = replace(question, concern_test=compile_when(question.concern, question))
    if not question.branches:
        return question
    branches = tuple(replace(b, test=compile_when(b.when, question)) for b in question.branches)
    return replace(question, branches=branches)


def _check_branches(questions: list[Question], declared: list[str], report: _Report) -> None:
    """Branch conditions must fit the question, and jumps must go forward to a real question.

    `declared` is every id in file order, including questions with other problems,
    so a jump to a question with a typo in its kind isn't also reported as missing.
    """
    order: dict[str, int] = {}
    for i, qid in enumerate(declared):
        order.setdefault(qid, i)
    for question in questions:
        position = order[question.id]
        seen_any = False
        if question.concern:
            if question.kind == "text" or question.concern.lower() == "any":
                report.add(question.id, "concern", 'needs an answer to compare, like "<= 1" (not on a text question)')
            else:
                try:
                    compile_when(question.concern, question)
                except ValueError as error:
                    report.add(question.id, "concern", str(error))
        for number, branch in enumerate(question.branches, 1):
            prefix = f"branch[{number}]."
            if seen_any:
                report.add(question.id, prefix + "when", 'comes after when = "any", so it can never be used')
            if branch.when:
                try:
                    test = compile_when(branch.when, question)
                except ValueError as error:
                    report.add(question.id, prefix + "when", str(error))
                else:
                    seen_any = seen_any or branch.when.lower() == ANY
                    if question.kind == "scale" and question.min is not None and question.max is not None:
                        if not any(test(v) for v in range(question.min, question.max + 1)):
                            report.add(
                                question.id,
                                prefix + "when",
                                f"{branch.when!r} never matches an answer from {question.min} to {question.max}",
                            )
            if not branch.goto or branch.goto == END:
                continue
            if branch.goto not in order:
                guess = difflib.get_close_matches(branch.goto, list(order), n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ' (or use "end")'
                report.add(question.id, prefix + "goto", f"there is no question {branch.goto!r}{hint}")
            elif order[branch.goto] <= position:
                report.add(
                    question.id,
                    prefix + "goto",
                    f"{branch.goto!r} is not after this question: branches can only jump forward, so surveys can't loop",  # noqa: E501
                )


def parse_survey(
    data: bytes,
    source: str = "<survey>",
    *,
    pledges: Mapping[int, Any] | None = None,
    messages: Mapping[int, Any] | None = None,
) -> Survey:
    """Build a Survey from a file's bytes (e.g. a pinned copy kept by the store); SurveyError if invalid."""
    report = _Report(source)
    raw = _parse_toml(data, report)
    if raw is None:
        raise SurveyError(report.problems)
    _unknown([k for k in raw if not SURVEY_TRANSLATION_KEY.fullmatch(k)], SURVEY_FIELDS, report, "")
    for key in SURVEY_REQUIRED:
        if key not in raw:
            report.add("", key, "is missing")
    survey_id = _text(raw, "id", report, "") if "id" in raw else ""
    if survey_id and not SURVEY_ID.fullmatch(survey_id):
        report.add("", "id", "use only lower-case letters, digits and - (like care-leavers)")
    title = _text(raw, "title", report, "") if "title" in raw else ""
    intro = _text(raw, "intro", report, "") if "intro" in raw else ""
    outro = _text(raw, "outro", report, "") if "outro" in raw else ""
    if intro:
        _check_placeholders(intro, ("first_name", "council"), report, "", "intro")
    if outro:
        _check_placeholders(outro, (), report, "", "outro")
    said_in: dict[str, dict[str, str]] = {"intro": {}, "outro": {}}
    for key in raw:
        if (match := SURVEY_TRANSLATION_KEY.fullmatch(key)) is None:
            continue
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            report.add("", key, "the translation should be non-empty text")
            continue
        _check_placeholders(value, ("first_name", "council") if match[1] == "intro" else (), report, "", key)
        said_in[match[1]][match[2]] = value

    audience = raw.get("audience", [])
    if not isinstance(audience, list) or not all(a in AUDIENCES for a in audience):
        report.add("", "audience", f'should be a list from {", ".join(AUDIENCES)}, like ["in_care"]')
        audience = []
    ages = {}
    for key in ("min_age", "max_age"):
        value = raw.get(key)
        if value is not None and not (_is_int(value) and 0 < value < 100):
            report.add("", key, f"should be an age in whole years, not {value!r}")
            value = None
        ages[key] = value
    if ages["min_age"] is not None and ages["max_age"] is not None and ages["min_age"] > ages["max_age"]:
        report.add("", "max_age", "is lower than min_age")

    raw_questions = raw.get("questions", [])
    if "questions" in raw and (not isinstance(raw_questions, list) or not raw_questions):
        report.add("", "questions", "add at least one [[questions]] table")
        raw_questions = []
    questions: list[Question] = []
    declared: list[str] = []
    for position, raw_question in enumerate(raw_questions, 1):
        question = _question(raw_question, position, report, pledges, messages)
        if isinstance(raw_question, dict) and isinstance(raw_question.get("id"), str):
            if raw_question["id"] in declared:
                report.add(raw_question["id"], "id", "another question already has this id")
                continue
            declared.append(raw_question["id"])
        if question is not None:
            questions.append(question)
    _check_branches(questions, declared, report)

    if report.problems:
        raise SurveyError(report.problems)
    questions = [_compiled(question) for question in questions]
    return Survey(
        id=survey_id,
        title=title,
        intro=intro,
        outro=outro,
        intro_translations=said_in["intro"],
        outro_translations=said_in["outro"],
        questions=tuple(questions),
        version=hashlib.sha256(data).hexdigest()[:12],
        source=source,
        audience=tuple(audience),
        min_age=ages["min_age"],
        max_age=ages["max_age"],
    )


def load_survey(
    path: str | Path,
    *,
    pledges: Mapping[int, Any] | None = None,
    messages: Mapping[int, Any] | None = None,
) -> Survey:
    """Load one survey file; pledge and message numbers are checked when those are given."""
    path = Path(path)
    report = _Report(str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        report.add("", "", f"can't read the file: {error.strerror or error}")
        raise SurveyError(report.problems) from None
    return parse_survey(data, str(path), pledges=pledges, messages=messages)


def _entries(path: Path, table: str, known_themes: Iterable[str] | None) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """Read a pledges or top-ten file into (number, text, short, themes) rows; SurveyError if invalid."""
    report = _Report(str(path))
    raw = _read_toml(path, report)
    if raw is None:
        raise SurveyError(report.problems)
    themes_ok = DEFAULT_THEMES | set(known_themes or ())
    _unknown(raw, (table,), report, "")
    items = raw.get(table)
    if not isinstance(items, list) or not items:
        report.add("", table, f"add at least one [[{table}]] table")
        raise SurveyError(report.problems)
    rows: list[tuple[int, str, str, tuple[str, ...]]] = []
    numbers: set[int] = set()
    for position, item in enumerate(items, 1):
        prefix = f"{table}[{position}]."
        if not isinstance(item, dict):
            report.add("", prefix.rstrip("."), f"should be a [[{table}]] table")
            continue
        _unknown(item, ENTRY_FIELDS, report, "", prefix)
        number = item.get("number")
        if number is None:
            report.add("", prefix + "number", "is missing")
        elif not _is_int(number) or number < 1:
            report.add("", prefix + "number", f"should be a whole number from 1, not {number!r}")
            number = None
        elif number in numbers:
            report.add("", prefix + "number", f"{number} is used twice")
        text = _text(item, "text", report, "", prefix + "text")
        short = item.get("short", "")
        if not isinstance(short, str) or ("short" in item and not short.strip()):
            report.add("", prefix + "short", 'should be a short non-empty label, like "Keep you safe"')
            short = ""
        themes = item.get("themes")
        if themes is None:
            report.add("", prefix + "themes", "is missing")
            themes = []
        elif not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            report.add("", prefix + "themes", 'should be a list of theme ids, like ["safety"]')
            themes = []
        for theme in themes:
            if theme not in themes_ok:
                guess = difflib.get_close_matches(theme, sorted(themes_ok), n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ""
                report.add("", prefix + "themes", f"{theme!r} isn't a known theme{hint}")
        if _is_int(number):
            numbers.add(number)
            rows.append((number, text, short.strip(), tuple(themes)))
    if report.problems:
        raise SurveyError(report.problems)
    return sorted(rows)


def load_pledges(path: str | Path, *, known_themes: Iterable[str] | None = None) -> dict[int, Pledge]:
    """Load `pledges.toml` into pledges by number; SurveyError if invalid."""
    return {
        n: Pledge(number=n, text=t, short=s, themes=th) for n, t, s, th in _entries(Path(path), "pledges", known_themes)
    }


def load_top_ten(path: str | Path, *, known_themes: Iterable[str] | None = None) -> dict[int, TopTenMessage]:
    """Load `top_ten.toml` into top-ten messages by number; SurveyError if invalid."""
    return {
        n: TopTenMessage(number=n, text=t, short=s, themes=th)
        for n, t, s, th in _entries(Path(path), "messages", known_themes)
    }


def _try(problems: list[Problem], load, *args, **kwargs):
    """Call a loader, adding its problems to the list instead of raising."""
    try:
        return load(*args, **kwargs)
    except SurveyError as error:
        problems.extend(error.problems)
        return None


def _survey_files(directory: Path) -> list[Path]:
    """The survey files in a folder, in a stable order."""
    return sorted(p for p in directory.glob("*.toml") if p.is_file())


def _check_unique_ids(surveys: list[Survey], problems: list[Problem]) -> dict[str, Survey]:
    """Surveys by id, reporting any id used by two files."""
    by_id: dict[str, Survey] = {}
    for survey in surveys:
        if survey.id in by_id:
            problems.append(
                Problem(survey.source, "", "id", f"{survey.id!r} is already used by {by_id[survey.id].source}")
            )
        else:
            by_id[survey.id] = survey
    return by_id


def load_catalogue(directory: str | Path, *, known_themes: Iterable[str] | None = None) -> Catalogue:
    """Load a `conversations/` folder (pledges, top-ten messages, surveys); SurveyError listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    pledges = _try(problems, load_pledges, directory / PLEDGES_FILE, known_themes=known_themes)
    messages = _try(problems, load_top_ten, directory / TOP_TEN_FILE, known_themes=known_themes)
    surveys = [
        survey
        for path in _survey_files(directory / SURVEYS_DIR)
        if (survey := _try(problems, load_survey, path, pledges=pledges, messages=messages)) is not None
    ]
    by_id = _check_unique_ids(surveys, problems)
    if problems:
        raise SurveyError(problems)
    return Catalogue(surveys=by_id, pledges=pledges or {}, messages=messages or {})


def folder_stamp(directory: str | Path) -> tuple[tuple[str, int, int], ...]:
    """What `load_catalogue` reads, as (name, modified, size) of each file: it differs once any is changed,
    added or removed. A few stat calls, no reading."""
    directory = Path(directory)
    paths = [directory / PLEDGES_FILE, directory / TOP_TEN_FILE, *_survey_files(directory / SURVEYS_DIR)]
    seen = []
    for path in paths:
        try:
            found = path.stat()
        except OSError:
            continue
        seen.append((str(path), found.st_mtime_ns, found.st_size))
    return tuple(seen)


def _find_near(survey: Path, name: str) -> Path | None:
    """A pledges or top-ten file in the survey's folder or the conversations folder above it."""
    for folder in (survey.parent, survey.parent.parent):
        if (folder / name).is_file():
            return folder / name
    return None


def _is_conversations_dir(path: Path) -> bool:
    """True for a folder laid out like `conversations/`."""
    return (path / PLEDGES_FILE).is_file() or (path / TOP_TEN_FILE).is_file() or (path / SURVEYS_DIR).is_dir()


def check_paths(
    paths: list[str], *, known_themes: Iterable[str] | None = None, warnings: list[Problem] | None = None
) -> list[Problem]:
    """Every problem in the given survey files, pledges/top-ten files or folders (empty list = all fine).

    Pledge and message numbers in a survey are checked against the pledges.toml and
    top_ten.toml given in `paths`, else those next to it or in the folder above. Given a
    `warnings` list, what young people would trip on in a survey that loads is added to it
    (`advice.survey_advice`: no STOP in the invitation, a choice question not listing its choices).
    """
    problems: list[Problem] = []
    explicit: dict[str, Path] = {}
    surveys: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            if _is_conversations_dir(path):
                for special in (PLEDGES_FILE, TOP_TEN_FILE):
                    if (path / special).is_file():
                        explicit.setdefault(special, path / special)
                surveys += _survey_files(path / SURVEYS_DIR)
            else:
                surveys += _survey_files(path)
        elif path.is_file():
            if path.name in (PLEDGES_FILE, TOP_TEN_FILE):
                explicit[path.name] = path
            else:
                surveys.append(path)
        else:
            problems.append(Problem(name, "", "", "there is no such file or folder"))

    cache: dict[Path, Any] = {}

    def reference(path: Path | None, loader):
        """Load a pledges/top-ten file once, however many surveys refer to it."""
        if path is None:
            return None
        key = path.resolve()
        if key not in cache:
            cache[key] = _try(problems, loader, path, known_themes=known_themes)
        return cache[key]

    for special, loader in ((PLEDGES_FILE, load_pledges), (TOP_TEN_FILE, load_top_ten)):
        reference(explicit.get(special), loader)
    loaded = []
    seen = set()
    for path in surveys:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        pledges = reference(explicit.get(PLEDGES_FILE) or _find_near(path, PLEDGES_FILE), load_pledges)
        messages = reference(explicit.get(TOP_TEN_FILE) or _find_near(path, TOP_TEN_FILE), load_top_ten)
        if (survey := _try(problems, load_survey, path, pledges=pledges, messages=messages)) is not None:
            loaded.append(survey)
            if warnings is not None:
                # Only here: the advice counts SMS segments with the engine's GSM-7 rule, and loading a
                # survey (for a run, a page) never needs the engine.
                from voice_service.surveys.advice import survey_advice

                warnings += survey_advice(survey, str(path))
    _check_unique_ids(loaded, problems)
    return problems

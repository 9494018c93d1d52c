"""What `surveys check` warns about: a survey that loads, but that young people would trip on by text.

A file with these is valid (a round pinned to it keeps working), so they are warnings, not errors:
an invitation with no way to say no (every text to a young person offers STOP), a choice question
whose text never lists its choices (by SMS the text is all they see), a text (or its translation) longer
than one SMS (a curly apostrophe or an emoji sends it as UCS-2: two or more texts, at twice the cost), and
a language only some questions are translated into (the rest go in English).
"""

from __future__ import annotations

import re

from voice_service.engine.gsm import sms_segments
from voice_service.engine.texts import LONGEST_COUNCIL
from voice_service.surveys.model import Problem, Question, Survey

# A long first name, so an invitation that fits one text fits it for nearly everyone; and the longest council
# name the fixed texts are kept one segment for (`engine.texts.LONGEST_COUNCIL`), so an intro naming {council}
# fits for every council.
SAMPLE_NAME = "Alexandra"
SAMPLE_COUNCIL = LONGEST_COUNCIL
# The languages a question can be written in by name, for the warning (`participants.importer.LANGUAGE_WORDS`).
LANGUAGE_NAMES = {"cy": "Welsh"}
_SAY_NO = re.compile(r"\bstop\b|\bopt(?:\s|-)?out\b", re.IGNORECASE)


def survey_advice(survey: Survey, file: str | None = None) -> list[Problem]:
    """Warnings for one loaded survey, each naming the file, the question and the field."""
    file = file or survey.source
    warnings = []
    intro = survey.intro.replace("{council}", SAMPLE_COUNCIL).replace("{first_name}", SAMPLE_NAME)
    if not _SAY_NO.search(survey.intro):
        warnings.append(
            Problem(
                file,
                "",
                "intro",
                "the invitation gives no way to say no: add 'or STOP to opt out' (young people can always stop)",
            )
        )
    if (segments := sms_segments(intro)) > 1:
        warnings.append(Problem(file, "", "intro", _too_long(segments)))
    for field, said in (
        *((f"intro_{code}", text) for code, text in survey.intro_translations.items()),
        *((f"outro_{code}", text) for code, text in survey.outro_translations.items()),
    ):
        filled = said.replace("{council}", SAMPLE_COUNCIL).replace("{first_name}", SAMPLE_NAME)
        if (segments := sms_segments(filled)) > 1:
            warnings.append(Problem(file, "", field, _too_long(segments)))
    for question in survey.questions:
        if question.kind == "choice" and (missing := unlisted_choices(question)):
            listed = "; ".join(f"{number} {choice}" for number, choice in enumerate(question.choices, start=1))
            warnings.append(
                Problem(
                    file,
                    question.id,
                    "text",
                    f"never lists its choices ({', '.join(repr(c) for c in missing)} not said), so a young person "
                    f"reading the text cannot tell what to reply: say them, e.g. 'Reply {listed}'",
                )
            )
        for field, text in (
            ("text", question.text),
            *((f"text_{code}", t) for code, t in question.translations.items()),
        ):
            if (segments := sms_segments(text)) > 1:
                warnings.append(Problem(file, question.id, field, _too_long(segments)))
    warnings += untranslated(survey, file)
    return warnings


def untranslated(survey: Survey, file: str | None = None) -> list[Problem]:
    """A warning for each language some of a survey's questions are written in but not all: someone whose language
    it is gets the others in English (`engine.conversation.question_text`), a mix they may not follow."""
    file = file or survey.source
    languages = sorted({code for question in survey.questions for code in question.translations})
    warnings = []
    for code in languages:
        missing = [question.id for question in survey.questions if code not in question.translations]
        if missing:
            written = len(survey.questions) - len(missing)
            warnings.append(
                Problem(
                    file,
                    "",
                    f"text_{code}",
                    f"only {written} of {len(survey.questions)} questions have text_{code}: a young person whose "
                    f"language is {LANGUAGE_NAMES.get(code, code)} ({code}) gets {', '.join(missing)} in English; "
                    f"add text_{code} to each (a translator's words), or remove it",
                )
            )
        for field, written_in in (("intro", survey.intro_translations), ("outro", survey.outro_translations)):
            if code not in written_in:
                warnings.append(
                    Problem(
                        file,
                        "",
                        f"{field}_{code}",
                        f"the questions are in {LANGUAGE_NAMES.get(code, code)} ({code}) but the {field} is not: "
                        f"a young person whose language it is gets it in English; add {field}_{code} (a translator's "
                        "words)",
                    )
                )
    return warnings


def unlisted_choices(question: Question) -> list[str]:
    """The choices a choice question's text does not say (empty when it says them all, or numbers them all)."""
    text = question.text.lower()
    missing = [choice for choice in question.choices if choice.lower() not in text]
    numbered = all(re.search(rf"(?<!\d){number}(?!\d)", text) for number in range(1, len(question.choices) + 1))
    return [] if not missing or (numbered and len(missing) < len(question.choices)) else missing


def _too_long(segments: int) -> str:
    return (
        f"is {segments} texts long, not one: shorten it, and write straight quotes (') and no emoji, "
        "which send a text as UCS-2 at twice the cost"
    )

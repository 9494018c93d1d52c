"""How the dashboard says things: times in the council's time zone, channel names, why an alert was raised.

The one home of these words: templates use them as filters (`local_time`, `local_date`,
`local_day_time`, `channel_name`, `alert_categories`), pages and services call them directly. Plain functions, no
Flask, so each can be tested alone. Dates and times are written by `voice_service.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from ...analysis.text import normalise
from ...dates import uk_date_time, uk_day_time
from ...safeguarding.alerts import category_names
from ...surveys.model import Question
from ..chat.quick_replies import end_labels

CHANNEL_NAMES = {"sms": "text message", "webchat": "web chat"}

# Risk category ids (themes.md) in a duty worker's words: "Words about ...".
CATEGORY_NAMES = {
    "self_harm": "self-harm",
    "abuse": "abuse",
    "exploitation": "exploitation",
    "missing": "going missing",
    "violence": "violence or threats",
    "unsafe_home": "not being safe at home",
}

# The reasons the safeguarding screen stores on an alert (analysis/risk.py), and the same
# with the quoted words taken off after an erasure (privacy/subject.without_quotes).
_LEXICON = re.compile(r"^lexicon: (?P<category>[a-z_]+)(?P<other>, someone else at risk)?(?: \((?P<quoted>.*)\))?$")
_MODEL = re.compile(r"^model: (?P<score>[0-9.]+)$")
# An answer the survey itself counts as a worry (a question's `concern`): "survey: <question label>".
_SURVEY = re.compile(r"^survey: (?P<question>.+)$")
# Where a question's text stops asking and starts saying how to answer ("... live? Reply 1 (not safe) ...").
_HOW_TO_ANSWER = re.compile(r"\s+(?:Reply|Text|Pick|Tap)\b")


def local_time(value: datetime | None, timezone: str) -> str:
    """A stored UTC timestamp in the council's time zone, for people ("30 Nov 2026 14:05"); "" for none."""
    return uk_date_time(value, timezone)


def channel_name(channel: str | None) -> str:
    """ "text message" or "web chat" for a stored channel id (anything else as it is)."""
    return CHANNEL_NAMES.get(channel or "", channel or "")


def category_name(category: str) -> str:
    """A risk category id in plain words ("self_harm" -> "self-harm")."""
    return CATEGORY_NAMES.get(category, category.replace("_", " "))


def alert_categories(categories: list | tuple | None, reasons: list | tuple | None, *, capital: bool = False) -> str:
    """An alert's categories in words for the alert list and page (the CLI's too), as its notices say them
    (`safeguarding.alerts.category_names`): "self harm, violence", "not in English – needs a person" or
    "possible risk" (`capital`: first letter upper case, the rest as it is)."""
    words = ", ".join(category_names(categories, reasons))
    return words[:1].upper() + words[1:] if capital else words


# One word of a message as the screen's tokeniser reads it (analysis/text.py), with an apostrophe written
# any way, or "&": found in the message as written, so the words quoted are the young person's own.
_WRITTEN_WORD = re.compile(r"[a-z0-9]+(?:['\u2019\u2018`\u00b4][a-z0-9]+)*|&")
# A typo the screen corrected, as its reason notes it after the matched words: "dye read as die".
_READ_AS = re.compile(r"^(?P<old>\S+) read as (?P<new>\S+)$")


def as_written(phrase: str, said: Sequence[str]) -> str | None:
    """The matched words `phrase` (the screen's normalised tokens: "hell hurt me", "going to kill myself")
    as the young person wrote them in one of the messages `said` ("he'll hurt me", "gonna kill myself"),
    or None when no message holds them (erased, or changed since).

    Each word of a message is normalised as the screen normalises it, and the phrase's tokens are looked
    for in a row; what is returned is the message's own text from the first of those words to the last
    (never more of it). A word the screen respelt into several ("im" -> "i am") counts as all of them."""
    wanted = phrase.split()
    if not wanted:
        return None
    for message in said:
        folded = "".join(char.lower() if len(char.lower()) == 1 else char for char in message)
        tokens: list[tuple[str, int, int]] = []
        for match in _WRITTEN_WORD.finditer(folded):
            word = match.group()
            forms = ("and",) if word == "&" else normalise(word).tokens
            tokens += [(form, match.start(), match.end()) for form in forms]
        for start in range(len(tokens) - len(wanted) + 1):
            if all(tokens[start + i][0] == word for i, word in enumerate(wanted)):
                return message[tokens[start][1] : tokens[start + len(wanted) - 1][2]]
    return None


def _quoted_as_written(quoted: str, said: Sequence[str]) -> str:
    """The quoted part of a reason with its matched words as written, when they can be found; the typos
    the screen read past kept after them ("want to dye (dye read as die)")."""
    phrase, _, notes = quoted.partition("; ")
    typos = [m for note in notes.split(", ") if (m := _READ_AS.match(note.strip()))] if notes else []
    searched = " ".join(next((m["old"] for m in typos if m["new"] == word), word) for word in phrase.split())
    written = as_written(searched, said)
    if written is None:
        return quoted
    return f"{written} ({notes})" if notes else written


def alert_reasons(reasons: list | tuple, model_threshold: float, said: Sequence[str] = ()) -> list[str]:
    """Why an alert was raised, in a duty worker's words.

    Warning words become "Words about self-harm: 'want to die'" (the matched words only, never
    more of the message), as the young person wrote them in the messages `said` that raised it
    (`as_written`: "he'll hurt me", not the screen's "hell hurt me"), or as the screen read them
    when they cannot be found there. The screening model's score is listed only when it counted: when it
    alone raised the alert, or when it reached `model_threshold`, the score from which the
    model alone would have raised one. Below that, the words raised the alert and the model
    did not agree, so saying it was a reason would mislead.
    """
    words: list[str] = []
    scores: list[float] = []
    for reason in reasons or []:
        text = str(reason)
        lexicon = _LEXICON.match(text)
        model = _MODEL.match(text)
        survey = _SURVEY.match(text)
        if lexicon:
            about = f"Words about {category_name(lexicon['category'])}"
            quoted = lexicon["quoted"]
            if lexicon["other"]:
                who, _, phrase = (quoted or "").rpartition(": ")
                about += f" for someone else ({who})" if who else " for someone else"
                quoted = phrase
            if quoted:
                quoted = _quoted_as_written(quoted, said)
            words.append(f"{about}: '{quoted}'" if quoted else about)
        elif model:
            scores.append(float(model["score"]))
        elif survey:
            words.append(f"An answer the survey flags for the duty team: {survey['question']}")
        else:
            words.append(text)
    lines = list(words)
    for score in scores:
        if not words:
            lines.append(
                f"The screening model judged it likely to be a risk (score {score:.2f}), with no warning words"
            )
        elif score >= model_threshold:
            lines.append(f"The screening model also judged it likely (score {score:.2f})")
    return lines


def reasons_by_message(
    reasons: list | tuple,
    messages: Sequence[tuple[Sequence[str], str, datetime]],
    model_threshold: float,
    timezone: str,
    *,
    now: datetime,
) -> list[str]:
    """Why an alert was raised (`alert_reasons`), one line per message when more than one raised it: "Message 2
    (Tue 1 Dec 23:41): Words about violence or threats: 'kill me'; The screening model also judged it likely
    (score 0.98)", so two scores or two quotes are not a puzzle. `messages` are each raising message's own
    reasons, words and time, oldest first (`AlertMessage.reasons`, `Message.body`, `Message.created_at`); read
    at `now`, a message from another year keeps its year ("Message 1 (Tue 1 Dec 2026 23:35)").

    One message, or an alert whose reasons are not all found on its messages (stored before messages kept
    their own), reads as `alert_reasons` over them all, as before."""
    said = [body for _, body, _ in messages]
    own = {str(reason) for message_reasons, _, _ in messages for reason in message_reasons}
    if len(messages) < 2 or not {str(reason) for reason in reasons or []} <= own:
        return alert_reasons(reasons, model_threshold, said)
    lines = []
    for number, (message_reasons, body, created_at) in enumerate(messages, start=1):
        why = alert_reasons(list(message_reasons), model_threshold, [body])
        if why:
            lines.append(f"Message {number} ({uk_day_time(created_at, timezone, now=now)}): {'; '.join(why)}")
    return lines


def answer_words(
    question: Question, said: str, *, value_text: str | None = None, value_number: int | None = None
) -> str:
    """A survey answer as a duty worker reads it, e.g. "Answered 1 (Not safe) to “How safe do you feel where
    you live?”": what they sent, what it means (the end of the scale the question names, or the choice), and
    the question as asked without its "Reply ..." instructions. A written answer is their words as they are."""
    if question.kind == "text":
        return said
    meaning = ""
    if question.kind == "scale" and value_number is not None:
        meaning = end_labels(question).get(value_number, "")
    elif question.kind in ("choice", "yes_no") and value_text and value_text.strip().lower() != said.strip().lower():
        meaning = value_text
    asked = _HOW_TO_ANSWER.split(question.text, maxsplit=1)[0].strip() or question.heading
    means = f" ({meaning[:1].upper()}{meaning[1:]})" if meaning else ""
    return f"Answered {said.strip()}{means} to “{asked}”"

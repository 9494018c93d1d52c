"""How the dashboard says things: times in the council's time zone, channel names, why an alert was raised.

The one home of these words: templates use them as filters (`local_time`, `local_date`,
`local_day_time`, `channel_name`), pages and services call them directly. Plain functions, no
Flask, so each can be tested alone. Dates and times are written by `voice_service.dates`.
"""

from __future__ import annotations

import re
from datetime import datetime

from ...dates import uk_date_time

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


def local_time(value: datetime | None, timezone: str) -> str:
    """A stored UTC timestamp in the council's time zone, for people ("30 Nov 2026 14:05"); "" for none."""
    return uk_date_time(value, timezone)


def channel_name(channel: str | None) -> str:
    """ "text message" or "web chat" for a stored channel id (anything else as it is)."""
    return CHANNEL_NAMES.get(channel or "", channel or "")


def category_name(category: str) -> str:
    """A risk category id in plain words ("self_harm" -> "self-harm")."""
    return CATEGORY_NAMES.get(category, category.replace("_", " "))


def alert_reasons(reasons: list | tuple, model_threshold: float) -> list[str]:
    """Why an alert was raised, in a duty worker's words.

    Warning words become "Words about self-harm: 'want to die'" (the matched words only, never
    more of the message). The screening model's score is listed only when it counted: when it
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
        if lexicon:
            about = f"Words about {category_name(lexicon['category'])}"
            quoted = lexicon["quoted"]
            if lexicon["other"]:
                who, _, phrase = (quoted or "").rpartition(": ")
                about += f" for someone else ({who})" if who else " for someone else"
                quoted = phrase
            words.append(f"{about}: '{quoted}'" if quoted else about)
        elif model:
            scores.append(float(model["score"]))
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

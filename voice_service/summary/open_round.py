"""While a round is open, its summary shows who was invited and how many answered, and nothing about what they said.

Small-number hiding protects one copy of a summary read alone. Two copies of an open round's summary, taken before
and after one more young person answered (a worker downloads it on Monday and again on Tuesday), differ by that one
answer however each copy is protected: "Yes" went from 7 to 8, a theme from "fewer than 5" to 5, a new quote, a
new alert (new-user trial: comparing two downloads of an open round told one person's answer). Rounding or freezing
figures only moves the step: the copy either side of it still differs by one answer. So while a round is open every
figure about answers (each question's count and answers, shares and averages, themes, their feelings and quotes,
how they answered and their ages, safeguarding alerts, and an action's "You said") reads "shown when the round
closes", whatever it is, 0 too; only the number invited and the number who answered (with the response rate) are
shown, protected as ever, as they tell how the round is going and say nothing of what anyone said. Once the round is
closed no more answers come in, so its figures are final and shown in full. The rule's one home: `figures_final`
says whether a round's figures are shown, `while_open` what is counted of it until they are.
"""

from __future__ import annotations

from dataclasses import replace

from ..models.round import RoundStatus
from .aggregate import RoundFigures
from .disclosure import UNTIL_CLOSED_LABEL

# What the summary says while its round is open, near the top of every format (the CSV's figures say
# UNTIL_CLOSED_LABEL in their cells).
OPEN_ROUND_NOTE = (
    "This round is still open. Until it closes, this summary shows only how many young people were invited and "
    f"how many answered: every figure about what they said is {UNTIL_CLOSED_LABEL}, so that two copies taken "
    "while answers are still coming in cannot be compared to work out one young person's answer."
)


def figures_final(status: str) -> bool:
    """True when a round's answers are all in (it is closed), so its summary may show every figure."""
    return status == RoundStatus.CLOSED


def while_open(figures: RoundFigures) -> RoundFigures:
    """What an open round's summary counts: who was invited and who answered, nothing about their answers,
    comments, channels, ages or alerts (each reads UNTIL_CLOSED_LABEL); its actions are kept."""
    return replace(
        figures,
        commenters=0,
        channels={},
        age_bands={},
        questions={},
        themes={},
        quotes=(),
        alerts=(),
    )

"""What the duty team may record having done for a young person (the one home of the rule).

Every action can always be recorded: the alert is the safeguarding record, and it must be able to say what
really happened, even where the service itself holds no way to reach them (a young person in an anonymous
web chat may have said who they are, and been found and called or visited). Where the service holds no
phone number for them, the form says so beside the choices, so nobody picks "Called them" by habit.
"""

from __future__ import annotations

from ..models import AlertAction, Participant

NO_CONTACT_HINT = (
    "We have no phone number or address for them. Choose Called them or Visited them only if you found "
    "a way to reach them, and say how in the note."
)


def possible_actions(participant: Participant | None) -> tuple[str, ...]:
    """The actions that can be recorded for this young person, in `AlertAction.ALL`'s order: all of them."""
    del participant  # what was done is recorded as it happened, whoever they are
    return tuple(AlertAction.ALL)


def contact_hint(participant: Participant | None) -> str:
    """A hint for the choices when the service holds no phone number for them; "" when it does."""
    if participant is not None and participant.phone_encrypted:
        return ""
    return NO_CONTACT_HINT

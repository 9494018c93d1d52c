"""What the duty team can have done for a young person: the actions an alert offers to record (the one home).

"Called them" only when the service holds a phone number for them (an anonymous web chat has none).
"Visited them" only when the council's own records say where they live: they came from the council's list
(`participants import`, source "import"), whose case records hold their placement. Nobody else, a web chatter
or a new number who texted in, has given an address or placement the service knows, so no visit is offered;
"Referred them on" and "No further action" are always possible.
"""

from __future__ import annotations

from ..models import AlertAction, Participant


def possible_actions(participant: Participant | None) -> tuple[str, ...]:
    """The actions that are possible for this young person, in `AlertAction.ALL`'s order."""
    callable_ = participant is not None and bool(participant.phone_encrypted)
    visitable = participant is not None and participant.source == "import"
    impossible = {AlertAction.CALLED} if not callable_ else set()
    if not visitable:
        impossible.add(AlertAction.VISITED)
    return tuple(action for action in AlertAction.ALL if action not in impossible)

"""A safeguarding notice goes to its route as configured when it is sent, not as it was when queued.

Every duty notice, reminder, escalation and update names its route by its place in the settings
(`OutboxMessage.route`: "webhook_url", "duty_phones:0", "escalation_emails:1"). A council that finds a route
wrong (a dead `webhook_url`, a mistyped duty number) corrects it and restarts; the notices already waiting
then go to the corrected route, rather than retrying the old address for ever with the warning never
clearing (trial 13, T13-10). Just before a notice is sent, the dispatcher asks `RouteBook.resolve`:

- its address is still in the settings, where it was or elsewhere in the same list: it goes as it is;
- the list has an entry at its place that no other notice of the same round goes to (the wrong number
  corrected in place): it goes there, and the row is re-addressed;
- the route is gone (`webhook_url` emptied, the list shorter, or its place now holds an address that its
  round already tells): it is not sent, and says why (cancelled, `error_code` `ROUTE_REMOVED`; "Who was
  told" says the route was taken out of the settings).

A notice queued before routes were named (no `route`) goes as it was addressed, but a webhook notice to the
one `webhook_url` there is now. Only the [safeguarding] routes are looked at: no survey text is ever
re-addressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..config import Config
from ..privacy import PhoneVault

# The `error_code` of a notice that was not sent because its route is no longer in the settings.
ROUTE_REMOVED = "route-removed"
# The [safeguarding] lists a notice's route may name, and what each holds (for the reason a notice stopped).
LISTS = {
    "duty_phones": "number",
    "duty_emails": "address",
    "escalation_phones": "number",
    "escalation_emails": "address",
}
WEBHOOK = "webhook_url"


@dataclass(frozen=True)
class Removed:
    """The notice's route is no longer in the settings: `reason`, in words for the log and the outbox row."""

    reason: str


class RouteBook:
    """The [safeguarding] routes as configured now, to find each waiting notice's address by its route."""

    def __init__(self, config: Config, vault: PhoneVault):
        safeguarding = config.safeguarding
        self.vault = vault
        self.lists = {name: tuple(getattr(safeguarding, name)) for name in LISTS}
        self.webhook_url = safeguarding.webhook_url
        self._webhook_hash = vault.hash(self.webhook_url) if self.webhook_url else None
        self._hashes = {name: {vault.hash(address) for address in addresses} for name, addresses in self.lists.items()}

    def resolve(
        self, *, channel: str, route: str | None, to_hash: str | None, taken: Callable[[], set[str]]
    ) -> str | Removed | None:
        """Where a notice on `route` (now addressed to `to_hash`) goes: None as it is addressed, an address (the
        route changed since it was queued), or `Removed`. `taken` gives the address hashes of the other notices
        of its round, asked only when its place in a list holds another address."""
        if route == WEBHOOK or (route is None and channel == "webhook"):
            if not self.webhook_url:
                return Removed("[safeguarding] webhook_url is no longer set")
            return None if self._webhook_hash == to_hash else self.webhook_url
        name, _, place = (route or "").partition(":")
        if name not in self.lists or not place.isdigit():
            return None
        if to_hash in self._hashes[name]:
            return None
        index = int(place)
        gone = Removed(f"[safeguarding] {name} no longer lists this {LISTS[name]}")
        if index >= len(self.lists[name]):
            return gone
        address = self.lists[name][index]
        return gone if self.vault.hash(address) in taken() else address


def round_of(key: str) -> str:
    """A notice's outbox key without its route (`safeguarding.alerts.notice_key`): the same for every notice of
    one round."""
    return key.rsplit(":", 2)[0]

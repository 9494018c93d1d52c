"""Safeguarding alerts: raise one (or add to the young person's live one), notify, and record what was done.

The notices say that there is an alert and where to look, never what was said: the duty worker
reads the message in the service, so no message text or phone number travels by SMS, email or
webhook.

A further disclosure from a young person who already has a live (not closed) alert is added to
that alert: its categories and reasons are merged, its priority can only rise, and the message is
linked through `AlertMessage`. It does not start a second round of notices:

- when it changes the alert (the priority rose, or a category was added), everyone already told of
  the alert (the duty routes, and the escalation contacts once it has been escalated) gets an
  "UPDATED: alert #N now high priority (was low): abuse, unsafe home ..." (or, the priority as it was,
  "UPDATED: alert #N high priority, new category: violence; also abuse ...") notice at once
  (`ALERT_CHANGED`), the one notice that message sends; it is not a reminder, so re-notification keeps its own
  clock. A rise to high
  priority on an open alert not yet escalated, out of hours, escalates it at once;
- when it changes nothing, a short "new message on alert #N" notice goes to everyone already told of it, at
  once, as for a plea, whether someone has acknowledged the alert or nobody has it yet: a further disclosure is
  never held back by `renotify_minutes` (trial 12, finding 5; a trial found one on an open alert told nobody), it
  takes with it any notice of replies to a worker still waiting for the window's end (`_tell_of_new_message`), and
  the next reminder of an open alert counts from it.

Every "new message on alert #N" notice (a plea, a picture, a reply to a worker, a further disclosure once
acknowledged: `_tell_of_new_message`) goes where "UPDATED" notices go (`told_routes`): the duty routes, and the
escalation contacts once the alert has been escalated, since at night they are the ones acting on it.

An alert raised out of hours (the duty desk shut: nights, weekends, bank holidays) is escalated at once
to the escalation contacts, when there are any, instead of `escalate_after_minutes` later, and one nobody has
acknowledged when the desk shuts is escalated then (`escalate_overdue`). Once an
alert has been escalated, the escalation contacts are told when it is acknowledged and when it is
closed ("Alert #N high priority acknowledged by <worker> at <time> (self harm, sms) <link>",
`ALERT_ACKNOWLEDGED` / `ALERT_CLOSED`), so two teams do not both act on it.

When the young person, with an alert live, asks for help or a person ("i need help", "can someone ring me"),
the message is added to that alert ("asked for help") and the same short notice goes at once: a plea is never
held back by `renotify_minutes`. In words the screen does not flag, through `add_plea`; in words it flags too
("help me hes back": `engine.routing.pleads`), as a further disclosure (`store_alert(plea=True)`); when that
changes the alert, its one notice is the "UPDATED" one, saying "asked for help" (one message, one notice a route:
trial 12, finding 6). Either way "asked for help" joins the alert's reasons, so an alert that only
flagged text the screen could not read (not in English) is, from that plea, one for a possible disclosure: the
young person is answered as after a disclosure (`safeguarding.live.disclosure_live_of`), and its notices no longer
wait for the desk to open.

When the young person writes back after a worker's or duty worker's reply (they are talking with that
person: `engine.routing.ToPerson`), the same short notice goes to everyone already told (`notify_reply`), the
alert open or acknowledged: the first message after that reply at once (the worker is waiting for it), later ones
at most one notice every `renotify_minutes` for that alert, put off to the window's end and counted together,
so a chatty thread does not flood the duty phones and no message goes untold.

The service functions (`acknowledge`, `record_action`, `hand_over`, `close`) take the caller's
session, change nothing outside the alert but the notices to the escalation contacts, and raise
LookupError (no such alert) or ValueError (a request that makes no sense, e.g. NotOnDutyTeam for a
hand-over to someone with no duty account), for the command line and the duty pages alike: the rules
live here, not in either.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from pydantic_core import PydanticUndefined
from sqlalchemy import Table, bindparam, func, insert
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel, col, or_, select

from ..accounts.service import display_names, find_user, may_open_thread, roles_of
from ..analysis.language import NOT_ENGLISH_REASON
from ..config import Config
from ..dates import uk_day_time, uk_duration
from ..engine.gsm import plain
from ..models import (
    Alert,
    AlertAction,
    AlertEntry,
    AlertMessage,
    AlertPriority,
    AlertStatus,
    AlertStep,
    Conversation,
    ConversationStatus,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Role,
    User,
    UserRole,
    as_utc,
    normalise_email,
    utcnow,
)
from ..outbox import enqueue
from ..outbox.readdress import ROUTE_REMOVED
from ..prepared import prepared
from ..privacy import PhoneVault
from .live import alert_is_live
from .office import desk_open, next_opening

SMS_LIMIT = 160
# The escalation contacts (e.g. the emergency duty team) have seen none of the earlier notices, so theirs names
# every category in full, running into a second SMS segment (two concatenated segments: 153 characters each)
# rather than shortening them to "abuse +2".
ESCALATION_SMS_LIMIT = 306
PLEA = "asked for help"  # the reason on a message added to a live alert by `add_plea`
PICTURE = "sent a picture message"  # the reason on a picture message (MMS) added to a live alert by `add_plea`


@dataclass(frozen=True)
class Route:
    """One place a notice goes: a channel, its destination (a phone number, email address or URL) and its name,
    its place in the settings ("duty_phones:0", "webhook_url"), by which the dispatcher finds the destination as
    configured when the notice goes (`outbox.readdress`)."""

    channel: str
    destination: str
    name: str | None = None


def _listed(config: Config, channel: str, setting: str) -> list[Route]:
    """A route for each entry of the [safeguarding] list `setting`, named by its place in it."""
    addresses = getattr(config.safeguarding, setting)
    return [Route(channel, address, f"{setting}:{index}") for index, address in enumerate(addresses)]


def _webhook(config: Config) -> list[Route]:
    """The webhook route, when [safeguarding] webhook_url is set."""
    url = config.safeguarding.webhook_url
    return [Route("webhook", url, "webhook_url")] if url else []


def duty_routes(config: Config) -> list[Route]:
    """Every configured duty route: [safeguarding] duty_phones, duty_emails and webhook_url."""
    return _listed(config, "sms", "duty_phones") + _listed(config, "email", "duty_emails") + _webhook(config)


def escalation_routes(config: Config) -> list[Route]:
    """Where an unacknowledged alert escalates to (e.g. the emergency duty team), and the webhook."""
    return (
        _listed(config, "sms", "escalation_phones") + _listed(config, "email", "escalation_emails") + _webhook(config)
    )


def has_escalation_contacts(config: Config) -> bool:
    """True when there is someone to escalate to (`escalation_phones` or `escalation_emails`; the webhook alone
    is not someone)."""
    return bool(config.safeguarding.escalation_phones or config.safeguarding.escalation_emails)


def passes_on_at_once(config: Config, when: datetime) -> bool:
    """True when an alert raised at `when` goes at once to the escalation contacts (the out-of-hours team): the duty
    desk is shut and there are some. The rule `store_alert` follows, and the young person's reply says so
    (`engine.texts.PASSED_ON`)."""
    return is_out_of_hours(config, when) and has_escalation_contacts(config)


def is_out_of_hours(config: Config, when: datetime) -> bool:
    """True when the duty desk is not staffed: outside `[safeguarding] office_hours` (Monday to Friday,
    council local time), on a bank holiday or on one of `closed_days` (see `office.desk_open`)."""
    return not desk_open(config, when)


# -- notices ------------------------------------------------------------------------------------


def alert_link(alert: Alert | NewAlert, public_url: str) -> str:
    """The duty page for this alert."""
    return f"{public_url.rstrip('/')}/admin/alerts/{alert.id}"


# An alert with no risk category: raised because the screen could not read the words (not in English), or
# for a reason of its own (a plea, a picture): what the duty team reads in its category's place.
NOT_ENGLISH_CATEGORY = "not in English \u2013 needs a person"
NO_CATEGORY = "possible risk"


def category_names(categories: Collection[str] | None, reasons: Collection[str] | None = ()) -> list[str]:
    """An alert's categories in words, in order ("self harm"); with none, `NOT_ENGLISH_CATEGORY` for text the
    screen could not read, else `NO_CATEGORY`. The one home of these words: notices, the CLI and the dashboard."""
    if categories:
        return [str(category).replace("_", " ") for category in categories]
    return [NOT_ENGLISH_CATEGORY if NOT_ENGLISH_REASON in (reasons or ()) else NO_CATEGORY]


def _category_words(names: list[str], room: int, *, every: bool = False) -> str:
    """`names` (`category_names`) in one SMS's plain letters, in `room` characters where they fit: "violence, abuse,
    unsafe home", else without the spaces ("violence,abuse,unsafe home"); still too long, every name all the same
    when `every` (the notice runs into a second segment rather than name fewer categories than the webhook's
    payload, trial finding T4), else the first and how many more ("violence +2")."""
    names = [plain(name) for name in names]
    for separator in (", ", ","):
        text = separator.join(names)
        if len(text) <= room or len(names) == 1:
            return text
    return ", ".join(names) if every else f"{names[0]} +{len(names) - 1}"


def notice_line(
    head: str, names: list[str], details: list[str], link: str, *, limit: int = SMS_LIMIT, every: bool = False
) -> str:
    """The one shape of an alert notice's SMS (and its email's first line): "<head> (<categories>, <details>) <link>",
    e.g. "Safeguarding alert #12 high priority (violence, abuse, sms, Tue 1 Dec 23:35, out of hours) https://...".
    `details` are the channel, the council-local time and any flags; the categories (`_category_words`) take the
    room `limit` leaves, all of them named when `every`."""
    tail = "".join(f", {detail}" for detail in details) + f") {link}"
    room = max(0, limit - len(head) - 2 - len(tail))
    return f"{head} (" + _category_words(names, room, every=every) + tail


def waited_minutes(alert: Alert | NewAlert, now: datetime) -> int:
    """Whole minutes the alert has waited since it was raised (for reminders)."""
    return max(0, int((now - alert.created_at).total_seconds() // 60))


def alert_notice(
    alert: Alert | NewAlert,
    *,
    config: Config,
    kind: str = OutboxKind.ALERT,
    attempt: int = 0,
    now: datetime | None = None,
    count: int = 1,
) -> str:
    """The notice for one alert: number, categories, priority, channel, council local time and the link.

    Every notice has the shape `notice_line` gives it. A re-notification (`attempt` 1, 2, ...) reads as a reminder
    with the wait so far and the time the alert was raised, so a duty worker who sees a second text knows it is
    the same alert, still not picked up; a "new message" notice (`ALERT_UPDATE`) has the time of that message (of
    the latest, when it tells of `count` of them: "2 new messages on alert #N", `_tell_of_new_message`), and "out
    of hours" when the duty desk was shut then, as an update says it, where one SMS holds it; an
    escalation when overdue says how long it has waited ("not acknowledged after 52 min", `dates.uk_duration`).
    No message text, name or phone number. One SMS (160 characters) wherever the link allows; the first notice
    and the escalation name every category the webhook's payload has, even when that takes a second segment
    (`ESCALATION_SMS_LIMIT`); a reminder or "new message" notice, after a first notice that named them all,
    may shorten them to "violence +2".
    """
    link = alert_link(alert, config.app.public_url)
    flags = [
        *(["out of hours"] if alert.out_of_hours else []),
        *(["delayed"] if alert.delayed else []),
        # The duty routes had `early_notice` of it while the database was away: this is that message's full alert.
        *([EARLY_FLAG] if told_early(alert.reasons) else []),
    ]
    # Read at `now`, an alert raised in another year keeps its year (a reminder after a long outage).
    raised = [alert.channel, uk_day_time(alert.created_at, config.app.timezone, now=now), *flags]
    names = category_names(alert.categories, alert.reasons)
    overdue_after = timedelta(minutes=config.safeguarding.escalate_after_minutes)
    if kind == OutboxKind.ESCALATION and (now or utcnow()) - as_utc(alert.created_at) < overdue_after:
        # Escalated as it was raised, out of hours (see `store_alert`), or as the desk shut: the duty desk is shut.
        head = f"ESCALATED: alert #{alert.id} {alert.priority} priority, duty desk closed"
        return notice_line(head, names, raised, link, limit=ESCALATION_SMS_LIMIT, every=True)
    if kind == OutboxKind.ESCALATION:
        # How long it has actually waited (`dates.uk_duration`), not the `escalate_after_minutes` threshold: the
        # scheduler escalates on its next run after it, and a reader takes "in 10 min" for the wait.
        waited = uk_duration(waited_minutes(alert, now or utcnow()))
        head = f"ESCALATED: alert #{alert.id} {alert.priority} priority not acknowledged after {waited}"
        return notice_line(head, names, raised, link, limit=ESCALATION_SMS_LIMIT, every=True)
    if kind == OutboxKind.ALERT_UPDATE:
        # The time of the new message (`now`: the notice is queued as it comes in), not of the alert, and whether
        # the desk was shut then, as an "UPDATED" notice says it (trial 12, finding 6), where one SMS holds it.
        when = now or utcnow()
        head = f"{_new_messages(count)} on alert #{alert.id} {alert.priority} priority"
        said = [alert.channel, uk_day_time(when, config.app.timezone)]
        text = notice_line(head, names, [*said, "out of hours"] if is_out_of_hours(config, when) else said, link)
        return text if len(text) <= SMS_LIMIT else notice_line(head, names, said, link)
    if attempt > 0:
        waited = uk_duration(waited_minutes(alert, now or utcnow()))
        head = f"Reminder {attempt}: alert #{alert.id} {alert.priority} priority still waiting, {waited}"
        text = notice_line(head, names, raised, link)
        # The flags ("out of hours", "delayed") were in the first notice: left out rather than run to two segments.
        return text if len(text) <= SMS_LIMIT else notice_line(head, names, raised[:2], link)
    return notice_line(f"Safeguarding alert #{alert.id} {alert.priority} priority", names, raised, link, every=True)


# -- the early notice: a worrying message spooled while the database was unavailable (trial 13, T13-5) ----------

# The reason recorded on the full alert (its first words) when the early notice reached a route, and when it
# reached none; the flag its notices then carry ("..., delayed, early notice sent) <link>").
EARLY_SENT = "early notice sent while the database was unavailable"
EARLY_UNSENT = "early notice not sent while the database was unavailable"
EARLY_FLAG = "early notice sent"


def told_early(reasons: Collection[str] | None) -> bool:
    """True when an alert's reasons say the early notice of its message reached a route (`early_reason`)."""
    return any(str(reason).startswith(EARLY_SENT) for reason in reasons or ())


def early_routes(config: Config, when: datetime) -> list[Route]:
    """Where the early notice of a worrying message spooled at `when` goes: where its alert's first notices would
    go (`store_alert`), the duty routes, and the escalation contacts too when the alert would go to them at once
    (`passes_on_at_once`: the duty desk shut); the webhook once."""
    routes = duty_routes(config)
    if passes_on_at_once(config, when):
        routes += [route for route in escalation_routes(config) if route not in routes]
    return routes


def alerts_link(public_url: str) -> str:
    """The duty pages' list of alerts (where a notice with no alert number yet points)."""
    return f"{public_url.rstrip('/')}/admin/alerts"


def early_notice(
    config: Config,
    *,
    channel: str,
    when: datetime,
    categories: Collection[str],
    reasons: Collection[str],
    priority: str,
) -> str:
    """The early notice of a worrying message the database could not take (`spool.early`): that a message that may
    show a risk came in while the database was unavailable, its priority, categories, channel and council local time
    (and "out of hours"), and that its full alert will be on the dashboard as soon as the database is back, with the
    alerts page's link. The shape of every notice (`notice_line`); no alert number (none exists yet), no message text,
    name or phone number. Two SMS segments at most (`ESCALATION_SMS_LIMIT`), every category named."""
    head = (
        f"Safeguarding EARLY NOTICE, {priority} priority: a message that may show a risk came in while the "
        "service's database was unavailable. Its full alert will be on the dashboard as soon as the database is back"
    )
    said = [channel, uk_day_time(when, config.app.timezone)]
    said += ["out of hours"] if is_out_of_hours(config, when) else []
    link = alerts_link(config.app.public_url)
    return notice_line(head, category_names(categories, reasons), said, link, limit=ESCALATION_SMS_LIMIT, every=True)


def early_subject(priority: str) -> str:
    """The email subject line of an early notice."""
    return f"EARLY NOTICE: Voice Service safeguarding ({priority} priority), database unavailable"


def early_reason(sent: Collection[str], unsent: Collection[str]) -> str:
    """What the full alert records of its early notice: by which channels it went (`sent`) and which it did not
    reach (`unsent`: "webhook (webhook URLError)"), e.g. "early notice sent while the database was unavailable, by
    text and email; not by webhook (webhook URLError)". Read back by `told_early`."""
    if not sent:
        return f"{EARLY_UNSENT}: {and_list(list(unsent))}"
    words = f"{EARLY_SENT}, by {and_list(list(sent))}"
    return f"{words}; not by {and_list(list(unsent))}" if unsent else words


def _new_messages(count: int) -> str:
    """ "New message", or "2 new messages": the head of a "new message" notice telling of `count` of them."""
    return "New message" if count <= 1 else f"{count} new messages"


def messages_told_of(notice: str) -> int:
    """How many messages a "new message" notice (`alert_notice`'s words, `_new_messages`) tells of: the one home
    for reading it back (the waiting notice counting one more, "Who was told", `alerts list`, the webhook)."""
    found = re.match(r"(\d+) new messages ", notice)
    return int(found.group(1)) if found else 1


def notice_subject(
    alert: Alert | NewAlert, kind: str, *, attempt: int = 0, now: datetime | None = None, count: int = 1
) -> str:
    """The email subject line for a notice (a re-notification's says it is a reminder, and the wait; a "new
    message" notice telling of `count` messages says how many)."""
    prefix = {OutboxKind.ESCALATION: "ESCALATED: ", OutboxKind.ALERT_UPDATE: f"{_new_messages(count)}: "}.get(kind, "")
    subject = f"{prefix}Voice Service safeguarding alert #{alert.id} ({alert.priority} priority)"
    if kind == OutboxKind.ALERT and attempt > 0:
        waited = uk_duration(waited_minutes(alert, now or utcnow()))
        return f"Reminder {attempt}: {subject}, still waiting after {waited}"
    return subject


def notice_key(kind: str, alert_id: int | None, attempt: int, route: Route, index: int, tag: str = "") -> str:
    """The outbox key of one notice: one per alert, kind, round (`attempt`, or `tag`) and route."""
    return f"{kind}:{alert_id}:{attempt}{tag}:{route.channel}:{index}"


def change_notice(
    alert: Alert, *, config: Config, was_priority: str, added: Collection[str], now: datetime, plea: bool = False
) -> str:
    """The notice that a live alert changed, saying what changed: "now high priority (was low)" only when the
    priority rose (its categories then follow, the new ones first), else "high priority, new category:
    violence; also abuse, unsafe home" (or "another message", should nothing have changed); "asked for help" after
    the priority when the message that changed it is also a plea (`plea`: the one notice its message sends, trial
    12, finding 6); channel, council local time of the change and the link. No message text, name or phone number.
    Every category is named, as the first notice names them ("and 3 earlier" told a reader nothing): in one SMS
    wherever the link allows (without the spaces if that is what fits), else running into a second segment
    (`ESCALATION_SMS_LIMIT`)."""
    link = alert_link(alert, config.app.public_url)
    flags = ", out of hours" if is_out_of_hours(config, now) else ""
    tail = f" ({alert.channel}, {uk_day_time(now, config.app.timezone)}{flags}) {link}"
    new = [category for category in added if category in alert.categories]
    earlier = [category for category in alert.categories if category not in new]
    asked = f", {PLEA}" if plea else ""
    if was_priority != alert.priority:
        head = f"UPDATED: alert #{alert.id} now {alert.priority} priority (was {was_priority}){asked}: "
        room = max(0, SMS_LIMIT - len(head) - len(tail))
        return head + _category_words(category_names(new + earlier, alert.reasons), room, every=True) + tail
    if not new:
        head = f"UPDATED: alert #{alert.id} {alert.priority} priority{asked}, another message: "
        room = max(0, SMS_LIMIT - len(head) - len(tail))
        return head + _category_words(category_names(alert.categories, alert.reasons), room) + tail
    head = f"UPDATED: alert #{alert.id} {alert.priority} priority{asked}, {_new_categories(new)}: "
    room = max(0, SMS_LIMIT - len(head) - len(tail))
    new_names = [plain(name) for name in category_names(new)]
    earlier_names = [plain(name) for name in category_names(earlier)]
    said = [
        separator.join(new_names) + (f"; also {separator.join(earlier_names)}" if earlier_names else "")
        for separator in (", ", ",")
    ]
    return head + next((text for text in said if len(text) <= room), said[0]) + tail


def _new_categories(new: Collection[str]) -> str:
    """The words "new category" or "new categories", for the categories a further message added."""
    return "new category" if len(new) == 1 else "new categories"


def change_subject(alert: Alert, *, was_priority: str, added: Collection[str], plea: bool = False) -> str:
    """The email subject line of an `ALERT_CHANGED` notice: what changed, as `change_notice` says it (with "asked
    for help" when the message was a plea too)."""
    new = [category for category in added if category in alert.categories]
    asked = f", {PLEA}" if plea else ""
    if was_priority != alert.priority:
        change = f"now {alert.priority} priority, was {was_priority}{asked}"
    elif new:
        change = f"{alert.priority} priority{asked}, {_new_categories(new)}: {', '.join(category_names(new))}"
    else:
        change = f"{alert.priority} priority{asked}, another message"
    return f"UPDATED: Voice Service safeguarding alert #{alert.id} ({change})"


HANDLED_WORDS = {OutboxKind.ALERT_ACKNOWLEDGED: "acknowledged", OutboxKind.ALERT_CLOSED: "closed"}


def handled_notice(alert: Alert, *, config: Config, kind: str, by: str, now: datetime) -> str:
    """The escalation contacts' notice that an alert escalated to them is in hand: its priority, who picked it up
    (or closed it) and when, its categories and channel (`notice_line`, as every notice carries them), and the link.
    The worker's name only (in plain letters, shortened when a long one would take a second SMS segment);
    nothing of the young person."""
    when = uk_day_time(now, config.app.timezone)
    link = alert_link(alert, config.app.public_url)
    names = category_names(alert.categories, alert.reasons)
    name = plain(by)[:40]

    def line(name: str) -> str:
        head = f"Alert #{alert.id} {alert.priority} priority {HANDLED_WORDS[kind]} by {name} at {when}"
        return notice_line(head, names, [alert.channel], link)

    over = len(line(name)) - SMS_LIMIT
    return line(name[: max(12, len(name) - over)].rstrip()) if over > 0 else line(name)


def handled_subject(alert: Alert, kind: str, by: str) -> str:
    """The email subject line of an `ALERT_ACKNOWLEDGED` or `ALERT_CLOSED` notice."""
    return f"Voice Service safeguarding alert #{alert.id} {HANDLED_WORDS[kind]} by {by[:40]}"


def _queue_notices(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert: Alert,
    kind: str,
    routes: list[Route],
    attempt: int,
    now: datetime,
    tag: str = "",
    body: str | None = None,
    subject: str | None = None,
    due: datetime | None = None,
) -> int:
    """Queue one notice per route (alerts ignore send windows); idempotent per alert, kind and attempt
    (and `tag`, for notices that are not numbered by attempt). `body` and `subject` replace the ones
    `alert_notice` and `notice_subject` would write; `due` puts the notices off until then (else they go now)."""
    notice = body if body is not None else alert_notice(alert, config=config, kind=kind, attempt=attempt, now=now)
    subject = subject if subject is not None else notice_subject(alert, kind, attempt=attempt, now=now)
    for index, route in enumerate(routes):
        enqueue(
            session=session,
            vault=vault,
            key=notice_key(kind, alert.id, attempt, route, index, tag),
            kind=kind,
            channel=route.channel,
            to=route.destination,
            route=route.name,
            body=notice,
            subject=subject if route.channel == "email" else None,
            participant_id=alert.participant_id,
            alert_id=alert.id,
            attempt=attempt,
            respect_window=False,
            not_before=due or now,
        )
    return len(routes)


def notify_duty_team(
    *, session: Session, vault: PhoneVault, config: Config, alert: Alert, attempt: int, now: datetime | None = None
) -> int:
    """Queue one notice per duty route for this notification round (`attempt`); returns how many."""
    now = now or utcnow()
    count = _queue_notices(
        session=session,
        vault=vault,
        config=config,
        alert=alert,
        kind=OutboxKind.ALERT,
        routes=duty_routes(config),
        attempt=attempt,
        now=now,
    )
    alert.notified_count = max(alert.notified_count, attempt)
    alert.last_notified_at = now
    return count


@dataclass(frozen=True)
class NoticeState:
    """Where one alert's notices to the duty team stand in the outbox (first notice and re-notifications)."""

    rounds_sent: int = 0  # notification rounds of which at least one notice has gone
    waiting: int = 0  # notices queued or being sent, not yet gone
    failed: int = 0  # notices the outbox gave up on
    news_sent: int = 0  # messages told of by "new message on alert #N" notices of which at least one has gone
    updates_sent: int = 0  # "UPDATED: alert #N" notices (higher priority or a new category) of which one has gone

    def words(self) -> str:
        """In a duty worker's words: "not notified yet; 3 notices waiting to be sent", "notified 2 times", "notified
        once; told of 1 new message" (trial 6b, N5: "notified once" alone after a plea's notice had gone read as if
        the new message had never been passed on)."""
        if self.rounds_sent == 0:
            told = "not notified yet"
        elif self.rounds_sent == 1:
            told = "notified once"
        else:
            told = f"notified {self.rounds_sent} times"
        if self.news_sent:
            told += f"; told of {self.news_sent} new message{'s' if self.news_sent != 1 else ''}"
        if self.updates_sent:
            # New-user trial, 6 December: "notified once" alone after an "UPDATED" notice had gone.
            told += f"; {self.updates_sent} update{'s' if self.updates_sent != 1 else ''} sent"
        if self.waiting:
            told += f"; {self.waiting} notice{'s' if self.waiting != 1 else ''} waiting to be sent"
        if self.failed:
            told += f"; {self.failed} notice{'s' if self.failed != 1 else ''} failed"
        return told


CHANNEL_WORDS = {"sms": "text", "email": "email", "webhook": "webhook"}


# The rounds of notices `notice_history` lists ("Who was told"), and the notices that are not numbered
# rounds: a new message (a plea, a picture, a reply to a worker, a further disclosure once acknowledged), what
# changed, and the escalation contacts told an alert is in hand, in a duty worker's words.
HISTORY_KINDS = (
    OutboxKind.ALERT,
    OutboxKind.ESCALATION,
    OutboxKind.ALERT_UPDATE,
    OutboxKind.ALERT_CHANGED,
    OutboxKind.ALERT_ACKNOWLEDGED,
    OutboxKind.ALERT_CLOSED,
)
TOLD_WORDS = {  # kind: (once sent, the notice while waiting or failed)
    OutboxKind.ALERT_UPDATE: ("duty team told of a new message", "notice of a new message to the duty team"),
    OutboxKind.ALERT_CHANGED: (
        "update sent (higher priority or a new category)",
        "update (higher priority or a new category)",
    ),
    OutboxKind.ALERT_ACKNOWLEDGED: (
        "escalation contacts told it was acknowledged",
        "notice to the escalation contacts that it was acknowledged",
    ),
    OutboxKind.ALERT_CLOSED: (
        "escalation contacts told it was closed",
        "notice to the escalation contacts that it was closed",
    ),
}
# A "new message" notice goes to everyone already told (`told_routes`): once the alert has been escalated, the
# escalation contacts too, and its line says so (`NoticeEvent.escalation_contacts`).
NEW_MESSAGE_TO_ALL_WORDS = (
    "duty team and escalation contacts told of a new message",
    "notice of a new message to the duty team and escalation contacts",
)


@dataclass(frozen=True)
class NoticeEvent:
    """One round of notices about an alert: the first notice, a reminder, the escalation, a "new message"
    notice, an update, or the escalation contacts told it was acknowledged or closed."""

    at: datetime  # when the first of its notices went (or was queued, while none has gone)
    kind: str  # one of HISTORY_KINDS
    attempt: int
    channels: tuple[str, ...]
    state: str  # "sent", "waiting", "failed" or "removed" (`UNSENT_WORDS`)
    escalation_contacts: bool = False  # a "new message" notice that went to the escalation contacts too
    messages: int = 1  # how many messages a "new message" notice told of ("2 new messages on alert #N")
    # Each route's channel and how its notice stands ("sent", "waiting" or "failed"), in the order queued: the
    # routes not in `state` are said after it ("; the text could not be sent"). Empty: every route is in `state`.
    routes: tuple[tuple[str, str], ...] = ()

    def words(self, timezone: str, *, now: datetime) -> str:
        """E.g. "Sun 29 Nov 23:35: escalated to the escalation contacts (text, email, webhook)"; read at `now`,
        a time not in this year keeps its year ("Tue 1 Dec 2026 14:05: duty team notified ...")."""
        escalation = self.kind == OutboxKind.ESCALATION
        if self.kind in TOLD_WORDS:
            told, noun = NEW_MESSAGE_TO_ALL_WORDS if self.escalation_contacts else TOLD_WORDS[self.kind]
            if self.kind == OutboxKind.ALERT_UPDATE and self.messages > 1:
                told, noun = (words.replace("a new message", f"{self.messages} new messages") for words in (told, noun))
            if self.state == "sent":
                what = told
            else:
                what = f"{noun} {UNSENT_WORDS[self.state]}"
        elif self.state == "sent":
            if escalation:
                what = "escalated to the escalation contacts (e.g. the emergency duty team)"
            else:
                what = "duty team notified" if self.attempt == 0 else f"reminder {self.attempt} sent to the duty team"
        else:
            if escalation:
                noun = "escalation to the escalation contacts"
            else:
                noun = "notice to the duty team" if self.attempt == 0 else f"reminder {self.attempt} to the duty team"
            what = f"{noun} {UNSENT_WORDS[self.state]}"
        how = ", ".join(CHANNEL_WORDS.get(channel, channel) for channel in self.channels)
        # The routes of the round that did not do as the rest (trial 12, finding 3: a duty text Twilio reported
        # undelivered was listed as "notified (text, email, webhook)"): said, route by route, after it.
        rest = "".join(
            f"; {_routes_words(self.routes, other)} {UNSENT_WORDS[other]}"
            for other in UNSENT_WORDS
            if other != self.state and any(state == other for _, state in self.routes)
        )
        return f"{uk_day_time(self.at, timezone, now=now)}: {what} ({how}){rest}"


# How a route's notice that has not gone stands, in words: "removed" is one not sent because its route was taken
# out of the settings before it went (`outbox.readdress`, trial 13, T13-10).
UNSENT_WORDS = {
    "waiting": "waiting to be sent",
    "failed": "could not be sent",
    "removed": "not sent (its route was taken out of the settings)",
}


def _routes_words(routes: tuple[tuple[str, str], ...], state: str) -> str:
    """The routes of a round in `state`, by channel, in a duty worker's words: "the text", "the email and the
    webhook", "the 2 texts" (every one of them), "1 of the 2 texts" (two duty phones, one not reached)."""
    said = []
    for channel in dict.fromkeys(channel for channel, _ in routes):
        every = sum(1 for each, _ in routes if each == channel)
        these = sum(1 for each, now in routes if each == channel and now == state)
        word = CHANNEL_WORDS.get(channel, channel)
        if these == 0:
            continue
        if every == 1:
            said.append(f"the {word}")
        elif these == every:
            said.append(f"the {these} {word}s")
        else:
            said.append(f"{these} of the {every} {word}s")
    return and_list(said)


def and_list(said: list[str]) -> str:
    """Words in a sentence's list: "text", "text and email", "text, email and webhook"."""
    return ", ".join(said[:-1]) + f" and {said[-1]}" if len(said) > 1 else said[0]


def notice_history(*, session: Session, alert_id: int) -> list[NoticeEvent]:
    """Every round of notices about one alert, oldest first: first notice, reminders, escalation, each "new
    message" notice, updates, and the escalation contacts told it was acknowledged or closed.

    Read from the outbox rows (what went, and when), so the duty page and `alerts show` say
    whether the escalation contacts have already been called in."""
    rows = session.exec(
        select(OutboxMessage)
        .where(
            col(OutboxMessage.alert_id) == alert_id,
            col(OutboxMessage.kind).in_(HISTORY_KINDS),
            # A "new message" notice that waited and was told in a later one instead (`_tell_of_new_message`); but
            # one whose route was taken out of the settings is said ("not sent").
            or_(col(OutboxMessage.status) != OutboxStatus.CANCELLED, col(OutboxMessage.error_code) == ROUTE_REMOVED),
        )
        .order_by(col(OutboxMessage.id))
    ).all()
    # One round is one notice to every route it went to: its outbox key but the route (`notice_key`). Two "new
    # message" notices can share an attempt (replies to a worker do not count as messages on the alert).
    rounds: dict[tuple[str, int, str], list[OutboxMessage]] = {}
    for row in rows:
        rounds.setdefault((row.kind, row.attempt or 0, row.key.rsplit(":", 2)[0]), []).append(row)
    # Who the escalation went to that the first notices did not (the webhook is on both lists): a "new message"
    # round that reached any of them reached the escalation contacts (by the addresses' hashes, never read).
    duty = {row.to_hash for row in rows if row.kind == OutboxKind.ALERT}
    escalation_only = {row.to_hash for row in rows if row.kind == OutboxKind.ESCALATION} - duty - {None}
    events = []
    for (kind, attempt, _), members in rounds.items():
        routes = tuple((row.channel, _route_state(row)) for row in members)
        if any(route == "sent" for _, route in routes):
            went = [row for row in members if _route_state(row) == "sent"]
            state, at = "sent", min(as_utc(row.sent_at or row.updated_at) for row in went)
        elif any(route == "waiting" for _, route in routes):
            state, at = "waiting", min(as_utc(row.not_before) for row in members)
        elif any(route == "failed" for _, route in routes):
            state, at = "failed", min(as_utc(row.updated_at) for row in members)
        else:
            state, at = "removed", min(as_utc(row.updated_at) for row in members)
        # The channels it went by (or waits to), never one whose notice did not: those are said after them.
        channels = tuple(dict.fromkeys(channel for channel, route in routes if route == state))
        escalated = kind == OutboxKind.ALERT_UPDATE and any(row.to_hash in escalation_only for row in members)
        events.append(
            NoticeEvent(
                at=at,
                kind=kind,
                attempt=attempt,
                channels=channels,
                state=state,
                escalation_contacts=escalated,
                messages=messages_told_of(members[0].body) if kind == OutboxKind.ALERT_UPDATE else 1,
                routes=routes,
            )
        )
    return sorted(events, key=lambda event: event.at)  # stable: notices that went together, in the order queued


def _route_state(row: OutboxMessage) -> str:
    """How one route's notice stands: "sent" (sent or delivered), "waiting" (queued or being sent), "removed" (not
    sent: its route was taken out of the settings) or "failed" (the outbox gave up, or the provider reported it
    undelivered)."""
    if row.status in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
        return "sent"
    if row.status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
        return "waiting"
    if row.status == OutboxStatus.CANCELLED and row.error_code == ROUTE_REMOVED:
        return "removed"
    return "failed"


def notice_states(*, session: Session, alert_ids: list[int]) -> dict[int, NoticeState]:
    """What the outbox says about each alert's duty notices (alerts with none queued are left out).

    Read from the outbox rows themselves, not `Alert.notified_count` (the last round queued, which
    says nothing of whether anything went, or whether there was a route to send it to).
    """
    if not alert_ids:
        return {}
    kinds = (OutboxKind.ALERT, OutboxKind.ALERT_UPDATE, OutboxKind.ALERT_CHANGED)
    rows = session.execute(
        core_select(
            col(OutboxMessage.alert_id),
            col(OutboxMessage.kind),
            col(OutboxMessage.attempt),
            col(OutboxMessage.status),
            col(OutboxMessage.key),
            col(OutboxMessage.body),
        ).where(col(OutboxMessage.alert_id).in_(alert_ids), col(OutboxMessage.kind).in_(kinds))
    ).all()
    sent: dict[int, set[int | None]] = {}
    # Per alert, each "new message" notice that went (its outbox key but the route, as `notice_history` rounds them)
    # and how many messages it told of: one notice can tell of several ("2 new messages on alert #N").
    news: dict[int, dict[str, int]] = {}
    updates: dict[int, set[str]] = {}  # per alert, each "UPDATED" notice that went (its key but the route)
    waiting: dict[int, int] = {}
    failed: dict[int, int] = {}
    for alert_id, kind, attempt, status, key, body in rows:
        assert alert_id is not None
        sent.setdefault(alert_id, set())
        if status in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
            if kind == OutboxKind.ALERT:
                sent[alert_id].add(attempt)
            elif kind == OutboxKind.ALERT_CHANGED:
                updates.setdefault(alert_id, set()).add(key.rsplit(":", 2)[0])
            else:
                news.setdefault(alert_id, {})[key.rsplit(":", 2)[0]] = messages_told_of(body)
        elif status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            waiting[alert_id] = waiting.get(alert_id, 0) + 1
        elif status == OutboxStatus.FAILED:
            failed[alert_id] = failed.get(alert_id, 0) + 1
    return {
        alert_id: NoticeState(
            len(rounds),
            waiting.get(alert_id, 0),
            failed.get(alert_id, 0),
            sum(news.get(alert_id, {}).values()),
            len(updates.get(alert_id, ())),
        )
        for alert_id, rounds in sent.items()
    }


# What an escalated alert's tag says, by whether its escalation notice has left (`escalation_states`): "Escalated"
# only once one has, so a duty worker never reads that the emergency duty team has it while the notice waits
# for a scheduler that is not running (trial 3, F14).
ESCALATION_TAGS = {
    "sent": "Escalated",
    "waiting": "Escalation waiting to be sent",
    "failed": "Escalation could not be sent",
}


def escalation_states(*, session: Session, alert_ids: list[int]) -> dict[int, str]:
    """Whether each alert's escalation notice has left: "sent" (any of its notices went), "waiting" (queued, none
    gone yet) or "failed"; alerts with no escalation notice queued are left out."""
    if not alert_ids:
        return {}
    rows = session.exec(
        select(col(OutboxMessage.alert_id), col(OutboxMessage.status)).where(
            col(OutboxMessage.alert_id).in_(alert_ids), col(OutboxMessage.kind) == OutboxKind.ESCALATION
        )
    ).all()
    states: dict[int, str] = {}
    for alert_id, status in rows:
        assert alert_id is not None
        if status in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
            states[alert_id] = "sent"
        elif status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            if states.get(alert_id) != "sent":
                states[alert_id] = "waiting"
        else:
            states.setdefault(alert_id, "failed")
    return states


def escalation_tag(alert: Alert, states: dict[int, str]) -> str:
    """The escalated alert's tag ("Escalated", "Escalation waiting to be sent"), or "" when not escalated. With no
    escalation notice queued at all (nobody to send one to), "Escalated", as the alert records."""
    if alert.escalated_at is None:
        return ""
    return ESCALATION_TAGS[states.get(alert.id or 0, "sent")]


# -- raising ------------------------------------------------------------------------------------


class StoredMessage(Protocol):
    """A stored inbound message, as far as an alert needs one (the ORM `Message`, or the inbound path's
    plain record of the message it has just written)."""

    @property
    def id(self) -> int | None: ...

    @property
    def channel(self) -> str: ...

    @property
    def participant_id(self) -> int | None: ...

    @property
    def body(self) -> str: ...


class Identified(Protocol):
    """A stored participant, as far as an alert needs one: its id (the ORM `Participant`, or the inbound
    path's plain `SenderRow`, which spares a disclosure loading the ORM row just for its id)."""

    @property
    def id(self) -> int | None: ...


def _merge(existing: list, new: tuple[str, ...] | list[str]) -> list[str]:
    """Existing items first, then new ones not already there."""
    return list(existing) + [item for item in new if item not in existing]


def raise_alert(*, session: Session, **fields: Any) -> Alert:
    """Store an alert for this message, or add it to the young person's live alert, and queue notices;
    the alert, loaded into the session. Takes `store_alert`'s keywords (its one home) and runs in the
    caller's transaction: for callers that want the alert itself rather than its id.
    """
    alert_id = store_alert(session=session, **fields)
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise LookupError(f"there is no alert {alert_id}")
    return alert


def store_alert(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    message: StoredMessage,
    participant: Identified | None,
    categories: tuple[str, ...],
    priority: str = AlertPriority.HIGH,
    reasons: tuple[str, ...] = (),
    delayed: bool = False,
    out_of_hours: bool | None = None,
    now: datetime | None = None,
    notified_at: datetime | None = None,
    plea: bool = False,
    wait_for_desk: bool = False,
) -> int:
    """Store an alert for this message, or add it to the young person's live alert, and queue notices; the
    alert's id (`raise_alert` loads the alert back). Runs in the caller's transaction.

    `priority` and `reasons` come from the screen (`screen.priority`, `screen.reasons`); `delayed` when the
    message is a spooled one being replayed; `out_of_hours` defaults to `is_out_of_hours(config, now)`.

    `now` is when the message came in (the alert is raised then); `notified_at`, when it is later than that
    (a spooled message replayed), is when the first notices are queued, and so recorded. `plea`: the message
    also pleads for help (`engine.routing.pleads`): added to a live alert, it is marked "asked for help" and
    everyone already told gets "New message on alert #N" at once, as for any plea (`add_plea`), or, when it changes
    the alert, the "UPDATED" notice saying "asked for help" instead.

    `wait_for_desk`: the alert only asks a person to read a survey answer the English screen cannot (not in
    English, written in the run's own language: `analysis.unread`). Raised while the duty desk is shut, its first
    notices are due when the desk next opens (`office.next_opening`), not texted to the duty phone at night, and it
    is not escalated at once (`escalate_overdue` counts from that opening too). Anything more from them that may
    be risk (a disclosure the screen reads, a plea) is added to it and told at once, as ever.

    A new alert is a few Core statements on the session's connection, compiled once per process
    (`voice_service/prepared.py`): the live-alert check, the alert, its message link and one notice per
    route (ON CONFLICT on the outbox key DO NOTHING: queued once, as `enqueue` does). Through the ORM the
    same rows cost about three times the CPU of the rest of a disclosure. A further disclosure while an
    alert is live (rarer) loads that alert and goes through the ORM (`_add_disclosure`).
    """
    now = now or utcnow()
    notified_at = notified_at or now
    priority = priority or AlertPriority.HIGH
    if priority not in AlertPriority.ALL:
        raise ValueError(f"alert priority must be one of {', '.join(AlertPriority.ALL)}, got {priority!r}")
    if session.new or session.dirty:
        session.flush()  # what the caller added (their message, say) goes in first, as the ORM would order it
    participant_id = participant.id if participant is not None else None
    connection = session.connection()
    dialect = connection.dialect
    live_id = None
    if participant_id is not None:
        live_id = prepared(_live_alert_id, dialect).scalar(connection, {"participant_id": participant_id})
    if live_id is not None:
        live = session.get(Alert, live_id)
        if live is None:
            raise LookupError(f"there is no alert {live_id}")
        _add_disclosure(
            session=session,
            vault=vault,
            config=config,
            alert=live,
            message=message,
            categories=categories,
            priority=priority,
            reasons=reasons,
            now=now,
            plea=plea,
        )
        return live_id
    assert message.id is not None
    out_of_hours = is_out_of_hours(config, now) if out_of_hours is None else out_of_hours
    # Nobody is at the duty desk: the escalation contacts (the emergency duty team) hear now, not
    # `escalate_after_minutes` later, which at night would mean an hour of nobody.
    escalate = out_of_hours and has_escalation_contacts(config)
    if wait_for_desk and out_of_hours:
        # Only for a person to read, in office hours: no night-time text, no escalation at once.
        escalate = False
        notified_at = max(notified_at, next_opening(config, now) or notified_at)
    values = _new_row(
        Alert,
        created_at=now,
        participant_id=participant_id,
        message_id=message.id,
        channel=message.channel,
        categories=list(categories),
        priority=priority,
        reasons=list(reasons),
        excerpt=message.body[:1000],
        delayed=delayed,
        out_of_hours=out_of_hours,
        last_message_at=now,
        # The first round of notices (attempt 0) is queued below, with the escalation's when out of hours.
        notified_count=0,
        last_notified_at=notified_at,
        escalated_at=notified_at if escalate else None,
    )
    alert_id = prepared(_insert_row, dialect, "alert").scalar(connection, _named(values))
    link = _new_row(
        AlertMessage,
        alert_id=alert_id,
        message_id=message.id,
        categories=list(categories),
        priority=priority,
        reasons=list(reasons),
        created_at=now,
    )
    prepared(_insert_row, dialect, "alertmessage", False).run(connection, _named(link))
    raised = NewAlert(
        id=alert_id,
        participant_id=participant_id,
        channel=message.channel,
        categories=list(categories),
        priority=priority,
        out_of_hours=out_of_hours,
        delayed=delayed,
        created_at=now,
        reasons=list(reasons),
    )
    notices = _notice_rows(vault, config, raised, OutboxKind.ALERT, duty_routes(config), now=now, queued=notified_at)
    if escalate:
        routes = escalation_routes(config)
        notices += _notice_rows(vault, config, raised, OutboxKind.ESCALATION, routes, now=now, queued=notified_at)
    if notices:
        prepared(_insert_notice, dialect, dialect.name).run(connection, [_named(row) for row in notices])
    return alert_id


@dataclass(frozen=True)
class NewAlert:
    """An alert just stored by `store_alert`, as far as its notices need it (see `alert_notice`)."""

    id: int
    participant_id: int | None
    channel: str
    categories: list
    priority: str
    out_of_hours: bool
    delayed: bool
    created_at: datetime
    reasons: list


def _notice_rows(
    vault: PhoneVault,
    config: Config,
    alert: NewAlert,
    kind: str,
    routes: list[Route],
    *,
    now: datetime,
    queued: datetime | None = None,
) -> list[dict]:
    """The outbox rows `_queue_notices` would queue for a new alert's first round (attempt 0), worded as at
    `now` (the alert raised), due from `queued` (when they are queued, if later)."""
    notice = alert_notice(alert, config=config, kind=kind, attempt=0, now=now)
    subject = notice_subject(alert, kind, attempt=0, now=now)
    return [
        _new_row(
            OutboxMessage,
            key=notice_key(kind, alert.id, 0, route, index),
            kind=kind,
            channel=route.channel,
            participant_id=alert.participant_id,
            to_encrypted=vault.encrypt(route.destination),
            to_hash=vault.hash(route.destination),
            route=route.name,
            body=notice,
            subject=subject if route.channel == "email" else None,
            alert_id=alert.id,
            attempt=0,
            respect_window=False,
            not_before=queued or now,
        )
        for index, route in enumerate(routes)
    ]


def _new_row(model: type[SQLModel], **values: Any) -> dict[str, Any]:
    """A new row's columns as the ORM would insert `model(**values)`: the model's defaults for the rest."""
    constants, made, required = _defaults(model)
    row = {**constants}
    for name, field in made:
        if name not in values:
            row[name] = field.get_default(call_default_factory=True)
    row.update(values)
    missing = [name for name in required if name not in values]
    if missing:
        raise ValueError(f"{model.__name__} needs {', '.join(missing)}")
    return row


@functools.cache
def _defaults(model: type[SQLModel]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...], tuple[str, ...]]:
    """A model's column defaults, once: the plain values (kept as they are), the fields whose default is made
    for each row (a factory, or a value that is copied), and the fields with no default."""
    constants: dict[str, Any] = {}
    made: list[tuple[str, Any]] = []
    required: list[str] = []
    for name, field in model.model_fields.items():
        if name == "id":
            continue
        if field.default_factory is None and field.default is PydanticUndefined:
            required.append(name)
        elif field.default_factory is None and isinstance(field.default, str | int | float | bool | type(None)):
            constants[name] = field.default
        else:
            made.append((name, field))
    return constants, tuple(made), tuple(required)


def _named(values: dict[str, Any]) -> dict[str, Any]:
    return {f"v_{name}": value for name, value in values.items()}


_TABLES: dict[str, Table] = {
    "alert": Alert.__table__,  # type: ignore[attr-defined]
    "alertmessage": AlertMessage.__table__,  # type: ignore[attr-defined]
    "outboxmessage": OutboxMessage.__table__,  # type: ignore[attr-defined]
}


def _insert_row(table_name: str, returning: bool = True):
    """INSERT of every column but the id (RETURNING the id), its values named `v_<column>`."""
    table = _TABLES[table_name]
    values = {c.name: bindparam(f"v_{c.name}", type_=c.type) for c in table.columns if c.name != "id"}
    statement = insert(table).values(values)
    return statement.returning(table.c.id) if returning else statement


def _insert_notice(dialect: str):
    """An outbox row, unless its key is already queued (ON CONFLICT DO NOTHING: `enqueue`'s idempotency)."""
    table = _TABLES["outboxmessage"]
    dml = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {c.name: bindparam(f"v_{c.name}", type_=c.type) for c in table.columns if c.name != "id"}
    return dml(table).values(values).on_conflict_do_nothing(index_elements=["key"])


def _live_alert_id():
    """The id of the participant's newest alert the duty team has not closed (as `_live_alert` finds it)."""
    table = _TABLES["alert"]
    return (
        core_select(table.c.id)
        .where(table.c.participant_id == bindparam("participant_id", type_=table.c.participant_id.type))
        .where(alert_is_live())
        .order_by(table.c.id.desc())
        .limit(1)
    )


def prepare(dialect: Dialect) -> None:
    """Compile a new alert's statements ahead of the first disclosure (the server does it in its master)."""
    prepared(_live_alert_id, dialect)
    prepared(_insert_row, dialect, "alert")
    prepared(_insert_row, dialect, "alertmessage", False)
    prepared(_insert_notice, dialect, dialect.name)


def _add_disclosure(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert: Alert,
    message: StoredMessage,
    categories: tuple[str, ...],
    priority: str,
    reasons: tuple[str, ...],
    now: datetime,
    plea: bool = False,
) -> None:
    """Add a further disclosure to a live alert; notify as the module docstring says, one notice a route (`plea`: it
    also pleads for help, so it is marked "asked for help" and everyone told hears at once: "New message on alert
    #N", or the "UPDATED" notice it causes, saying "asked for help")."""
    assert message.id is not None and alert.id is not None
    session.add(
        AlertMessage(
            alert_id=alert.id,
            message_id=message.id,
            categories=list(categories),
            priority=priority,
            reasons=[PLEA, *reasons] if plea else list(reasons),
            created_at=now,
        )
    )
    was_priority = alert.priority
    added = [category for category in categories if category not in alert.categories]
    raised = priority == AlertPriority.HIGH and alert.priority != AlertPriority.HIGH
    alert.categories = _merge(alert.categories, categories)
    # A plea is among the alert's reasons as its message's: an alert that only flagged text the screen could not
    # read is, once they plead in it ("helpa fi plis"), one for a possible disclosure (`live.disclosure_live_of`).
    alert.reasons = _merge(alert.reasons, [PLEA, *reasons] if plea else reasons)
    if raised:
        alert.priority = AlertPriority.HIGH
    alert.message_count += 1
    alert.last_message_at = now
    if raised or added:
        # Not a reminder (nobody has waited longer): what changed, to everyone already told of it. The one notice
        # this message sends (trial 12, finding 6: an "UPDATED" and a "New message" text went within a second): it
        # says there is news, and "asked for help" for a plea; the notice of replies to a worker waiting for its
        # window's end, if any, goes no later than it, so it is taken with it.
        _tell_of_change(
            session=session,
            vault=vault,
            config=config,
            alert=alert,
            was_priority=was_priority,
            added=added,
            now=now,
            plea=plea,
        )
        _cancel_waiting(session, alert, now, why="told in a later notice: an update")
        if alert.status == AlertStatus.ACKNOWLEDGED:
            alert.last_notified_at = now  # when they last heard of it
        if (
            raised
            and alert.status == AlertStatus.OPEN
            and alert.escalated_at is None
            and is_out_of_hours(config, now)
            and has_escalation_contacts(config)
        ):
            # High priority now, and nobody at the duty desk: the escalation contacts hear now.
            _escalate(session=session, vault=vault, config=config, alert=alert, now=now)
    elif plea:
        # A plea is what the duty team must see, and it never waits.
        tag = f"-plea-{message.id}"
        _tell_of_new_message(session=session, vault=vault, config=config, alert=alert, now=now, tag=tag, at_once=True)
    elif tuple(reasons) == (NOT_ENGLISH_REASON,) and not _held_for_desk(alert, now):
        # Text the screen cannot read (not in English): nobody but a person can tell whether it is a further
        # disclosure ("dwi am ladd fy hun heno" in words no lexicon has), so the duty team is told of it at once,
        # open or acknowledged, as of a picture nobody here can see (trial 8, H1: a second Welsh message on a live
        # alert sent no notice at all).
        tag = f"-unread-{message.id}"
        _tell_of_new_message(session=session, vault=vault, config=config, alert=alert, now=now, tag=tag, at_once=True)
        if alert.status == AlertStatus.ACKNOWLEDGED:
            alert.last_notified_at = now
    elif alert.status == AlertStatus.ACKNOWLEDGED or not _round_waiting(session, alert):
        # A further disclosure is never a chatty follow-up: told at once, whatever was told a moment ago (trial 12,
        # finding 5: "he touched me again" waited up to `renotify_minutes` behind an "UPDATED" notice), and while
        # nobody has the alert yet too (a trial: "he hit him again tonight and threw him down the stairs" on an open
        # alert told nobody, and the duty team heard only the next reminder's "not acknowledged", up to
        # `renotify_minutes` later). Their next reminder counts from this notice. Not while the alert's own notice
        # has still to go (two messages spooled while the database was down, replayed together): that notice leads
        # to the alert's page, where this message is.
        tag = f"-disclosure-{message.id}"
        _tell_of_new_message(session=session, vault=vault, config=config, alert=alert, now=now, tag=tag, at_once=True)
        alert.last_notified_at = now
    session.add(alert)
    session.flush()


def told_routes(config: Config, alert: Alert) -> list[Route]:
    """Everyone already told of this alert, each route once: the duty routes, and the escalation
    contacts once it has been escalated (the webhook is on both lists, and hears once)."""
    routes = duty_routes(config)
    if alert.escalated_at is not None:
        routes += escalation_routes(config)
    # Once a destination (a phone on both lists goes by its first place in the settings).
    once: dict[tuple[str, str], Route] = {}
    for route in routes:
        once.setdefault((route.channel, route.destination), route)
    return list(once.values())


def _tell_of_change(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert: Alert,
    was_priority: str,
    added: Collection[str],
    now: datetime,
    plea: bool = False,
) -> None:
    """The "UPDATED: alert #N now ..." notice to everyone already told of the alert, one per change (saying "asked
    for help" when the message was a plea too: `change_notice`)."""
    _queue_notices(
        session=session,
        vault=vault,
        config=config,
        alert=alert,
        kind=OutboxKind.ALERT_CHANGED,
        routes=told_routes(config, alert),
        attempt=alert.message_count,
        now=now,
        body=change_notice(alert, config=config, was_priority=was_priority, added=added, now=now, plea=plea),
        subject=change_subject(alert, was_priority=was_priority, added=added, plea=plea),
    )


def _tell_of_new_message(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert: Alert,
    now: datetime,
    tag: str = "",
    at_once: bool = False,
) -> bool:
    """A short "new message on alert #N" notice to everyone already told of the alert (`told_routes`: the duty
    routes, and the escalation contacts once it has been escalated, who are the ones acting at night). Every kind
    of new message comes through here: a plea, a picture, a reply to a worker, a further disclosure once
    acknowledged. True when the notice goes now, False when it waits.

    `renotify_minutes` puts a notice off, never drops one (trial 11, T11-1: a reply to a duty worker inside the
    window reached nobody's phone): inside that many minutes of the last such notice it is queued for the
    window's end, and every message that comes meanwhile is counted into that one waiting notice ("3 new messages
    on alert #N", the time of the latest), so a chatty thread still sends at most one notice a window. It goes at
    once, taking any waiting one with it, when `at_once` (a plea, a picture, text the screen cannot read, a further
    disclosure: only replies to a worker wait) and for the first message after a worker's reply (`_worker_waits`:
    the worker who wrote is waiting for exactly that answer)."""
    held = _waiting_notices(session, alert, now)
    count = 1 + (messages_told_of(held[0].body) if held else 0)
    due = now
    if not at_once:
        last = _last_told(session, alert, now)
        quiet = timedelta(minutes=config.safeguarding.renotify_minutes)
        if _worker_waits(session, alert, last):
            pass  # a worker replied since the last notice: this is what they wait for
        elif held:
            due = as_utc(held[0].not_before)
        elif last is not None and now - last < quiet:
            due = last + quiet
    routes = told_routes(config, alert)
    body = alert_notice(alert, config=config, kind=OutboxKind.ALERT_UPDATE, now=now, count=count)
    subject = notice_subject(alert, OutboxKind.ALERT_UPDATE, count=count)
    if held and {(row.channel, row.to_hash) for row in held} == {
        (route.channel, vault.hash(route.destination)) for route in routes
    }:
        for row in held:  # the waiting notice, now telling of this message too
            row.body = body
            row.subject = subject if row.channel == "email" else None
            row.not_before = due
            row.updated_at = now
            session.add(row)
        return due <= now
    # Told to other routes since (escalated meanwhile): a new notice to everyone told.
    _cancel(session, held, now, why="told in a later notice of new messages")
    _queue_notices(
        session=session,
        vault=vault,
        config=config,
        alert=alert,
        kind=OutboxKind.ALERT_UPDATE,
        routes=routes,
        attempt=alert.message_count,
        now=now,
        tag=tag if due <= now else f"-held-{now:%Y%m%d%H%M%S%f}",
        body=body,
        subject=subject,
        due=due,
    )
    return due <= now


def _cancel(session: Session, rows: list[OutboxMessage], now: datetime, *, why: str) -> None:
    """Cancel these waiting "new message" notices: a later notice told of their messages (`why` says which)."""
    for row in rows:
        row.status = OutboxStatus.CANCELLED
        row.error_message = why
        row.updated_at = now
        session.add(row)


def _cancel_waiting(session: Session, alert: Alert, now: datetime, *, why: str) -> None:
    """Cancel the alert's "new message" notice waiting for the end of its quiet window, if any."""
    _cancel(session, _waiting_notices(session, alert, now), now, why=why)


def _waiting_notices(session: Session, alert: Alert, now: datetime) -> list[OutboxMessage]:
    """The alert's "new message" notice put off to the end of its quiet window (`_tell_of_new_message`), one row per
    route, locked; none once it is due (the dispatcher may have it)."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.alert_id) == alert.id,
                col(OutboxMessage.kind) == OutboxKind.ALERT_UPDATE,
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.attempts) == 0,
                col(OutboxMessage.not_before) > now,
            )
            .order_by(col(OutboxMessage.id))
            .with_for_update()
        ).all()
    )


def _last_told(session: Session, alert: Alert, now: datetime) -> datetime | None:
    """When the alert's last "new message" notice went (or fell due), or None."""
    return as_utc(
        session.exec(
            select(func.max(col(OutboxMessage.not_before))).where(
                col(OutboxMessage.alert_id) == alert.id,
                col(OutboxMessage.kind) == OutboxKind.ALERT_UPDATE,
                col(OutboxMessage.status) != OutboxStatus.CANCELLED,
                col(OutboxMessage.not_before) <= now,
            )
        ).one()
    )


def _worker_waits(session: Session, alert: Alert, last: datetime | None) -> bool:
    """True when a worker (or duty worker) has replied to the young person since `last` (the last "new message"
    notice): their next message is the answer that worker is waiting for, told at once."""
    if alert.participant_id is None:
        return False
    replied = as_utc(
        session.exec(
            select(func.max(col(Conversation.last_reply_at))).where(
                col(Conversation.participant_id) == alert.participant_id
            )
        ).one()
    )
    return replied is not None and (last is None or replied > last)


def notify_reply(
    *, session: Session, vault: PhoneVault, config: Config, participant_id: int, now: datetime | None = None
) -> Alert | None:
    """A young person with a live alert wrote back after a worker's (or duty worker's) reply (`ToPerson`):
    the same short "new message on alert #N" notice to everyone already told as a further disclosure gets, the
    alert open or acknowledged: the first message after the worker's reply at once, later ones at most one notice
    every `renotify_minutes` per alert, put off to the window's end and counted together, never dropped
    (`_tell_of_new_message`; a chatty thread does not flood the duty phones, and the chasing of an open alert goes
    on as it was). Their words stay on the thread: the notice links to the duty page. Returns the alert, or None
    when none is live."""
    now = now or utcnow()
    alert = _live_alert(session, participant_id)
    if alert is None:
        return None
    tag = f"-reply-{now:%Y%m%d%H%M%S%f}"  # one per notice, however close together
    _tell_of_new_message(session=session, vault=vault, config=config, alert=alert, now=now, tag=tag)
    session.flush()
    return alert


def with_live_alert(*, session: Session, participant_ids: Collection[int]) -> set[int]:
    """Those of `participant_ids` with an alert the duty team has not closed (`AlertStatus.LIVE`).

    The one rule that pauses a young person's survey after a disclosure (`Situation.alert_live`) also
    holds back a round's thank-you message to them until the alert is closed (`summary.loop`).
    """
    if not participant_ids:
        return set()
    rows = session.exec(
        select(col(Alert.participant_id)).where(col(Alert.participant_id).in_(list(participant_ids)), alert_is_live())
    ).all()
    return {pid for pid in rows if pid is not None}


def add_plea(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    message: StoredMessage,
    now: datetime | None = None,
    reason: str = PLEA,
) -> Alert | None:
    """A young person whose alert is live asked for help or a person (`engine.routing.WantsPerson` with
    `after_disclosure`) in words the screen did not flag: the message is added to the live alert (reason
    "asked for help") and everyone already told gets the short "new message on alert #N" notice at once, open or
    acknowledged, with no `renotify_minutes` wait: a plea is what they must see. Returns the alert, or None
    when none is live (it was closed in between).

    A picture message (MMS) from them while it is live is added the same way (`reason=PICTURE`): the service
    cannot show pictures, so the duty team must hear that something was sent."""
    now = now or utcnow()
    alert = _live_alert(session, message.participant_id)
    if alert is None:
        return None
    assert message.id is not None and alert.id is not None
    session.add(
        AlertMessage(
            alert_id=alert.id,
            message_id=message.id,
            categories=[],
            priority=alert.priority,
            reasons=[reason],
            created_at=now,
        )
    )
    if reason == PLEA:
        alert.reasons = _merge(alert.reasons, (PLEA,))  # as `_add_disclosure`: now more than an unread flag
    alert.message_count += 1
    alert.last_message_at = now
    session.add(alert)
    tag = f"-plea-{message.id}"  # one per message, however close together
    _tell_of_new_message(session=session, vault=vault, config=config, alert=alert, now=now, tag=tag, at_once=True)
    session.flush()
    return alert


def live_alert_escalated(session: Session, participant_id: int | None) -> bool:
    """True when the young person's live alert has been escalated to the escalation contacts (the out-of-hours
    team), who then hear of everything more from them (`told_routes`)."""
    alert = _live_alert(session, participant_id)
    return alert is not None and alert.escalated_at is not None


def _live_alert(session: Session, participant_id: int | None) -> Alert | None:
    """The young person's newest alert the duty team has not closed."""
    if participant_id is None:
        return None
    return session.exec(
        select(Alert)
        .where(col(Alert.participant_id) == participant_id, alert_is_live())
        .order_by(col(Alert.id).desc())
        .limit(1)
    ).first()


# -- chasing ------------------------------------------------------------------------------------


def renotify_overdue(*, session: Session, vault: PhoneVault, config: Config, now: datetime) -> list[int]:
    """Notify the duty team again about each open alert whose last round of notices went `renotify_minutes` ago.

    The clock runs from when that round's first notice actually went (`_last_round_sent`), not from when it was
    queued: after a scheduler outage, the first notice and "Reminder 1" must not arrive together (trial finding
    T9). While none of the round has gone (still waiting in the outbox), no reminder is queued behind it; a round
    that could not be sent at all (every notice failed, or nowhere to send it) is chased from when it was queued."""
    cutoff = now - timedelta(minutes=config.safeguarding.renotify_minutes)
    alerts = session.exec(
        select(Alert).where(col(Alert.status) == AlertStatus.OPEN).order_by(col(Alert.id)).with_for_update()
    ).all()
    due = [alert for alert in alerts if (alert.last_notified_at or alert.created_at) <= cutoff]
    rounds = _last_round_sent(session, due)
    done = []
    for alert in due:
        assert alert.id is not None
        sent_at, waiting = rounds.get(alert.id, (None, False))
        if (sent_at is not None and sent_at > cutoff) or (sent_at is None and waiting):
            continue
        notify_duty_team(
            session=session, vault=vault, config=config, alert=alert, attempt=alert.notified_count + 1, now=now
        )
        done.append(alert.id)
    session.flush()
    return done


def _round_waiting(session: Session, alert: Alert) -> bool:
    """True while none of the alert's last round of notices to the duty team has gone yet (`_last_round_sent`)."""
    assert alert.id is not None
    sent_at, waiting = _last_round_sent(session, [alert]).get(alert.id, (None, False))
    return sent_at is None and waiting


def _last_round_sent(session: Session, alerts: list[Alert]) -> dict[int, tuple[datetime | None, bool]]:
    """For each alert, when the first notice of its last round to the duty team (`notified_count`) went, or None,
    and whether any of that round is still waiting to be sent."""
    if not alerts:
        return {}
    rounds = {alert.id: alert.notified_count for alert in alerts}
    rows = session.exec(
        select(
            col(OutboxMessage.alert_id),
            col(OutboxMessage.attempt),
            col(OutboxMessage.status),
            col(OutboxMessage.sent_at),
        ).where(col(OutboxMessage.alert_id).in_(list(rounds)), col(OutboxMessage.kind) == OutboxKind.ALERT)
    ).all()
    found: dict[int, tuple[datetime | None, bool]] = {}
    for alert_id, attempt, status, sent_at in rows:
        if alert_id is None or (attempt or 0) != rounds.get(alert_id):
            continue
        first, waiting = found.get(alert_id, (None, False))
        if status in (OutboxStatus.SENT, OutboxStatus.DELIVERED) and sent_at is not None:
            sent = as_utc(sent_at)
            first = sent if first is None or sent < first else first
        waiting = waiting or status in (OutboxStatus.PENDING, OutboxStatus.SENDING)
        found[alert_id] = (first, waiting)
    return found


def escalate_overdue(*, session: Session, vault: PhoneVault, config: Config, now: datetime) -> list[int]:
    """Escalate each alert nobody has acknowledged, once, to the escalation routes: `escalate_after_minutes` after it
    was raised, or sooner when the duty desk shuts with it still open and there are escalation contacts. One raised
    at 16:58 and not picked up by the 17:00 close is then with the out-of-hours team, as one raised at 17:01 is at
    once (`passes_on_at_once`), not an hour into the night with nobody on it."""
    cutoff = now - timedelta(minutes=config.safeguarding.escalate_after_minutes)
    unacknowledged = [col(Alert.status) == AlertStatus.OPEN, col(Alert.escalated_at).is_(None)]
    if not passes_on_at_once(config, now):
        unacknowledged.append(col(Alert.created_at) <= cutoff)
    alerts = session.exec(select(Alert).where(*unacknowledged).order_by(col(Alert.id)).with_for_update()).all()
    done = []
    for alert in alerts:
        if _waits_for_desk(alert) and now - _desk_opened(config, alert) < timedelta(
            minutes=config.safeguarding.escalate_after_minutes
        ):
            continue  # a flag to read raised out of hours: its clock starts when the desk opens (`store_alert`)
        _escalate(session=session, vault=vault, config=config, alert=alert, now=now)
        assert alert.id is not None
        done.append(alert.id)
    session.flush()
    return done


def _held_for_desk(alert: Alert, now: datetime) -> bool:
    """True while an alert's first notices still wait for the duty desk to open (`store_alert`'s `wait_for_desk`):
    more text the screen cannot read is told with them, not at night ahead of them."""
    due = as_utc(alert.last_notified_at)
    return _waits_for_desk(alert) and due is not None and due > now


def _waits_for_desk(alert: Alert) -> bool:
    """True for an alert raised out of hours that only asks a person to read text the screen could not (not in
    English), never escalated: its notices waited for the desk to open (`store_alert`'s `wait_for_desk`)."""
    return alert.out_of_hours and alert.escalated_at is None and list(alert.reasons or ()) == [NOT_ENGLISH_REASON]


def _desk_opened(config: Config, alert: Alert) -> datetime:
    """When the duty desk first opened after `alert` was raised (when it was raised, if the desk was open)."""
    raised = as_utc(alert.created_at)
    return next_opening(config, raised) or raised


def _escalate(*, session: Session, vault: PhoneVault, config: Config, alert: Alert, now: datetime) -> None:
    """Queue the escalation notices (once per alert) and record when."""
    _queue_notices(
        session=session,
        vault=vault,
        config=config,
        alert=alert,
        kind=OutboxKind.ESCALATION,
        routes=escalation_routes(config),
        attempt=0,
        now=now,
    )
    alert.escalated_at = now


# -- what the duty team does --------------------------------------------------------------------


def _get(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None:
        raise LookupError(f"there is no alert {alert_id}")
    return alert


def _name(value: str | None, what: str) -> str:
    if not value or not value.strip():
        raise ValueError(f"say who {what}")
    return value.strip()[:120]


# "No further action" is a decision about a child who told us something: it says why, in the same step (trial 13,
# T13-13: an alert was closed "no further action" with no word, after the young person had been told a worker would
# get back to them). The dashboard's forms and the command line ask for it with these words.
NO_FURTHER_ACTION_RULE = "Say why no further action is needed"


def reason_missing(action: str | None, note: str | None) -> str | None:
    """`NO_FURTHER_ACTION_RULE` when `action` is no further action and `note` says nothing, else None."""
    if action == AlertAction.NO_FURTHER_ACTION and not (note and note.strip()):
        return NO_FURTHER_ACTION_RULE
    return None


def _check_reason(action: str | None, note: str | None) -> None:
    missing = reason_missing(action, note)
    if missing is not None:
        raise ValueError(f"{missing} (a note)")


def _enter(
    session: Session,
    alert: Alert,
    kind: str,
    by: str,
    now: datetime,
    *,
    note: str | None = None,
    action: str | None = None,
    handed_to: str | None = None,
) -> AlertEntry:
    """Add one step to the alert's record (`AlertEntry`): who did what and when, with the note they wrote, so
    nothing a worker writes or does is overwritten by the next one, and every step says whose it was."""
    assert alert.id is not None
    entry = AlertEntry(
        alert_id=alert.id,
        kind=kind,
        by=by,
        at=now,
        action=action,
        handed_to=handed_to,
        note=note.strip() if note and note.strip() else None,
    )
    session.add(entry)
    return entry


def _take(session: Session, alert: Alert, by: str, now: datetime, note: str | None = None) -> bool:
    """Acknowledge an open alert on behalf of `by` (acting on an alert is picking it up), with `note` on its
    record; whether it did (False when someone already had it)."""
    if alert.status != AlertStatus.OPEN:
        return False
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = by
    _enter(session, alert, AlertStep.ACKNOWLEDGED, by, now, note=note)
    return True


def _worker_name(session: Session, by: str) -> str:
    """The name of the account `by` is the email of (the duty pages and the command line record the
    email); `by` itself when it is a name."""
    return display_names(session=session, emails=[by]).get(by, by)


def _tell_escalation_contacts(
    *, session: Session, vault: PhoneVault, config: Config, alert: Alert, kind: str, by: str, now: datetime
) -> None:
    """An alert escalated to the escalation contacts was acknowledged or closed (`kind`): they hear who has
    it and when, once, so they do not act on it too. Nothing when it was never escalated."""
    if alert.escalated_at is None:
        return
    name = _worker_name(session, by)
    _queue_notices(
        session=session,
        vault=vault,
        config=config,
        alert=alert,
        kind=kind,
        routes=escalation_routes(config),
        attempt=0,
        now=now,
        body=handled_notice(alert, config=config, kind=kind, by=name, now=now),
        subject=handled_subject(alert, kind, name),
    )


def _pick_up(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert: Alert,
    by: str,
    now: datetime,
    note: str | None = None,
) -> None:
    """`_take`, and when that acknowledged an escalated alert, the escalation contacts are told."""
    if _take(session, alert, by, now, note):
        _tell_escalation_contacts(
            session=session, vault=vault, config=config, alert=alert, kind=OutboxKind.ALERT_ACKNOWLEDGED, by=by, now=now
        )


REPLIED_NOTE = "Picked up by replying to them"


def take_on_reply(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    participant_id: int,
    by: str,
    now: datetime,
    note: str = REPLIED_NOTE,
) -> list[Alert]:
    """A worker who replies to a young person with an open alert, or records calling or visiting them, has picked
    it up: acknowledged in their name (re-notices and escalation stop, so the emergency duty team is not called out
    while someone is already talking to them, and told it is in hand when it was already escalated), with a `note`
    saying how. Returns the alerts it acknowledged."""
    taken = list(
        session.exec(
            select(Alert).where(Alert.participant_id == participant_id, Alert.status == AlertStatus.OPEN)
        ).all()
    )
    for alert in taken:
        _pick_up(session=session, vault=vault, config=config, alert=alert, by=by, now=now, note=note)
        session.add(alert)
    return taken


class AlreadyAcknowledged(Exception):
    """Acknowledging an alert someone has already picked up: nothing is changed or recorded.

    Not a refusal (the alert is in hand, which is what the caller wanted), so not a ValueError:
    callers say so and carry on. `acknowledged_by` and `acknowledged_at` say who has it and since when.
    """

    def __init__(self, alert: Alert):
        self.alert_id = alert.id
        self.acknowledged_by = alert.acknowledged_by or ""
        self.acknowledged_at = alert.acknowledged_at
        super().__init__(f"alert {alert.id} is already acknowledged by {self.acknowledged_by}; nothing changed")


def acknowledge(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert_id: int,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> Alert:
    """Record that a duty worker has picked the alert up: re-notification and escalation stop, and the
    escalation contacts are told when it had been escalated to them.

    A closed alert is refused (ValueError "alert N is closed"), as every other change to it is.
    Acknowledging an alert already acknowledged changes nothing, not even the note (a form sent
    twice must not add it twice): AlreadyAcknowledged says who has it.
    """
    by = _name(by, "is acknowledging (--by NAME)")
    alert = _get(session, alert_id)
    if alert.status == AlertStatus.CLOSED:
        raise ValueError(f"alert {alert_id} is closed")
    if alert.status == AlertStatus.ACKNOWLEDGED:
        raise AlreadyAcknowledged(alert)
    _pick_up(session=session, vault=vault, config=config, alert=alert, by=by, now=now or utcnow(), note=note)
    session.add(alert)
    session.flush()
    return alert


def _last_note(session: Session, alert: Alert) -> str | None:
    """The last note written on an alert: its last entry's with one, else the last line of its earlier notes."""
    written = session.exec(
        select(AlertEntry.note)
        .where(col(AlertEntry.alert_id) == alert.id, col(AlertEntry.note).is_not(None))
        .order_by(col(AlertEntry.at).desc(), col(AlertEntry.id).desc())
    ).first()
    if written is not None:
        return written
    earlier = (alert.note or "").splitlines()
    return earlier[-1] if earlier else None


def add_note(*, session: Session, alert_id: int, note: str, by: str, now: datetime | None = None) -> tuple[Alert, bool]:
    """Add a duty worker's note to an alert someone already has (`alerts ack --note` once it was acknowledged or
    handed over: the note is kept, not lost; trial 11, T11-11). Nothing else changes. A closed alert is refused
    (ValueError); a note the same as the last one is not added again (a command sent twice). The alert, and
    whether the note was added."""
    by = _name(by, "wrote it (--by NAME)")
    alert = _get(session, alert_id)
    if alert.status == AlertStatus.CLOSED:
        raise ValueError(f"alert {alert_id} is closed")
    text = note.strip()
    if not text or _last_note(session, alert) == text:
        return alert, False
    _enter(session, alert, AlertStep.NOTE, by, now or utcnow(), note=text)
    session.flush()
    return alert, True


def _check_action(action: str) -> None:
    if action not in AlertAction.ALL:
        raise ValueError(f"action must be one of {', '.join(AlertAction.ALL)}, got {action!r}")


def _change_live(
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert_id: int,
    by: str,
    note: str | None,
    now: datetime | None,
    kind: str,
    change: Callable[[Alert], dict[str, str]],
) -> Alert:
    """Apply `change` to an alert that is not closed, picking it up in `by`'s name, and record it as a `kind` step
    with the note (and what `change` returns: the entry's action, or who it was handed to)."""
    alert = _get(session, alert_id)
    if alert.status == AlertStatus.CLOSED:
        raise ValueError(f"alert {alert_id} is closed")
    recorded = change(alert)  # first: a refused change (NotOnDutyTeam) tells nobody anything
    now = now or utcnow()
    _pick_up(session=session, vault=vault, config=config, alert=alert, by=by, now=now)
    _enter(session, alert, kind, by, now, note=note, **recorded)
    session.add(alert)
    session.flush()
    return alert


def record_action(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert_id: int,
    action: str,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> Alert:
    """Record what was done (called, visited, referred, no_further_action: with a note saying why); acknowledges an
    open alert."""
    by = _name(by, "acted (--by NAME)")
    _check_action(action)
    _check_reason(action, note)

    def done(alert: Alert) -> dict[str, str]:
        alert.action_taken = action
        return {"action": action}

    return _change_live(session, vault, config, alert_id, by, note, now, AlertStep.ACTION, done)


class NotOnDutyTeam(ValueError):
    """A hand-over to someone with no active duty account: nobody would be chased about the alert."""


class HandOverToSelf(NotOnDutyTeam):
    """A hand-over to the worker handing it over: nobody else would know it is theirs (trial 11, T11-11)."""


HAND_OVER_RULE = "hand over only to a duty account"
BY_RULE = "--by must name your own duty account"


def duty_account(*, session: Session, who: str, rule: str = HAND_OVER_RULE) -> User:
    """The active duty account `who` names, by email or by name (any capitalisation).

    The one home of "who counts as the duty team": the taker of a hand-over, and whoever the command
    line records as acknowledging, acting on, closing or reading an alert (`rule` says which, in the
    refusal). Raises NotOnDutyTeam when there is none, or when several duty accounts share the name.
    """
    wanted = " ".join(who.split())
    query = (
        select(User)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .where(col(UserRole.role) == Role.DUTY, col(User.active).is_(True))
    )
    by_email = session.exec(query.where(col(User.email) == normalise_email(wanted))).first()
    if by_email is not None:
        return by_email
    named = [user for user in session.exec(query).all() if " ".join(user.name.split()).lower() == wanted.lower()]
    if len(named) == 1:
        return named[0]
    if named:
        raise NotOnDutyTeam(
            f"more than one duty account is called {wanted!r}: name them by email "
            f"({', '.join(sorted(user.email for user in named))})"
        )
    raise NotOnDutyTeam(
        f"{wanted!r} is not on the duty team: {rule}, by name or email "
        "(`voice-service users list` shows them; an admin adds one with `users add --role duty`)"
    )


class HandOver(NamedTuple):
    """A hand-over done: the alert, and the duty account that took it over (so the caller can name
    them without looking the account up again)."""

    alert: Alert
    taker: User


def hand_over(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert_id: int,
    to: str,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
) -> HandOver:
    """Pass a live alert to another duty worker; acknowledges an open one in `by`'s name.

    `to` must name an active duty account (by email or name; NotOnDutyTeam otherwise): a hand-over
    stops re-notification and escalation, so it must reach someone who can act; not `by` themselves
    (HandOverToSelf). `assigned_to`
    keeps the account's email, as the duty pages show it. The account is looked up once, after the
    alert (a closed alert is refused first), and returned with it.
    """
    by = _name(by, "is handing over (--by NAME)")
    to = _name(to, "takes it over (--to NAME)")
    taker: User | None = None

    def assign(alert: Alert) -> dict[str, str]:
        nonlocal taker
        taker = duty_account(session=session, who=to)
        if normalise_email(taker.email) == normalise_email(by):
            raise HandOverToSelf(
                f"you cannot hand alert {alert_id} over to yourself: --to must name a colleague on the duty team "
                "(`voice-service users list` shows them)"
            )
        alert.assigned_to = taker.email
        return {"handed_to": taker.email}

    alert = _change_live(session, vault, config, alert_id, by, note, now, AlertStep.HANDED_OVER, assign)
    assert taker is not None  # `assign` ran, or _change_live raised
    return HandOver(alert, taker)


def close(
    *,
    session: Session,
    vault: PhoneVault,
    config: Config,
    alert_id: int,
    by: str,
    action: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> Alert:
    """Close an alert once what was done is recorded (`action`, the outcome at closing, or one recorded before).

    The closing is a step on the alert's record, by `by`, with the outcome and note given then; an outcome given
    becomes the alert's `action_taken` (the latest thing done), and what was recorded before stays on the record
    under its own worker's name. Closing a closed alert changes nothing. A later disclosure from the same young
    person raises a new alert. The escalation contacts of an escalated alert are told it is closed (one notice, even
    when this also picks it up).
    """
    by = _name(by, "is closing it (--by NAME)")
    if action is not None:
        _check_action(action)
        _check_reason(action, note)
    alert = _get(session, alert_id)
    if alert.status == AlertStatus.CLOSED:
        return alert
    if action is None and alert.action_taken is None:
        raise ValueError(
            f"record what was done before closing: --action {'|'.join(AlertAction.ALL)} (or `alerts action` first)"
        )
    now = now or utcnow()
    _take(session, alert, by, now)
    if action is not None:
        alert.action_taken = action
    _enter(session, alert, AlertStep.CLOSED, by, now, note=note, action=action)
    alert.status = AlertStatus.CLOSED
    alert.closed_at = now
    alert.closed_by = by
    _tell_escalation_contacts(
        session=session, vault=vault, config=config, alert=alert, kind=OutboxKind.ALERT_CLOSED, by=by, now=now
    )
    session.add(alert)
    session.flush()
    _hand_back_thread(session, alert.participant_id, now)
    return alert


def _hand_back_thread(session: Session, participant_id: int | None, now: datetime) -> None:
    """With their last live alert closed, a young person's thread assigned to someone who can no longer open
    it (a duty-only account that replied from the alert, `accounts.may_open_thread`; an account closed or gone)
    goes back to nobody, so a later plea for a call is not parked where nobody sees it (trial finding 27)."""
    if (
        participant_id is None
        or session.exec(select(Alert.id).where(col(Alert.participant_id) == participant_id, alert_is_live())).first()
    ):
        return
    threads = session.exec(
        select(Conversation).where(
            col(Conversation.participant_id) == participant_id,
            col(Conversation.status).in_(ConversationStatus.ACTIVE),
            col(Conversation.assigned_to).is_not(None),
        )
    ).all()
    for thread in threads:
        user = find_user(session=session, email=thread.assigned_to or "")
        if user is None:
            continue  # a name that is no account's: nothing to check it against
        roles = roles_of(session=session, user=user) if user.active else frozenset()
        if not may_open_thread(roles, live_alert=False):
            thread.assigned_to = None
            thread.status = ConversationStatus.OPEN
            thread.updated_at = now
            session.add(thread)
    session.flush()

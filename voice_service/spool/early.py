"""The early notice: the duty team told at once of a worrying message the database could not take (trial 13, T13-5).

A worrying message spooled while the database is unavailable has its help reply at once (`guard.hold`), but its
alert, and so every notice of it, waits for the database: that may be hours. So, as it is spooled, the same routes
its alert's first notices would go to (`safeguarding.alerts.early_routes`: the duty routes, and the escalation
contacts when the desk is shut) are told at once, by the senders the dispatcher uses (text through the configured
provider, email over `[smtp]`, the signed webhook), none of which needs the database. The notice's words are
`alerts.early_notice`: a message that may show a risk came in while the database was unavailable, when, on which
channel, its priority and categories, and that its full alert will be on the dashboard as soon as the database is
back, with the alerts page's link. Never a word of the message, a name or a number, as no notice carries them.

It is sent from a thread of its own, so the young person's help reply does not wait for a slow mail server. Each
try is noted in the spool (`Spool.note_early`: the route's name and "sent" or "failed" with the sender's kind of
error, no address), so nothing about it is lost: a failed route is tried again (`alert_backoff`: 15 s doubling,
at most 5 min apart) while the message still waits in the spool, each failure is logged at ERROR (no address,
no word), /healthz and `spool status` count the worrying messages no route has heard of (`Depth.unwarned`), and
once the database is back the replay raises the full alert as usual, with what became of its early notice among
its reasons (`early_reasons`: "early notice sent while the database was unavailable, by text and email; not by
webhook (webhook URLError)"); its notices then say "early notice sent", so the duty team reads them as the full
alert of what they already heard of, not a second emergency, and a route the early notice missed hears by them.

One early notice a young person an outage: a further worrying message from the same sender (the same number's
keyed hash, the same chat), while their first waits in the spool, sends none (noted "covered"): the replay adds it
to the same alert, as the normal path adds a further disclosure to a live alert.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection

from ..outbox.channels import AlertFacts, Outgoing, PermanentFailure, TransientFailure
from .store import Record, Spool, SpoolError

log = logging.getLogger(__name__)

SENT, FAILED = "sent", "failed"  # a route's try, as `Spool.note_early` notes it


def sender_key(services, record: Record) -> str:
    """Who sent the record, without saying who: the number's keyed hash (as the database looks them up), or the
    chat's token hash; the record's own id when neither can be read."""
    from ..privacy import InvalidPhone, normalise_phone
    from ..web.chat.sessions import hash_token

    if record.channel == "sms":
        try:
            return "sms:" + services.vault.hash(normalise_phone(record.form().get("From", "")))
        except InvalidPhone:
            return "record:" + record.id
    token = record.data.get("token")
    return "chat:" + hash_token(token) if isinstance(token, str) and token else "record:" + record.id


def _from_duty_phone(config, record: Record) -> bool:
    """True for a text from one of the duty team's own numbers (a duty worker answering an early notice): nobody to
    tell the duty team of (`inbound.duty_phones`: the replay answers it with where alerts are acknowledged)."""
    from ..inbound.duty_phones import is_duty_phone
    from ..privacy import InvalidPhone, normalise_phone

    if record.channel != "sms":
        return False
    try:
        return is_duty_phone(config, normalise_phone(record.form().get("From", "")))
    except InvalidPhone:
        return False


def start(services, spool: Spool, record: Record, screen, *, senders=None) -> threading.Thread | None:
    """Tell the duty team of this worrying spooled record at once, from a thread of its own (returned, or None when
    nothing is sent: no route, or the same sender's earlier message in this outage had the notice)."""
    from ..safeguarding.alerts import early_routes

    routes = early_routes(services.config, record.received_at)
    if not routes or _from_duty_phone(services.config, record):
        return None
    sender = sender_key(services, record)
    try:
        if spool.begin_early(record.id, sender=sender) is not None:
            log.info("spooled worrying message %s: the duty team already had an early notice of this sender", record.id)
            return None
    except (SpoolError, OSError) as error:
        # Not noted: sent all the same (the duty team must hear), and the replay will not know it went.
        log.error("early notice of spooled message %s could not be noted in the spool (%s)", record.id, error)
    thread = threading.Thread(
        target=tell,
        args=(services, spool, record, screen, routes),
        kwargs={"sender": sender, "senders": senders},
        name="early-notice",
        daemon=True,
    )
    thread.start()
    return thread


def tell(
    services,
    spool: Spool,
    record: Record,
    screen,
    routes,
    *,
    sender: str = "",
    senders=None,
    sleep: Callable[[float], None] = time.sleep,
    tries: int | None = None,
) -> dict[str, str]:
    """Send the early notice to each route, noting each try; a route that fails for now is tried again
    (`alert_backoff`) while the record waits in the spool (at most `tries` rounds, if given). Returns each route's
    last state by name ("sent" or "failed")."""
    from ..models import AlertPriority, OutboxKind
    from ..outbox.dispatch import Senders, alert_backoff
    from ..safeguarding.alerts import early_notice, early_subject, is_out_of_hours

    config = services.config
    try:
        senders = senders or Senders.from_config(config)
    except Exception as failure:  # a sender that cannot be made (a setting missing): every route failed, noted
        for route in routes:
            _note(spool, record, sender, route, FAILED, type(failure).__name__)
        log.error("early notice of spooled worrying message %s not sent: no sender (%s)", record.id, failure)
        return {route.name or route.channel: FAILED for route in routes}
    categories = tuple(getattr(screen, "categories", ()) or ())
    reasons = tuple(getattr(screen, "reasons", ()) or ())
    priority = getattr(screen, "priority", "") or AlertPriority.HIGH
    when = record.received_at
    body = early_notice(
        config, channel=record.channel, when=when, categories=categories, reasons=reasons, priority=priority
    )
    facts = AlertFacts(
        None,
        0,
        categories,
        priority,
        channel=record.channel,
        raised_at=when,
        out_of_hours=is_out_of_hours(config, when),
        delayed=True,
    )
    states: dict[str, str] = {}
    remaining = list(routes)
    round_ = 0
    while remaining:
        round_ += 1
        for route in list(remaining):
            message = Outgoing(
                outbox_id=0,  # no outbox row: there is no database to hold one
                kind=OutboxKind.ALERT_EARLY,
                to=route.destination,
                body=body,
                subject=early_subject(priority) if route.channel == "email" else None,
                alert=facts,
            )
            channel_sender = senders.for_channel(route.channel)
            error, final = "", False
            try:
                if channel_sender is None:
                    raise PermanentFailure(f"no sender for {route.channel}")
                channel_sender.send(message)
            except PermanentFailure as failure:
                error, final = str(failure), True
            except TransientFailure as failure:
                error = str(failure)
            except Exception as failure:  # a sender's fault must not end the other routes' notices
                error = type(failure).__name__
            state = FAILED if error else SENT
            states[route.name or route.channel] = state
            if not error or final:
                remaining.remove(route)
            _note(spool, record, sender, route, state, error)
            if error:
                # No address and no word: the route's name in the settings and the sender's kind of error.
                log.error(
                    "early notice of spooled worrying message %s not sent by %s (%s)%s",
                    record.id,
                    route.name or route.channel,
                    error,
                    "" if final else "; trying again",
                )
            else:
                log.warning("early notice of spooled worrying message %s sent by %s", record.id, route.name)
        for each in (senders.sms, senders.email, senders.webhook):
            each.close()
        if not remaining or (tries is not None and round_ >= tries):
            break
        sleep(alert_backoff(round_).total_seconds())
        if not spool.waiting(record.id):
            break  # stored now: its alert's own notices go to every route, through the outbox
    return states


def _note(spool: Spool, record: Record, sender: str, route, state: str, error: str) -> None:
    try:
        spool.note_early(
            record.id, sender=sender, route=route.name or "", channel=route.channel, state=state, error=error
        )
    except (SpoolError, OSError) as failure:
        log.error("early notice of spooled message %s: its outcome could not be noted (%s)", record.id, failure)


def early_reasons(spool: Spool) -> dict[str, str]:
    """By record id, what each record's full alert records of its early notice (`alerts.early_reason`): by which
    channels it went and which it did not reach, by each route's last try. A record with none (not worrying, no
    route, or covered by an earlier message of the same sender's, whose alert it joins) is not named."""
    from ..safeguarding.alerts import CHANNEL_WORDS, early_reason

    last: dict[str, dict[str, dict[str, str]]] = {}
    for line in spool.early():
        if line.get("state") in (SENT, FAILED):
            last.setdefault(line["record"], {})[line.get("route") or line.get("channel", "")] = line
    reasons = {}
    for record_id, routes in last.items():
        sent: list[str] = []
        unsent: list[str] = []
        for line in routes.values():
            word = CHANNEL_WORDS.get(line.get("channel", ""), line.get("channel", ""))
            if line["state"] == SENT:
                sent.append(word)
            else:
                unsent.append(f"{word} ({line.get('error') or 'no reason given'})")
        reasons[record_id] = early_reason(_once(sent), _once(unsent))
    return reasons


def _once(words: Collection[str]) -> list[str]:
    return list(dict.fromkeys(words))

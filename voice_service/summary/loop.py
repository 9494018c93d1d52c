"""Closing the loop: tell the young people who took part what they said and what changed,
and send the panel its summary when a round closes."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import exists, select
from sqlmodel import Session

from ..models import OptOut, Participant, Response, Round, utcnow
from ..outbox import enqueue
from ..rounds.launch import is_under_16
from .report import ActionLine, Summary, ThemeResult

log = logging.getLogger(__name__)
TOP_THINGS = 3

# How each theme sounds to a young person: short, warm, plain.
PLAIN_THEMES = {
    "safety": "feeling safe",
    "health": "your health",
    "mental_health": "how you feel inside",
    "education": "school and college",
    "work_and_money": "jobs and money",
    "housing": "a place to live",
    "leaving_care": "leaving care",
    "carers": "your carers",
    "family_and_friends": "family and friends",
    "social_workers": "your social worker",
    "stability": "moving home",
    "having_a_say": "having your say",
    "everyday_life": "doing normal things",
    "leisure": "fun things to do",
    "love_and_belonging": "feeling loved",
    "respect_and_identity": "being treated well",
    "rights": "knowing your rights",
    "aspirations": "your dreams",
}


@dataclass(frozen=True)
class Thing:
    """One thing young people said, and what the council did or will do about it."""

    theme: str
    said: str
    did: list[str]
    will: list[str]


def _plain(theme: str) -> str:
    return PLAIN_THEMES.get(theme, theme.replace("_", " "))


def top_things(summary: Summary, limit: int = TOP_THINGS) -> list[Thing]:
    """The most-raised themes that at least 5 people wrote about, with the actions that answer them."""
    actions = [
        a for sec in summary.pledges + summary.messages for a in sec.we_did + sec.we_will
    ] + summary.other_actions
    pledges: dict[str, set[int]] = {}
    for sec in summary.pledges:
        for t in sec.themes:
            pledges.setdefault(t.id, set()).add(sec.number)
    shown = [t for t in summary.themes if t.people]  # None (fewer than 5) and 0 are left out
    things = []
    for theme in shown[:limit]:
        relevant = _actions_for(theme, actions, pledges.get(theme.id, set()))
        things.append(
            Thing(
                theme=theme.id,
                said=_plain(theme.id),
                did=[a.did for a in relevant if a.status == "done"],
                will=[a.did for a in relevant if a.status != "done"],
            )
        )
    return things


def _actions_for(theme: ThemeResult, actions: list[ActionLine], pledges: set[int]) -> list[ActionLine]:
    seen, found = set(), []
    for action in actions:
        about = action.theme == theme.id or (action.theme is None and action.pledge in pledges)
        if about and action.id not in seen:
            seen.add(action.id)
            found.append(action)
    return found


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text[:1].upper() + text[1:] + "."


def young_people_text(summary: Summary, *, link: str | None = None) -> str:
    """The plain-English version for young people: under 300 words, top three things and what changed."""
    things = top_things(summary)
    lines = [
        f"You said, we did: {summary.survey_title}",
        "",
        "Thank you for telling us what you think. We read every answer.",
    ]
    if things:
        lines += ["", "Here are the top things you told us about, and what we are doing."]
        for number, thing in enumerate(things, 1):
            lines += ["", f"{number}. You talked about {thing.said}."]
            for did in thing.did[:2]:
                lines.append(f"What we did: {_sentence(did)}")
            for will in thing.will[:2]:
                lines.append(f"What we will do: {_sentence(will)}")
            if not thing.did and not thing.will:
                lines.append("We are still working out what to do. We will tell you when we know.")
    else:
        lines += [
            "",
            "Not many people answered this time, so we will keep what you said private. "
            "It still helps us, and we will tell you what changes.",
        ]
    lines += ["", "You can tell us more at any time. Just send us a text."]
    if link:
        lines += [f"See more at {link}"]
    return "\n".join(lines) + "\n"


def loop_sms(summary: Summary, *, first_name: str | None, link: str) -> str:
    """The short text sent to each young person when a round closes."""
    things = [thing.said for thing in top_things(summary)]
    hello = f"Hi {first_name}, thanks" if first_name else "Thanks"
    if things:
        said = things[0] if len(things) == 1 else ", ".join(things[:-1]) + " and " + things[-1]
        middle = f" You told us about {said}."
    else:
        middle = ""
    return (
        f"{hello} for taking part in our survey.{middle} See what we are doing about it: {link} Reply STOP to opt out."
    )


def took_part(*, session: Session, round_id: int) -> list[Participant]:
    """Everyone who answered at least one question in the round, can be texted and has not opted out."""
    answered = exists().where(
        Response.participant_id == Participant.id, Response.round_id == round_id, Response.skipped.is_(False)
    )
    opted_out = exists().where(OptOut.phone_hash == Participant.phone_hash)
    query = (
        select(Participant)
        .where(answered, ~opted_out, Participant.phone_hash.is_not(None), Participant.phone_encrypted.is_not(None))
        .order_by(Participant.id)
    )
    return list(session.exec(query).scalars())


def on_round_closed(*, session: Session, services, round_id: int) -> int:
    """Queue the "you said, we did" text for everyone who took part, in the caller's transaction."""
    from . import summarise

    summary = summarise(session=session, services=services, round_id=round_id)
    link = services.config.app.public_url.rstrip("/") + "/chat"
    today = utcnow().date()
    queued = 0
    for participant in took_part(session=session, round_id=round_id):
        enqueue(
            session=session,
            vault=services.vault,
            key=f"loop:{round_id}:{participant.id}",
            kind="loop",
            participant=participant,
            body=loop_sms(summary, first_name=participant.first_name, link=link),
            round_id=round_id,
            under_16=is_under_16(participant, today),
        )
        queued += 1
    return queued


@dataclass(frozen=True)
class Delivery:
    """Where the panel's summary went."""

    files: list[Path]
    emailed: list[str]


def deliver_panel_summary(services, round_id: int) -> Delivery:
    """Send the round's summary to the `[panel]` recipients: files in panel.drop_dir, email with the PDF."""
    from ..db import session_scope
    from . import render, summarise

    panel, smtp = services.config.panel, services.config.smtp
    if not panel.drop_dir and not panel.emails:
        return Delivery(files=[], emailed=[])
    with session_scope(services.engine) as session:
        if session.get(Round, round_id) is None:
            raise LookupError(f"there is no round {round_id}")
        summary = summarise(session=session, services=services, round_id=round_id)
    html, pdf = render(summary, "html"), render(summary, "pdf")
    stem = f"you-said-we-did-round-{round_id}"
    files: list[Path] = []
    if panel.drop_dir:
        folder = Path(panel.drop_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, content in ((".html", html), (".pdf", pdf)):
            target = folder / (stem + suffix)
            partial = target.with_suffix(suffix + ".part")
            partial.write_bytes(content)
            partial.replace(target)  # a watcher never picks up half a file
            files.append(target)
    emailed: list[str] = []
    if panel.emails:
        if not smtp.host:
            log.warning("panel.emails is set but smtp.host is not: the summary was not emailed")
        else:
            _email(smtp, panel.emails, summary, pdf, stem + ".pdf")
            emailed = list(panel.emails)
    return Delivery(files=files, emailed=emailed)


def _email(smtp, recipients: list[str], summary: Summary, pdf: bytes, filename: str) -> None:
    """One email to the panel with the PDF attached."""
    from .render_text import render_markdown

    message = EmailMessage()
    message["Subject"] = f"You said, we did: {summary.survey_title}, round {summary.round_id}"
    message["From"] = smtp.from_address
    message["To"] = ", ".join(recipients)
    message.set_content(render_markdown(summary))
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.username:
            client.login(smtp.username, smtp.password)
        client.send_message(message)

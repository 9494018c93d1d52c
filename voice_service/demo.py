"""The newcomer's tour: a fresh database, synthetic young people, a round sent, replies
simulated through the real `/sms/inbound` webhook (signed, over HTTP on loopback), the
transcript printed, and the answers exported. Every number is in Ofcom's drama range."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session, col, select
from werkzeug.serving import WSGIRequestHandler, make_server

from . import analysis
from .config import school_hours_window
from .context import Services
from .db import session_scope, upgrade
from .exports import export_rows, write_csv, write_jsonl
from .models import Alert, OutboxKind, OutboxMessage, OutboxStatus, Participant, Run, RunStatus, utcnow
from .outbox.dispatch import Senders, build_dispatcher
from .outbox.sms import ConsoleSms
from .participants.importer import import_participants, rows_to_csv
from .rounds.launch import Cohort, launch_round
from .web import create_app
from .webhook_phone import WebhookPhone


@dataclass
class Persona:
    """A synthetic young person and how they answer."""

    first_name: str
    age: int
    area: str
    status: str = "in_care"
    replies: dict[str, list[str]] = field(default_factory=dict)  # by question id, tried in order
    by_kind: dict[str, list[str]] = field(default_factory=dict)
    start: str = "yes"
    stop_after: int | None = None
    silent: bool = False
    # A worrying answer (question id, words): screened, answered with help alone, alerted, and the
    # survey pauses. Then, once: "GO ON" to carry on, or "STOP".
    disclosure: tuple[str, str] | None = None
    after_disclosure: str = "GO ON"


PERSONAS = [
    Persona(
        "Amira",
        14,
        "North",
        start="Yes!",
        by_kind={
            "scale": ["5", "4/5", "five"],
            "text": ["my carers r really kind and they listen to me"],
            "yes_no": ["yeah"],
        },
    ),
    Persona(
        "Jay",
        15,
        "South",
        start="ye ok",
        by_kind={
            "scale": ["four", "3", "🙂"],
            "text": ["want to see my little brother more but contact keeps getting cancelled"],
        },
    ),
    Persona(
        "Kai",
        16,
        "North",
        start="yep",
        replies={"safe_home": ["idk", "3"]},
        by_kind={"scale": ["3 out of 5", "😐"], "text": ["ngl my sw changed again thats 4 this year"]},
    ),
    Persona(
        "Leah",
        13,
        "East",
        start="yes",
        replies={"safe_home": ["2"], "safe_help": ["if the older kids at the home were quieter at night"]},
        by_kind={"scale": ["4", "😊"], "text": ["more trips out in the holidays pls"]},
    ),
    Persona("Ollie", 17, "South", start="yes", stop_after=2, by_kind={"scale": ["4", "3"]}),
    Persona("Zara", 12, "West", start="yeah", by_kind={"scale": ["skip", "5", "skip"], "text": ["skip"]}),
    Persona(
        "Priya",
        15,
        "East",
        start="ok",
        replies={"feeling": ["1"]},
        disclosure=("feeling_help", "sometimes i dont see the point anymore"),
        by_kind={"scale": ["4"], "text": ["not sure"]},
    ),
    Persona("Mo", 16, "West", silent=True),
]
# What the others write when a question asks for their own words: varied, as real replies are.
COMMENTS = [
    "my sw changed again, thats the 3rd one this year and i have to tell my story all over again",
    "more trips out in the holidays pls, everyone else goes somewhere",
    "i want to see my little sister more, contact keeps getting cancelled",
    "my foster carers are sound tbh they actually listen",
    "i have to wait weeks for a yes to a sleepover at my mates",
    "need help with money, my allowance doesnt last the week",
    "camhs waiting list is ages, ive been waiting since march",
    "nobody asked me before they moved me school",
    "i want to go to uni but nobody talks to me about it",
    "wish my pa would answer my texts",
    "my review was all adults talking about me like i wasnt there",
    "being in care is ok now, my placement is settled finally",
    "teachers dont get it, they treat me different",
    "i'm worried about where i'll live when i turn 18",
    "the youth club on thursdays is the best thing",
]
# What the others answer to a scale, yes/no or choice question: mixed, as real answers are (trial 13: all 45 said
# "Always" and "Yes", so the showcase summary's biggest change was "100% positive"). A choice is its option's number.
ANSWERS = {
    "scale": ["4", "3", "5", "2", "4", "3", "4", "5", "3", "2"],  # not 1: "not safe at all" where they live alerts
    "yes_no": ["yes", "no", "yes", "yes", "no", "yes", "no"],
    "choice": ["2", "1", "3", "2", "4", "1", "2", "3"],
}
NAMES = [
    "Amira",
    "Jay",
    "Kai",
    "Leah",
    "Ollie",
    "Zara",
    "Priya",
    "Mo",
    "Tyler",
    "Chloe",
    "Reece",
    "Aisha",
    "Liam",
    "Megan",
    "Dylan",
    "Sophie",
    "Callum",
    "Jade",
    "Ethan",
    "Niamh",
    "Harvey",
    "Ellie",
    "Kian",
    "Maya",
    "Jordan",
    "Poppy",
    "Ryan",
    "Lacey",
    "Tom",
    "Ruby",
]
TRANSCRIPTS_SHOWN = 8
# Worrying messages are rare: besides the one shown (Priya's), one more among the rest, a different
# worry, after which they choose to stop. Everyone else who follows a persona answers without one.
LATER_DISCLOSURES = {
    19: Persona(
        "",
        0,
        "",
        replies={"safe_home": ["2"]},
        disclosure=("safe_help", "one of the older lads at the home keeps hitting me and staff dont do anything"),
        after_disclosure="STOP",
    ),
}
STRANGER = ["hi is this the voice thing? my sw keeps changing", "yes", "1", "2"]


class _QuietHandler(WSGIRequestHandler):
    """The transcript is the demo's output; per-request access lines would drown it."""

    def log_request(self, *args, **kwargs) -> None:
        pass


# The number the demo onboards by texting in: never seen before, and not the duty phone (`cli.demo.DEMO_DUTY_PHONE`,
# +447700900999), which got the round's invitations as a young person when it was both (trial 9, T9-A).
STRANGER_PHONE = "+447700900888"


def _phone(index: int) -> str:
    return f"+4477009001{index:02d}"


def _dob(age: int, today: date) -> date:
    return date(today.year - age, 1, 15) if today >= date(today.year, 1, 15) else date(today.year - age - 1, 1, 15)


def _windows_words(config) -> str:
    """What the demo's send windows mean for its invitations, as its settings say."""
    schedule = config.schedule
    always = schedule.weekday_window == schedule.weekend_window == "00:00-24:00"
    school_off = school_hours_window(schedule.school_hours) is None
    if always and school_off:
        return (
            "In the demo the send windows are open all day and school hours are off, so every invitation goes now, "
            "whatever the time; a council's rounds keep to [schedule], and never text under-16s in school hours"
        )
    school = "school hours off" if school_off else f"school hours {schedule.school_hours} kept free for under-16s"
    return (
        f"Send windows: weekdays {schedule.weekday_window}, weekends {schedule.weekend_window}, {school}; "
        "a text outside them waits"
    )


def _texted(services: Services, number: str) -> bool:
    """Whether this number's invitation has gone (only someone texted can reply to it)."""
    with Session(services.engine) as session:
        sent = session.exec(
            select(OutboxMessage.id)
            .join(Participant, col(Participant.id) == col(OutboxMessage.participant_id))
            .where(
                col(Participant.phone_hash) == services.vault.hash(number),
                col(OutboxMessage.kind) == OutboxKind.INVITATION,
                col(OutboxMessage.status).in_((OutboxStatus.SENT, OutboxStatus.DELIVERED)),
            )
        ).first()
    return sent is not None


def _current(services: Services, number: str) -> tuple[str | None, str | None]:
    """The waiting question id and run status for a number (the simulator peeks, a real phone can't)."""
    with Session(services.engine) as session:
        participant = session.exec(
            select(Participant).where(col(Participant.phone_hash) == services.vault.hash(number))
        ).first()
        if participant is None:
            return None, None
        run = session.exec(
            select(Run).where(col(Run.participant_id) == participant.id).order_by(col(Run.id).desc())
        ).first()
        return (run.current_question, run.status) if run else (None, None)


def run_demo(
    services: Services,
    *,
    out_dir: Path,
    participants: int = 60,
    echo: Callable[[str], None] = print,
    now: Callable[[], datetime] = utcnow,
    serving: bool = True,
) -> dict:
    """Run the whole tour against `services` (whose database is fresh); returns what it produced.

    `now` is the dispatcher's clock when it sends the invitations (a test pins it inside school hours);
    `serving`: the app is served once the tour ends (`demo`), else the dashboard is given as where it will be."""
    out_dir.mkdir(parents=True, exist_ok=True)
    config = services.config
    echo(f"1. Database: {config.database.url}")
    upgrade(config.database.url)

    today = date.today()
    people = [_cast(i) for i in range(participants)]
    csv_path = out_dir / "participants.csv"
    csv_path.write_text(
        rows_to_csv(
            {
                "phone": _phone(i),
                "first_name": p.first_name,
                "status": p.status,
                "date_of_birth": _dob(p.age, today).isoformat(),
                "area": p.area,
            }
            for i, p in enumerate(people)
        ),
        encoding="utf-8",
    )
    with session_scope(services.engine) as session, csv_path.open(encoding="utf-8") as handle:
        report = import_participants(session=session, vault=services.vault, handle=handle)
    echo(f"2. Imported {report.created} synthetic young people from {csv_path} (phone numbers stored encrypted)")

    survey, source = services.survey_source("pulse")
    earlier = _earlier_round(services, survey, source)
    with session_scope(services.engine) as session:
        launched = launch_round(
            session=session,
            vault=services.vault,
            survey=survey,
            source=source,
            cohort=Cohort(status="in_care", min_age=11, max_age=17),
            timezone=services.config.app.timezone,
            council=services.config.app.council_name,
        )
        round_id = launched.round.id
        assert round_id is not None  # launch_round flushes the new round
    echo(
        f"3. Launched round {round_id} of '{survey.title}' ({survey.id} v{survey.version}): "
        f"{launched.invited} invitations in the outbox"
    )
    echo(f"   (Round {earlier} is last quarter's round of the same survey, simulated, so the summary shows trends.)")

    echo("4. Sending invitations (console provider; numbers masked):")
    echo(f"   ({_windows_words(config)})")
    buffer = io.StringIO()
    dispatcher = build_dispatcher(services, senders=Senders.from_config(config, sms=ConsoleSms(buffer)), now=now)
    flushed = dispatcher.flush()
    dispatcher.close()
    for line in buffer.getvalue().splitlines()[:3]:
        echo("   " + line.strip())
    if len(buffer.getvalue().splitlines()) > 3:
        echo(f"   ... and {len(buffer.getvalue().splitlines()) - 3} more")
    if flushed.held:
        # Only someone who was texted can answer: those held back are not simulated replying below.
        echo(
            f"   {flushed.held} invitation(s) wait for the send window, "
            "so those young people have not been texted and do not reply below"
        )

    # Built now, as `serve` builds them before it answers anyone: in the first text they spent its inbound
    # deadline (3 s), which a loaded machine outlasted ("database did not answer within 3.0 s" in the tour).
    analysis.warm_up(services.conversations_dir)
    app = create_app(services=services)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    echo(f"5. Young people reply through the real webhook ({base_url}/sms/inbound, signed like Twilio):")
    try:
        for index, persona in enumerate(people):
            shown = index < TRANSCRIPTS_SHOWN
            _converse(services, base_url, index, persona, echo if shown else (lambda _line: None))
        if len(people) > TRANSCRIPTS_SHOWN:
            unshown = [p for p in people[TRANSCRIPTS_SHOWN:] if p.disclosure is not None]
            worries = f", {len(unshown)} with a worrying message" if unshown else ""
            echo(f"\n   ... and {len(people) - TRANSCRIPTS_SHOWN} more conversations like these{worries} (not printed)")
        _stranger(services, base_url, echo)
    finally:
        server.shutdown()
        server.server_close()

    with session_scope(services.engine) as session:
        rows = export_rows(session=session, round_id=round_id)
        alerts = session.exec(select(Alert)).all()
        statuses = [run.status for run in session.exec(select(Run).where(col(Run.round_id) == round_id))]
    jsonl_path, csv_out = out_dir / f"round-{round_id}-responses.jsonl", out_dir / f"round-{round_id}-responses.csv"
    with jsonl_path.open("w", encoding="utf-8") as handle:
        write_jsonl(rows, handle)
    with csv_out.open("w", encoding="utf-8", newline="") as handle:
        write_csv(rows, handle)
    finished = statuses.count(RunStatus.FINISHED)
    echo(
        f"6. {finished} of {len(statuses)} finished, {statuses.count(RunStatus.STOPPED)} opted out, "
        f"{sum(s in RunStatus.WAITING for s in statuses)} not yet answered; {len(rows)} answers stored; "
        f"{len(alerts)} safeguarding alert(s) raised for the duty team"
    )
    echo(f"   Exported: {jsonl_path} and {csv_out}")

    summaries = _close_the_loop(services, round_id, out_dir, echo)
    account = _demo_account(services, echo, serving=serving)
    return {
        "round_id": round_id,
        "answers": len(rows),
        "alerts": len(alerts),
        "export": jsonl_path,
        "account": account,
        **summaries,
    }


DEMO_EMAIL = "demo@council.example"


def _demo_account(services: Services, echo, *, serving: bool) -> dict:
    """A dashboard account holding every role, with a fresh password, and how to sign in with it (where the
    dashboard is, or, not `serving`, will be once served: `demo --no-serve` ends with the command)."""
    from .accounts import create_user
    from .accounts.passwords import generate_password
    from .audit import record

    password = generate_password()
    with session_scope(services.engine) as session:
        user = create_user(
            session=session,
            email=DEMO_EMAIL,
            roles=["admin", "duty", "worker", "panel"],
            password=password,
            name="Demo worker",
        )
        record(session=session, actor="demo", action="user.create", subject_type="user", subject_id=user.id)
    url = services.config.app.public_url.rstrip("/")
    where = "" if serving else ", once served (below)"
    echo(f"9. The workers' dashboard{where}: {url}/admin/sign-in (the front page {url}/ has both doors)")
    echo(f"   Email: {DEMO_EMAIL}   Password: {password}   (every role: admin, duty, worker, panel)")
    return {"email": DEMO_EMAIL, "password": password}


# Last quarter's answers, per young person in turn: things were worse on everyday life (waiting
# weeks for a yes to a sleepover) and a little better on seeing social workers. Each pattern repeats for
# every 12 young people, and every answer in it comes at least twice, so no answer's count is under 5 and
# the summary can show last round beside this one (trial 14: an answer given once in 12 was exactly 4 of 48,
# hidden, and with it every cell that would have given it away).
_EARLIER: dict[str, list[int] | list[str]] = {
    "safe_home": [5, 4, 4, 3, 5, 2, 4, 5, 1, 2, 3, 1],
    "feeling": [3, 4, 2, 3, 4, 2, 5, 3, 1, 5, 1, 2],
    "school": [4, 3, 3, 2, 5, 4, 3, 2, 5, 1, 1, 4],
    "see_worker": ["yes", "yes", "no", "yes", "yes", "no", "yes", "yes", "yes", "no", "yes", "yes"],
    "everyday": ["no", "no", "yes", "no", "no", "yes", "no", "no", "yes", "no", "no", "yes"],
    "listened": ["Sometimes", "Always", "Not often", "Sometimes", "Never", "Sometimes", "Always", "Sometimes"],
}
_EARLIER_COMMENTS = [
    ("I have to wait weeks to be allowed a sleepover at my mates", ["everyday_life"], "negative"),
    ("my social worker changed again and I had to tell my story again", ["social_workers", "stability"], "negative"),
    ("my carers are kind and help me with homework", ["carers", "education"], "positive"),
    ("I want to see my brother more often", ["family_and_friends"], "negative"),
    ("nobody asks me before they decide things", ["having_a_say"], "negative"),
]


def _earlier_round(services: Services, survey, source: str) -> int:
    """Last quarter's round of the same survey, closed, with answers written straight to the database
    (clearly simulated: nobody is texted), so the summary has a previous round to compare with."""
    from datetime import timedelta

    from .models import Response, Round, RoundStatus, utcnow
    from .surveys.registry import store_version

    now = utcnow()
    with session_scope(services.engine) as session:
        survey_version_id = store_version(session=session, survey=survey, source=source).id
        assert survey_version_id is not None  # store_version returns a flushed row
        round_ = Round(
            survey_id="pulse",
            survey_version_id=survey_version_id,
            status=RoundStatus.CLOSED,
            cohort={"status": "in_care", "min_age": 11, "max_age": 17},
            opens_at=now - timedelta(days=91),
            closes_at=now - timedelta(days=77),
            closed_at=now - timedelta(days=77),
        )
        session.add(round_)
        session.flush()
        assert round_.id is not None  # flushed just above
        in_care = session.exec(select(col(Participant.id)).where(col(Participant.status) == "in_care"))
        people = [pid for pid in in_care if pid is not None]
        for index, pid in enumerate(people[:48]):
            run = Run(
                participant_id=pid,
                round_id=round_.id,
                survey_version_id=survey_version_id,
                channel="webchat" if index % 6 == 0 else "sms",
                status=RunStatus.FINISHED,
                started_at=round_.opens_at,  # they said yes and answered, so they started
                ended_at=round_.closed_at,
            )
            session.add(run)
            session.flush()
            for question, answers in _EARLIER.items():
                value = answers[index % len(answers)]
                number = value if isinstance(value, int) else (1 if value == "yes" else 0 if value == "no" else None)
                kind = "scale" if isinstance(value, int) else "yes_no" if value in ("yes", "no") else "choice"
                session.add(
                    Response(
                        participant_id=pid,
                        round_id=round_.id,
                        run_id=run.id,
                        question_id=question,
                        kind=kind,
                        answer=str(value),
                        value_number=number,
                        value_text=None if isinstance(value, int) else str(value),
                        created_at=round_.opens_at + timedelta(days=2),
                    )
                )
            if index % 2 == 0:
                text, themes, feeling = _EARLIER_COMMENTS[(index // 2) % len(_EARLIER_COMMENTS)]
                session.add(
                    Response(
                        participant_id=pid,
                        round_id=round_.id,
                        run_id=run.id,
                        question_id="one_thing",
                        kind="text",
                        answer=text,
                        value_text=text,
                        themes=themes,
                        sentiment=feeling,
                        score=-0.5 if feeling == "negative" else 0.5,
                        created_at=round_.opens_at + timedelta(days=2),
                    )
                )
        return round_.id


def _close_the_loop(services: Services, round_id: int, out_dir: Path, echo) -> dict:
    """Record what the council did, close the round (thank-you texts queued), and write the summaries."""
    from .models import Action, Round, utcnow
    from .summary import render, summarise
    from .summary.loop import close_and_tell, public_link, told_words, young_people_text
    from .summary.pdf import PdfUnavailable

    with session_scope(services.engine) as session:
        # Both on themes 5 or more of the round raised (family and friends, social workers), so the tour shows
        # the loop closing: the panel reads what they said and young people see the topic named. An action on
        # a theme fewer raised keeps its "You said" private (small numbers), which would hide exactly that. So
        # does one whose count is hidden to protect a smaller group: family and friends' 6 read as 3 worried,
        # 2 pleased and 1 neither would be (trial 6b, N1), so its lines all say contact or a yes takes too long.
        session.add(
            Action(
                round_id=round_id,
                message=3,
                theme="family_and_friends",
                status="done",
                said="You told us contact with your brothers and sisters keeps getting cancelled.",
                did="Contact is now only cancelled if a manager agrees, and you get a new date the same day.",
                owner="Contact Service Manager",
                done_at=utcnow(),
            )
        )
        session.add(
            Action(
                round_id=round_id,
                pledge=7,
                theme="social_workers",
                status="in_progress",
                said="You told us your social worker keeps changing, so you tell your story again and again.",
                did="A new social worker will meet you with your old one first, so you never have to start again.",
                owner="Head of Children's Social Care",
            )
        )
    done = close_and_tell(services, round_id)  # the one close path, as `round close` and the dashboard use
    echo(f"7. Two 'we did' actions recorded; round {round_id} closed: {told_words(done.told)}")
    if done.problem:
        echo(f"   The panel's summary was not sent: {done.problem}")
    paths = {}
    no_pdf = ""
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
        closed = session.get(Round, round_id)
        assert closed is not None  # the demo's own round, closed above
        for fmt in ("html", "pdf", "md"):
            path = out_dir / f"round-{round_id}-summary.{fmt}"
            try:
                path.write_bytes(render(summary, fmt))
            except PdfUnavailable as exc:  # no Pango on this machine: the tour goes on without PDFs
                no_pdf = str(exc)
                continue
            paths[f"summary_{fmt}"] = path
        young = out_dir / f"round-{round_id}-young-people.txt"
        young.write_text(
            young_people_text(summary, link=public_link(services, closed)) + "\n",
            encoding="utf-8",
        )
    from .summary.year import render_year, year_report

    with session_scope(services.engine) as session:
        today = date.today()
        coverage = year_report(
            session=session, services=services, start=date(today.year - 1, today.month, 1), end=today, today=today
        )
    for fmt in ("html",) if no_pdf else ("html", "pdf"):
        path = out_dir / f"pledge-coverage.{fmt}"
        path.write_bytes(render_year(coverage, fmt))
        paths[f"coverage_{fmt}"] = path
    pdf = "" if no_pdf else ".pdf, "
    echo(f"8. 'You said, we did' for the panel: {paths['summary_html']} (and {pdf}.md)")
    echo(f"   The year's pledge coverage (report --year): {paths['coverage_html']}{'' if no_pdf else ' (and .pdf)'}")
    if no_pdf:
        echo(f"   No PDFs: {no_pdf}")
    echo(f"   The young people's version: {young}")
    return paths


def _cast(index: int) -> Persona:
    """The `index`th young person: a persona in turn, with the name for that place; only a persona's
    first appearance keeps its worrying message, and a few later ones have their own."""
    persona = replace(PERSONAS[index % len(PERSONAS)], first_name=NAMES[index % len(NAMES)])
    if index >= len(PERSONAS):
        persona = replace(persona, disclosure=None)
    later = LATER_DISCLOSURES.get(index)
    if later is not None:
        persona = replace(
            persona,
            replies=persona.replies | later.replies,
            disclosure=later.disclosure,
            after_disclosure=later.after_disclosure,
        )
    return persona


def _converse(services: Services, base_url: str, index: int, persona: Persona, echo) -> None:
    """One persona's conversation, printed as a transcript."""
    number = _phone(index)
    phone = WebhookPhone(base_url, services.config.app.public_url, services.config.twilio.auth_token, number)
    echo(f"\n   --- {persona.first_name}, {persona.age} ({persona.area}) ---")
    if not _texted(services, number):
        echo("   (not texted yet: their invitation waits for the send window, so they cannot reply)")
        return
    if persona.silent:
        echo("   (no reply: in a real round they could answer until it closes; this tour closes it in a moment)")
        return
    texts_sent = 0
    used: dict[str, int] = {}
    kind_used: dict[str, int] = {}
    survey, _ = services.survey_source("pulse")
    message = persona.start
    disclosed = chose = False
    for _ in range(20):
        echo(f"   {persona.first_name}: {message}")
        for reply in phone.send(message):
            echo(f"   Voice: {reply}")
        texts_sent += 1
        question_id, status = _current(services, number)
        if status == RunStatus.PAUSED:
            # The help reply came alone and the survey waits for them: they choose once, as people
            # do, rather than answer a question nobody asked.
            if chose:
                return
            message, chose = persona.after_disclosure, True
            continue
        if status not in RunStatus.WAITING or question_id is None:
            return
        if persona.stop_after is not None and texts_sent > persona.stop_after:
            message = "STOP"
            continue
        if persona.disclosure is not None and question_id == persona.disclosure[0] and not disclosed:
            message, disclosed = persona.disclosure[1], True
            continue
        scripted = persona.replies.get(question_id, [])
        if used.get(question_id, 0) < len(scripted):
            message = scripted[used.get(question_id, 0)]
            used[question_id] = used.get(question_id, 0) + 1
            continue
        kind = survey.question(question_id).kind
        pool = (
            persona.by_kind.get(kind) or {"scale": ["4"], "yes_no": ["yes"], "choice": ["1"], "text": ["its ok"]}[kind]
        )
        if kind == "text" and index >= len(PERSONAS) and pool != ["skip"]:
            pool = [COMMENTS[(index + kind_used.get(kind, 0)) % len(COMMENTS)]]
        elif kind in ANSWERS and index >= len(PERSONAS):
            pool = [ANSWERS[kind][(index + kind_used.get(kind, 0)) % len(ANSWERS[kind])]]
        message = pool[kind_used.get(kind, 0) % len(pool)]
        kind_used[kind] = kind_used.get(kind, 0) + 1


def _stranger(services: Services, base_url: str, echo) -> None:
    """A number the service has never seen texts in: consent-first onboarding."""
    phone = WebhookPhone(base_url, services.config.app.public_url, services.config.twilio.auth_token, STRANGER_PHONE)
    echo("\n   --- a number we have never seen texts in ---")
    for message in STRANGER:
        echo(f"   them: {message}")
        for reply in phone.send(message):
            echo(f"   Voice: {reply}")

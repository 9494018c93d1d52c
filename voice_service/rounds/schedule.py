"""Recurring rounds: cadences in plain words or crontab form, and launching the occurrences that fall due.

A cadence is either a crontab line ("0 16 1 */3 *") or words:

    every 3 months on the first tuesday [at 16:00]
    every month on the last friday
    every 2 weeks on monday at 17:30
    every month on day 15
    monthly on the 1st [at 5pm]
    every fortnight on friday at 5pm
    every day at 16:00

Times are in the council's time zone; invitations still wait for the send window. "Every N days", "every N weeks"
and "every N months" count N from the schedule's start (`Cadence`), never within a calendar unit: a fortnight is
always 14 days, even after a year of 53 ISO weeks, and "every 2 days" goes from the 31st to the 2nd. The hour the
clocks go back launches once, as in cron.
Missed occurrences (the scheduler was down) are coalesced: only the latest is launched,
and only if it is at most `grace` late. Each occurrence is recorded once
(`ScheduledLaunch` is unique per schedule and time), so two schedulers can never
launch it twice.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..models import Round, RoundSchedule, RoundStatus, ScheduledLaunch, utcnow
from ..surveys.model import Survey
from ..transactions import retry_on_conflict
from .launch import close_round, launch_round, refuse_empty, select_cohort
from .membership import Cohort, check_cohort, local_date

log = logging.getLogger(__name__)

ORDINALS = {
    "first": "1st",
    "1st": "1st",
    "second": "2nd",
    "2nd": "2nd",
    "third": "3rd",
    "3rd": "3rd",
    "fourth": "4th",
    "4th": "4th",
    "last": "last",
}
WEEKDAYS = {name: name[:3] for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
WEEKDAYS.update({short: short for short in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
WEEKDAYS.update({"tues": "tue", "thur": "thu", "thurs": "thu", "weds": "wed"})
DEFAULT_TIME = (16, 0)  # the start of the default weekday window

_WORDS = re.compile(
    r"^every\s+(?:(?P<n>\d+)\s+)?(?P<unit>day|week|month)s?"
    r"(?:\s+on\s+(?:day\s+(?P<dom>\d{1,2})|(?:the\s+)?(?P<ordinal>\w+)\s+(?P<weekday>\w+)|(?P<dow>\w+)))?"
    r"(?:\s+at\s+(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap]m)?)?$"
)
# How UK workers write it: "every fortnight" (or "fortnightly") is every 2 weeks, "monthly" is every month,
# "on the 1st" (no weekday after it) is day 1, and "of the month" adds nothing.
_FORTNIGHT = re.compile(r"^(?:every\s+fortnight|fortnightly)\b")
_MONTHLY = re.compile(r"^monthly\b")
# "daily", "weekly on friday": as "every day", "every week on friday" (new-user trial: "daily" was refused while
# "monthly on the 1st" was read).
_DAILY = re.compile(r"^daily\b")
_WEEKLY = re.compile(r"^weekly\b")
_OF_THE_MONTH = re.compile(r"\s+of\s+(?:the|each|every)\s+month\b")
_DAY_NTH = re.compile(r"\bon\s+(?:the\s+)?(?:(\d{1,2})(?:st|nd|rd|th)|first)(?=\s+at\b|$)")


class CadenceError(ValueError):
    """A cadence that cannot be read; the message says what would work."""


_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _day_number(end: str) -> int:
    return _CRON_DAYS.index(end) if end in _CRON_DAYS else int(end)


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field in APScheduler's words: crontab counts 0 (or 7) as Sunday and
    APScheduler 0 as Monday, so "1-5" must become "mon,tue,wed,thu,fri", not Tuesday to Saturday."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for item in field.split(","):
        span, _, step_text = item.partition("/")
        try:
            ends = [0, 6] if span == "*" else [_day_number(end) for end in span.split("-")]
            step = int(step_text or 1)
        except ValueError:
            ends, step = [], 0
        if len(ends) == 1:
            ends.append(7 if step_text else ends[0])  # "1/2": from Monday, every other day to the week's end
        if len(ends) != 2 or step < 1 or not 0 <= ends[0] <= ends[1] <= 7:
            raise CadenceError(f"not a valid crontab line: day of week {item!r} (0-7 or sun-sat; 0 and 7 are Sunday)")
        first, last = ends
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(_CRON_DAYS[day] for day in sorted(days))


@dataclass(frozen=True)
class Cadence:
    """A cadence read: the days and time a launch may fall on (`calendar`) and, for "every N days/weeks/months",
    which of them are launched: every Nth, counted from `anchor` (the first launch's day, or the starting month)."""

    calendar: CronTrigger
    tz: ZoneInfo
    unit: str = ""  # "day", "week" or "month": counted from the anchor; "" (a crontab line): every one
    every: int = 1
    anchor: int = 0  # the `_turn` counting starts from

    def _step(self) -> int:
        return self.every * 7 if self.unit == "week" else self.every

    def _start_of(self, turn: int) -> datetime:
        """Midnight at the start of a day or month numbered as `_turn` numbers them, on the council's clock."""
        day = date(turn // 12, turn % 12 + 1, 1) if self.unit == "month" else date.fromordinal(turn)
        return datetime.combine(day, time(0), tzinfo=self.tz)

    def first_after(self, after: datetime) -> datetime | None:
        """The first launch strictly after `after`, in UTC; None when none comes."""
        fire = self.calendar.get_next_fire_time(None, after + timedelta(microseconds=1))
        for _ in range(1000):  # each pass moves to a turn counted in, so a few passes are all it takes
            if fire is None:
                return None
            here = fire.astimezone(self.tz)
            if _repeated(here):
                # The second 01:30 of the night the clocks go back: launched once, at the first (cron does so).
                fire = self.calendar.get_next_fire_time(None, fire + timedelta(microseconds=1))
                continue
            behind = (_turn(self.unit, here.date()) - self.anchor) % self._step() if self.unit else 0
            if behind == 0:
                return fire.astimezone(UTC)
            ahead = self._start_of(_turn(self.unit, here.date()) + self._step() - behind)
            fire = self.calendar.get_next_fire_time(None, ahead)
        return None


def _turn(unit: str, day: date) -> int:
    """The number of the day (for days and weeks) or month (for months) that `day` is in, counting on from 1 AD."""
    return day.year * 12 + day.month - 1 if unit == "month" else day.toordinal()


def _repeated(moment: datetime) -> bool:
    """Whether a local time is the second of the two the clocks show when they go back."""
    return moment.fold == 1 and moment.replace(fold=0).utcoffset() != moment.utcoffset()


def _time_of_day(match: re.Match) -> tuple[int, int]:
    """The hour and minute after "at": 17:00, 17.00, 5pm, 5:30pm, 9am (12pm is noon, 12am midnight)."""
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    written = f"{match['hour']}{':' + match['minute'] if match['minute'] else ''}{half or ''}"
    if half is None and match["minute"] is None:
        raise CadenceError(f'say which {match["hour"]}: "at {hour}:00", or "at {hour}am" or "at {hour}pm"')
    if half is not None:
        if not 1 <= hour <= 12:
            raise CadenceError(f"not a time of day: {written}")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise CadenceError(f"not a time of day: {written}")
    return hour, minute


def parse_cadence(text: str, tz: ZoneInfo, *, start: datetime | None = None) -> Cadence:
    """A cadence in words or crontab form, in the council's time zone, counted from `start` (default now).

    "Every N days" and "every N weeks" launch every N days or weeks from their first launch at or after `start`;
    "every N months" every N months from the month `start` is in (its first launch may come N months on)."""
    line = " ".join(text.lower().split())
    if not line:
        # Said plainly, not as "cannot read the cadence ''" (new-user trial).
        raise CadenceError(
            'say how often to launch a round, such as "every 3 months on the first tuesday" or "monthly on the 1st"'
        )
    # "monthly on the first monday" is five words, as a crontab line is
    in_words = line.startswith(("every", "monthly", "fortnightly", "daily", "weekly"))
    if re.fullmatch(r"[\d*/,\-a-z]+( [\d*/,\-a-z]+){4}", line) and not in_words:
        parts = line.split()
        day_of_week = crontab_weekdays(parts[4])
        try:
            calendar = CronTrigger(
                minute=parts[0], hour=parts[1], day=parts[2], month=parts[3], day_of_week=day_of_week, timezone=tz
            )
        except ValueError as exc:
            raise CadenceError(f"not a valid crontab line: {exc}") from None
        return Cadence(calendar=calendar, tz=tz)
    cleaned = _FORTNIGHT.sub("every 2 weeks", " ".join(text.lower().replace(",", " ").split()))
    cleaned = _MONTHLY.sub("every month", cleaned)
    cleaned = _WEEKLY.sub("every week", _DAILY.sub("every day", cleaned))
    cleaned = _DAY_NTH.sub(lambda nth: f"on day {nth[1] or 1}", _OF_THE_MONTH.sub("", cleaned))
    match = _WORDS.match(cleaned)
    if not match:
        raise CadenceError(
            f'cannot read the cadence {text!r}; try "every 3 months on the first tuesday", '
            '"every fortnight on friday at 5pm", "every 2 weeks on monday at 17:00", "monthly on the 1st", '
            '"every month on day 15" '
            'or a crontab line like "0 16 1 */3 *"'
        )
    n = int(match["n"] or 1)
    if n < 1:
        raise CadenceError("the interval must be at least 1")
    hour, minute = _time_of_day(match) if match["hour"] else DEFAULT_TIME
    fields: dict = {"hour": hour, "minute": minute}
    unit = match["unit"]
    start_local = (start or utcnow()).astimezone(tz)
    if unit == "day":
        if match["ordinal"] or match["dom"] or match["dow"]:
            raise CadenceError('"every day" takes no "on ..."')
    elif unit == "week":
        weekday = match["dow"] or (match["weekday"] if match["ordinal"] == "the" else None)
        if weekday is None or weekday not in WEEKDAYS:
            raise CadenceError('weekly cadences need a weekday: "every 2 weeks on monday"')
        fields["day_of_week"] = WEEKDAYS[weekday]
    else:
        if n > 12:
            raise CadenceError("at most every 12 months")
        if match["dom"]:
            day = int(match["dom"])
            if not 1 <= day <= 28:
                raise CadenceError("day of the month must be 1 to 28 (so every month has it)")
            fields["day"] = day
        elif match["ordinal"]:
            ordinal, weekday = ORDINALS.get(match["ordinal"]), WEEKDAYS.get(match["weekday"] or "")
            if ordinal is None or weekday is None:
                raise CadenceError('say which weekday of the month: "on the first tuesday", "on the last friday"')
            fields["day"] = f"{ordinal} {weekday}"
        elif match["dow"]:
            raise CadenceError('monthly cadences need "on the first <weekday>" or "on day N"')
        else:
            fields["day"] = 1
    # Counted from the start, never within a calendar unit: ISO weeks ("*/2") put a week between the fortnights
    # either side of a 53-week year, days of the month ("*/2") the 31st and the 1st, months of the year ("11-12/5")
    # November and January.
    calendar = CronTrigger(timezone=tz, **fields)
    if unit == "month":
        counted_from = start_local.date()
    else:
        first = Cadence(calendar=calendar, tz=tz).first_after(start_local - timedelta(microseconds=1))
        assert first is not None  # a day's or a weekday's time always comes round
        counted_from = local_date(first, tz)
    return Cadence(calendar=calendar, tz=tz, unit=unit, every=n, anchor=_turn(unit, counted_from))


def next_occurrence(trigger: Cadence, after: datetime) -> datetime | None:
    """The first launch strictly after `after`, in UTC."""
    return trigger.first_after(after)


# How far ahead `overlap_words` looks: a year has every kind of month and a turn of the year, and at most some
# hundreds of launches.
_OVERLAP_LOOKAHEAD = timedelta(days=366)
# How far ahead `clash_words` looks: two years, so a yearly schedule's second launch is among them.
_CLASH_LOOKAHEAD = timedelta(days=731)


def _launch_days(
    cadence: str, tz: ZoneInfo, now: datetime, *, start: datetime | None = None, ahead: timedelta = _OVERLAP_LOOKAHEAD
) -> list[date]:
    """The council's days on which `cadence` launches a round in the time `ahead` of `now` (counted from `start`,
    the schedule's own, for "every N days", "weeks" and "months")."""
    trigger = parse_cadence(cadence, tz, start=start or now)
    fires: list[datetime] = []
    after = now
    while len(fires) < 1000:
        fire = next_occurrence(trigger, after)
        if fire is None or fire > now + ahead:
            break
        fires.append(fire)
        after = fire
    return [local_date(fire, tz) for fire in fires]


def overlap_words(*, cadence: str, tz: ZoneInfo, open_days: int, now: datetime) -> str:
    """Why rounds of this schedule would overlap, or "" when each has closed before the next is launched.

    A scheduled round stays open to the end of the council's day `open_days` after it is launched (`_run_one`),
    so the next may not be launched on or before that day: while a round is still open, the next one of the
    same survey invites nobody already in it (`launch.select_cohort`). "every day" with rounds open 14 days
    launched a round a day, 14 open at once, with no word of it (new-user trial). The launches of the year ahead
    are looked at, so a gap that only comes now and then (1 February to 1 March for "monthly on the 1st") is found."""
    days = _launch_days(cadence, tz, now)
    gaps = [(later - earlier).days for earlier, later in zip(days, days[1:], strict=False)]
    if not gaps or min(gaps) > open_days:
        return ""
    gap = min(gaps)
    apart = (
        "two rounds on the same day" if gap == 0 else f"rounds as little as {gap} day{'' if gap == 1 else 's'} apart"
    )
    # A round stays open at least a day, so only a gap of two days or more leaves room for fewer open days.
    shorter = f"let each stay open at most {gap - 1} day{'' if gap == 2 else 's'}, or " if gap >= 2 else ""
    return (
        f"rounds would overlap: {cadence.strip()!r} launches {apart}, but each stays open "
        f"{open_days} day{'' if open_days == 1 else 's'} (to the end of its last day), so a new round starts while "
        f"the last one is still open, and invites nobody still in it; {shorter}launch them less often"
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def clash_words(*, session: Session, schedule: RoundSchedule, tz: ZoneInfo) -> list[str]:
    """Why rounds of `schedule` would overlap with another round of the same survey, for young people who could be
    in both (`Cohort.may_share`), one set of words each: while a round of a survey is open, a new round of it
    invites nobody still in it (`launch.select_cohort`), so launches close together lose the later round's
    invitations. Looked at: each open round of the survey (one-off or scheduled: its first launches may fall while
    it is open), and each other active schedule of it, over the launches of the two years ahead (a yearly survey
    too). `overlap_words` looked at one schedule only: two alike ("monthly on the 1st", twice) were saved with no
    word. A scheduled round is open to the end of the council's day its `open_days` after launch (`_run_one`)."""
    now = schedule.created_at
    cohort = Cohort.from_dict(schedule.cohort)
    ours = _launch_days(schedule.cadence, tz, now, ahead=_CLASH_LOOKAHEAD)
    said: list[str] = []
    if not ours:
        return said
    rounds = session.exec(
        select(Round)
        .where(col(Round.status) == RoundStatus.OPEN, col(Round.survey_id) == schedule.survey_id)
        .order_by(col(Round.id))
    ).all()
    for round_ in rounds:
        if not cohort.may_share(Cohort.from_dict(round_.cohort)):
            continue
        closes = local_date(round_.closes_at, tz) if round_.closes_at is not None else None
        if closes is None or ours[0] <= closes:
            until = f" (to {_day(closes)})" if closes is not None else " (with no close date)"
            said.append(
                f"the first round launches on {_day(ours[0])}, while round {round_.id} of the same survey is still "
                f"open{until}, so it invites nobody still in that round; start the schedule after it closes"
            )
    others = session.exec(
        select(RoundSchedule)
        .where(
            col(RoundSchedule.active).is_(True),
            col(RoundSchedule.survey_id) == schedule.survey_id,
            col(RoundSchedule.id) != schedule.id,
        )
        .order_by(col(RoundSchedule.id))
    ).all()
    for other in others:
        if other.next_run_at is None or not cohort.may_share(Cohort.from_dict(other.cohort)):
            continue
        # Counted as the scheduler counts them (`_run_one`); a round it has launched is among the open rounds above.
        theirs = _launch_days(other.cadence, tz, now, start=other.next_run_at, ahead=_CLASH_LOOKAHEAD)
        clashes = sorted(
            (later, later == earlier)
            for earlier_days, open_days, later_days in (
                (ours, schedule.open_days, theirs),
                (theirs, other.open_days, ours),
            )
            for earlier in earlier_days
            for later in later_days
            if 0 <= (later - earlier).days <= open_days
        )
        if clashes:
            first, same_day = clashes[0][0], any(both for day, both in clashes if day == clashes[0][0])
            when = (
                f"on {_day(first)} both launch a round, and the later invites nobody in the other"
                if same_day
                else f"on {_day(first)} one launches while a round of the other is still open, and invites nobody "
                "still in it"
            )
            said.append(
                f"rounds would overlap with recurring round {other.id} ({other.cadence.strip()!r}) of the same "
                f"survey: {when}; launch them on days further apart, or stop one of them"
            )
    return said


def schedule_warnings(*, session: Session, schedule: RoundSchedule, tz: ZoneInfo) -> list[str]:
    """What to tell whoever saved `schedule` about how its rounds will fall: its own overlapping rounds
    (`overlap_words`) and overlaps with other schedules of its survey (`clash_words`). The one check the
    command line and the dashboard both make."""
    own = overlap_words(cadence=schedule.cadence, tz=tz, open_days=schedule.open_days, now=schedule.created_at)
    return ([own] if own else []) + clash_words(session=session, schedule=schedule, tz=tz)


def create_schedule(
    *,
    session: Session,
    survey_id: str,
    cohort: Cohort,
    cadence: str,
    tz: ZoneInfo,
    open_days: int = 14,
    now: datetime | None = None,
    survey: Survey | None = None,
    allow_empty: bool = True,
) -> RoundSchedule:
    """Store a recurring round; its first run is the cadence's next occurrence after now.

    Given the `survey`, refuses what its launches would be refused for: a cohort the survey is not written for
    (AudienceMismatch) and, unless `allow_empty`, a cohort nobody is in now (EmptyCohort, `launch.refuse_empty`).
    """
    now = now or utcnow()
    if open_days < 1:
        raise ValueError("a scheduled round must stay open at least one day")
    trigger = parse_cadence(cadence, tz, start=now)
    next_run_at = next_occurrence(trigger, now)
    if next_run_at is None:  # "0 17 31 2 *", the 31st of February: read, but it never comes (trial 10, T10-6)
        raise CadenceError(f"{cadence!r} never comes round (no date has it): nothing would ever be launched")
    if survey is not None:
        check_cohort(survey, cohort)
        if not allow_empty:
            chosen = select_cohort(session=session, cohort=cohort, today=local_date(now, tz), survey=survey, now=now)
            refuse_empty(session=session, chosen=chosen, cohort=cohort, scheduling=True)
    schedule = RoundSchedule(
        survey_id=survey_id,
        cohort=cohort.to_dict(),
        cadence=cadence,
        open_days=open_days,
        next_run_at=next_run_at,
        created_at=now,
    )
    session.add(schedule)
    session.flush()
    return schedule


@dataclass
class DueResult:
    """What one pass over the schedules did."""

    launched: list[int]
    skipped: int = 0


def run_due_schedules(*, services, now: datetime | None = None, grace: timedelta = timedelta(hours=1)) -> DueResult:
    """Launch a round for each active schedule whose next occurrence has come (coalescing missed ones)."""
    now = now or utcnow()
    tz = ZoneInfo(services.config.app.timezone)
    result = DueResult(launched=[])
    with Session(services.engine) as session:
        due = [
            s.id
            for s in session.exec(
                select(RoundSchedule).where(col(RoundSchedule.active).is_(True), col(RoundSchedule.next_run_at) <= now)
            )
            if s.id is not None
        ]
    for schedule_id in due:

        def attempt(session: Session, schedule_id: int = schedule_id) -> int | None:
            return _run_one(session=session, services=services, schedule_id=schedule_id, now=now, grace=grace, tz=tz)

        try:
            # One attempt: when another scheduler recorded this occurrence first, there is nothing left to do.
            round_id = retry_on_conflict(services.engine, attempt, attempts=1)
        except IntegrityError:
            # Another scheduler recorded this occurrence first: it is launched once, by them.
            log.warning("schedule %s: occurrence already launched elsewhere", schedule_id)
            continue
        except (LookupError, ValueError) as exc:
            log.error("schedule %s: cannot launch (%s)", schedule_id, exc)
            continue
        if round_id is None:
            result.skipped += 1
        else:
            result.launched.append(round_id)
    return result


def _run_one(*, session: Session, services, schedule_id: int, now: datetime, grace: timedelta, tz) -> int | None:
    """Launch (or skip, if too late) the latest due occurrence of one schedule; move it to the next."""
    schedule = session.get(RoundSchedule, schedule_id)
    if schedule is None or not schedule.active or schedule.next_run_at is None or schedule.next_run_at > now:
        return None
    # Counted on from the occurrence now due, itself counted from the first launch: the same turn as counting from
    # the schedule's creation, and a schedule saved when a fortnight counted ISO weeks keeps the turn it is on.
    trigger = parse_cadence(schedule.cadence, tz, start=schedule.next_run_at)
    latest = schedule.next_run_at
    for _ in range(10_000):
        following = next_occurrence(trigger, latest)
        if following is None or following > now:
            break
        latest = following
    schedule.next_run_at = next_occurrence(trigger, max(latest, now))
    if now - latest > grace:
        log.warning(
            "schedule %s: occurrence %s missed by more than the grace time; skipped", schedule.id, latest.isoformat()
        )
        return None
    session.add(ScheduledLaunch(schedule_id=schedule_id, occurrence_at=latest, created_at=now))
    session.flush()  # the unique occurrence: a second scheduler fails here, before launching anything
    survey, source = services.survey_source(schedule.survey_id)
    closes_local = datetime.combine(
        (latest + timedelta(days=schedule.open_days)).astimezone(tz).date(), time(23, 59, 59), tzinfo=tz
    )
    launched = launch_round(
        session=session,
        vault=services.vault,
        survey=survey,
        source=source,
        cohort=Cohort.from_dict(schedule.cohort),
        closes_at=closes_local.astimezone(UTC),
        now=now,
        timezone=tz,
        council=services.config.app.council_name,
        chat_days=services.config.webchat.session_max_age_days,
    )
    launch_row = session.exec(
        select(ScheduledLaunch).where(
            col(ScheduledLaunch.schedule_id) == schedule.id, col(ScheduledLaunch.occurrence_at) == latest
        )
    ).one()
    launch_row.round_id = launched.round.id
    schedule.last_run_at = now
    log.info(
        "schedule %s: launched round %s (%s invited, %s of them in the web chat, %s held back with an open "
        "safeguarding alert, %s unreachable: no phone number and no open web chat)",
        schedule.id,
        launched.round.id,
        launched.invited,
        launched.in_chat,
        launched.held_back,
        launched.unreachable,
    )
    return launched.round.id


def due_rounds(*, session: Session, now: datetime | None = None) -> list[int]:
    """The ids of the open rounds whose closing time has passed."""
    now = now or utcnow()
    return [
        round_id
        for round_id in session.exec(
            select(col(Round.id))
            .where(
                col(Round.status) == RoundStatus.OPEN, col(Round.closes_at).is_not(None), col(Round.closes_at) <= now
            )
            .order_by(col(Round.id))
        )
        if round_id is not None
    ]


def close_due_rounds(*, session: Session, now: datetime | None = None) -> list[int]:
    """Close every open round whose closing time has passed; returns their ids.

    This only closes them: the scheduler closes through `summary.loop.close_and_tell`, which also
    tells the young people and the panel.
    """
    now = now or utcnow()
    ids = due_rounds(session=session, now=now)
    for round_id in ids:
        close_round(session=session, round_id=round_id, now=now)
    return ids

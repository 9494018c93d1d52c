"""Who a round is for: the cohort's filters and the survey's audience, the one test for both channels.

`round launch`, scheduled rounds and the web chat (joining a newcomer to an open round)
all ask the same two questions here: does this participant belong to the round's
cohort, and is the survey written for them (status and age range)? Ages are worked
out on the council's local date, so a young person is 18 on their birthday from
midnight local time, not from midnight UTC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from ..models import Participant, Round
from ..participants.groups import AGE_BAND_RANGES, ParticipantStatus, area_as_typed, area_key
from ..surveys.model import Survey

DEFAULT_TIMEZONE = "Europe/London"


def local_date(now: datetime, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> date:
    """The council's calendar date at the moment `now` (aware, any zone)."""
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
    return now.astimezone(zone).date()


def planned_if_closed_early(round_: Round, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> date | None:
    """The day a closed round was planned to close, when it was closed before that day on the council's calendar;
    else None. The one rule for "closed early", for `round list` and the dashboard's rounds list (new-user trial:
    both once showed only one of the two days)."""
    if round_.closed_at is None or round_.closes_at is None:
        return None
    planned = local_date(round_.closes_at, timezone)
    return planned if local_date(round_.closed_at, timezone) < planned else None


def same_area(area: str | None, wanted: str) -> bool:
    """True when `area` is the area `wanted`, whatever the case or spaces ("east" is "East ", "north  east" is
    "North East": `area_key`)."""
    return area is not None and area_key(area) == area_key(wanted)


def area_is(wanted: str) -> ColumnElement[bool]:
    """`same_area` as SQL (SQLite and PostgreSQL), for queries that choose a cohort by area. Both sides go
    through the database's own lower(), which on SQLite folds only A to Z, so a name written the same way
    always matches. `wanted`'s spaces are made single, as the importer keeps an area (`area_as_typed`), so
    "--area 'north  east'" is North East."""
    return func.lower(func.trim(col(Participant.area))) == func.lower(area_as_typed(wanted))


def area_as_written(session: Session, wanted: str) -> str:
    """The area as the participants have it ("north" -> "North"): the commonest spelling among those `area_is`
    matches, so a round launched with `--area north` is shown as "everyone in North"; `wanted` if none has it."""
    written = func.trim(col(Participant.area))
    row = session.exec(
        select(written, func.count()).where(area_is(wanted)).group_by(written).order_by(func.count().desc(), written)
    ).first()
    return row[0] if row else area_as_typed(wanted)


AREAS_NAMED = 20  # at most this many known areas in a message; a county has a handful


def known_areas(session: Session) -> list[str]:
    """Every area a participant has, as they have it (the commonest spelling of each), in name order."""
    written = func.trim(col(Participant.area))
    rows = session.exec(select(written, func.count()).where(col(Participant.area).is_not(None)).group_by(written)).all()
    spelling: dict[str, str] = {}
    for name, _ in sorted(rows, key=lambda row: (-row[1], row[0])):
        if name:
            spelling.setdefault(name.lower(), name)
    return sorted(spelling.values(), key=str.lower)


def unknown_area(session: Session, wanted: str | None) -> str | None:
    """When nobody's area is `wanted` (a typo, or a place the list does not have): the words saying so, with
    the areas there are; None when `wanted` is empty or someone has it."""
    if not wanted or not wanted.strip():
        return None
    if session.exec(select(col(Participant.id)).where(area_is(wanted)).limit(1)).first() is not None:
        return None
    areas = known_areas(session)
    if not areas:
        return f"nobody has the area {wanted.strip()!r}, and no young person on the list has an area yet"
    more = len(areas) - AREAS_NAMED
    named = ", ".join(areas[:AREAS_NAMED]) + (f" and {more} more" if more > 0 else "")
    return f"nobody has the area {wanted.strip()!r}; the areas young people have are {named}"


class AudienceMismatch(ValueError):
    """A round's cohort asks for people the survey is not written for; the message says who it is for."""


_NO_AGE_LIMIT = 200  # a cohort with no upper age: older than anyone


@dataclass(frozen=True)
class Cohort:
    """Who a round is for; every filter is optional."""

    status: str | None = None
    area: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    participant_ids: tuple[int, ...] | None = None  # an explicit list, within the other filters

    def to_dict(self) -> dict:
        """The filters for the round's record, without the empty ones."""
        values = {key: value for key, value in asdict(self).items() if value is not None}
        if "participant_ids" in values:
            values["participant_ids"] = sorted(values["participant_ids"])
        return values

    @classmethod
    def from_dict(cls, values: dict | None) -> Cohort:
        """The cohort stored on a round or schedule (keys this version does not know are ignored)."""
        known = {f.name for f in fields(cls)}
        kept = {key: value for key, value in (values or {}).items() if key in known}
        if kept.get("participant_ids") is not None:
            kept["participant_ids"] = tuple(kept["participant_ids"])
        return cls(**kept)

    def may_share(self, other: Cohort) -> bool:
        """True unless no young person could be in both: another status, area or age range, or no one listed in
        both (a filter one of them leaves out lets anyone through)."""
        if self.status and other.status and self.status != other.status:
            return False
        if self.area and other.area and not same_area(self.area, other.area):
            return False
        if self.participant_ids is not None and other.participant_ids is not None:
            if not set(self.participant_ids) & set(other.participant_ids):
                return False
        lowest = max(self.min_age or 0, other.min_age or 0)
        highest = min(
            _NO_AGE_LIMIT if self.max_age is None else self.max_age,
            _NO_AGE_LIMIT if other.max_age is None else other.max_age,
        )
        return lowest <= highest

    def matches(self, participant: Participant, today: date) -> bool:
        """True when this participant certainly belongs to the cohort (the one test of membership)."""
        if self.status and participant.status != self.status:
            return False
        if self.area and not same_area(participant.area, self.area):
            return False
        if self.participant_ids is not None and participant.id not in self.participant_ids:
            return False
        return in_age_range(participant, self.min_age, self.max_age, today)


def has_joined(participant: Participant) -> bool:
    """True for someone a round's cohort can hold: a number we hold (imported, or texted in), or, with no number,
    someone who finished the web chat's welcome (said yes to it and told us who they are). A chat still at its
    welcome, or that said no to it, has not joined: a round neither invites nor counts them."""
    if participant.phone_hash is not None:
        return True
    return participant.onboarding is not None and participant.onboarding.get("step") == "done"


def age_range(participant: Participant, today: date) -> tuple[int, int] | None:
    """The participant's age as a range: exact from date of birth, else from their age band."""
    age = participant.age_on(today)
    if age is not None:
        return age, age
    if participant.age_band in AGE_BAND_RANGES:
        return AGE_BAND_RANGES[participant.age_band]
    return None


def is_under_16(participant: Participant, today: date) -> bool:
    """True when they may be under 16; a child in care of unknown age is treated as under 16."""
    ages = age_range(participant, today)
    if ages is None:
        return participant.status != ParticipantStatus.CARE_LEAVER
    return ages[0] < 16


def in_age_range(participant: Participant, min_age: int | None, max_age: int | None, today: date) -> bool:
    """True when the participant's age certainly falls within min_age..max_age (either may be open)."""
    if min_age is None and max_age is None:
        return True
    ages = age_range(participant, today)
    if ages is None:
        return False
    low, high = ages
    return (min_age is None or low >= min_age) and (max_age is None or high <= max_age)


def in_audience(participant: Participant, survey: Survey, today: date) -> bool:
    """True when the survey is written for this participant: their status and their age."""
    if survey.audience and participant.status not in survey.audience:
        return False
    return in_age_range(participant, survey.min_age, survey.max_age, today)


def fits(participant: Participant, survey: Survey, cohort: Cohort, today: date) -> bool:
    """True when a round's cohort and its survey's audience certainly include this participant."""
    return cohort.matches(participant, today) and in_audience(participant, survey, today)


def check_cohort(survey: Survey, cohort: Cohort) -> None:
    """Refuse a cohort that asks for people outside the survey's audience (AudienceMismatch, in plain words)."""
    if survey.audience and cohort.status and cohort.status not in survey.audience:
        raise AudienceMismatch(
            f"survey {survey.id!r} is written for {_statuses(survey.audience)}, "
            f"not {_statuses((cohort.status,))}: choose another survey or another --status"
        )
    if survey.min_age is not None and cohort.max_age is not None and cohort.max_age < survey.min_age:
        raise AudienceMismatch(f"survey {survey.id!r} is for ages {_ages(survey)}, but --max-age is {cohort.max_age}")
    if survey.max_age is not None and cohort.min_age is not None and cohort.min_age > survey.max_age:
        raise AudienceMismatch(f"survey {survey.id!r} is for ages {_ages(survey)}, but --min-age is {cohort.min_age}")
    if survey.min_age is not None and cohort.min_age is not None and cohort.min_age < survey.min_age:
        raise AudienceMismatch(
            f"survey {survey.id!r} is for ages {_ages(survey)}; --min-age {cohort.min_age} is below that"
        )
    if survey.max_age is not None and cohort.max_age is not None and cohort.max_age > survey.max_age:
        raise AudienceMismatch(
            f"survey {survey.id!r} is for ages {_ages(survey)}; --max-age {cohort.max_age} is above that"
        )


def _statuses(values) -> str:
    words = {ParticipantStatus.IN_CARE: "young people in care", ParticipantStatus.CARE_LEAVER: "care leavers"}
    return " and ".join(words.get(value, value) for value in values)


def _ages(survey: Survey) -> str:
    if survey.min_age is not None and survey.max_age is not None:
        return f"{survey.min_age} to {survey.max_age}"
    return f"{survey.min_age} and over" if survey.min_age is not None else f"up to {survey.max_age}"

"""Who a survey's own audience leaves out of a round's cohort: counted, never named, for the launch check; and
who a round was for, in words (`cohort_words`, `round_words`: the rounds pages and the year's report).

A worker choosing "Care leavers" for a survey written for 18 to 25 expects every care leaver; the 17-year-old
the survey's ages leave out is said, as a count, on the check page and by `round launch` (the membership rule
itself is `membership.in_audience`, which these counts follow).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ..models import Participant
from ..participants.groups import ParticipantStatus
from ..surveys.model import Survey
from .membership import Cohort, age_range, area_is, has_joined, in_audience

_STATUS_WORDS = {ParticipantStatus.IN_CARE: "in care", ParticipantStatus.CARE_LEAVER: "care leavers"}


@dataclass(frozen=True)
class LeftOutBySurvey:
    """How many of the cohort the survey is not written for: another status, outside its ages, or age unknown."""

    survey: Survey
    other_status: int = 0
    outside_ages: int = 0
    age_unknown: int = 0

    @property
    def total(self) -> int:
        """Everyone the survey's audience leaves out."""
        return self.other_status + self.outside_ages + self.age_unknown

    def phrases(self) -> list[str]:
        """ "1 outside the survey's ages (18 to 25)", and the like, for each reason that leaves someone out."""
        phrases = []
        if self.other_status:
            written_for = " and ".join(_STATUS_WORDS.get(status, status) for status in self.survey.audience)
            phrases.append(f"{self.other_status} not {written_for} (the survey is for {written_for})")
        if self.outside_ages:
            phrases.append(f"{self.outside_ages} outside the survey's ages ({survey_ages(self.survey)})")
        if self.age_unknown:
            phrases.append(
                f"{self.age_unknown} whose age is not known (no date of birth or age band; "
                f"the survey is for ages {survey_ages(self.survey)})"
            )
        return phrases


def survey_ages(survey: Survey) -> str:
    """ "18 to 25", "11 and over", "up to 17": the survey's ages in words."""
    if survey.min_age is not None and survey.max_age is not None:
        return f"{survey.min_age} to {survey.max_age}"
    return f"{survey.min_age} and over" if survey.min_age is not None else f"up to {survey.max_age}"


def left_out_by_survey(*, session: Session, cohort: Cohort, survey: Survey, today: date) -> LeftOutBySurvey:
    """Count the people in `cohort` a round could invite (`has_joined`: by text, or in the web chat) whom
    `survey`'s own audience (status, ages) leaves out."""
    if not survey.audience and survey.min_age is None and survey.max_age is None:
        return LeftOutBySurvey(survey=survey)
    query = select(Participant)
    if cohort.status:
        query = query.where(col(Participant.status) == cohort.status)
    if cohort.area:
        query = query.where(area_is(cohort.area))
    if cohort.participant_ids is not None:
        query = query.where(col(Participant.id).in_(list(cohort.participant_ids)))
    other_status = outside_ages = age_unknown = 0
    for participant in session.exec(query):
        if not has_joined(participant) or not cohort.matches(participant, today):
            continue
        if in_audience(participant, survey, today):
            continue
        if survey.audience and participant.status not in survey.audience:
            other_status += 1
        elif age_range(participant, today) is None:
            age_unknown += 1
        else:
            outside_ages += 1
    return LeftOutBySurvey(survey=survey, other_status=other_status, outside_ages=outside_ages, age_unknown=age_unknown)


def cohort_words(cohort: Cohort | Mapping) -> str:
    """A cohort in words: "care leavers in North, aged 18 to 21"."""
    values = cohort.to_dict() if isinstance(cohort, Cohort) else dict(cohort)
    who = _STATUS_WORDS.get(values.get("status") or "", "everyone")
    if values.get("area"):
        who += f" in {values['area']}"
    low, high = values.get("min_age"), values.get("max_age")
    if low is not None or high is not None:
        who += f", aged {low if low is not None else 'any'} to {high if high is not None else 'any'}"
    if values.get("participant_ids"):
        who += f" ({len(values['participant_ids'])} chosen)"
    return who


def round_words(cohort: Cohort | Mapping, survey: Survey | None) -> str:
    """Who a round was for, in `cohort_words`' words: its cohort as the survey's own audience and ages narrowed it
    (`membership.in_audience`), so a round of the pulse (in care, 11 to 17) launched with no status or ages is "in
    care, aged 11 to 17", never "everyone" (trial 12, finding 12). `survey` None: the cohort as chosen."""
    values = cohort.to_dict() if isinstance(cohort, Cohort) else dict(cohort)
    if survey is None:
        return cohort_words(values)
    lows = [age for age in (values.get("min_age"), survey.min_age) if age is not None]
    highs = [age for age in (values.get("max_age"), survey.max_age) if age is not None]
    values["min_age"], values["max_age"] = max(lows, default=None), min(highs, default=None)
    if values.get("status") or not survey.audience:
        return cohort_words(values)
    if len(survey.audience) == 1:
        return cohort_words(values | {"status": survey.audience[0]})
    statuses = " and ".join(_STATUS_WORDS.get(status, status) for status in survey.audience)
    return statuses + cohort_words(values).removeprefix("everyone")

"""Two recurring rounds of one survey whose rounds would be open at once, for young people who could be in both, are
said to overlap when the second is saved (new-user trial: two schedules alike, "monthly on the 1st" twice, were saved
with no word, and the second's rounds invite nobody still in the first's). Other surveys, cohorts nobody could be in
both of, stopped schedules and launches far enough apart say nothing. Every date here is from START."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import launch
from voice_service.db import session_scope
from voice_service.models import Round
from voice_service.rounds.membership import Cohort
from voice_service.rounds.schedule import clash_words, create_schedule, schedule_warnings

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday


def _save(session, cadence: str, *, survey: str = "pulse", open_days: int = 14, cohort: Cohort | None = None):
    return create_schedule(
        session=session,
        survey_id=survey,
        cohort=cohort or Cohort(),
        cadence=cadence,
        tz=LONDON,
        open_days=open_days,
        now=START,
    )


def test_two_schedules_alike_are_said_to_overlap(services):
    with session_scope(services.engine) as session:
        first = _save(session, "monthly on the 1st")
        assert schedule_warnings(session=session, schedule=first, tz=LONDON) == []
        second = _save(session, "monthly on the 1st")
        assert schedule_warnings(session=session, schedule=second, tz=LONDON) == [
            f"rounds would overlap with recurring round {first.id} ('monthly on the 1st') of the same survey: on "
            "1 December 2026 both launch a round, and the later invites nobody in the other; "
            "launch them on days further apart, or stop one of them"
        ]


@pytest.mark.parametrize(
    ("other", "open_days", "clash"),
    [
        # 1 December's round is open to the end of 15 December, the day the other launches (15 November's closed on
        # the 29th, two days before 1 December).
        ("monthly on the 15th", 14, "on 15 December 2026"),
        ("monthly on the 15th", 7, None),
        # Monday 30 November's round is open to the end of 3 December: 1 December launches inside it.
        ("every week on monday", 3, "on 1 December 2026"),
        # Open one day: to the end of the day after launch, so the 3rd is clear of the 1st's round, but not the 2nd.
        ("monthly on the 3rd", 1, None),
        ("monthly on the 2nd", 1, "on 2 December 2026"),
    ],
)
def test_launches_close_together_overlap_and_far_apart_do_not(services, other, open_days, clash):
    with session_scope(services.engine) as session:
        _save(session, "monthly on the 1st", open_days=open_days)
        second = _save(session, other, open_days=open_days)
        said = clash_words(session=session, schedule=second, tz=LONDON)
    if clash is None:
        assert said == []
    else:
        assert len(said) == 1 and clash in said[0], said


def test_another_survey_a_cohort_nobody_shares_or_a_stopped_schedule_says_nothing(services):
    with session_scope(services.engine) as session:
        _save(session, "monthly on the 1st", cohort=Cohort(status="in_care"))
        _save(session, "monthly on the 1st", cohort=Cohort(min_age=11, max_age=15))
        stopped = _save(session, "monthly on the 1st")
        stopped.active, stopped.next_run_at = False, None
        session.add(stopped)
        session.flush()
        elsewhere = _save(session, "monthly on the 1st", survey="care-leavers")
        assert clash_words(session=session, schedule=elsewhere, tz=LONDON) == []
        leavers = _save(session, "monthly on the 1st", cohort=Cohort(status="care_leaver", min_age=16))
        assert clash_words(session=session, schedule=leavers, tz=LONDON) == []
        # Anyone of 13 is in both an 11 to 15 cohort and a 13 and over one; one in care of 13 in the first too, and a
        # care leaver of 16 in the last.
        older = _save(session, "monthly on the 1st", cohort=Cohort(min_age=13))
        said = clash_words(session=session, schedule=older, tz=LONDON)
        assert [words.split(" (")[0] for words in said] == [
            "rounds would overlap with recurring round 1",
            "rounds would overlap with recurring round 2",
            f"rounds would overlap with recurring round {leavers.id}",
        ]


def test_cohorts_may_share_a_young_person_unless_a_filter_keeps_them_apart():
    assert Cohort().may_share(Cohort(status="in_care"))
    assert not Cohort(status="in_care").may_share(Cohort(status="care_leaver"))
    assert Cohort(area="North East").may_share(Cohort(area=" north  east"))
    assert not Cohort(area="North").may_share(Cohort(area="South"))
    assert not Cohort(participant_ids=(1, 2)).may_share(Cohort(participant_ids=(3,)))
    assert Cohort(participant_ids=(1, 2)).may_share(Cohort(participant_ids=(2, 3)))
    assert not Cohort(max_age=15).may_share(Cohort(min_age=16))
    assert Cohort(min_age=11, max_age=16).may_share(Cohort(min_age=16))


def test_a_yearly_schedule_is_checked_against_a_monthly_one(services):
    """A yearly launch ("0 9 8 12 *", 8 December) inside the monthly one's rounds (open 1 to 15 December) is said
    to overlap; one clear of them (20 November, open 3 days) is not, in either year ahead."""
    with session_scope(services.engine) as session:
        _save(session, "monthly on the 1st")
        yearly = _save(session, "0 9 8 12 *")
        [said] = clash_words(session=session, schedule=yearly, tz=LONDON)
        assert "on 8 December 2026 one launches while" in said
        clear = _save(session, "0 9 20 11 *", open_days=3)
        assert clash_words(session=session, schedule=clear, tz=LONDON) == []
        late = _save(session, "0 9 28 11 *", open_days=3)  # open to the end of 1 December: that launch is inside
        assert "on 1 December 2026" in clash_words(session=session, schedule=late, tz=LONDON)[0]


def test_a_schedule_whose_first_round_falls_in_an_open_round_is_said_to(services):
    """New-user trial: a one-off round open to 19 November, then a schedule whose first launch is 7 November, for
    the same young people: that launch invites nobody still in the round, and nothing said so."""
    round_id = launch(services, now=START)
    with session_scope(services.engine) as session:
        opened = session.get(Round, round_id)
        opened.closes_at = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
        session.add(opened)
        session.flush()
        survey = opened.survey_id
        soon = _save(session, "0 9 7 * *", survey=survey, open_days=3)
        assert clash_words(session=session, schedule=soon, tz=LONDON) == [
            f"the first round launches on 7 November 2026, while round {round_id} of the same survey is still open "
            "(to 19 November 2026), so it invites nobody still in that round; start the schedule after it closes"
        ]
        after = _save(session, "0 9 20 11 *", survey=survey, open_days=3)
        assert clash_words(session=session, schedule=after, tz=LONDON) == []

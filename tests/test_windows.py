"""Send windows in the council's time zone, school hours, daylight saving."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from voice_service.outbox.windows import Windows

LONDON = ZoneInfo("Europe/London")
W = Windows(tz=LONDON, weekday=(16 * 60, 20 * 60), weekend=(10 * 60, 18 * 60), school=(8 * 60 + 30, 15 * 60 + 30))


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def test_open_inside_weekday_window():
    when = at(2026, 11, 24, 17, 0)  # a Tuesday
    assert W.next_open(when) == when


def test_morning_waits_for_the_afternoon():
    assert W.next_open(at(2026, 11, 24, 9, 0)) == at(2026, 11, 24, 16, 0)


def test_late_evening_waits_for_tomorrow():
    assert W.next_open(at(2026, 11, 24, 21, 0)) == at(2026, 11, 25, 16, 0)


def test_friday_night_waits_for_saturday_morning():
    assert W.next_open(at(2026, 11, 27, 20, 30)) == at(2026, 11, 28, 10, 0)


def test_school_hours_are_kept_free_for_under_16s():
    always = Windows(tz=LONDON, weekday=(0, 1440), weekend=(0, 1440), school=(8 * 60 + 30, 15 * 60 + 30))
    assert always.next_open(at(2026, 11, 24, 10, 0), under_16=True) == at(2026, 11, 24, 15, 30)
    assert always.next_open(at(2026, 11, 24, 10, 0), under_16=False) == at(2026, 11, 24, 10, 0)
    assert always.next_open(at(2026, 11, 28, 10, 0), under_16=True) == at(2026, 11, 28, 10, 0)  # Saturday


def test_clocks_going_forward_and_back():
    # 29 March 2026: clocks go forward at 01:00 UTC. 16:00 local is then 15:00 UTC.
    assert W.next_open(datetime(2026, 3, 30, 12, 0, tzinfo=UTC)) == datetime(2026, 3, 30, 15, 0, tzinfo=UTC)
    # 25 October 2026: clocks go back. 16:00 local is 16:00 UTC after the change.
    assert W.next_open(datetime(2026, 10, 26, 12, 0, tzinfo=UTC)) == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)


def test_always_open_window():
    always = Windows(tz=LONDON, weekday=(0, 1440), weekend=(0, 1440), school=(510, 930))
    when = at(2026, 11, 24, 23, 59)
    assert always.is_open(when)


def test_a_window_opening_in_the_spring_gap_opens_when_the_clocks_have_gone_forward():
    # 29 March 2026, 01:00-02:00 local does not exist; a window from 01:30 opens at 02:30 BST (01:30 UTC).
    early = Windows(tz=LONDON, weekday=(90, 240), weekend=(90, 240), school=(510, 930))
    opens = early.next_open(datetime(2026, 3, 29, 0, 0, tzinfo=UTC))
    assert opens == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_under_16s_with_a_window_inside_school_hours_wait_for_the_weekend():
    daytime = Windows(tz=LONDON, weekday=(9 * 60, 15 * 60), weekend=(10 * 60, 18 * 60), school=(510, 930))
    assert daytime.next_open(at(2026, 11, 23, 9, 0), under_16=True) == at(2026, 11, 28, 10, 0)  # Monday -> Saturday
    assert daytime.next_open(at(2026, 11, 23, 9, 0), under_16=False) == at(2026, 11, 23, 9, 0)


def test_safeguarding_windows_are_not_consulted_for_alerts():
    # Alerts and replies are queued with respect_window=False; the dispatcher only asks the windows for survey kinds.
    from voice_service.outbox.dispatch import SURVEY_KINDS

    assert "alert" not in SURVEY_KINDS and {"invitation", "reminder"} <= SURVEY_KINDS


def test_the_window_sentence_follows_the_settings():
    # Tester U12: the check pages said "never sent in school hours to under-16s" with school_hours = "off".
    from types import SimpleNamespace

    from voice_service.outbox.windows import window_rules

    def schedule(weekday="16:00-20:00", weekend="10:00-18:00", school="08:30-15:30"):
        return SimpleNamespace(weekday_window=weekday, weekend_window=weekend, school_hours=school)

    assert window_rules(schedule(), "Invitations") == (
        "Invitations wait for the send window (weekdays 16:00-20:00, weekends 10:00-18:00), and are never sent "
        "to under-16s in school hours (08:30-15:30 on weekdays)."
    )
    assert window_rules(schedule(school="off")).endswith("weekends 10:00-18:00); school hours are off.")
    always = schedule(weekday="00:00-24:00", weekend="00:00-24:00")
    assert window_rules(always) == "Texts go at once, except to under-16s in school hours (08:30-15:30 on weekdays)."
    assert "school hours" not in window_rules(always, "Texts").split("except")[0]
    assert window_rules(schedule("00:00-24:00", "00:00-24:00", "off")) == (
        "Texts go at once: the send windows are open all day and school hours are off."
    )

"""Every help reply fits one SMS segment: in and out of office hours, for every "back" the office-hours code
can say, for a child, an adult and someone whose age is not known, on each channel (trial 3, F15: the reply
to a new number out of hours took two, 162-165 characters, with "back today 9am" or "back tomorrow 9am")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from voice_service.config import load
from voice_service.engine import texts
from voice_service.inbound.office import office_reopens

# Office hours whose opening reads longest ("12:30pm", "10:45am") and the midnight forms ("first thing Mon").
WINDOWS = ("09:00-17:00", "10:45-16:00", "12:30-17:00", "00:00-23:59", "08:00-20:00")
MONDAY = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def _backs() -> set[str | None]:
    """Every "back" office_reopens says over a fortnight (with a bank holiday and a closed day) at each window."""
    backs: set[str | None] = set()
    for window in WINDOWS:
        config = load(None, environ={}).with_overrides(
            safeguarding={"office_hours": window, "closed_days": ["2026-12-24"]}
        )
        for step in range(14 * 24 * 4):  # every quarter hour from Mon 30 Nov to Sun 13 Dec, then Christmas week
            backs.add(office_reopens(config, MONDAY + timedelta(minutes=15 * step)))
            backs.add(office_reopens(config, MONDAY + timedelta(days=21, minutes=15 * step)))
        # A council shut from 19 December to 10 January: "back" names the date, a fortnight or more ahead.
        closure = [(date(2026, 12, 19) + timedelta(days=n)).isoformat() for n in range(23)]
        shut = config.with_overrides(safeguarding={"office_hours": window, "closed_days": closure})
        for step in range(14 * 24):
            backs.add(office_reopens(shut, MONDAY + timedelta(days=18, hours=step)))
    return backs


def _replies(back: str | None) -> dict[str, str]:
    return {
        "disclosure": texts.disclosure_reply(back),
        "further disclosure that pleads": texts.plea_disclosure_reply(back),
        "after disclosure": texts.after_disclosure_reply(back),
        "GO ON with nothing waiting": texts.after_disclosure_reply(back, nothing_waiting=True),
        "wants a person": texts.wants_person_reply(back),
        "wants a person after disclosure": texts.wants_person_reply(back, after_disclosure=True),
        "not in English": texts.unread_reply(back),
        # Out of hours, the alert passed at once to the out-of-hours team (trial 11, T11-10).
        "disclosure, passed on": texts.disclosure_reply(back, passed_on=True),
        "plea, passed on": texts.plea_disclosure_reply(back, passed_on=True),
        "after disclosure, passed on": texts.after_disclosure_reply(back, passed_on=True),
        "GO ON with nothing waiting, passed on": texts.after_disclosure_reply(
            back, nothing_waiting=True, passed_on=True
        ),
        "wants a person after disclosure, passed on": texts.wants_person_reply(
            back, after_disclosure=True, passed_on=True
        ),
    }


def test_every_help_reply_fits_one_segment_for_every_age_channel_and_opening():
    backs = _backs()
    expected = {None, "at 9am today", "at 9am tomorrow", "at 9am on Monday", "at 9am on Tue", "12:30pm tomorrow"}
    expected |= {"Mon at 10:45am", "first thing Mon", "at 9am on 11 Jan", "11 Jan, 10:45am", "on 11 Jan"}
    assert expected <= backs, backs
    too_long = []
    for back in backs:
        for kind, reply in _replies(back).items():
            for adult in (False, True, None):
                for channel in ("sms", texts.WEBCHAT):
                    words = texts.for_person(reply, channel, adult=adult)
                    assert texts.is_gsm7(words)
                    if texts.sms_segments(words) != 1:
                        too_long.append(f"{kind}, back {back}, adult {adult}, {channel}: {len(words)} {words}")
    assert not too_long, "\n".join(too_long)


def test_the_help_reply_still_names_the_help_lines_and_999():
    for back in (None, "12:30pm tomorrow"):
        unknown = texts.for_person(texts.disclosure_reply(back), "sms", adult=None)
        assert texts.ANY_AGE_LINES in unknown and "SHOUT" in unknown and "999" in unknown
        child = texts.for_person(texts.disclosure_reply(back), "sms", adult=False)
        assert "Childline 0800 1111" in child and "999" in child
        assert texts.is_disclosure_reply(unknown) and texts.is_disclosure_reply(child)
    assert "back 12:30pm tomorrow." in texts.disclosure_reply("12:30pm tomorrow")


def test_the_help_keywords_reply_is_one_segment_for_someone_of_any_age():
    """Trial 9, T9-G: HELP at the welcome's questions, to a newcomer whose age is not known, took 166 characters."""
    for language in ("en", "cy"):
        for adult in (False, True, None):
            for channel in ("sms", texts.WEBCHAT):
                words = texts.for_person(texts.HELP, channel, adult=adult, language=language)
                assert texts.is_gsm7(words) and texts.sms_segments(words) == 1, (len(words), words)


def test_every_reask_while_an_alert_is_live_says_where_help_is_in_one_segment():
    """Trial 11, T11-9: a re-ask while their alert is live says where help is, in one segment for any age, channel
    and language (a survey's in Welsh; onboarding's are English)."""
    for reask in texts.LIVE_REASKS:
        for lo, hi, n in ((1, 5, 4), (0, 10, 10)):
            live = texts.while_alert_live(reask.format(lo=lo, hi=hi, n=n))
            assert live != reask.format(lo=lo, hi=hi, n=n)
            for adult in (False, True, None):
                for channel in ("sms", texts.WEBCHAT):
                    for language in ("en", "cy"):
                        words = texts.for_person(live, channel, adult=adult, language=language)
                        assert texts.is_gsm7(words) and texts.sms_segments(words) == 1, (len(words), words)
                        assert "0800 1111" in words or "116 123" in words, words
                        assert "999" in words, words

"""A Welsh speaker's "You said, we did" thank-you and page are Welsh (trial 13, T13-17): Ela (language `cy`, who did
the survey in Welsh) was held back at `round close 1` by her open alert, and closing it sent "Hi Ela, thanks for taking
part! See what you said and what we are doing: .../r/<token>" in English, to a page with no Welsh. Now the text is
Welsh, one SMS segment, and links the page's Welsh version, `/r/<token>/cy`, whose own words are Welsh and which says,
in Welsh, that what young people said and the council is doing is in English. Through the signed webhook, the real
`round close` and `alerts close` commands and the page, on both databases."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from tests.admin.test_close_held_back import _cli, _loop_rows
from tests.conftest import SmsPhone
from tests.factories import launch, phone_number
from tests.support.people import import_people
from tests.web.test_welsh_replies import NOW, SURVEY
from voice_service.engine.gsm import sms_segments
from voice_service.models import Alert, Message, Participant, Round, Run
from voice_service.summary import loop
from voice_service.summary.report import Summary

ELA, SAM = 61, 62


def _round_answered_by_ela_in_welsh_and_sam_in_english(client, services) -> None:
    import_people(services, (ELA, "Ela", "Cymraeg"), (SAM, "Sam", "English"))
    launch(services, survey_source=SURVEY, now=NOW)
    ela = SmsPhone(client, phone_number(ELA))
    assert ela.send("ie") == ["Sut wyt ti? Ateba 1 (isel) i 5 (da)."]
    ela.send("4")
    sam = SmsPhone(client, phone_number(SAM))
    sam.send("yes")
    sam.send("4")


def _bodies(services) -> dict[str, str]:
    """Each thank-you text queued, by the first name of whom it is for."""
    with Session(services.engine) as session:
        names = dict(session.exec(select(Participant.id, Participant.first_name)).all())
    return {names[row.participant_id]: row.body for row in _loop_rows(services)}


def _token(services) -> str:
    with Session(services.engine) as session:
        token = session.exec(select(Round.public_token)).one()
        assert token
        return token


def test_closing_the_round_thanks_a_welsh_speaker_in_welsh_with_the_welsh_page(client, services):
    _round_answered_by_ela_in_welsh_and_sam_in_english(client, services)
    _cli(services, "round", "close", "1")
    bodies, token = _bodies(services), _token(services)
    # Two answered, so the page keeps what they said private: the text promises what we are doing, not what they said.
    assert bodies["Ela"] == (
        f"Helo Ela, diolch am gymryd rhan! Dyma beth rydyn ni'n ei wneud: http://voice.test/r/{token}/cy"
    )
    assert sms_segments(bodies["Ela"]) == 1
    assert bodies["Sam"].startswith("Hi Sam, thanks for taking part!") and bodies["Sam"].endswith(f"/r/{token}")


def test_a_welsh_thank_you_held_back_by_her_alert_goes_in_welsh_when_the_alert_closes(client, services, users):
    """The trial's steps: held back at `round close 1` by her open alert, then `alerts close`."""
    _round_answered_by_ela_in_welsh_and_sam_in_english(client, services)
    SmsPhone(client, phone_number(ELA)).send("he hits me and i am scared to go home")
    assert "1 held back" in _cli(services, "round", "close", "1")
    assert set(_bodies(services)) == {"Sam"}
    with Session(services.engine) as session:
        alert_id = session.exec(select(Alert.id)).one()
    users("duty", email="duty@council.test", name="Kim Duty")
    _cli(services, "alerts", "close", str(alert_id), "--by", "duty@council.test", "--action", "called")
    ela = _bodies(services)["Ela"]
    assert ela.startswith("Helo Ela, diolch am gymryd rhan!") and ela.endswith(f"/r/{_token(services)}/cy")
    assert sms_segments(ela) == 1


def test_a_welsh_web_chat_thank_you_is_welsh(client, services):
    """As if both had answered in the web chat: the thank-you goes where they last answered (loop.answered_on)."""
    _round_answered_by_ela_in_welsh_and_sam_in_english(client, services)
    with Session(services.engine) as session:
        for row in [*session.exec(select(Run)).all(), *session.exec(select(Message)).all()]:
            row.channel = "webchat"
            session.add(row)
        session.commit()
    _cli(services, "round", "close", "1")
    with Session(services.engine) as session:
        said = dict(
            session.exec(
                select(Participant.first_name, Message.body)
                .join(Participant, Participant.id == Message.participant_id)
                .where(Message.provider_sid.startswith("loop:1:"))  # type: ignore[union-attr]
            ).all()
        )
    token = _token(services)
    assert said["Ela"].startswith("Diolch am gymryd rhan!") and said["Ela"].endswith(f"/r/{token}/cy")
    assert said["Sam"].startswith("Thanks for taking part!") and said["Sam"].endswith(f"/r/{token}")


@pytest.mark.parametrize("said", [True, False], ids=["themes shown", "kept private"])
def test_the_welsh_text_is_one_segment_for_a_long_name_and_a_long_address(monkeypatch, said):
    """The Welsh text names no theme: it reads of the summary only whether its page shows what they said
    (`loop.top_things`), and promises "what you said" only then."""
    summary = Summary.__new__(Summary)
    monkeypatch.setattr(loop, "top_things", lambda _summary: ["something"] if said else [])
    link = "https://voice.worcestershire.gov.uk/r/Ab3dE6gH9jK_"
    for name in (None, "Ela", "Siân", "Maximilianne-Josephine"):
        text = loop.loop_sms_in(summary, first_name=name, link=link, language="cy")
        assert sms_segments(text) == 1 and text.endswith(link + "/cy"), text
        assert "Saesneg" not in text and "thanks" not in text.lower()
        assert said or "ddwedoch chi" not in text
    assert "Helo Sian," in loop.loop_sms_in(summary, first_name="Siân", link=link, language="cy")  # GSM-7, not UCS-2


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("<body>")[1]))


def test_the_welsh_page_says_its_own_words_in_welsh_and_that_the_rest_is_english(client, services):
    _round_answered_by_ela_in_welsh_and_sam_in_english(client, services)
    _cli(services, "round", "close", "1")
    token = _token(services)
    response = client.get(f"/r/{token}/cy")
    assert response.status_code == 200 and response.headers["X-Robots-Tag"].startswith("noindex")
    html = response.get_data(as_text=True)
    assert '<html lang="cy">' in html and "<h1>Dywedoch chi, gwnaethon ni</h1>" in html
    text = _text(html)
    assert "Diolch am ddweud wrthon ni beth wyt ti'n ei feddwl" in text
    assert "Saesneg yn unig" in text  # what young people said and the council did is English only, said in Welsh
    assert "Ffonia Childline" in text and "0800 1111" in text and "Paid â rhannu'r ddolen" in text
    assert f'href="/r/{token}"' in html and "You said, we did</h1>" not in html
    # The English page offers the Welsh one, as the round reached a Welsh speaker.
    english = client.get(f"/r/{token}").get_data(as_text=True)
    assert '<html lang="en-GB">' in english and f'href="/r/{token}/cy"' in english and "Cymraeg" in english
    assert client.get("/r/nope/cy").status_code == 404


def test_an_english_only_round_offers_no_welsh_page(client, services):
    import_people(services, (SAM, "Sam", "English"))
    launch(services, survey_source=SURVEY, now=NOW)
    _cli(services, "round", "close", "1")
    assert "Cymraeg" not in client.get(f"/r/{_token(services)}").get_data(as_text=True)

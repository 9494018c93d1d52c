"""What a worker writes under "You said" is kept private where numbers are small (tester T15).

In a round fewer than 5 answered, or under a theme fewer than 5 raised, the action is still told back (what was
done, and that young people said something), but not the worker's words for what was said: they are often one
young person's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.factories import launch
from tests.summary import data
from tests.summary.test_loop import _busy_round
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, Round, utcnow
from voice_service.summary import render, summarise
from voice_service.summary.aggregate import ActionRecord
from voice_service.summary.disclosure import SECONDARY
from voice_service.summary.loop import young_people_text

MUM = "Family time with your mum keeps getting cancelled"
DID = "we have asked the contact team to give notice before any change"


def _action(services, round_id: int, *, said: str = MUM, theme: str | None = "family_and_friends") -> int:
    with session_scope(services.engine) as session:
        action = Action(round_id=round_id, theme=theme, said=said, did=DID, status=ActionStatus.DONE, done_at=utcnow())
        session.add(action)
        session.flush()
        assert action.id is not None
        return action.id


def _token(services, round_id: int) -> str:
    with session_scope(services.engine) as session:
        return session.execute(select(Round.public_token).where(Round.id == round_id)).scalar_one()


def _everywhere(services, client, round_id: int) -> dict[str, str]:
    data.closed(services, round_id)
    with session_scope(services.engine) as session:
        summary = summarise(session=session, services=services, round_id=round_id)
    return {
        "text": young_people_text(summary),
        "page": client.get(f"/r/{_token(services, round_id)}").get_data(as_text=True),
        **{fmt: render(summary, fmt).decode("utf-8") for fmt in ("html", "md", "csv", "json")},
    }


def test_a_small_round_tells_what_was_done_but_not_the_words_for_what_was_said(services, client):
    ids = data.people(services, 4)
    round_id = data.round_at(services)
    data.comments(
        services, round_id, ids[:1], ["contact with my mum gets cancelled all the time"], ["family_and_friends"]
    )
    data.scale_answers(services, round_id, ids[1:], [4, 4, 4])
    _action(services, round_id)
    for where, words in _everywhere(services, client, round_id).items():
        assert "your mum" not in words and "my mum" not in words, where
        assert "contact team" in words, where  # the loop still tells them what was done
    shown = _everywhere(services, client, round_id)
    assert "Something you told us about." in shown["page"] and "keep what you said private" in shown["page"]
    assert "family" not in shown["page"].lower()  # raised by one of the four who answered: not named
    assert "kept private: fewer than 5 young people answered this round" in shown["md"]


def test_a_theme_raised_by_fewer_than_5_keeps_its_actions_words_private_in_a_busy_round(services, client):
    ids, round_id = _busy_round(services)  # 15 answered; safety raised by 8, family and friends by 6
    data.comments(services, round_id, ids[14:15], ["my flat has damp"], ["housing"], question="listened")
    _action(services, round_id, said="The damp in your flat is not fixed", theme="housing")
    _action(services, round_id, said="Weekends are boring", theme="leisure")  # raised by 6: printed
    shown = _everywhere(services, client, round_id)
    for where, words in shown.items():
        assert "damp" not in words.lower(), where
        assert "contact team" in words, where
    assert "Weekends are boring" in shown["md"] and "fewer than 5 young people raised this theme" in shown["md"]


def test_report_year_keeps_the_words_private_by_the_same_rule(services, tmp_path):
    """`report --year` lists each action as its round's summary does: the worker's "You said" is kept private
    where fewer than 5 answered the round (a small round) or raised the action's theme (a busy round)."""
    from click.testing import CliRunner

    from tests.summary.test_render import _env
    from voice_service.cli import main

    spring = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ids = data.people(services, 20)
    small = launch(services, now=spring)
    data.scale_answers(services, small, ids[:3], [4, 4, 4])
    _action(services, small)
    busy = launch(services, now=spring + timedelta(days=30))
    data.scale_answers(services, busy, ids, [4] * 20)
    data.comments(services, busy, ids[:6], ["there is nothing fun to do at weekends"] * 6, ["leisure"])
    data.comments(services, busy, ids[6:7], ["my flat has damp"], ["housing"], question="listened")
    _action(services, busy, said="The damp in your flat is not fixed", theme="housing")
    _action(services, busy, said="Weekends are boring", theme="leisure")
    with session_scope(services.engine) as session:
        for action in session.execute(select(Action)).scalars():
            action.pledge = 1  # listed under pledge 1 in the report
    data.closed(services, small, spring + timedelta(days=1))
    data.closed(services, busy, spring + timedelta(days=31))
    for fmt in ("md", "csv", "json", "html"):
        out = tmp_path / f"year.{fmt}"
        result = CliRunner().invoke(
            main, ["report", "--year", "2026", "--format", fmt, "--out", str(out)], env=_env(services, tmp_path)
        )
        assert result.exit_code == 0, result.output
        words = out.read_text(encoding="utf-8")
        assert "your mum" not in words and "damp" not in words.lower(), fmt
        assert "contact team" in words and "Weekends are boring" in words, fmt
        assert "fewer than 5 young people answered this round" in words, fmt
        assert "fewer than 5 young people raised this theme" in words, fmt


def test_each_private_action_says_what_it_is_about_as_far_as_that_is_safe(services, client):
    """Trial U15: not "Something else you told us." before each action, with nothing before it. Trial finding
    12: not "You told us about this." either, pointing at nothing: an action for a pledge names the pledge, the
    council's own promise ("Our promise: Keep you safe"); one with only a theme (fewer than 5 raised it, as
    in any round fewer than 5 answered) does not name the theme, which would say what one of them said."""
    ids = data.people(services, 4)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [4, 4, 4, 2])
    _action(services, round_id)  # by theme
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=round_id,
                pledge=1,
                said="You feel unsafe on the bus home",
                did="Contact can now be booked at weekends",
                status=ActionStatus.PLANNED,
            )
        )
    shown = _everywhere(services, client, round_id)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown["page"]))
    for words in (page, shown["text"]):
        assert "Something else" not in words
        assert "1. Something you told us about." in words and "2. Our promise: Keep you safe." in words
        assert "You told us about this" not in words
        assert "family and friends" not in words and "bus home" not in words and "your mum" not in words
        assert "what we did: we have asked the contact team" in words.lower()
        assert "what we will do: contact can now be booked at weekends" in words.lower()


def test_an_action_with_no_theme_keeps_its_words_private_unless_5_raised_one_of_its_pledges_themes(services, client):
    """Trial 6, F2: an action recorded with a pledge and no theme was never checked against the small-number
    rule, so the words three young people wrote reached the young people's page and the panel's summary under a
    pledge whose one theme nobody raised. Its words may be about any of its pledge's (or top-ten message's)
    themes: they are printed only when at least one of them may be quoted, as a theme's would be."""
    ids, round_id = _busy_round(services)  # 15 answered; safety raised by 8, leisure by 6
    data.comments(services, round_id, ids[12:15], ["my room is cold and the home is noisy"] * 3, ["carers"])
    with session_scope(services.engine) as session:
        for pledge, message, said, did in (
            (5, None, "Homes are cold and noisy", "Heating checked in every home"),  # pledge 5: carers, raised by 3
            (None, 1, "Homes feel cold", "Carers trained to ask"),  # message 1: love and belonging, carers
            (8, None, "Weekends are boring", "A Saturday club"),  # pledge 8: leisure, raised by 6
        ):
            session.add(Action(round_id=round_id, pledge=pledge, message=message, said=said, did=did, status="planned"))
    shown = _everywhere(services, client, round_id)
    for where, words in shown.items():
        assert "cold" not in words.lower(), where
        assert "Heating checked in every home" in words and "Carers trained to ask" in words, where
        assert "A Saturday club" in words, where
        # The young people's text and page tell the Saturday club under leisure, a top theme, not as said.
        assert where in ("text", "page") or "Weekends are boring" in words, where
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown["page"]))
    assert "Our promise: Support your carers." in page
    assert "kept private: fewer than 5 young people raised each of this pledge's themes" in shown["md"]
    assert "kept private: fewer than 5 young people raised each of this top-ten message's themes" in shown["md"]


def _record(number: int, *, theme: str | None = None, message: int | None = None, said: str) -> ActionRecord:
    return ActionRecord(
        id=number,
        round_id=2,
        pledge=None,
        message=message,
        theme=theme,
        said=said,
        did=f"done {number}",
        owner=None,
        status="in_progress",
        due_on=None,
        done_at=None,
    )


def test_a_theme_hidden_at_5_or_more_keeps_its_actions_words_private_without_saying_fewer_than_5():
    """Trial 6b, N1: a theme 5 raised, 4 worried and 1 pleased, reads "5 or more people (exact number hidden to
    protect a smaller group)": shown, a 5 would tell a reader who knows the rule that its two "fewer than 5"
    feelings are not 2 to 4 each as they would be at 6. Its action's words stay private (a hidden count is never
    quoted), and the reason given is true of it: not "fewer than 5 young people raised this theme"."""
    hidden_five = {"negative": 4, "positive": 1}
    current = data.figures(
        {"family_and_friends": hidden_five, "respect_and_identity": hidden_five, "safety": {"negative": 8}},
        actions=(
            _record(1, theme="family_and_friends", said="Contact with your mum keeps getting cancelled"),
            _record(2, message=2, said="Nobody calls you by your name"),  # message 2: respect and identity alone
            _record(3, theme="safety", said="The bus home feels unsafe"),
        ),
    )
    summary = data.summary_of(current)
    people = {t.id: t.people for t in summary.themes}
    assert people["family_and_friends"] == people["respect_and_identity"] == SECONDARY
    said = {a.id: a.said for a in [*summary.other_actions, *(a for s in summary.messages for a in s.we_will)]}
    assert said[1] == (
        "(kept private: the exact number of young people who raised this theme is hidden to protect a smaller group)"
    )
    assert said[2] == (
        "(kept private: each of this top-ten message's themes was raised by fewer than 5 young people or has its "
        "exact number hidden to protect a smaller group)"
    )
    assert said[3] == "The bus home feels unsafe"  # 8 raised safety: shown, and its words printed
    md = render(summary, "md").decode("utf-8")
    assert "5 or more people" in md and "fewer than 5 young people raised" not in md
    assert "your mum" not in md and "your name" not in md

"""Counting a round in SQL, and the summary built from it, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.summary import data
from voice_service.db import session_scope
from voice_service.models import Action, ActionStatus, utcnow
from voice_service.summary import aggregate_round, previous_round_id, summarise
from voice_service.summary.disclosure import PRIMARY, SECONDARY


def _summary(services, round_id):
    data.closed(services, round_id)  # its figures are shown once it is closed (`summary.open_round`)
    with session_scope(services.engine) as session:
        return summarise(session=session, services=services, round_id=round_id)


def _pledge(summary, number):
    return next(sec for sec in summary.pledges if sec.number == number)


def test_counts_are_of_people_and_skips_do_not_count(services):
    ids = data.people(services, 12)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids[:10], [5, 5, 5, 5, 5, 4, 4, 4, 4, 4])
    with session_scope(services.engine) as session:
        data.answer(session, round_id, ids[10], "safe_home", kind="scale", skipped=True)
        data.answer(session, round_id, ids[0], "listened", kind="yes_no", number=1, text="yes")
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert figures.invited == 12 and figures.responded == 10
    assert figures.questions["safe_home"].respondents == 10
    assert figures.questions["safe_home"].counts == {"5": 5, "4": 5}
    assert figures.questions["safe_home"].mean == 4.5
    assert figures.questions["listened"].counts == {"yes": 1}
    assert figures.channels == {"sms": 10}
    # Only the bands the round invited anyone from: nobody of 16-25 was asked, so none is listed.
    assert figures.age_bands == {"11-15": 10}


def test_themes_come_from_comments_only(services):
    ids = data.people(services, 6)
    round_id = data.round_at(services)
    with session_scope(services.engine) as session:
        for pid in ids:
            # Scale answers carry their question's themes; they are not people raising the theme.
            data.answer(session, round_id, pid, "safe_home", kind="scale", number=4, themes=["safety"])
        data.answer(
            session, round_id, ids[0], "one_thing", text="more trips out", themes=["leisure"], sentiment="positive"
        )
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert set(figures.themes) == {"leisure"}
    assert figures.themes["leisure"].people == 1 and figures.commenters == 1


def test_four_versus_five_in_the_summary(services):
    ids = data.people(services, 20)
    round_id = data.round_at(services)
    # 6 said 5, 4 said 4 (hidden), so one more must go: beside a "fewer than 5", every other answer of its band.
    data.scale_answers(services, round_id, ids[:10] + ids[10:20], [5] * 6 + [4] * 4 + [3] * 10)
    summary = _summary(services, round_id)
    question = _pledge(summary, 1).questions[0]
    distribution = dict(question.distribution)
    assert distribution["3"] == 10
    # 4 is "fewer than 5"; 5 is hidden to protect it (positive, 10, is shown, and 10 - 5 = 5, 10 - 9 = 1).
    assert distribution["4"] == PRIMARY and distribution["5"] == SECONDARY
    assert question.mean is None and "average not shown" in question.withheld
    # Positive (4 and 5 together) is 10 and safe, and would be at 9 and 11 too (a band of a "fewer than 5" and a
    # "5 or more" is hidden at 9, since at 8 the small one could not be 4); negative is zero.
    assert question.positive == 10 and question.negative == 0


def test_all_fives_show_the_mean(services):
    ids = data.people(services, 10)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [5] * 5 + [1] * 5)
    question = _pledge(_summary(services, round_id), 1).questions[0]
    assert question.mean == 3.0 and dict(question.distribution)["5"] == 5
    assert question.positive_share == 0.5 and question.negative_share == 0.5


def test_trend_against_the_previous_round_of_the_same_survey(services):
    ids = data.people(services, 20)
    first = data.round_at(services, days_ago=90)
    data.scale_answers(services, first, ids[:10], [1] * 5 + [5] * 5)
    data.comments(services, first, ids[:5], ["the bus home is scary at night time"] * 5, ["safety"])
    second = data.round_at(services)
    data.scale_answers(services, second, ids[:20], [5] * 15 + [1] * 5)
    data.comments(
        services, second, ids[:10], ["I feel much safer at home now thanks"] * 10, ["safety"], sentiment="positive"
    )
    with session_scope(services.engine) as session:
        assert previous_round_id(session=session, round_id=second) == first
        assert previous_round_id(session=session, round_id=first) is None
    summary = _summary(services, second)
    question = _pledge(summary, 1).questions[0]
    assert question.mean == 4.0 and question.mean_trend.previous == 3.0 and question.mean_trend.change == 1.0
    assert question.positive_trend.previous == 0.5 and question.positive_trend.change == 0.25
    safety = next(t for t in _pledge(summary, 1).themes if t.id == "safety")
    assert safety.people == 10 and safety.sentiment["positive"] == 10
    assert summary.previous_round_id == first


def test_quotes_are_redacted_need_five_people_and_never_show_risk(services):
    ids = data.people(services, 12)
    round_id = data.round_at(services)
    texts = [
        "my name is Jade Smith and the bus home at night scares me",
        "text me on 07700 900123 the estate is not safe after dark",
        "I go to St Mary's Academy and I get bullied every single day there",
        "I feel safe at my foster home and my carers look after me well",
        "follow @jaydee_22 the kids at the park pick on me all the time",
    ]
    data.comments(services, round_id, ids[:5], texts, ["safety"])
    with session_scope(services.engine) as session:
        data.answer(
            session,
            round_id,
            ids[5],
            "one_thing",
            text="someone at home hurts me and I am scared to go back",
            themes=["safety"],
            sentiment="negative",
            score=-0.9,
            risk=True,
        )
    # Only 3 people wrote about leisure: no quote for it.
    data.comments(
        services, round_id, ids[6:9], ["I really want to do more football after school please"] * 3, ["leisure"]
    )
    summary = _summary(services, round_id)
    quotes = [q.text for theme in summary.themes for q in theme.quotes]
    assert quotes and len(next(t for t in summary.themes if t.id == "safety").quotes) <= 3
    assert len(quotes) == len(set(quotes))
    joined = " ".join(quotes)
    for secret in ("Jade", "Smith", "07700", "Mary", "jaydee", "hurts me"):
        assert secret not in joined
    assert "football" not in joined


def test_actions_and_still_open(services):
    ids = data.people(services, 12)
    round_id = data.round_at(services)
    data.comments(services, round_id, ids[:6], ["not safe walking back from town at night"] * 6, ["safety"])
    data.comments(services, round_id, ids[6:12], ["I never get to see my little brother"] * 6, ["family_and_friends"])
    with session_scope(services.engine) as session:
        session.add(
            Action(
                round_id=round_id,
                pledge=1,
                said="Walking home feels unsafe",
                did="Taxi passes",
                status=ActionStatus.DONE,
                done_at=utcnow(),
                owner="Transport",
            )
        )
        session.add(
            Action(
                round_id=round_id,
                theme="leisure",
                said="More clubs",
                did="Free gym passes",
                status=ActionStatus.PLANNED,
            )
        )
    summary = _summary(services, round_id)
    assert [a.did for a in _pledge(summary, 1).we_did] == ["Taxi passes"]
    assert [a.did for a in summary.other_actions] == ["Free gym passes"]
    assert [t.id for t in summary.still_open] == ["family_and_friends"]


def test_header_suppresses_small_channel_and_age_groups(services):
    ids = data.people(services, 9) + data.people(services, 3, start=100, age=17)
    round_id = data.round_at(services)
    data.scale_answers(services, round_id, ids, [4] * 12)
    summary = _summary(services, round_id)
    assert summary.header.responded == 12
    # 9 aged 11-15 and 3 aged 16-17: the 3 is hidden, and so is the 9 it could be worked out from.
    assert summary.header.age_bands["16-17"] == PRIMARY and summary.header.age_bands["11-15"] == SECONDARY


def test_a_workers_correction_of_themes_and_feeling_is_what_the_panel_counts(services):
    # Tester F14: corrections on the dashboard never reached the summary.
    from sqlmodel import select

    from voice_service.models import Response

    ids = data.people(services, 12)
    round_id = data.round_at(services)
    text = "i want to see my social worker more, she never comes round to see me"
    data.comments(services, round_id, ids[:6], [text] * 6, [], sentiment="neutral")
    data.comments(services, round_id, ids[6:12], ["my carers are kind and fun"] * 6, ["carers"], sentiment="positive")
    with session_scope(services.engine) as session:
        for row in session.exec(select(Response).where(Response.answer == text)).all():
            row.human_themes, row.human_sentiment = ["social_workers"], "negative"
            row.labelled_by, row.labelled_at = "worker@council.test", utcnow()
        # A worker who took every theme off one of the carers comments: it no longer counts for carers.
        kind = session.exec(select(Response).where(Response.answer == "my carers are kind and fun")).first()
        kind.human_themes, kind.labelled_by, kind.labelled_at = [], "worker@council.test", utcnow()
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert figures.themes["social_workers"].people == 6
    assert figures.themes["social_workers"].by_sentiment == {"negative": 6}
    assert figures.themes["carers"].people == 5
    assert {q.theme for q in figures.quotes} >= {"social_workers"}


def test_each_theme_is_counted_by_its_own_feeling_in_a_mixed_comment(services):
    # Finding F4: "I love my foster carer but I hate my new school" is praise for carers and a
    # worry about education, not one mixed feeling for both.
    from sqlmodel import select

    from voice_service.analysis import analyse
    from voice_service.models import Response

    ids = data.people(services, 12)
    round_id = data.round_at(services)
    text = "I love my foster carer but I hate my new school"
    result = analyse(text)
    with session_scope(services.engine) as session:
        for pid in ids[:6]:
            data.answer(
                session,
                round_id,
                pid,
                "one_thing",
                text=text,
                themes=result.themes,
                sentiment=result.sentiment,
                score=result.score,
                theme_sentiments=dict(result.theme_sentiments),
            )
    # Rows stored before per-theme feelings (None) keep counting by the message's one sentiment.
    data.comments(services, round_id, ids[6:12], ["my foster carer is kind to me"] * 6, ["carers"], sentiment="neutral")
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert figures.themes["carers"].by_sentiment == {"positive": 6, "neutral": 6}
    assert figures.themes["education"].by_sentiment == {"negative": 6}
    mixed = {q.theme: q.sentiment for q in figures.quotes if q.text == text}
    assert (mixed["carers"], mixed["education"]) == ("positive", "negative")
    # A worker's correction of the sentiment is for the whole comment: it then holds for every theme.
    with session_scope(services.engine) as session:
        for row in session.exec(select(Response).where(Response.answer == text)).all():
            row.human_sentiment = "negative"
            row.labelled_by, row.labelled_at = "worker@council.test", utcnow()
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert figures.themes["carers"].by_sentiment == {"negative": 6, "neutral": 6}
    assert figures.themes["education"].by_sentiment == {"negative": 6}


def test_a_message_that_raised_an_alert_counts_in_no_theme_or_comment(services):
    """A disclosure is the duty team's, not the panel's: not a comment, nor a theme's count, even
    when five or more would show (trial finding 9: a disclosure mid-survey is kept with the round
    but no question, and its themes were counted as "raised most")."""
    ids = data.people(services, 12)
    round_id = data.round_at(services)
    data.comments(services, round_id, ids[:5], ["I feel safe where I live and my carers are kind"] * 5, ["safety"])
    with session_scope(services.engine) as session:
        for pid in ids[5:12]:
            for question in (None, "one_thing"):  # kept with the round only, or stored at a question before
                data.answer(
                    session,
                    round_id,
                    pid,
                    question,
                    text="my foster dad hits me when hes drunk",
                    themes=["carers", "safety"],
                    sentiment="negative",
                    score=-0.9,
                    risk=True,
                )
    summary = _summary(services, round_id)
    assert "carers" not in {t.id for t in summary.themes}
    assert next(t for t in summary.themes if t.id == "safety").people == 5
    with session_scope(services.engine) as session:
        figures = aggregate_round(session=session, round_id=round_id)
    assert figures.commenters == 5 and set(figures.themes) == {"safety"}


def test_quotes_hide_the_councils_own_area_names(services):
    """An area the council imported its young people with is a place redaction hides, though no list knows it."""
    from tests.factories import add_participants
    from tests.factories import phone_number as phone

    add_participants(services, [{"phone": phone(50), "first_name": "Sam", "age": 14, "area": "Quillby Vale"}])
    ids = data.people(services, 6)
    round_id = data.round_at(services)
    texts = [f"the buses out of Quillby Vale stop at six so I cant get home safe {n}" for n in range(5)]
    data.comments(services, round_id, ids[:5], texts, ["safety"])
    summary = _summary(services, round_id)
    quotes = [q.text for theme in summary.themes for q in theme.quotes]
    assert quotes and all("Quillby" not in q and "[place]" in q for q in quotes)

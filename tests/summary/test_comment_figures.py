"""Comments and themes are protected together with who took part: no hidden figure on the page can be worked
out from a theme's count, its feelings, the share of those who commented, a question's answered count, the
number who answered or the number invited (the joint check left comments and themes out).

Pure: the summary is built from hand-made figures; `tests.summary.reader` works out, by brute force over every
whole-number assignment the page allows, what a reader could recompute.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from tests.summary.data import figures, summary_of
from tests.summary.reader import read, unsafe
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import PRIMARY, PROTECTING_LABEL, SUPPRESSED_LABEL, is_hidden
from voice_service.summary.report import ALL_AGES, ALL_ANSWERS, ALL_FEELINGS


def _round(*, invited, channels, ages, themes, commenters, questions=None):
    responded = sum(channels.values())
    current = replace(
        figures(themes, questions=questions),
        invited=invited,
        responded=responded,
        commenters=commenters,
        channels=channels,
        age_bands=ages,
    )
    truth = {"invited": invited, "responded": responded, "commenters": commenters}
    truth |= {f"channel:{k}": v for k, v in channels.items()}
    truth |= {f"age:{k}": v for k, v in ages.items()}
    for theme, feelings in themes.items():
        truth[f"theme:{theme}"] = sum(feelings.values())
        truth |= {f"theme:{theme}:{k}": v for k, v in feelings.items()}
    for q in (questions or {}).values():
        truth[f"q:{q.question_id}"] = q.respondents
        truth |= {f"q:{q.question_id}={k.capitalize()}": v for k, v in q.counts.items()}
    return summary_of(current), truth


def _rows(summary):
    return list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))


def test_one_invited_one_answered_gives_nothing_away():
    """1 invited, 1 answered, 1 comment about carers: "fewer than 5" everywhere was still exactly 1, since
    only 1 was invited (and the theme's count, the comment question's and the feelings with it). The number
    invited is itself a group of fewer than 5, so it reads "fewer than 5" too, and every hidden figure could
    then be anything from 1 to 4."""
    summary, truth = _round(
        invited=1,
        channels={"sms": 1},
        ages={"11-15": 1},
        themes={"carers": {"positive": 0, "neutral": 0, "negative": 1}},
        commenters=1,
        questions={"one_thing": QuestionFigures("one_thing", 1)},
    )
    assert unsafe(read(summary, truth)) == []
    assert summary.header.invited == PRIMARY
    markdown = render(summary, "md").decode()
    assert "Some of the young people invited answered (both numbers are fewer than 5, so they are hidden)" in markdown
    assert "1 young person" not in markdown
    assert "cannot be compared with our minimum" in markdown and "nobody was invited" not in markdown
    rows = _rows(summary)
    assert next(r["value"] for r in rows if r["measure"] == "invited") == SUPPRESSED_LABEL
    html = render(summary, "html").decode()
    assert "1 young person" not in html


def test_a_theme_everyone_raised_does_not_pin_a_hidden_number_who_answered():
    """7 invited, 7 answered, aged 11-15 (3) and 16-17 (4), all 7 wrote about carers. The number who answered
    was hidden to protect the age bands, but "Carers: 7 people" (of 7 invited) gave it away, and so each band
    (3 or 4, never 1 or 2). As when a question everyone answered gives it away, the number is shown and the
    age bands are not broken down."""
    summary, truth = _round(
        invited=7,
        channels={"sms": 7},
        ages={"11-15": 3, "16-17": 4},
        themes={"carers": {"positive": 0, "neutral": 0, "negative": 7}},
        commenters=7,
    )
    assert unsafe(read(summary, truth)) == []
    assert summary.header.responded == 7
    assert summary.header.age_bands == {ALL_AGES: 7}


def test_the_share_who_commented_does_not_pin_a_hidden_number_who_answered():
    """The same round where 5 of the 7 wrote about carers: "Carers: 5 people (71% of those who wrote
    comments)" says 7 commented, so 7 answered: the same as a theme everyone raised."""
    summary, truth = _round(
        invited=7,
        channels={"sms": 7},
        ages={"11-15": 3, "16-17": 4},
        themes={"carers": {"positive": 0, "neutral": 0, "negative": 5}},
        commenters=7,
    )
    assert unsafe(read(summary, truth)) == []
    assert summary.header.age_bands == {ALL_AGES: 7}


def test_a_theme_hidden_under_the_number_invited_does_not_give_its_feelings_away():
    """7 invited and answered; 6 wrote about carers in praise and 1 with a worry. The count (7) was hidden to
    protect the 1, but "5 or more positive" beside "fewer than 5 negative", in a theme at most 7 raised, left
    the worry at 1 or 2. The feelings are not broken down instead, the same in every format."""
    summary, truth = _round(
        invited=7,
        channels={"sms": 7},
        ages={"11-15": 7},
        themes={"carers": {"positive": 6, "neutral": 0, "negative": 1}},
        commenters=7,
    )
    assert unsafe(read(summary, truth)) == []
    carers = next(t for t in summary.themes if t.id == "carers")
    assert carers.sentiment == {ALL_FEELINGS: 7} and carers.people == 7
    assert not carers.mostly_positive  # judged on what is shown: its feelings are not
    markdown = render(summary, "md").decode()
    assert "Feelings: not broken down, to protect a smaller group." in markdown
    assert "fewer than 5 negative" not in markdown
    html = render(summary, "html").decode()
    assert "Feelings: not broken down, to protect a smaller group." in html
    feelings = [
        r
        for r in _rows(summary)
        if r["section"] == "theme" and r["measure"] in ("theme_people", "theme_feelings") and r["item"] == "carers"
    ]
    assert [(r["measure"], r["about"], r["value"]) for r in feelings] == [
        ("theme_people", "", "7"),
        ("theme_feelings", ALL_FEELINGS[:1].upper() + ALL_FEELINGS[1:], "7"),
    ]


def test_a_question_hidden_under_the_number_invited_does_not_give_its_answers_away():
    """7 invited; 6 said yes and 1 no to seeing their social worker. "5 or more" yes beside "fewer than 5" no,
    out of at most 7, left the no at 1 or 2: the answers are not broken down."""
    answers = {"see_worker": QuestionFigures("see_worker", 7, {"yes": 6, "no": 1})}
    summary, truth = _round(
        invited=7, channels={"sms": 7}, ages={"11-15": 7}, themes={}, commenters=0, questions=answers
    )
    assert unsafe(read(summary, truth)) == []
    question = next(q for q in summary.questions if q.id == "see_worker")
    assert question.respondents == 7 and question.distribution == [(ALL_ANSWERS, 7)]
    assert question.positive_share is None and question.mean is None
    markdown = render(summary, "md").decode()
    assert "fewer than 5" not in markdown.split("### Seeing their social worker")[1].split("###")[0]
    rows = [r for r in _rows(summary) if r["item"].startswith("see_worker")]
    assert ("answer", ALL_ANSWERS[:1].upper() + ALL_ANSWERS[1:], "7") in [
        (r["measure"], r["about"], r["value"]) for r in rows
    ]
    assert PROTECTING_LABEL not in [r["value"] for r in rows if r["measure"] == "answer"]


def test_no_two_quotes_of_a_feeling_whose_count_is_hidden():
    """Carers raised by 10: 8 in praise (hidden to protect the 2) and 2 worried ("fewer than 5 negative").
    Two worried quotes would say at least 2 were worried: at most one quote of a hidden feeling is chosen."""
    summary, truth = _round(
        invited=30,
        channels={"sms": 20},
        ages={"11-15": 20},
        themes={"carers": {"negative": 2, "positive": 8, "neutral": 0}},  # the worried come first
        commenters=12,
    )
    assert unsafe(read(summary, truth)) == []
    carers = next(t for t in summary.themes if t.id == "carers")
    assert carers.people == 10 and carers.sentiment["negative"] == PRIMARY
    assert len(carers.quotes) == 3
    assert [q.sentiment for q in carers.quotes].count("negative") == 1


def test_a_small_round_still_shows_what_it_can():
    """Nothing is hidden for its own sake: 30 invited, 12 answered, carers raised by 6 (all positive)."""
    summary, truth = _round(
        invited=30,
        channels={"sms": 12},
        ages={"11-15": 12},
        themes={"carers": {"positive": 6, "neutral": 0, "negative": 0}},
        commenters=10,
    )
    assert unsafe(read(summary, truth)) == []
    carers = next(t for t in summary.themes if t.id == "carers")
    assert carers.people == 6 and carers.sentiment["positive"] == 6 and carers.share == 0.6
    assert summary.header.responded == 12 and summary.header.invited == 30
    assert not is_hidden(summary.header.age_bands["11-15"])


def test_a_quote_within_another_is_not_quoted_beside_it():
    """New-user trial, 6 December: a summary quoted "more trips out in the holidays pls" and "more trips out in the
    holidays pls, everyone else goes somewhere", one young person's words twice over to a reader. A short common
    phrase ("the food is ok") inside another is still quoted."""
    from voice_service.summary.aggregate import QuoteCandidate
    from voice_service.summary.report import select_quotes

    said = [
        "more trips out in the holidays pls",
        "More trips out in the holidays pls, everyone else goes somewhere",
        "the food is ok",
        "the food is ok but the bus is late",
        "the staff took us bowling and it was class",
    ]
    found = replace(
        figures({"activities": {"positive": 5}}),
        quotes=tuple(QuoteCandidate(n, n, "activities", text, None, None) for n, text in enumerate(said)),
    )
    chosen = [q.text for q in select_quotes(found, ["activities"], published={"activities": 5}, limit=5)]
    assert chosen == [said[0], said[2], said[3], said[4]]

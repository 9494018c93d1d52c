"""Who took part: the number who answered, and its breakdowns by channel and by age band, are
protected together. Once the number who answered is hidden, no breakdown that adds up to it may
give it away (trial finding 36: "5 or more answered ... (exact number hidden)", then "Text message: 7").

Pure: the summary is built from hand-made figures. The property check works out, by brute force
over every whole-number assignment the published figures allow, what a reader could recompute.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.summary.data import figures, summary_of
from tests.summary.reader import read, unsafe
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import is_hidden
from voice_service.summary.report import ALL_AGES, ALL_CHANNELS, CHANNEL_LABELS


def _header(channels: dict[str, int], bands: dict[str, int], responded: int, invited: int = 30, questions=None):
    current = replace(
        figures({}, questions=questions), invited=invited, responded=responded, channels=channels, age_bands=bands
    )
    return summary_of(current)


def _questions(responded: int, yes_no: int, yes: int, text: int) -> dict[str, QuestionFigures]:
    """Two questions: "see_worker" (yes/no) and "one_thing" (in their own words), each answered by
    some of those who took part (all of them when the draw is past the total)."""
    asked = min(yes_no, responded)
    said_yes = min(yes, asked)
    return {
        "see_worker": QuestionFigures("see_worker", asked, {"yes": said_yes, "no": asked - said_yes}),
        "one_thing": QuestionFigures("one_thing", min(text, responded)),
    }


def _split(total: int, keys: list[str], cuts: list[int]) -> dict[str, int]:
    points = sorted(min(c, total) for c in cuts[: len(keys) - 1])
    edges = [0, *points, total]
    return {k: edges[i + 1] - edges[i] for i, k in enumerate(keys) if edges[i + 1] - edges[i] or i == 0}


def _themes(commenters: int, draws: list[list[int]]) -> dict[str, dict[str, int]]:
    """Up to two themes, each raised by some of those who commented (its feelings cut down to fit)."""
    out = {}
    for theme, draw in zip(("carers", "school"), draws, strict=False):
        feelings = dict(zip(("positive", "neutral", "negative"), draw, strict=True))
        while sum(feelings.values()) > commenters:
            biggest = max(feelings, key=lambda k: feelings[k])
            feelings[biggest] -= 1
        if sum(feelings.values()):
            out[theme] = feelings
    return out


@settings(max_examples=600, deadline=None)
@given(
    responded=st.integers(0, 14),
    channel_cuts=st.lists(st.integers(0, 14), min_size=2, max_size=2),
    band_cuts=st.lists(st.integers(0, 14), min_size=5, max_size=5),
    n_channels=st.integers(1, 3),
    n_bands=st.integers(1, 6),
    spare_invites=st.integers(0, 6),
    answered=st.lists(st.integers(0, 14), min_size=3, max_size=3),
    commented=st.integers(0, 14),
    themes=st.lists(st.lists(st.integers(0, 8), min_size=3, max_size=3), max_size=2),
)
@example(
    responded=7,
    channel_cuts=[20, 20],
    band_cuts=[3, 20, 20, 20, 20],
    n_channels=1,
    n_bands=2,
    spare_invites=23,
    answered=[0, 0, 0],
    commented=0,
    themes=[],
)  # finding 36
@example(
    responded=12,
    channel_cuts=[4, 8],
    band_cuts=[5, 10, 11, 20, 20],
    n_channels=3,
    n_bands=4,
    spare_invites=18,
    answered=[0, 0, 0],
    commented=0,
    themes=[],
)
# Finding 36 again, with a question everyone answered ("7 answered" pins the total with the age bands) ...
@example(
    responded=7,
    channel_cuts=[20, 20],
    band_cuts=[3, 20, 20, 20, 20],
    n_channels=1,
    n_bands=2,
    spare_invites=7,
    answered=[0, 0, 20],
    commented=7,
    themes=[],
)
# ... and with only 7 invited: the total is known from invited and that question alone.
@example(
    responded=7,
    channel_cuts=[20, 20],
    band_cuts=[3, 20, 20, 20, 20],
    n_channels=1,
    n_bands=2,
    spare_invites=0,
    answered=[0, 0, 20],
    commented=7,
    themes=[],
)
# 1 invited, 1 answered, with a comment about carers: every "fewer than 5" was exactly 1.
@example(
    responded=1,
    channel_cuts=[20, 20],
    band_cuts=[20, 20, 20, 20, 20],
    n_channels=1,
    n_bands=1,
    spare_invites=0,
    answered=[0, 0, 1],
    commented=1,
    themes=[[0, 0, 1]],
)
# 7 of 7 invited answered (aged 3 and 4): a theme all 7 raised gives the number who answered away.
@example(
    responded=7,
    channel_cuts=[20, 20],
    band_cuts=[3, 20, 20, 20, 20],
    n_channels=1,
    n_bands=2,
    spare_invites=0,
    answered=[0, 0, 0],
    commented=7,
    themes=[[0, 0, 7]],
)
# 7 of 7 answered: 6 praised carers and 1 was worried, hidden under a count of at most 7.
@example(
    responded=7,
    channel_cuts=[20, 20],
    band_cuts=[20, 20, 20, 20, 20],
    n_channels=1,
    n_bands=1,
    spare_invites=0,
    answered=[0, 0, 0],
    commented=7,
    themes=[[6, 0, 1]],
)
def test_no_hidden_figure_on_the_page_can_be_worked_out(
    responded, channel_cuts, band_cuts, n_channels, n_bands, spare_invites, answered, commented, themes
):
    """Who took part, each question's answers, and the comments' themes and feelings, all drawn: no hidden
    figure can be worked out from all that the page shows together (`tests.summary.reader`)."""
    invited = responded + spare_invites
    channels = _split(responded, ["sms", "webchat", "sms+webchat"][:n_channels], channel_cuts)
    bands = _split(responded, ["11-15", "16-17", "18-21", "22-25", "other", "not known"][:n_bands], band_cuts)
    questions = _questions(responded, *answered)
    commenters = max(min(commented, responded), questions["one_thing"].respondents)
    raised = _themes(commenters, themes)
    current = replace(
        figures(raised, questions=questions),
        invited=invited,
        responded=responded,
        commenters=commenters,
        channels=channels,
        age_bands=bands,
    )
    summary = summary_of(current)
    truth = {"invited": invited, "responded": responded, "commenters": commenters}
    truth |= {f"channel:{CHANNEL_LABELS[k]}": v for k, v in channels.items()}
    truth |= {f"age:{k}": v for k, v in bands.items()}
    for q in questions.values():
        truth[f"q:{q.question_id}"] = q.respondents
        truth |= {f"q:{q.question_id}={k.capitalize()}": v for k, v in q.counts.items()}
    for theme, feelings in raised.items():
        truth[f"theme:{theme}"] = sum(feelings.values())
        truth |= {f"theme:{theme}:{k}": v for k, v in feelings.items()}
    header = summary.header
    assert unsafe(read(summary, truth)) == [], (header, summary.themes)
    if is_hidden(header.responded):
        assert header.response_rate is None
    else:
        assert header.responded == responded


def test_a_hidden_number_who_answered_is_not_given_away_by_everyone_answering_by_text():
    """Finding 36: 14 invited, 7 answered, all by text, aged 11-15 (3) and 16-17 (4)."""
    summary = summary_of(
        replace(figures({}), invited=14, responded=7, channels={"sms": 7}, age_bands={"11-15": 3, "16-17": 4})
    )
    header = summary.header
    assert is_hidden(header.responded) and header.response_rate is None
    assert is_hidden(header.channels["Text message"])
    markdown = render(summary, "md").decode()
    assert "Text message: hidden to protect a smaller group" in markdown
    assert "Text message: 7" not in markdown
    html = render(summary, "html").decode()
    assert '<td>Text message</td><td class="n">7</td>' not in html
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))
    text = next(r for r in rows if r["measure"] == "channel" and "Text message" in r.values())
    assert text["value"] == "hidden to protect a smaller group"
    assert not any(r["value"] == "7" for r in rows if r["measure"] in ("responded", "channel", "age_band"))


def test_a_breakdown_whose_hidden_cells_still_give_the_total_away_is_not_broken_down():
    """Three channels of 4 ("fewer than 5", so at most 12) beside age bands of 5, 5, 1 and 1 (two
    "5 or more" and two "fewer than 5", so at least 12): the labels alone would say 12 answered,
    and so that each channel is 4 and each small age band 1. One breakdown is withheld instead."""
    current = replace(
        figures({}),
        invited=30,
        responded=12,
        channels={"sms": 4, "webchat": 4, "sms+webchat": 4},
        age_bands={"11-15": 5, "16-17": 5, "18-21": 1, "22-25": 1},
    )
    summary = summary_of(current)
    header = summary.header
    assert is_hidden(header.responded)
    assert ALL_AGES in header.age_bands or ALL_CHANNELS in header.channels
    markdown = render(summary, "md").decode()
    html = render(summary, "html").decode()
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))
    if ALL_AGES in header.age_bands:
        assert "- All ages (not broken down, to protect a smaller group): hidden to protect a smaller group" in markdown
        assert f"<td>{ALL_AGES}</td>" in html
        assert any(r["measure"] == "age_band" and r["about"] == ALL_AGES for r in rows)
    else:
        assert f"- {ALL_CHANNELS}: hidden to protect a smaller group" in markdown


def _finding_36_everyone_answered(invited: int):
    """Finding 36 (7 answered, all by text, aged 11-15 (3) and 16-17 (4)), with a question all 7 answered."""
    current = replace(
        figures({}, questions={"one_thing": QuestionFigures("one_thing", 7)}),
        invited=invited,
        responded=7,
        channels={"sms": 7},
        age_bands={"11-15": 3, "16-17": 4},
    )
    return summary_of(current)


def test_a_question_everyone_answered_does_not_pin_a_hidden_total_with_the_age_bands():
    """ "7 answered" a question says at least 7 took part; two "fewer than 5" age bands say at most 8.
    So that the bands cannot then be worked out (3 or 4 each), the age breakdown is withheld, the
    same in every format, and the total stays hidden (7 to 14)."""
    summary = _finding_36_everyone_answered(14)
    header = summary.header
    assert is_hidden(header.responded) and header.response_rate is None
    assert header.age_bands == {ALL_AGES: header.responded}
    markdown = render(summary, "md").decode()
    assert "- All ages (not broken down, to protect a smaller group): hidden to protect a smaller group" in markdown
    assert "Aged 11-15" not in markdown and "Aged 16-17" not in markdown
    html = render(summary, "html").decode()
    assert f"<td>{ALL_AGES}</td>" in html and "<td>11-15 years</td>" not in html
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))
    assert [r["about"] for r in rows if r["measure"] == "age_band"] == [ALL_AGES]


def test_a_total_the_page_gives_away_anyway_is_shown_and_its_breakdowns_protected_against_it():
    """7 invited and a question all 7 answered: the number who answered is 7 whatever the header
    hides, so it is shown (hiding it would only make the page say less than it gives away), and the
    age bands, which would then be 3 or 4 each, are not broken down."""
    summary = _finding_36_everyone_answered(7)
    header = summary.header
    assert header.responded == 7 and header.response_rate == 1.0
    assert header.channels == {"Text message": 7}
    assert header.age_bands == {ALL_AGES: 7}
    markdown = render(summary, "md").decode()
    assert "- All ages (not broken down, to protect a smaller group): 7" in markdown
    assert "fewer than 5" not in markdown.split("## Who took part")[1].split("##")[0]
    html = render(summary, "html").decode()
    assert f'<td>{ALL_AGES}</td><td class="n">7</td>' in html
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv").decode())))
    assert [(r["about"], r["value"]) for r in rows if r["measure"] == "age_band"] == [(ALL_AGES, "7")]
    assert next(r["value"] for r in rows if r["measure"] == "responded") == "7"

"""Who took part: the number who answered, and its breakdowns by channel and by age band, are
protected together. Once the number who answered is hidden, no breakdown that adds up to it may
give it away (trial finding 36: "5 or more answered ... (exact number hidden)", then "Text message: 7").

Pure: the summary is built from hand-made figures. The property check works out, by brute force
over every whole-number assignment the published figures allow, what a reader could recompute.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.disclosure import PRIMARY, THRESHOLD, Count, is_hidden
from voice_service.summary.report import ALL_AGES, ALL_CHANNELS

CAP = 40  # no test round has more than this many people, so "5 or more" is 5 to CAP here


def _possible(value: Count, cap: int, inside_small: bool = False) -> range:
    if not is_hidden(value):
        return range(value, value + 1)  # type: ignore[arg-type]
    if value == PRIMARY:
        # "fewer than 5" is 1 to 4 (a zero is shown as 0), or 0 to 4 inside a total under 5.
        return range(0 if inside_small else 1, THRESHOLD)
    return range(THRESHOLD, cap + 1)


def _what_a_reader_can_tell(
    total: Count, breakdowns: list[dict[str, Count]], at_least: int = 0, at_most: int = CAP
) -> tuple[set[int], list[dict[str, set]]]:
    """Every value the total and each cell could take, given the shown figures, the labels, the sums,
    and what the rest of the page says: the total is at least the number shown answering any one
    question, and at most the number invited."""
    totals: set[int] = set()
    cells: list[dict[str, set]] = [{k: set() for k in b} for b in breakdowns]
    for t in _possible(total, min(CAP, at_most)):
        if t < at_least:
            continue
        fits = []
        for part in breakdowns:
            keys = list(part)
            fits.append(
                [
                    combo
                    for combo in itertools.product(*(_possible(part[k], t, total == PRIMARY) for k in keys))
                    if sum(combo) == t
                ]
            )
        if all(fits):
            totals.add(t)
            for n, part in enumerate(breakdowns):
                for combo in fits[n]:
                    for k, v in zip(part, combo, strict=True):
                        cells[n][k].add(v)
    return totals, cells


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


@settings(max_examples=1500, deadline=None)
@given(
    responded=st.integers(0, 20),
    channel_cuts=st.lists(st.integers(0, 20), min_size=2, max_size=2),
    band_cuts=st.lists(st.integers(0, 20), min_size=5, max_size=5),
    n_channels=st.integers(1, 3),
    n_bands=st.integers(1, 6),
    spare_invites=st.integers(0, 6),
    answered=st.lists(st.integers(0, 20), min_size=3, max_size=3),
)
@example(
    responded=7,
    channel_cuts=[20, 20],
    band_cuts=[3, 20, 20, 20, 20],
    n_channels=1,
    n_bands=2,
    spare_invites=23,
    answered=[0, 0, 0],
)  # finding 36
@example(
    responded=12,
    channel_cuts=[4, 8],
    band_cuts=[5, 10, 11, 20, 20],
    n_channels=3,
    n_bands=4,
    spare_invites=18,
    answered=[0, 0, 0],
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
)
def test_no_hidden_figure_in_who_took_part_can_be_worked_out(
    responded, channel_cuts, band_cuts, n_channels, n_bands, spare_invites, answered
):
    # A round of 1 invited is left out: "Some of the 1 young person invited answered" says it all (open).
    invited = max(responded + spare_invites, 2)
    channels = _split(responded, ["sms", "webchat", "sms+webchat"][:n_channels], channel_cuts)
    bands = _split(responded, ["11-15", "16-17", "18-21", "22-25", "other", "not known"][:n_bands], band_cuts)
    summary = _header(channels, bands, responded, invited, _questions(responded, *answered))
    header = summary.header
    assert header.invited == invited
    most_answering_one = max((q.respondents for q in summary.questions if not is_hidden(q.respondents)), default=0)
    shown_channels, shown_bands = list(header.channels.values()), list(header.age_bands.values())
    total_can_be, cells_can_be = _what_a_reader_can_tell(
        header.responded,
        [dict(enumerate(shown_channels)), dict(enumerate(shown_bands))],
        at_least=most_answering_one,
        at_most=invited,
    )
    assert responded in total_can_be
    if is_hidden(header.responded):
        assert len(total_can_be) > 1, (header, total_can_be)
        assert header.response_rate is None
    else:
        assert header.responded == responded
    for published, can_be in zip((shown_channels, shown_bands), cells_can_be, strict=True):
        for n, value in enumerate(published):
            if is_hidden(value):
                assert len(can_be[n]) > 1, (header, can_be)


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

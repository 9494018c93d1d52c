"""A reader who knows how the summary hides figures learns nothing more than the page's arithmetic tells.

A figure is hidden when it is 1 to 4, or when showing it would let a smaller one be worked out; so a hidden
figure says, to a reader who knows that, that it was not a number at which it would have been shown. Trial 6b
(N1): 9 invited, a question "8 answered" and the number who answered hidden (because of a small age band): had
all 9 answered it would have been shown, so exactly 8 did, and exactly one invited young person did not take
part. `tests.summary.reader.read_knowing_the_rule` is that reader: it publishes again every truth the page
allows, and keeps those whose page reads the same.

Pure: the pages are built from hand-made figures.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from dataclasses import replace
from types import SimpleNamespace

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tests.summary.data import figures, summary_of
from tests.summary.reader import page, read_every_truth, read_knowing_the_rule, unsafe
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures, RoundFigures
from voice_service.summary.disclosure import PRIMARY, PROTECTING_LABEL, SECONDARY, is_hidden
from voice_service.summary.loop import young_people_text
from voice_service.summary.report import CHANNEL_LABELS, _protect_page
from voice_service.surveys.registry import parse_stored

BANDS = ["11-15", "16-17"]
SURVEY = parse_stored(figures({}).survey_source, "pulse.toml")
CHANNEL_KEYS = {label: key for key, label in CHANNEL_LABELS.items()}


def _figures(truth: dict[str, int]) -> RoundFigures:
    """A round's figures from a truth named as `tests.summary.reader` names figures (a yes/no question,
    "see_worker", and one in their own words, "one_thing", whose every answer is a comment)."""
    channels = {
        CHANNEL_KEYS[name.split(":", 1)[1]]: value
        for name, value in truth.items()
        if name.startswith("channel:") and value and name.split(":", 1)[1] in CHANNEL_KEYS
    }
    yes, no = truth.get("q:see_worker=Yes", 0), truth.get("q:see_worker=No", 0)
    said = truth.get("q:one_thing", 0)
    questions = {
        "see_worker": QuestionFigures("see_worker", yes + no, {"yes": yes, "no": no}),
        "one_thing": QuestionFigures("one_thing", said),
    }
    return replace(
        figures({}, questions=questions),
        invited=truth["invited"],
        responded=truth["responded"],
        commenters=said,
        channels=channels,
        age_bands={band: truth.get(f"age:{band}", 0) for band in BANDS if f"age:{band}" in truth},
    )


def _page(truth: dict[str, int]) -> SimpleNamespace:
    """What the summary publishes of who took part and each question, for a truth (`_protect_page`, as
    `build_summary` calls it)."""
    page = _protect_page(_figures(truth), SURVEY, {}, 0.3)
    return SimpleNamespace(header=page.header, questions=list(page.questions.values()), themes=[])


def _truth(invited, channels, bands, yes, no, said) -> dict[str, int]:
    responded = sum(channels.values())
    truth = {"invited": invited, "responded": responded, "q:one_thing": said}
    truth |= {f"channel:{CHANNEL_LABELS[k]}": v for k, v in channels.items()}
    truth |= {f"age:{k}": v for k, v in bands.items()}
    truth |= {"q:see_worker": yes + no, "q:see_worker=Yes": yes, "q:see_worker=No": no}
    return truth


def _unsafe_knowing_the_rule(truth: dict[str, int], limit: int = 5_000):
    figures_ = read_knowing_the_rule(
        _page(truth),
        truth,
        _page,
        channels=[f"channel:{label}" for label in CHANNEL_LABELS.values()],
        bands=[f"age:{band}" for band in BANDS],
        limit=limit,
    )
    assume(figures_ is not None)
    return unsafe(figures_ or [])


def _split(total: int, keys: list[str], cuts: list[int]) -> dict[str, int]:
    points = sorted(min(c, total) for c in cuts[: len(keys) - 1])
    edges = [0, *points, total]
    return {k: edges[i + 1] - edges[i] for i, k in enumerate(keys)}


@settings(max_examples=120, deadline=None)
@given(
    responded=st.integers(0, 10),
    spare=st.integers(0, 2),
    channel_cuts=st.lists(st.integers(0, 10), min_size=2, max_size=2),
    n_channels=st.integers(1, 3),
    band_cut=st.integers(0, 10),
    n_bands=st.integers(1, 2),
    asked=st.integers(0, 10),
    yes=st.integers(0, 10),
    said=st.integers(0, 10),
)
@example(responded=8, spare=1, channel_cuts=[10, 10], n_channels=1, band_cut=1, n_bands=2, asked=8, yes=8, said=0)
@example(responded=8, spare=1, channel_cuts=[10, 10], n_channels=1, band_cut=4, n_bands=2, asked=8, yes=0, said=0)
@example(responded=6, spare=2, channel_cuts=[10, 10], n_channels=1, band_cut=6, n_bands=2, asked=6, yes=2, said=0)
@example(responded=5, spare=3, channel_cuts=[1, 2], n_channels=3, band_cut=5, n_bands=2, asked=0, yes=0, said=0)
@example(responded=2, spare=6, channel_cuts=[0, 1], n_channels=3, band_cut=0, n_bands=2, asked=0, yes=0, said=0)
# 6 of 9, by three channels, 2 each: the total was shown at 2, 2 and 2 and hidden at 1, 1 and 4.
@example(responded=6, spare=3, channel_cuts=[2, 4], n_channels=3, band_cut=6, n_bands=1, asked=6, yes=6, said=3)
def test_knowing_the_rule_gives_no_hidden_figure_away(
    responded, spare, channel_cuts, n_channels, band_cut, n_bands, asked, yes, said
):
    """Who took part (by channel and age band), a yes/no question and a comment question, all drawn: no hidden
    figure can be worked out by a reader who knows the hiding rule and publishes every truth the page allows."""
    channels = {k: v for k, v in _split(responded, list(CHANNEL_LABELS)[:n_channels], channel_cuts).items() if v}
    bands = _split(responded, BANDS[:n_bands], [band_cut])
    asked = min(asked, responded)
    truth = _truth(responded + spare, channels, bands, min(yes, asked), asked - min(yes, asked), min(said, responded))
    assert _unsafe_knowing_the_rule(truth, limit=20_000) == []


def _words(summary, fmt: str, tmp_path) -> str:
    """A summary as a reader reads it in one format (a PDF's words, by pdftotext)."""
    if fmt == "young people":
        return young_people_text(summary)
    if fmt == "html":  # each chart's id counts the charts drawn so far in this process: not what it says
        return re.sub(r"chart-\d+", "chart", render(summary, fmt).decode())
    if fmt != "pdf":
        return render(summary, fmt).decode()
    path = tmp_path / "summary.pdf"
    path.write_bytes(render(summary, "pdf"))
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


# Trial 6b, N1: 9 invited, 8 answered, all by text, aged 11-15 (1) and 16-17 (7), and all 8 said yes to "Do you
# get to see your social worker". The 1 hides the number who answered; had all 9 answered (aged 1 and 8), it was
# shown, since 9 leaves the 1 anywhere from 1 to 4.
EIGHT_OF_NINE = _truth(9, {"sms": 8}, {"11-15": 1, "16-17": 7}, 8, 0, 0)
NINE_OF_NINE = _truth(9, {"sms": 9}, {"11-15": 1, "16-17": 8}, 8, 0, 0)
# Trial 6b's round as N4 had it: 7 of 8 answered, all by text, aged 3 and 4, and a question all 7 answered.
SEVEN_OF_EIGHT = _truth(8, {"sms": 7}, {"11-15": 3, "16-17": 4}, 7, 0, 0)
EIGHT_OF_EIGHT = _truth(8, {"sms": 8}, {"11-15": 4, "16-17": 4}, 7, 0, 0)


def test_a_question_all_who_took_part_answered_does_not_tell_how_many_did_not():
    """Trial 6b, N1: beside "8 answered", a hidden number who answered of 9 invited could only be 8, since
    9 would have been shown: exactly one invited young person did not take part. Now 9 is hidden too (a number
    who answered is shown only where its parts would be safe at one more or one fewer), so it could be 8 or 9."""
    assert _unsafe_knowing_the_rule(EIGHT_OF_NINE) == []
    eight, nine = summary_of(_figures(EIGHT_OF_NINE)), summary_of(_figures(NINE_OF_NINE))
    assert is_hidden(eight.header.responded) and is_hidden(nine.header.responded)
    assert eight.header.age_bands == nine.header.age_bands == {"11-15": PRIMARY, "16-17": SECONDARY}
    assert next(q for q in eight.questions if q.id == "see_worker").answered == ("8", "answered")


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "pdf", "young people"])
@pytest.mark.parametrize("truth, other", [(EIGHT_OF_NINE, NINE_OF_NINE), (SEVEN_OF_EIGHT, EIGHT_OF_EIGHT)])
def test_every_format_reads_the_same_whichever_number_took_part(truth, other, fmt, tmp_path):
    """The summary of 8 of 9 reads word for word as that of 9 of 9 (and 7 of 8 as 8 of 8), in the panel's HTML,
    Markdown, CSV, JSON and PDF and on the young people's page: one home (`report._protect_page`), so no format
    tells a reader which it is."""
    summary = summary_of(_figures(truth))
    assert is_hidden(summary.header.responded)
    assert _words(summary, fmt, tmp_path) == _words(summary_of(_figures(other)), fmt, tmp_path)
    words = _words(summary, fmt, tmp_path)
    if fmt == "md":
        assert "- 5 or more answered, of" in words and f"\n{truth['q:see_worker']} answered." in words
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(words)))
        assert next(r["value"] for r in rows if r["measure"] == "responded") == PROTECTING_LABEL
    if fmt == "json":
        assert json.loads(words)["header"]["responded"] != truth["responded"]


@pytest.mark.parametrize(
    "truth",
    [
        # 7 of 7 answered, by text (3) and web chat (4), aged 2 and 5. With only the age bands withheld (as they
        # were), a reader knew they would not have been had 5 answered (the bands alone pinned the total), so
        # 6 or 7 did, and neither channel was 1: now both breakdowns are withheld, whichever pinned it.
        _truth(7, {"sms": 3, "webchat": 4}, {"11-15": 2, "16-17": 5}, 1, 0, 0),
        # 8 of 10 answered: 1 by text, 1 in the web chat, 6 by both. "Both" was hidden beside the two "fewer than
        # 5" only where its number would have pinned them (not at 5, with them 5 together): so they were 4 at
        # most, neither 4. Now every other channel is hidden beside a "fewer than 5", whatever its number.
        _truth(10, {"sms": 1, "webchat": 1, "sms+webchat": 6}, {"11-15": 8}, 0, 0, 0),
    ],
)
def test_what_is_hidden_or_withheld_beside_a_small_one_does_not_tell_a_reader_who_knows_the_rule(truth):
    assert _unsafe_knowing_the_rule(truth, limit=20_000) == []


def test_which_cell_is_hidden_beside_a_small_one_does_not_tell_a_reader_who_knows_the_rule():
    """20 answered: 1 by text, 8 in the web chat, 11 by both. The 1 reads "fewer than 5"; had the smallest other
    channel been hidden to protect it, which one was hidden would have said which was smaller, and so something
    of the 1. Every other channel is hidden beside it, whatever its number, so each of the 1 to 4 it could be
    reads the same."""

    def summary(text: int):
        channels = {"sms": text, "webchat": 8, "sms+webchat": 12 - text}
        return summary_of(replace(figures({}), invited=30, responded=20, channels=channels))

    shown = summary(1).header.channels
    assert shown == {"Text message": PRIMARY, "Web chat": SECONDARY, "Text message and web chat": SECONDARY}
    assert summary(1).header.responded == 20
    reads_the_same = [text for text in range(1, 5) if page(summary(text)) == page(summary(1))]
    assert reads_the_same == [1, 2, 3, 4]
    # Nor does one whose web chat is the larger read otherwise.
    other = summary_of(
        replace(figures({}), invited=30, responded=20, channels={"sms": 1, "webchat": 12, "sms+webchat": 7})
    )
    assert page(other) == page(summary(1))


def test_when_fewer_than_5_answered_every_channel_is_listed():
    """2 of 8 answered, one in the web chat and one by both: each channel reads "0 to 4", and a channel is
    listed only when someone answered by it, so two listed said that 2 to 4 answered (not 1) and three would
    have said each was 1 or 2. Every channel is listed when fewer than 5 answered."""
    truth = _truth(8, {"webchat": 1, "sms+webchat": 1}, {"11-15": 2}, 0, 0, 0)
    summary = summary_of(_figures(truth))
    assert summary.header.responded == PRIMARY
    assert list(summary.header.channels) == list(CHANNEL_LABELS.values())
    assert all(v == PRIMARY and v.inside for v in summary.header.channels.values())
    assert _unsafe_knowing_the_rule(truth) == []
    markdown = render(summary, "md").decode()
    assert "- Text message: 0 to 4\n- Web chat: 0 to 4\n- Text message and web chat: 0 to 4" in markdown


# --- A scale question -------------------------------------------------------------------------------------

SCALE = "safe_home"  # "How safe do you feel where you live?", 1 to 5: negative 1 and 2, neutral 3, positive 4 and 5
POINTS = [str(point) for point in range(1, 6)]


def _scale_figures(answers: tuple[int, ...], responded: int = 10) -> RoundFigures:
    """A round of `responded` who answered, of 2 more invited (all by text, all aged 11-15), where `answers[i]`
    of them gave point i + 1 to the scale question and nobody answered anything else."""
    answered = sum(answers)
    counts = {point: n for point, n in zip(POINTS, answers, strict=True) if n}
    mean = sum(int(p) * n for p, n in counts.items()) / answered if answered else None
    return replace(
        figures({}, questions={SCALE: QuestionFigures(SCALE, answered, counts, mean)}),
        invited=responded + 2,
        responded=responded,
        commenters=0,
        channels={"sms": responded},
        age_bands={"11-15": responded},
    )


def _scale_truth(answers: tuple[int, ...]) -> dict[str, int]:
    return {f"q:{SCALE}": sum(answers), **{f"q:{SCALE}={p}": n for p, n in zip(POINTS, answers, strict=True)}}


def _scale_page(truth: dict[str, int]) -> SimpleNamespace:
    """What the summary publishes of the scale question, for a truth named as `_scale_truth` names it."""
    answers = tuple(truth[f"q:{SCALE}={p}"] for p in POINTS)
    published = _protect_page(_scale_figures(answers), SURVEY, {}, 0.3)
    return SimpleNamespace(header=published.header, questions=[published.questions[SCALE]], themes=[])


def _splits_of(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _splits_of(total - first, parts - 1):
            yield (first, *rest)


def test_a_scale_question_gives_no_hidden_answer_away_to_a_reader_who_knows_the_rule():
    """Every way 0 to 10 of 10 who took part can answer a 1 to 5 scale (3,003 truths), each published: no two
    that read the same leave a hidden answer (or count) worked out. Which answer or band is hidden beside a
    "fewer than 5", and whether a band is hidden, must follow from what the page shows anyway, never from the
    hidden numbers: before, the smallest other answer or band beside a small one was hidden (so which was hidden
    said which was smaller), and a band of 3 and 5 answers was hidden where one of 4 and 5 was not."""
    truths = [_scale_truth(answers) for answered in range(11) for answers in _splits_of(answered, len(POINTS))]
    assert len(truths) == 3003
    assert read_every_truth(truths, _scale_page) == []


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "pdf", "young people"])
@pytest.mark.parametrize(
    "answers, other, responded",
    [
        # The probe's case: a positive band of 3 and 5 answers was hidden, one of 4 and 5 shown ("9 answered",
        # 100% positive), so the hidden one said its "fewer than 5" was not 4.
        ((0, 0, 0, 3, 5), (0, 0, 0, 4, 5), 10),
        # A 5 beside two "fewer than 5" was shown, a 6 hidden: so a hidden one was not 5.
        ((1, 5, 1, 0, 0), (1, 6, 1, 0, 0), 10),
        # A negative band of 2 and 4 had the smaller other band hidden beside it (the neutral 5, the positive 5
        # shown), and one of 1 and 4 was shown (5, both "fewer than 5"): which was hidden said which was smaller.
        ((2, 4, 5, 0, 5), (1, 4, 5, 0, 6), 16),
        # A negative band of 3 and 6 (9): the smaller of the other two bands was hidden beside it, 5 or 8.
        ((3, 6, 5, 8, 0), (3, 6, 8, 5, 0), 22),
    ],
)
def test_every_format_hides_the_same_answers_on_a_scale(answers, other, responded, fmt, tmp_path):
    """Two rounds whose scale question now reads the same to a reader who knows the rule (and read differently
    before, each giving a hidden answer away) read the same, word for word, in the panel's HTML, Markdown, CSV,
    JSON and PDF and on the young people's page: one home (`report.protect_within`), so no format tells them
    apart."""
    one, two = summary_of(_scale_figures(answers, responded)), summary_of(_scale_figures(other, responded))
    question = next(q for q in one.questions if q.id == SCALE)
    assert any(is_hidden(v) for _, v in question.distribution)
    assert _words(one, fmt, tmp_path) == _words(two, fmt, tmp_path)

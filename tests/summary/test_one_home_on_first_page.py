"""Trial 13, T13-3: a question is under "Going well" or "Needs work" on the first page, never both. More good
answers than bad is going well; as many bad as good, or more, needs work; the methods note says so in words.
Pure: hand-made figures."""

from __future__ import annotations

from tests.summary.data import figures, summary_of
from voice_service.summary import render
from voice_service.summary.aggregate import QuestionFigures
from voice_service.summary.report import FIRST_PAGE_RULE, NOTHING_NEEDS_WORK


def _scale(question: str, counts: dict[str, int]) -> QuestionFigures:
    people = sum(counts.values())
    return QuestionFigures(question, people, counts, mean=sum(int(k) * v for k, v in counts.items()) / people)


MIXED = {
    "safe_home": _scale("safe_home", {"1": 12, "2": 6, "3": 6, "4": 24, "5": 12}),  # 60% good, 30% bad
    "see_worker": QuestionFigures("see_worker", 20, {"yes": 10, "no": 10}),  # as many bad as good
    "everyday": QuestionFigures("everyday", 20, {"yes": 5, "no": 15}),  # more bad than good
}


def _lists(summary) -> tuple[str, str, str]:
    """The Going well and Needs work lists as the Markdown and the HTML show them, in one string each."""
    markdown = render(summary, "md").decode()
    html = " ".join(render(summary, "html").decode().split())
    md_well, md_work = markdown.split("**Going well**")[1].split("**Biggest changes")[0].split("**Needs work**")
    html_well = html.split("<h3>Going well</h3>")[1].split("</div>")[0]
    html_work = html.split("<h3>Needs work</h3>")[1].split("</div>")[0]
    return md_well + html_well, md_work + html_work, markdown


def test_a_mixed_question_has_one_home_on_the_first_page():
    summary = summary_of(figures({}, questions=MIXED))
    f = summary.findings
    assert [x.ref for x in f.best] == ["q-safe_home"]
    assert [x.ref for x in f.worst] == ["q-everyday", "q-see_worker"]
    well, work, _ = _lists(summary)
    assert "Feeling safe where they live" in well and "Feeling safe where they live" not in work
    for label in ("Doing normal things without waiting", "Seeing their social worker when needed"):
        assert label in work and label not in well
    assert "60% positive" in well and "30% negative" not in work


def test_the_rule_is_in_the_methods_note_and_an_empty_needs_work_says_why():
    summary = summary_of(figures({}, questions={"safe_home": MIXED["safe_home"]}))
    assert FIRST_PAGE_RULE in summary.methods
    assert "half or fewer good answers needs work" in FIRST_PAGE_RULE
    _, work, markdown = _lists(summary)
    assert summary.findings.worst == [] and work.count(NOTHING_NEEDS_WORK) == 2
    assert FIRST_PAGE_RULE in markdown
    # No bad answer shown at all: the old words still hold.
    calm = summary_of(figures({}, questions={"safe_home": _scale("safe_home", {"3": 6, "4": 8, "5": 6})}))
    assert calm.findings.none_words("worst", False) == "No question had enough negative answers to show."


def test_going_well_needs_more_than_half_good_answers():
    """New-user trial, D: "Feeling safe where they live: 42% positive" was under Going well beside 27% negative, and
    Needs work said every question with bad answers had more good ones. Going well now needs more than half good
    answers; 42% good needs work, shown with both its shares."""
    safe = _scale("safe_home", {"1": 3, "2": 11, "3": 16, "4": 14, "5": 8})  # 42% good, 27% bad, 31% middle
    summary = summary_of(figures({}, questions={"safe_home": safe}))
    assert summary.findings.best == []
    (work,) = summary.findings.worst
    assert (work.ref, work.figure) == ("q-safe_home", "42% positive, 27% negative")
    well, needs, _ = _lists(summary)
    assert "Feeling safe where they live" in needs and "Feeling safe where they live" not in well
    assert NOTHING_NEEDS_WORK not in needs
    # Exactly half good is not more than half; 51% is.
    half = summary_of(figures({}, questions={"everyday": QuestionFigures("everyday", 20, {"yes": 10, "no": 10})}))
    assert half.findings.best == [] and [x.ref for x in half.findings.worst] == ["q-everyday"]
    good = _scale("safe_home", {"2": 10, "3": 39, "4": 51})
    assert [x.ref for x in summary_of(figures({}, questions={"safe_home": good})).findings.best] == ["q-safe_home"]

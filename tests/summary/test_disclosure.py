"""Disclosure control and redaction, with adversarial examples."""

from __future__ import annotations

import itertools

import pytest

from voice_service.summary.disclosure import (
    SUPPRESSED_LABEL,
    mostly_redacted,
    redact,
    suppress_count,
    suppress_nested,
    suppress_partition,
)


@pytest.mark.parametrize("count, shown", [(0, 0), (1, None), (4, None), (5, 5), (6, 6)])
def test_exactly_four_is_hidden_and_five_is_shown(count, shown):
    assert suppress_count(count) == shown


def test_a_small_cell_hides_its_partner_when_the_total_is_published():
    # Total 12 and one group of 9: the other group of 3 would be 12 - 9.
    assert suppress_partition({"in care": 9, "care leaver": 3}, 12) == {"in care": None, "care leaver": None}


def test_secondary_suppression_hides_the_smallest_other_cell():
    shown = suppress_partition({"a": 3, "b": 20, "c": 7, "d": 30}, 60)
    assert shown == {"a": None, "b": 20, "c": None, "d": 30}


def test_two_small_cells_whose_sum_is_small_hide_a_third():
    # 1 + 2 = 3 could be worked out as total minus the rest, so a third cell goes too.
    shown = suppress_partition({"a": 1, "b": 2, "c": 10, "d": 40}, 53)
    assert shown["a"] is None and shown["b"] is None and shown["c"] is None and shown["d"] == 40


def test_zero_cells_are_shown_and_never_used_for_secondary_suppression():
    shown = suppress_partition({"yes": 3, "no": 0, "maybe": 8}, 11)
    assert shown == {"yes": None, "no": 0, "maybe": None}


def test_a_small_total_hides_everything():
    assert suppress_partition({"yes": 4, "no": 0}, 4) == {"yes": None, "no": None}


def test_nested_bands_protect_cells_inside_a_published_band():
    cells = {"1": 3, "2": 7, "3": 10, "4": 8, "5": 7}
    bands = {"negative": ["1", "2"], "neutral": ["3"], "positive": ["4", "5"]}
    shown_cells, shown_bands = suppress_nested(cells, bands, 35)
    assert shown_bands == {"negative": 10, "neutral": 10, "positive": 15}
    # Negative is 10 and published, so "2" would give "1" away: both hidden.
    assert shown_cells["1"] is None and shown_cells["2"] is None
    assert shown_cells["4"] == 8 and shown_cells["5"] == 7


def _derivable(cells, shown, total):
    """Brute force: can any hidden cell be pinned to one value 1-4 from what is published?"""
    hidden = [k for k, v in shown.items() if v is None]
    rest = total - sum(v for v in shown.values() if v is not None)
    for key in hidden:
        values = set()
        for combo in itertools.product(range(0, total + 1), repeat=len(hidden)):
            if sum(combo) == rest and all(c == 0 or c >= 1 for c in combo):
                values.add(combo[hidden.index(key)])
        if len(values) == 1 and 0 < next(iter(values)) < 5:
            return True
    return False


@pytest.mark.parametrize(
    "cells",
    [
        {"a": 9, "b": 3},
        {"a": 1, "b": 1, "c": 10},
        {"a": 4, "b": 5, "c": 6},
        {"a": 2, "b": 0, "c": 0, "d": 9},
        {"a": 12, "b": 1, "c": 1, "d": 1},
    ],
)
def test_no_hidden_cell_can_be_worked_out_by_subtraction(cells):
    total = sum(cells.values())
    shown = suppress_partition(cells, total)
    assert all(v is None or v == 0 or v >= 5 for v in shown.values())
    hidden = [k for k, v in shown.items() if v is None]
    assert len(hidden) != 1
    assert not _derivable(cells, shown, total)


def test_label():
    assert SUPPRESSED_LABEL == "fewer than 5"


@pytest.mark.parametrize(
    "text, gone, marker",
    [
        ("my name is Jade Smith and nobody listens", ["Jade", "Smith"], "[name]"),
        ("my name is jade smith", ["jade", "smith"], "[name]"),
        ("text me on 07700 900123 if you want", ["07700", "900123"], "[phone]"),
        ("ring +44 7700 900123", ["7700"], "[phone]"),
        ("I go to St Mary's Academy and get picked on", ["Mary", "Academy"], "[school]"),
        ("i go to st marys academy", ["marys"], "[school]"),
        ("Bishop Perowne High School is ok", ["Perowne"], "[school]"),
        ("follow me @jaydee_22 lol", ["jaydee"], "[handle]"),
        ("add my snap jaydee_22", ["jaydee"], "[handle]"),
        ("flat 3, 12 High Street, WR1 2AB", ["High Street", "WR1", "2AB", "12"], "[address]"),
        ("i live on oak road near the park", ["oak road"], "[address]"),
        ("email me at jade.smith@example.com", ["jade.smith", "example.com"], "[email]"),
        ("email jade (at) example (dot) com", ["example"], "[email]"),
        ("my social worker Karen never rings back", ["Karen"], "[name]"),
        ("Mrs Patel at the home is kind", ["Patel"], "[name]"),
        ("jade keeps bullying me on the bus", ["jade"], "[name]"),
        ("born 12/03/2009", ["12/03/2009"], "[date]"),
        ("see https://example.com/me", ["example.com"], "[link]"),
    ],
)
def test_redaction_removes_identifying_details(text, gone, marker):
    redacted = redact(text)
    for fragment in gone:
        assert fragment.lower() not in redacted.lower(), redacted
    assert marker in redacted


@pytest.mark.parametrize(
    "text",
    [
        "my school is rubbish and the teachers shout",
        "I want to go to college next year",
        "I feel safe where I live now",
        "My carer is great and listens to me",
        "call Childline on 0800 1111 if you need to",
        "I love it here",
        "I have moved 6 times in 2 years",
    ],
)
def test_redaction_leaves_ordinary_words_alone(text):
    assert redact(text) == text


def test_mostly_redacted_quotes_are_dropped():
    assert mostly_redacted(redact("my name is Jade Smith, 07700 900123"))
    assert not mostly_redacted(redact("the bus home from college feels unsafe at night"))

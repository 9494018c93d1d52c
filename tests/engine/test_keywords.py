"""Whole-message keywords: STOP and Twilio's other opt-out words, START, HELP, SKIP."""

import pytest

from voice_service.engine.keywords import asks_for_a_person, classify, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        (" Stop. ", "stop"),
        ("STOP!!!", "stop"),
        ("stopall", "stop"),
        ("UNSUBSCRIBE", "stop"),
        ("cancel", "stop"),
        ("End", "stop"),
        ("quit", "stop"),
        ("revoke", "stop"),
        ("OPTOUT", "stop"),
        ("START", "start"),
        ("start!", "start"),
        ("unstop", "start"),
        ("HELP", "help"),
        ("help?", "help"),
        ("Info", "help"),
        ("SKIP", "skip"),
        ("skip it", "skip"),
        ("Skip this one", "skip"),
        ("pass", "skip"),
        ("next", "skip"),
        ("NEXT!", "skip"),
        ("skip  it", "skip"),
        ("yes", None),
        ("YES", None),
        ("dunno", None),
        ("no", None),
        # Asking us to stop in their own words is STOP too (Twilio blocks only its exact keywords).
        ("stop texting me", "stop"),
        ("please stop", "stop"),
        ("stop pls", "stop"),
        ("Stop texting me please!", "stop"),
        ("leave me alone", "stop"),
        ("dont text me", "stop"),
        ("don’t text me again", "stop"),
        ("do not message me", "stop"),
        ("no more texts", "stop"),
        ("i want to opt out", "stop"),
        # "STOP ALL" as two words, as Twilio's STOPALL is one (trial of 7 December).
        ("STOP ALL", "stop"),
        ("stop all texts", "stop"),
        ("Stop all messages", "stop"),
        ("stop the texts", "stop"),
        ("stop texts pls", "stop"),
        ("stop all he is hurting me", None),
        ("my brother wont leave me alone", None),
        ("stop hitting me", None),
        ("please stop hitting me", None),
        ("help me", None),
        ("I need help", None),
        ("don't stop", None),
        ("", None),
        ("4", None),
        # Emoji and symbols around a keyword change nothing (tester F11).
        ("STOP 🛑", "stop"),
        ("🛑🛑 stop", "stop"),
        ("please stop 🙏", "stop"),
        ("start 👍", "start"),
        ("help 😭", "help"),
        ("🛑", None),
        ("stop hitting me 😭", None),
    ],
)
def test_classify(text, expected):
    assert classify(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An opt-out that names the texting, then a reason or politeness: still STOP (trial finding 34).
        ("stop texting me pls im busy", "stop"),
        ("Stop texting me, I'm busy", "stop"),
        ("please stop messaging me i never signed up for this", "stop"),
        ("dont text me again i didnt sign up", "stop"),
        ("don't message me anymore its annoying", "stop"),
        ("no more texts please im fine", "stop"),
        ("stop sending me these i dont want them", "stop"),
        ("unsubscribe me from this thanks", "stop"),
        # About someone else, or not about the texting: never an opt-out (the screen reads them).
        ("stop he is hurting me", None),
        ("stop it", None),
        ("i want it to stop", None),
        ("stop it hes hurting me", None),
        ("leave me alone he keeps coming in my room", None),
        ("i want to stop living", None),
        ("my brother wont stop texting me threats", None),
        ("he wont stop texting me", None),
        ("stop texting", "stop"),
        ("stop texting mum", None),
    ],
)
def test_an_opt_out_with_a_reason_after_it_is_still_stop(text, expected):
    assert classify(text) == expected


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("i need help", True),
        ("please help", True),
        ("help please", True),
        ("someone help me", True),
        ("I need help!", True),
        ("need help pls", True),
        ("please help me", True),
        ("can someone help me", True),
        ("i need someone to talk to", True),
        ("can someone call me", True),
        ("i need help with my homework", False),
        ("they need help", False),
        ("nobody helps me", False),
        ("help", False),  # the HELP keyword
    ],
)
def test_a_plea_for_help_is_asking_for_a_person(text, asks):
    assert asks_for_a_person(text) is asks


@pytest.mark.parametrize(
    ("text", "expected"),
    [("?", "help"), ("??", "help"), (" ? ", "help"), ("？", "help"), ("? ?", "help"), ("what?", None), ("", None)],
)
def test_a_message_of_only_question_marks_is_help(text, expected):
    """ "?" asks what this is (tester T6); a word with a question mark is not a keyword."""
    assert classify(text) == expected


def test_a_text_asked_about_twice_is_read_once(monkeypatch):
    """The inbound path classifies each text twice (could it opt them back in? then the routing decision):
    the second time is the first's answer, not a second reading; another text is read afresh."""
    from voice_service.engine import keywords

    read: list[str] = []
    real = keywords.keyword_text
    monkeypatch.setattr(keywords, "keyword_text", lambda text: read.append(text) or real(text))
    text = "more trips out in the holidays pls (asked twice)"
    assert keywords.classify(text) is None and keywords.classify(text) is None
    assert read.count(text) == 1
    assert keywords.classify("STOP!") == "stop" and keywords.classify("  start ") == "start"
    assert keywords.classify("??") == "help" and keywords.classify("??") == "help"
    assert keywords.classify(text) is None and read.count(text) == 2


def test_normalise_kept_for_the_last_few_texts_reads_each_text_as_it_would_afresh():
    """`normalise` keeps the last few texts' readings (a text is read several times over): texts in turn, again
    and interleaved, each read as the uncached function reads it, never as the text before."""
    texts = ["STOP!!", "stop", "  Yes  please ", "I\u2019m ok\u2026", "yes please", "Stop", "", "STOP!!", "stop"] * 3
    for text in texts:
        assert normalise(text) == normalise.__wrapped__(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Asking us to stop in Welsh (trial 13, T13-16): the words the Welsh invitation's "STOP i stopio" uses, and the
        # natural ways to say it, whole messages only, as the English phrases are.
        ("stopio", "stop"),
        ("Stopia", "stop"),
        ("stopiwch", "stop"),
        ("Stopia plis", "stop"),
        ("stopio nawr", "stop"),
        ("dim mwy", "stop"),
        ("Dim mwy o negeseuon", "stop"),
        ("dim mwy o decsts diolch", "stop"),
        ("dim diolch, stopia", "stop"),
        ("Na diolch, stopio", "stop"),
        ("dim diolch stop", "stop"),
        ("stop plis", "stop"),
        ("paid â thecstio fi", "stop"),
        ("paid a thecstio fi", "stop"),
        ("Paid tecstio fi!", "stop"),
        ("peidiwch â chysylltu â fi", "stop"),
        ("paid anfon negeseuon ata i", "stop"),
        ("stopia tecstio fi", "stop"),
        ("stopiwch anfon negeseuon", "stop"),
        ("stopio'r negeseuon", "stop"),
        ("gad lonydd i fi", "stop"),
        ("dwi isio stopio", "stop"),
        ("dw i eisiau stopio plis", "stop"),
        ("STOPIA 🛑", "stop"),
        # More than a stop phrase is not an opt-out, as in English: about someone else, or something more said.
        ("stopia fo", None),
        ("stopiwch o plis", None),
        ("stopia fo mae o'n fy mrifo i", None),
        ("paid â thecstio fi, mae o'n fy nharo i", None),
        ("paid â thecstio fi dwi'n brysur", None),
        ("dim mwy i ddweud", None),
        ("dim diolch", None),
        ("dwi isio iddo fo stopio", None),
        ("dwi isio marw", None),
    ],
)
def test_asking_to_stop_in_welsh_is_stop(text, expected):
    assert classify(text) == expected

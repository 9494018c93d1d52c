"""Sentiment: negation, youth slang, emoji, sarcasm, and the scale hint."""

import pytest

from voice_service.analysis import analyse, sentiment


@pytest.mark.parametrize(
    "text,label",
    [
        ("not bad tbh", "positive"),
        ("not good", "negative"),
        ("i dont like my school", "negative"),
        ("my sw never listens", "negative"),
        ("its peak", "negative"),
        ("school is so long", "negative"),
        ("my fc is mint", "positive"),
        ("buzzing for my holiday", "positive"),
        ("gutted i cant go", "negative"),
        ("yeah great another new sw 🙄", "negative"),
        ("thanks for nothing", "negative"),
        ("😊", "positive"),
        ("😡", "negative"),
        ("when is my review", "neutral"),
        ("ok", "neutral"),
        ("i dont feel like i belong anywhere", "negative"),
        ("college is hard but im getting there", "positive"),
    ],
)
def test_labels(text, label):
    assert sentiment(text)[0] == label, sentiment(text)


def test_score_is_bounded_and_rounded():
    for text in ("best best best amazing 😍😍😍", "worst awful 😡😡 hate it", ""):
        label, score = sentiment(text)
        assert -1.0 <= score <= 1.0
        assert round(score, 3) == score


def test_scale_hint_nudges_only_a_neutral_follow_up():
    assert sentiment("my sw", scale_hint=-1.0)[0] == "negative"
    assert sentiment("my sw", scale_hint=1.0)[0] == "positive"
    assert sentiment("my sw", scale_hint=0.0)[0] == "neutral"
    assert sentiment("my sw is amazing", scale_hint=-1.0)[0] == "positive"


def test_a_calm_disclosure_is_still_negative():
    assert sentiment("my foster carer slapped me yesterday")[0] == "negative"


def test_analyse_contract():
    result = analyse("my sw never calls me back its so long", scale_hint=None)
    data = result.to_dict()
    assert set(data) >= {"themes", "sentiment", "score", "risk", "risk_categories"}
    assert data["themes"] == ["social_workers"]
    assert data["sentiment"] == "negative" and data["risk"] is False
    assert analyse("i want to kill myself").risk_categories == ("self_harm",)


def test_sarcastic_phrases_are_whole_words_anywhere_in_the_message():
    from voice_service.analysis.sentiment import _has_sarcasm

    assert _has_sarcasm(("great", ",", "thanks", "for", "nothing"))
    assert _has_sarcasm(("yeah", "right"))
    assert not _has_sarcasm(("yeah", "righteous"))
    assert _has_sarcasm(("🙄",))


@pytest.mark.parametrize(
    "text",
    [
        "if the older kids at the home stopped going in my room",
        "need help with money, my allowance doesnt last the week",
        "more help with cooking would be good",
        "it would help if my social worker rang back",
    ],
)
def test_a_request_or_a_wish_is_never_praise(text):
    # Warm words in a request ("help", "good") are not the young person saying things are going well.
    assert sentiment(text)[0] != "positive", text


def test_praise_stays_praise():
    assert sentiment("my social worker is amazing, she always listens")[0] == "positive"
    assert sentiment("if im honest its really good here, my carers are lovely")[0] == "positive"

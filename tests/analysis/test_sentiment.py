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


@pytest.mark.parametrize(
    "text", ["what would help is if my sw rang back", "it would help if my sw rang back", "more help with money"]
)
def test_a_low_rating_tips_a_request_and_a_high_one_does_not_make_it_praise(text):
    # Trial 14: a warm word in a request ("help") kept the low rating's pull off it, and the request rule then
    # zeroed it: "What would help?" after a 1 read neutral, though a request's own words have no clear feeling.
    assert sentiment(text, scale_hint=-1.0)[0] == "negative", text
    assert sentiment(text, scale_hint=1.0)[0] != "positive", text


def test_praise_stays_praise():
    assert sentiment("my social worker is amazing, she always listens")[0] == "positive"
    assert sentiment("if im honest its really good here, my carers are lovely")[0] == "positive"


@pytest.mark.parametrize(
    "text",
    [
        # The new-user trial's own examples.
        "my review was all adults talking about me like i wasnt there",
        "teachers dont get it, they treat me different",
        # Talked about, not with.
        "they talk about me like im not there",
        "the social workers talked about me not to me",
        # Treated differently.
        "they treat us different from the other kids",
        "treated different at school cos im looked after",
        # Not listened to, not understood.
        "i told my iro and she didnt listen",
        "they dont understand me",
        # Decided without them.
        "made decisions about me without asking",
        "i wasnt asked about my contact",
        # Moved without being told.
        "they moved me without telling me",
        "i got moved and nobody told me",
        # Help promised that never came.
        "they promised me help and i never got it",
        "said they would get me a tutor and never did",
        "still waiting for the help they promised",
        # Nobody explaining.
        "nobody explained why",
        "never explained anything to me",
    ],
)
def test_a_plain_complaint_is_negative_without_a_negative_word(text):
    assert sentiment(text)[0] == "negative", (text, sentiment(text))


@pytest.mark.parametrize(
    "text", ["HELP ME", "help", "pls help", "somebody help me", "i need help now", "help me im scared"]
)
def test_a_plea_for_help_is_negative(text):
    label, score = sentiment(text)
    assert label == "negative" and score < 0, (text, score)


@pytest.mark.parametrize(
    "text,label",
    [
        # A request for help with something says what it is for: no feeling, never praise.
        ("help me fill in the form pls", "neutral"),
        ("can you help me with my college form", "neutral"),
        ("need help with my bank account", "neutral"),
        # "help" that is not a call keeps its warmth.
        ("they help me loads", "positive"),
        # The matched controls: the same subjects, going well.
        ("my review went well, they listened", "positive"),
        ("they treat me the same as everyone", "positive"),
        ("people not treating me different at school", "positive"),
        ("she explained it all, really helpful", "positive"),
        ("they promised me a bike and i got it", "positive"),
        ("we talked about me going to college", "neutral"),
        ("i dont understand maths", "neutral"),
        ("we do boxing, nobody gets hurt", "positive"),
    ],
)
def test_requests_and_controls_keep_their_feeling(text, label):
    assert sentiment(text)[0] == label, (text, sentiment(text))


def test_a_promise_on_a_condition_or_made_by_them_is_not_a_broken_promise():
    from voice_service.analysis.sentiment import _broken_promise

    assert _broken_promise(("they", "promised", "me", "help", "and", "i", "never", "got", "it"))
    assert not _broken_promise(("she", "made", "me", "promise", "not", "to", "tell"))
    assert not _broken_promise(("he", "said", "he", "was", "15", "but", "hes", "not"))
    assert not _broken_promise(("my", "pa", "said", "shell", "ring", "if", "i", "dont", "answer"))


def test_a_complaint_clause_gives_its_own_theme_its_feeling():
    result = analyse("my foster carer is lovely but my sw talks about me like im not there")
    own = dict(result.theme_sentiments)
    assert own["carers"] == "positive" and own["social_workers"] == "negative"

"""Safeguarding screen: every category, indirect wording, hard non-risk, history, fail-loud lexicon."""

import dataclasses
import os

import pytest

from voice_service.analysis import LexiconError, screen
from voice_service.analysis.evaluate import load
from voice_service.analysis.lexicon import load_risk
from voice_service.analysis.risk import PatternSet, build_screen, risk_screen, screen_normalised, word_prefixes
from voice_service.analysis.text import normalise

DISCLOSURES = {
    "self_harm": [
        "dont see the point anymore",
        "everyone would be better off without me",
        "been sh again dont tell my fc",
        "i just want to go to sleep and not wake up",
        "i want to unalive myself",
        "i dont know how much longer i can keep going",
        "kms",
    ],
    "abuse": [
        "my dad hits me when hes drunk",
        "my step dad comes in my room at night",
        "he touched me and said its our secret",
        "my carer doesnt feed me and locks the fridge",
        "she grabbed my arm so hard it left bruises",
    ],
    "exploitation": [
        "hes older, buys me stuff, says not to tell",
        "my bf is 26",
        "someone on snap keeps asking me for pics",
        "i owe them money and they said i have to work it off",
        "they want me to go country for a few days",
        "he picks me up in his car and gives me weed",
    ],
    "missing": [
        "might just disappear for a bit",
        "not going back there, sleeping at a mates",
        "been sofa surfing for weeks",
        "im gonna do a runner tonight",
        "slept in the park last night",
    ],
    "violence": [
        "i got jumped after school",
        "some lads are after me and they know where i live",
        "my mates brother carries a knife",
        "he said hes gonna stab me",
        "my mum and her boyfriend fight every night and he hit her",
    ],
    "unsafe_home": [
        "i dont feel safe at home",
        "theres no food in the house and no gas",
        "im scared to go home",
        "they locked me out all night",
        "my mum is always off her face",
    ],
}

HARD_NON_RISK = [
    "this survey is killing me lol",
    "killing it at college",
    "i was dying of laughter",
    "my phone went missing at school",
    "i miss my mum",
    "my brother beat me at fifa",
    "hit me up when you know my review date",
    "dead good day at the beach",
    "i could murder a nandos",
    "cutting my hair short",
    "it finally hit me how much my carers care",
    "i ran out of data again",
    "running late sorry",
    "my fc picks me up from school every day",
    "my foster dad bought me new trainers",
    "went to a knife crime awareness talk",
    "cant go on the school trip cos my passport isnt sorted",
    "dont see the point in peps tbh",
    "my fc looks after me really well",
    "got locked out of my instagram",
]


@pytest.mark.parametrize("category,text", [(c, t) for c, texts in DISCLOSURES.items() for t in texts])
def test_disclosures_raise_their_category(category, text):
    result = screen(text)
    assert result.risk, text
    assert category in result.categories, (text, result)
    assert result.matched


@pytest.mark.parametrize("text", HARD_NON_RISK)
def test_everyday_phrases_that_sound_alarming_do_not_alert(text):
    assert not screen(text).risk, (text, screen(text))


def test_misspellings_and_text_speak_are_screened():
    assert screen("i wanna kil myself").risk is True or screen("i wanna kill myslf").risk
    assert screen("i dnt feel safe at hom").risk  # "dont feel safe" survives the typo in "home"
    assert screen("i dont wanna be here anymoreee").risk
    assert screen("HE HITS ME").risk


def test_historical_mention_that_is_over_is_not_current_risk():
    assert not screen("I was abused before I came into care, I'm safe now").risk
    assert not screen("my dad used to hit me when i was little but im safe now with my nan").risk


def test_history_with_anything_current_still_alerts():
    assert screen("I was abused before I came into care and now my carer hits me").risk
    assert screen("my dad used to hit me and he still does").risk
    assert screen("i used to self harm and i started again this week").risk
    assert screen("I was abused before I came into care").risk  # not said to be over


def test_sentiment_gives_no_reassurance():
    # Cheerful wording around a disclosure must not hide it.
    assert screen("lol my bf is 25 and hes so nice he buys me everything 😍").risk
    assert screen("all good, he only hits me when im bad 😊").risk


def test_weak_signal_alone_is_not_risk_but_with_another_is():
    assert not screen("he bought me trainers").risk
    assert screen("he bought me trainers and picks me up in his car after school").risk


def test_prefilter_never_skips_a_pattern_that_would_match():
    s = risk_screen()

    def everything(ps: PatternSet) -> PatternSet:
        return dataclasses.replace(ps, by_prefix={}, always=tuple(range(len(ps.patterns))), slots=0, starts=())

    assert len(everything(s.strong).candidates(set())) == len(s.strong.patterns)

    full = dataclasses.replace(
        s, strong=everything(s.strong), weak=everything(s.weak), safe=everything(s.safe), gates={}
    )
    texts = [row["text"] for row in load("tests/data/messages.jsonl")]
    texts += [t for ts in DISCLOSURES.values() for t in ts] + HARD_NON_RISK
    for text in texts:
        norm = normalise(text)
        assert screen_normalised(norm, s) == screen_normalised(norm, full), text


def test_prefilter_needs_every_keyed_word_and_keeps_lexicon_order():
    s = risk_screen()
    prefixes = word_prefixes(("gonna", "kill", "me"))
    run = s.strong.candidates(prefixes)
    assert run and run == sorted(run, key=s.strong.patterns.index)
    # "gonna kill me" alone does not run patterns that also need, say, "him" or "her".
    assert len(run) < len(s.strong.candidates(word_prefixes(("gonna", "kill", "me", "him", "her", "the", "you"))))
    # A needed whole word is keyed as itself: "killer" does not run what needs "kill", as "kill" does.
    assert len(s.strong.candidates(word_prefixes(("gonna", "killer", "me")))) < len(run)


def test_reasons_do_not_depend_on_the_hash_seed():
    # Patterns once ran in the order of a set of their numbers, which followed string
    # hashing: the order of "set aside" reasons changed from one process to the next.
    import subprocess
    import sys

    text = (
        "Watched a documentary about kids being exploited by drug gangs, scary stuff but its not like that round here"
    )
    code = (
        "from voice_service.analysis.risk import lexicon_screen, risk_screen\n"
        "from voice_service.analysis.text import normalise\n"
        f"print(lexicon_screen(normalise({text!r}), risk_screen()).reasons)"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1")
    }
    assert len(seen) == 1, seen


def test_missing_or_empty_lexicon_fails_loudly(tmp_path):
    with pytest.raises(LexiconError, match="missing"):
        screen("hello", directory=tmp_path)
    (tmp_path / "risk.toml").write_text("")
    with pytest.raises(LexiconError, match="empty"):
        screen("hello", directory=tmp_path)


def test_category_without_patterns_fails_loudly(tmp_path):
    (tmp_path / "risk.toml").write_text("[categories.self_harm]\npatterns = []\n")
    with pytest.raises(LexiconError, match="self_harm"):
        screen("hello", directory=tmp_path)


def test_unknown_macro_is_named():
    data = dict(load_risk(risk_screen.__globals__["conversations_dir"]()))
    data["categories"] = {**data["categories"], "abuse": {"patterns": ["{nope} me"]}}
    with pytest.raises(LexiconError, match="nope"):
        build_screen(data)


@pytest.mark.parametrize(
    "text",
    [
        "he doesnt hit me, he just shouts about the washing up",
        "im not suicidal, just tired of school",
        "i have never tried to kill myself",
        "nobody locks me in or anything",
        "my essay is about knife crime in london",
        "we learnt about domestic violence in pshe",
        "my apprenticeship is at a homeless hostel",
    ],
)
def test_negated_and_topic_only_matches_are_set_aside_by_the_lexicon(text):
    from voice_service.analysis.risk import lexicon_screen

    result = lexicon_screen(normalise(text), risk_screen())
    assert not result.risk, result
    assert result.reasons and all(r.startswith("lexicon set aside: ") for r in result.reasons)


@pytest.mark.parametrize(
    "text,category",
    [
        ("i dont want to live anymore", "self_harm"),  # the negation is the disclosure
        ("i dont know why he hits me", "abuse"),  # a negation not next to the match
        ("my dad hit me after the film", "abuse"),  # a film mentioned, not the topic
        ("my best friend is cutting herself again", "self_harm"),  # someone else
        ("my mate said she wants to die", "self_harm"),
        ("ur dead when i see u after school", "violence"),  # typed without apostrophes
        ("hell kill me if i tell", "violence"),
        ("they said im getting wet up if i come back", "violence"),
        ("someone keeps sending me death threats on insta", "violence"),
    ],
)
def test_structure_keeps_what_must_alert(text, category):
    from voice_service.analysis.risk import lexicon_screen

    result = lexicon_screen(normalise(text), risk_screen())
    assert result.risk and category in result.categories, result


def test_a_threat_to_kill_me_is_violence_not_self_harm():
    from voice_service.analysis.risk import lexicon_screen

    result = lexicon_screen(normalise("hes going to kill me"), risk_screen())
    assert result.categories == ("violence",), result


def test_a_safe_phrase_calms_the_model_too():
    # "beat me at fifa" is blanked for the lexicon; the model reads the calmer version too.
    assert not screen("my sister beat me at fifa").risk
    assert screen("my dad beat me up last night").risk


@pytest.mark.parametrize(
    "text,category",
    [
        # Behaviour only: no risk word at all.
        ("if u dont hear from me tomorrow its not ur fault", "self_harm"),
        ("how many tablets would it take to not wake up", "self_harm"),
        ("what happens if you take a whole box of paracetamol", "self_harm"),
        ("my foster brother didnt come home last night", "missing"),
        # Exploitation in its own language.
        ("someone on tiktok said i can earn 200 a day just dropping stuff off", "exploitation"),
        ("a man on a game offered me vbucks if i send pics", "exploitation"),
        # Neglect and unsafe conditions; violence seen at home.
        ("i sleep with a chair against my bedroom door", "unsafe_home"),
        ("our gas and electric have both run out", "unsafe_home"),
        ("my mum says i should never have been born", "abuse"),
        ("i heard him punching my mum last night", "violence"),
    ],
)
def test_behaviour_and_own_language_disclosures_hit_the_lexicon(text, category):
    from voice_service.analysis.risk import lexicon_screen

    result = lexicon_screen(normalise(text), risk_screen())
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary survey replies the model used to alert on (tests/data/messages.jsonl).
        "i feel safe in my placement",
        "my carers said they love me and want me to stay forever",
        "i am buzzing i got my keys to my flat today",
        "me and my mates were out all day at the park",
        "if staff knocked before coming in my room",
    ],
)
def test_ordinary_replies_do_not_alert(text):
    result = screen(text)
    assert not result.risk, result

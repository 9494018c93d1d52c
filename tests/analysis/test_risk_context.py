"""Context that makes a risk word no disclosure: a past said to be over, a joke, a work reviewed,
a risk word in another sense. Each rule has lines it must set aside and lines it must not.

Every line is written here, never taken from the corpus's TEST split or the holdout; the learned
model still gets its say on all of them (these check the lexicon alone).
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


# [past] + [resolved]: a time long gone covers its sentence, across commas, and the message says it ended.
@pytest.mark.parametrize(
    "text",
    [
        "years ago, my stepdad used to hit me. it stopped when he left",
        "back in primary i used to get beaten up by my dad but hes gone now and im safe",
        "when i was younger i self harmed but im doing well now",
        "as a little kid i was neglected, sorted now, my foster carers are great",
        "my mum used to lock me in my room when i was little but that ended when i came into care",
        "i ran away from my old placement loads but ive moved on from all that",
        "i used to cut myself years ago but i got help and stopped",
        # The time covers the sentences after it until "but" or "now" brings the present back.
        "when i was 10 my stepdad moved in. he hit me and my mum. he left years ago and its been fine since",
        "back in year 7 some lads threatened to stab me. that all stopped when i moved schools",
        # "scared" inside the past stretch is part of the past.
        "i was scared of my dad when i was little because he hit me, but hes in prison now and i feel safe",
    ],
)
def test_a_past_said_to_be_over_in_other_words_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk and "lexicon set aside: historical and over" in result.reasons, result


@pytest.mark.parametrize(
    "text",
    [
        "years ago my uncle touched me and i still see him every weekend",  # still: ongoing
        "when i was little my dad hit me and i never told anyone",  # nothing says it is over
        "back in primary he hit me, now he hits my little sister",  # now: the present is back
        "my dad used to hit me and it hasnt stopped",  # a negated ending is no ending
        "i used to cut myself but its not sorted, i need help",
        "when i was 12 he touched me. he left but i am not safe now, he knows where i live",
        "my dad hits me and he used to hit my mum but she left",  # "hits me": the harm is present
        "my mums boyfriend hit me. when i was little my dad did too, he left years ago",  # the time comes after
        "he hit me years ago and he started again",
        "years ago he hurt me. he left but he came back last week",
    ],
)
def test_an_unclear_or_present_past_still_alerts(text):
    assert lexicon(text).risk, lexicon(text)


# [joke]: a threat to kill said with a laugh is hyperbole, unless a weapon, real harm, fear or a report is named.
@pytest.mark.parametrize(
    "text",
    [
        "im going to kill my brother lol he ate my chips",
        "ill kill my sister haha she used all the hot water",
        "my mum is going to kill me when she sees my room 😂",
        "my carer will kill me if i am late again lol",
    ],
)
def test_a_threat_to_kill_said_with_a_laugh_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk, result
    assert any(r.startswith("lexicon set aside: joke: ") for r in result.reasons), result


@pytest.mark.parametrize(
    "text,category",
    [
        ("my ex said hes gonna kill me haha", "violence"),  # reported
        ("i want to kill myself lol", "self_harm"),  # never a joke
        ("im going to kill him lol, i have got a knife", "violence"),  # a weapon
        ("hes going to kill me lol i am actually scared", "violence"),  # fear
        ("my stepdad is going to kill me he hit me last night lol", "abuse"),  # real harm
        ("im going to kill him, he hurt my sister", "violence"),  # no laugh
    ],
)
def test_a_laugh_beside_a_weapon_fear_or_report_does_not_hide_a_threat(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


# [work]: a long message about a film, book or series; a match in a clause naming nobody close is the work's.
@pytest.mark.parametrize(
    "text",
    [
        "the franchise would have been better off dead after the third sequel came out in cinemas",
        "a slow thriller where the villain ends up suicidal and the audience stops caring long before",
        "the novel follows a runaway across three countries and the critics adored every page of it",
    ],
)
def test_a_match_about_a_work_naming_nobody_close_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk, result
    assert any(r.startswith("lexicon set aside: about a work: ") for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        "that film made me realise my dad abuses me and i dont know what to do about it now",
        "cant stop thinking about that film, feel suicidal again tonight and nobody is around to talk to",
        "the movie was rubbish and my little brother is being hit by his dad every single night",
        "suicidal after that film",  # short: always kept
        # A topic clause ("watched a film", "film studies class") does not hide harm done to the writer.
        "watched a film with my carer tonight and after she went to bed her boyfriend touched me",
        "in my film studies class a boy keeps threatening to stab me after school every day",
    ],
)
def test_a_work_does_not_hide_a_disclosure(text):
    assert lexicon(text).risk, lexicon(text)


# Risk words in another sense, and "child abuse" as a subject that names no child.
@pytest.mark.parametrize(
    "text",
    [
        "the committee looked into abuse of power by senior officers in the council",
        "the news really hit me hard this morning",
        "it only hits me now how much i miss my nan",
        "homeless families across the city are waiting longer for housing every single year",
        "the child abuse inquiry published its final report into the scandal this morning after years of work",
        "we had a lovely walk on the streets of edinburgh before the show",
    ],
)
def test_a_risk_word_in_another_sense_is_not_a_disclosure(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("my dad hit me hard this morning", "abuse"),
        ("the man that hit me is outside", "abuse"),
        ("i am homeless and sleeping on the streets", "missing"),
        ("been living on the streets since friday", "missing"),
        ("my mum neglected me and my little sister for years and nobody ever noticed a thing", "abuse"),
        ("child abuse is happening in my house and nobody believes me", "abuse"),
    ],
)
def test_the_risk_sense_still_alerts(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


# Other senses of risk words, and passives that are not an attack ("rushed to hospital", "dropped by their label").
@pytest.mark.parametrize(
    "text",
    [
        "i got rushed to hospital with appendicitis",
        "i was threatened with detention for being late",
        "the scene was done in one take",
        "the band got dropped by their label",
        "i got ripped off buying trainers online",
        "i want to see pictures of the new puppy",
        "i began taking pics for my photography course",
        "press the power on off button",
        "i threw out the old sofa",
        "i need a craft knife for art",
        "my dvd burner is broken",
        "my auntie is a dog groomer",
        "he was a top recruit for the academy",
        "i fell and hurt myself at football",
        "the food was cold and we wont be coming back, would not recommend",
    ],
)
def test_another_sense_of_a_risk_word_is_set_aside(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("i was threatened with a knife", "violence"),
        ("my mate got rushed outside the chicken shop", "violence"),
        ("he got done in by the olders", "violence"),
        ("i got dropped by some lads on the estate", "violence"),
        ("he wants me to send pictures", "exploitation"),
        ("she keeps begging me for pics", "exploitation"),
        ("the power went off again and we have no money for the meter", "unsafe_home"),
        ("he told me not to mention it to anyone", "exploitation"),
        ("i burnt myself on purpose with the iron", "self_harm"),
    ],
)
def test_the_risk_sense_beside_them_still_alerts(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        # More ways to say when, and that it is over; "never ... again" is no sign it goes on.
        "i got kicked out at 16 and was homeless for a bit, its been two years and im in my own flat now",
        "in 2019 i ran away loads but since i moved here its fine",
        "my stepdad hit me when i was younger but i never want that to happen again and he left",
        "i was in a gang as a teenager but i left that life behind",
        "when i was in my first placement i self harmed, it doesnt bother me anymore",
        # Careers and causes, a part in a play, a story written, a storyline.
        "i want to work with kids who have been abused when im older",
        "im doing a campaign about stopping knife crime in our area",
        "in drama i played a character who self harms",
        "im writing a story where a girl runs away from home",
        "the storyline where she gets groomed is so well done",
        # Negations with a few more words between.
        "nobody has ever touched me like that",
        "i have never once self harmed",
        "i have not had any thoughts of suicide",
        # Sport with a scoreline or a fixture.
        "we got battered 5-0 on saturday",
        "we smashed them in the cup final",
        "i got kicked loads in the match",
        # A writer's own threat to batter a sibling, with a laugh.
        "im going to batter my brother lol he ate my last yorkshire",
        "gonna smash my sister haha she took my charger",
    ],
)
def test_more_context_that_sets_a_match_aside(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text",
    [
        "at 14 he touched me and it still happens",
        "in 2019 my stepdad hit me and he is still living with us",
        "i want to work with kids but my stepdad hits me and i cant concentrate",
        "in drama a boy said he is going to stab me after school",
        "i have had thoughts of suicide",
        "my coach kicks me when i miss a penalty",
        "his mates are going to batter me after school lol",
        "im going to batter him lol i have got a blade",
        "i used to get hit and i am scared it will happen again",
    ],
)
def test_the_same_context_does_not_hide_a_current_risk(text):
    assert lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text",
    [
        "opps. moving too fast, thanks",
        "opps sorry wrong chat",
        "i watched suicide squad last night",
        "my ears were assaulted by that music",
        "my little brother got hit by a car but hes ok",
        "unsafe driving on the motorway again",
        "this non threatening film is perfect for kids",
    ],
)
def test_names_and_idioms_that_share_a_risk_word_do_not_alert(text):
    # "opps." typed for "oops", a film title, a sensory "assault", an accident, a thing unsafe.
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text",
    [
        "opps are looking for me they know where i stay",
        "the opps caught my brother",
        "i got beef with the opps",
        "he threatens my little sister",
        "the heating is broken and the flat is unsafe for the baby",
        "my foster dad threatens to kick me out every night",
    ],
)
def test_the_street_and_home_senses_beside_them_still_alert(text):
    assert lexicon(text).risk, lexicon(text)


def test_a_request_for_confidence_is_no_category_of_its_own():
    # "Please dont tell anyone" asks us to keep a confidence: alone it is an ordinary reply...
    assert not lexicon("please dont tell anyone but i need help with my cv dont tell my carer").risk
    assert not lexicon("please dont tell anyone but i feel safe now dont tell my carer").risk
    # ...beside a weak sign it is one more signal, and adds no category of its own...
    result = lexicon("please dont tell anyone but theres a gun in the house")
    assert result.risk and result.categories == ("violence",), result
    # ...while secrecy someone asked of the young person is exploitation's own sign.
    result = lexicon("he said not to tell anyone about us")
    assert result.risk and "exploitation" in result.categories, result

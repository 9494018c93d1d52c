"""The lexicon's structural rules, each with wording written here (never the corpus's TEST split).

Every rule has lines it must catch and lines it must leave alone, and every hit says which
rule fired: the reason names the category, and "someone else at risk" when it is not the writer.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text,category",
    [
        ("my little sister gets slapped by her dad most nights", "abuse"),
        ("my foster brother keeps cutting his arms", "self_harm"),
        ("my bestie says she wants to kill herself", "self_harm"),
        ("a girl in my year told me her uncle touches her when nobody is in", "abuse"),
        ("my younger cousin is being made to carry drugs for some older lads", "exploitation"),
        ("my step sister has been sleeping rough since friday", "missing"),
        ("my mate said someone is going to stab him after school", "violence"),
        ("my little brother has bruises on his legs and wont say why", "abuse"),
    ],
)
def test_someone_else_at_risk_is_read_as_if_they_said_it(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result
    assert any(r.startswith(f"lexicon: {category}") for r in result.reasons), result


def test_the_reason_says_who_it_is_about_and_which_words():
    result = lexicon("my little brother gets punched by his stepdad")
    assert result.reasons == ("lexicon: abuse, someone else at risk (my little brother: gets punched)",)


@pytest.mark.parametrize(
    "text",
    [
        "my little sister cut her hair really short",
        "my brother beat his mate at fifa again",
        "my best friend is killing it at college",
        "my foster brother got his phone taken off him for a week",
        "my sister is dying to see her new baby niece",
    ],
)
def test_someone_else_in_everyday_life_is_not_a_disclosure(text):
    assert not lexicon(text).risk, lexicon(text)


def test_he_doing_harm_stays_the_one_doing_harm():
    # Retelling for the friend must not lose "he ... me": the first reading keeps he as he.
    result = lexicon("my mate said he grabbed her by the throat")
    assert result.risk, result


@pytest.mark.parametrize(
    "text,category",
    [
        # Warning signs with no risk word at all.
        ("been looking up how many paracetamol it would take", "self_harm"),
        ("i searched the tallest building near me", "self_harm"),
        ("i have been saving up my tablets in a sock", "self_harm"),
        ("theres a rope hidden under my bed", "self_harm"),
        ("said my goodbyes to my mates today", "self_harm"),
        ("gave my headphones to my cousin, i wont need them", "self_harm"),
        ("dont think ill still be here by the summer", "self_harm"),
        # Exploitation in its own language.
        ("i have to pick up the phone every time or they come round", "exploitation"),
        ("they took me to a flat full of older men", "exploitation"),
        ("he says im really mature for 14", "exploitation"),
        ("a man online keeps asking me what im wearing", "exploitation"),
        ("some lads want to use my bank account for a few days", "exploitation"),
        # Neglect, unsafe conditions, losing a home, not gone back.
        ("theres been nothing to eat since tuesday", "unsafe_home"),
        ("they wouldnt open the door so i sat outside in the cold", "unsafe_home"),
        ("some men took over my flat and i cant get them out", "unsafe_home"),
        ("i have to be out of the flat by monday", "missing"),
        ("staying with a guy i met online, carers dont know where i am", "missing"),
        # Threats in street language or online.
        ("they put my address on the group chat", "violence"),
        ("hes gonna break my legs", "violence"),
        # Added last: drops, a camera asked for, a deadline to leave, left alone for days.
        ("i do drops for my cousins mates on weekends", "exploitation"),
        ("he keeps telling me to turn my camera on", "exploitation"),
        ("the hostel gave me 2 days to get out", "missing"),
        ("we got left on our own for days, no food", "unsafe_home"),
    ],
)
def test_behaviour_and_own_language_are_caught(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "nobody is asking me for pics, dont worry",
        "i have never been in a gang",
        "i dont carry a knife and i never would",
        "im not involved in any of that county lines stuff",
        "no one is threatening me",
    ],
)
def test_a_negation_before_the_match_sets_it_aside(text):
    result = lexicon(text)
    assert not result.risk and any("negated" in r for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        # "Nobody" or "no one" as the subject reaches over a few words of its own clause.
        "nobody at home hits me, dont worry",
        "nobody in this house hits me",
        "no one online asks me for pictures",
        "no one has asked me to do drops lol",
    ],
)
def test_a_negated_subject_negates_its_own_clause(text):
    result = lexicon(text)
    assert not result.risk and any("negated" in r for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        # ... but not past another subject, a link or a verb of knowing, caring, telling or stopping.
        "nobody knows he hits me",
        "no one at school knows my stepdad beats me",
        "nobody stops him hitting me",
        "nobody believes me when i say he touches me",
        "nobody listens and my dad hits me every night",
        "no one ever comes to check, he locks me in my room",
        "no one helped when they beat me up",
        # A negation that is itself the harm is in the matched words, and stands.
        "nobody takes me to the doctor",
        "nobody looks after me",
        "no one would even notice if i was gone",
    ],
)
def test_a_negated_subject_stops_at_another_subject_or_verb_of_knowing(text):
    assert lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text",
    [
        "i cant go on like this anymore",  # the negation is the disclosure
        "i dont know why he keeps hitting me",  # a negation not next to the match
        "nobody believes me that he touches me",
        "i cant stop him hitting me",
    ],
)
def test_what_is_not_a_negation_still_alerts(text):
    assert lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text",
    [
        "my little brother bit me when we were play fighting",
        "got battered in the boxing ring last night but i won",
        "we are gonna smash the other team on sunday",
        "my mate punched me in the face at boxing, it was only sparring",
    ],
)
def test_sport_and_play_are_not_abuse_or_violence(text):
    result = lexicon(text)
    assert not result.risk and any("sport or play" in r for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        "my dad punches me and says we are just play fighting",  # an adult named
        "my brother hits me and says its play fighting but he wont stop",  # beyond play
    ],
)
def test_play_that_names_an_adult_or_real_harm_still_alerts(text):
    assert lexicon(text).risk, lexicon(text)


def test_older_boys_alone_is_not_exploitation_but_with_more_it_is():
    assert not lexicon("the older boys at football are really good").risk
    assert "exploitation" in lexicon("the older boys give me weed and make me hold stuff for them").categories


@pytest.mark.parametrize(
    "text",
    [
        "i used to self harm when i was 12 but stopped 3 years ago",
        "i was homeless for a while two years ago but now i have my own flat",
        "we had no heating last winter but we moved and its warm now",
        "the girls who bullied me and threatened me left and its all over",
    ],
)
def test_a_past_that_is_clearly_over_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk and "lexicon set aside: historical and over" in result.reasons, result


@pytest.mark.parametrize(
    "text",
    [
        "i used to self harm and it happened again last night",
        "i stopped self harming 2 years ago but i started again this week",
    ],
)
def test_a_past_that_came_back_is_current(text):
    assert lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("my ex said hes gonna kill me haha", "violence"),  # a threat reported, not hyperbole
        ("everyone would be happier if i was dead lol", "self_harm"),  # a wish, not a joke
    ],
)
def test_a_laugh_does_not_hide_a_threat_or_a_wish(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "my mum is gonna kill me lol i forgot the milk",
        "the cringe made me want to die lol",
        "ugh i wanna die its so hot",
        "please dont tell anyone but my essay is on child exploitation",  # a weak signal left alone
    ],
)
def test_hyperbole_and_topic_do_not_alert(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category,typed",
    [
        ("my mates brother carries a knnife", "violence", "knnife read as knife"),  # a letter twice
        ("im scaerd to go home tonight", "unsafe_home", "scaerd read as scared"),  # two letters swapped
        ("my carer locks the frdge at night", "abuse", "frdge read as fridge"),  # a letter left out
        ("my little brohter is cutting himself", "self_harm", None),  # the person, not the match, was misspelt
        ("theyre goonna stab me", "violence", "goonna read as going to"),  # respelt as text speak is
    ],
)
def test_a_slip_of_the_thumb_is_read_as_the_word_meant(text, category, typed):
    result = lexicon(text)
    assert result.risk and category in result.categories, result
    if typed:
        assert any(typed in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "the film was rated 15",  # a changed letter is not a slip we read ("rated" is not "raped")
        "dont go overdoing it at the gym",  # a real word, even if the spelling list lacks it
        "i sent him the nude colour swatch for my nails",  # a letter more or less at the end
    ],
)
def test_real_words_are_never_read_as_typos(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("if i dont pick up that phone straight away they come looking for me", "exploitation"),  # words between
        ("theyre goonna jump me after school", "violence"),  # a slip of text speak, then respelt
        ("mum sells the food we get from the food bank", "unsafe_home"),  # using a food bank is no charity topic
        ("my dad says he wishes i was dead", "abuse"),
        ("dont bother looking for me", "missing"),
    ],
)
def test_wording_with_words_between_and_text_speak_slips(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result

"""Writing about the world, not the writer's life: a review of a work ([work]) or a news report ([news]).

A match in a clause that names nobody in the writer's life is set aside in a long message of either
register. Lines written here from the kinds of everyday text (reviews, news), never copied from
tests/data/everyday, the corpus's TEST split or the holdout; the learned model still gets its say.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text,words",
    [
        ("A councillor was arrested after officials said he was drunk at the wheel of a van.", "he was drunk"),
        ("The senate heard that thousands of people were made homeless by the floods last spring.", "homeless"),
        ("Prosecutors told the court the two men ran away before the police arrived at the scene.", "ran away"),
        ("The company said its shares fell after thieves broke in and took every laptop in the office.", "broke in"),
    ],
)
def test_a_news_report_naming_nobody_close_is_set_aside(text, words):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: news report: {words}" in result.reasons


@pytest.mark.parametrize(
    "text,words",
    [
        ("Earnest but muddled and, worse, runs away from its own central theme before the halfway mark.", "runs away"),
        ("The premise has nowhere to go after the first act, and the twist only makes it worse.", "nowhere to go"),
        ("A quiet and careful essay on grief and loss, especially suicide, that lingers long afterwards.", "suicide"),
        ("Overwrought verse in the style of a moody teenager's suicidal poetry, and as tiring to read.", "suicidal"),
    ],
)
def test_a_review_of_a_work_naming_nobody_close_is_set_aside(text, words):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: about a work: {words}" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # The writer or someone close is named in the clause: the match stands, whatever the register.
        "my stepdad was arrested last night and officials said he will be back soon and he hits me",
        "the court said i have to go back to my mum but she hits me when she is drunk",
        "that essay we did on grief made me realise i want to die most days",
        "my little brother read the story about the boy who ran away and now he keeps cutting himself",
        # "Police" alone is no news report: a friend found sleeping rough is still missing.
        "the police found her sleeping in a stairwell again and they just took her back there",
        # Short texts always keep their matches.
        "court tomorrow and he said he will kill me",
        # A text that drops its "I" is about the writer.
        "feel suicidal again tonight after the trial was put off for another six months",
    ],
)
def test_a_clause_naming_the_writer_or_someone_close_keeps_its_match(text):
    assert lexicon(text).risk, text


@pytest.mark.parametrize(
    "text,reason",
    [
        # Someone else's relative is a character's or a stranger's in a review or a report, not the writer's.
        (
            "In the second act the heroine is abused by her father, and the film never once flinches from it.",
            "about a work: abused",
        ),
        ("Officials said dozens of children had been abused at the home over two decades.", "news report: abused"),
        # Inquests, the press and war are news too.
        (
            "The coroner told the inquest that the young man had taken an overdose after losing his job.",
            "news report: overdose",
        ),
        (
            "Troops fired on the crowd and dozens of civilians were shot as they ran away from the square.",
            "news report: ran away",
        ),
    ],
)
def test_someone_elses_relatives_and_inquests_or_war_are_the_news_or_the_works(text, reason):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: {reason}" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # The writer's own people keep the clause's match, whatever the register.
        "my foster sister told the court that her dad abused her for years and nobody believed her",
        "the coroner said it was an accident but my brother took an overdose because of them",
        "the soldiers in the game kill everyone but the real thing is my stepdad beats my mum",
        # Staff, carers and teachers are the writer's whoever's they are.
        "the inquiry is still going on and the staff are still abusing the girl in room four",
    ],
)
def test_the_writers_own_people_keep_the_match_in_a_report(text):
    assert lexicon(text).risk, text


@pytest.mark.parametrize(
    "text,words",
    [
        # Courts, sentences and the forces are a reporter's words: these alerted before they were.
        ("A soldier was shot in the arm during a patrol and flown home for surgery.", "was shot"),
        (
            "A builder was jailed for four years after he threatened to kill a neighbour with a hammer.",
            "threatened to kill",
        ),
    ],
)
def test_courts_and_the_forces_make_a_news_report(text, words):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: news report: {words}" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # The same words with the writer or someone close in the clause still alert.
        "my brother was jailed last year and now his mates have threatened to kill me",
        "my cousin joined the army but his mates back home keep saying they will stab me",
        "armed police came to our flat because my stepdad hit my mum with a bottle",
        # People in a young person's own life are no reporter's words: officers who found a friend, the council
        # that houses a care leaver.
        "officers found her in a flat with older men again last night and she is only 13",
        "the council put her in a hostel with no heating and no food and she is 16",
    ],
)
def test_a_report_word_beside_someone_close_or_in_a_young_persons_life_keeps_the_match(text):
    assert lexicon(text).risk


def test_someone_elses_relative_described_is_a_characters():
    # "an alcoholic mother": an adjective between the article and the relative no longer makes her the writer's.
    text = "The novel follows a girl who is abused by an alcoholic mother and raised by her grandparents."
    result = lexicon(text)
    assert not result.risk, result
    assert "lexicon set aside: about a work: abused" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "this film about a girl with a violent father made me cry because my violent stepdad hits me too",
        "The film is a thriller about a girl whose mother is abused and my violent stepdad abuses my mum like that",
    ],
)
def test_the_writers_own_relative_described_keeps_the_match(text):
    assert lexicon(text).risk

"""Helper 8's round: kinds, not sentences (issue 10).

Found by running the screen on a dev set written from issue 10's kinds before the lexicon was read
(tests/data/risk_corpus/pending/h8_*.txt).
"""

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


def test_a_threat_to_kill_the_writer_is_violence_not_the_other_ones_self_harm():
    """Read as the sister's own words, "my sister is going to kill me" holds the writer's "me": a threat, not her
    self-harm, so the categories do not bleed; a sibling who threatens both still raises both."""
    assert lexicon("my sister is going to kill me").categories == ("violence",)
    assert lexicon("my mate wants to kill me").categories == ("violence",)
    both = lexicon("my brother says he is going to kill me and himself")
    assert {"self_harm", "violence"} <= set(both.categories), both

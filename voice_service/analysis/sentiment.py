"""Sentiment of a reply: TextBlob's lexicon as the base, corrected for how young people text.

TextBlob averages word polarities; so do we, from the same lexicon, but over our
own tokens (so "dont", "u", "sooo" and emoji are read), with a domain lexicon
layered on top, phrase meanings ("fed up", "not bad", "never listens"), a wider
negation scope, British intensifiers, "but" weighting and sarcasm markers. Complaints said
without a negative word ("talking about me like i wasnt there", "they treat me different")
are phrase meanings too; a promise followed by its not being kept is a let-down; a plea for
help ("HELP ME") is negative and a request for help with something has no feeling.
Skipping TextBlob's per-call object construction also pays for themes and risk.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from xml.etree import ElementTree

from voice_service.analysis import sentiment_lexicon as domain
from voice_service.analysis.text import CLAUSE_BREAKS, Normalised, normalise, squeeze
from voice_service.analysis.vocabulary import TEXTBLOB_DIR

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
LABELS = (POSITIVE, NEUTRAL, NEGATIVE)

# |score| below this is "no clear feeling". One global value, chosen on the
# labelled set as a round number, not per message.
THRESHOLD = 0.1
# How far a rating pulls an otherwise neutral answer to the question it branched to ("what would help?").
SCALE_PULL = 0.3
# VADER was tried on the labelled set, as a fallback lexicon (+0.003 macro-F1:
# noise) and blended with this score (worse at every weight), so it is not used.
_NEGATION_SCOPE = 3
DISTRESS = -0.7
# Grooming is often described warmly ("he buys me stuff"): the young person's
# feeling is not negative, so exploitation alone does not pull sentiment down.
_DISTRESS_CATEGORIES = frozenset({"self_harm", "abuse", "missing", "violence", "unsafe_home"})


def _textblob_polarities() -> dict[str, float]:
    """TextBlob's averaged word polarities, read straight from its en-sentiment.xml.

    The same numbers `textblob.en.sentiment` computes (each word's senses averaged per
    part of speech, then across them, and "-ly" adverbs taking their adjective's score),
    without importing textblob, which imports all of NLTK (over a second at start-up).
    """
    words: dict[str, dict[str | None, list[list[float]]]] = {}
    for element in ElementTree.parse(TEXTBLOB_DIR / "en-sentiment.xml").getroot().iter("word"):
        form = element.get("form")
        if form:
            words.setdefault(form, {}).setdefault(element.get("pos"), []).append(
                [float(element.get("polarity", 0.0)), 0.0]
            )
    averaged: dict[str, dict[str | None, float]] = {}
    for form, senses in words.items():
        by_pos: dict[str | None, float] = {pos: sum(v[0] for v in psi) / len(psi) for pos, psi in senses.items()}
        by_pos[None] = sum(by_pos.values()) / len(by_pos)
        averaged[form] = by_pos
    for form, by_pos in list(averaged.items()):
        if "JJ" in by_pos:
            stem = form[:-1] + "i" if form.endswith("y") else form
            stem = stem[:-2] if stem.endswith("le") else stem
            adverb = averaged.setdefault(stem + "ly", {})
            adverb["RB"] = adverb[None] = by_pos["JJ"]
    return {form.replace("'", ""): by_pos[None] for form, by_pos in averaged.items() if by_pos[None]}


@lru_cache(maxsize=1)
def word_polarities() -> dict[str, float]:
    """Return the merged word lexicon: TextBlob's polarities with the domain lexicon on top."""
    merged = _textblob_polarities()
    merged.update(domain.WORDS)
    merged.update(domain.EMOJI)
    return {w: v for w, v in merged.items() if v}


def _negate(value: float) -> float:
    # "not good" is clearly bad; "not bad" is only mildly good.
    return -0.75 * value if value > 0 else -0.5 * value


# Sarcastic phrases as one search over the words (each phrase a whole-word run), tried only
# when the message has a word one of them starts with.
_SARCASM_RE = re.compile(" (?:" + "|".join(re.escape(" ".join(p)) for p in domain.SARCASM_PHRASES) + ") ")
_SARCASM_STARTS = frozenset(" ".join(p).split(" ")[0] for p in domain.SARCASM_PHRASES)
# Phrase look-ups per first word: the lengths of the phrases it starts, longest first.
_PHRASE_SIZES: dict[str, tuple[int, ...]] = {}
for _phrase in domain.PHRASES:
    _PHRASE_SIZES[_phrase[0]] = tuple(sorted({*_PHRASE_SIZES.get(_phrase[0], ()), len(_phrase)}, reverse=True))
_PHRASE_SIZES = {word: tuple(n for n in sizes if 2 <= n <= 6) for word, sizes in _PHRASE_SIZES.items()}
# Tokens raw_score() reads as more than a word with a polarity.
_SPECIAL = frozenset(
    CLAUSE_BREAKS
    | _PHRASE_SIZES.keys()
    | domain.CONTRAST
    | domain.NEGATORS
    | domain.INTENSIFIERS.keys()
    | {_HELP := "help"}
)
_PROMISE_SIZES = tuple(sorted({len(p) for p in domain.PROMISES}, reverse=True))
_PROMISE_STARTS = frozenset(p[0] for p in domain.PROMISES)
_PROMISES = frozenset(domain.PROMISES)


def _has_sarcasm(tokens: tuple[str, ...]) -> bool:
    """True when the message carries an eye-roll or a stock sarcastic phrase."""
    if not domain.SARCASM_TOKENS.isdisjoint(tokens):
        return True
    if _SARCASM_STARTS.isdisjoint(tokens):
        return False
    return _SARCASM_RE.search(" " + " ".join(tokens) + " ") is not None


# word -> its polarity in word_polarities() (None: no feeling), squeezed spellings included.
_POLARITY: dict[str, float | None] = {}
_POLARITY_CACHE_SIZE = 65536
_NOT_SEEN = float("nan")  # compared by identity: never a polarity


def _polarity(tok: str, lex: dict[str, float]) -> float | None:
    """A word's polarity, or that of the word with repeated letters squeezed ("gooood"), or None."""
    found = lex.get(tok)
    if found is None and len(tok) > 3:
        found = lex.get(squeeze(tok))
    if len(_POLARITY) >= _POLARITY_CACHE_SIZE:
        _POLARITY.clear()
    _POLARITY[tok] = found
    return found


def _help_call(tokens: tuple[str, ...], i: int) -> tuple[float | None, int]:
    """Read the "help" at tokens[i]: (its value, how many tokens it takes).

    A call for help ("help me", "please help", "i need help", "can you help") is never praise:
    a plea (nothing says what for) is negative, a request ("help me fill in the form") has no
    feeling. Any other "help" ("they help me loads") is None: the word's own polarity.
    """
    before = tokens[i - 1] if i else ""
    call = (
        not i
        or before in CLAUSE_BREAKS
        or before in domain.HELP_CALL_LEADS
        or (before == "you" and i > 1 and tokens[i - 2] in domain.HELP_CALL_ASKERS)
        or (before in ("some", "more") and i > 1 and tokens[i - 2] in domain.HELP_CALL_LEADS)
    )
    if not call:
        return None, 1
    j = i + 1
    if j < len(tokens) and tokens[j] in domain.HELP_CALL_OBJECTS:
        j += 1
    while j < len(tokens) and tokens[j] in domain.HELP_CALL_TAIL:
        j += 1
    if j == len(tokens) or tokens[j] in CLAUSE_BREAKS or tokens[j] in domain.PLEA_STARTS:
        return domain.PLEA, j - i
    return 0.0, 1


def _broken_promise(tokens: tuple[str, ...]) -> bool:
    """True when a promise ("they promised", "said theyd") is followed by its not being kept ("never"),
    or when they are "still" waiting for it ("still waiting for the help they promised")."""
    if _PROMISE_STARTS.isdisjoint(tokens):
        return False
    for i, tok in enumerate(tokens):
        if tok in _PROMISE_STARTS:
            for size in _PROMISE_SIZES:
                if tokens[i : i + size] in _PROMISES:
                    after = tokens[i + size :]
                    if domain.PROMISE_CONDITION in after:
                        after = after[: after.index(domain.PROMISE_CONDITION)]
                    return "still" in tokens[:i] or not domain.UNKEPT.isdisjoint(after)
    return False


def raw_score(tokens: tuple[str, ...], *, distress: bool = False) -> float:
    """Score normalised tokens in [-1, 1] before any scale hint; distress adds a disclosure's weight."""
    lex = word_polarities()
    phrases = domain.PHRASES
    phrase_sizes = _PHRASE_SIZES
    breaks, contrast, negators, intensifiers = CLAUSE_BREAKS, domain.CONTRAST, domain.NEGATORS, domain.INTENSIFIERS
    polarity = _POLARITY.get
    items: list[list[float]] = []  # [value, weight]
    contrasts = 0
    halved_at: list[int] = []  # how many items there were at each contrast
    negated = 0
    mult = 1.0
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok in _SPECIAL:  # most words are none of these: one look-up says so
            if tok in breaks:
                negated, mult = 0, 1.0
                i += 1
                continue
            if tok == _HELP and not negated:
                call, size = _help_call(tokens, i)
                if call is not None:
                    if call:
                        items.append([call, 1.0])
                    mult = 1.0
                    i += size
                    continue
            phrase_value = None
            sizes = phrase_sizes.get(tok)
            if sizes is not None:
                for size in sizes:
                    if i + size <= n:
                        phrase_value = phrases.get(tokens[i : i + size])
                        if phrase_value is not None:
                            break
            if phrase_value is not None:
                value = phrase_value
                if negated and tok not in negators:
                    value = _negate(value)
                items.append([max(-1.0, min(1.0, value * mult)), 1.0])
                negated, mult = 0, 1.0
                i += size
                continue
            if tok in contrast:
                # Each contrast halves the weight of everything before it: counted here and applied once
                # at the end (halving at each contrast was quadratic on a long message of many "but"s).
                contrasts += 1
                halved_at.append(len(items))
                negated, mult = 0, 1.0
                i += 1
                continue
            if tok in negators:
                negated = _NEGATION_SCOPE
                i += 1
                continue
            if tok in intensifiers and i + 1 < n:
                mult *= intensifiers[tok]
                i += 1
                continue
        found = polarity(tok, _NOT_SEEN)
        if found is _NOT_SEEN:
            found = _polarity(tok, lex)
        if found is None:
            if negated and tok not in domain.NEGATION_TRANSPARENT:
                negated -= 1
            if len(tok) > 2:
                mult = 1.0
        else:
            value = found
            if negated:
                value = _negate(value)
                negated = 0
            items.append([max(-1.0, min(1.0, value * mult)), 1.0])
            mult = 1.0
        i += 1
    if contrasts:
        # An item is halved once for each contrast after it: 2 ** -k, exactly as k halvings give.
        k, at = contrasts, 0
        for index, item in enumerate(items):
            while at < len(halved_at) and halved_at[at] <= index:
                at += 1
                k -= 1
            item[1] = math.ldexp(1.0, -k)
    if _broken_promise(tokens):
        items.append([domain.BROKEN_PROMISE, 1.0])
    if _has_sarcasm(tokens):
        for item in items:
            if item[0] > 0:
                item[0] *= -0.6
        items.append([-0.4, 1.0])
    if distress:
        # Telling us you are being hurt, or have nowhere to sleep, is a negative
        # message however calmly it is worded. (Risk never comes from sentiment;
        # this is the other direction.)
        items.append([DISTRESS, 1.0])
    if not items:
        return 0.0
    total = sum(w for _, w in items)
    return max(-1.0, min(1.0, sum(v * w for v, w in items) / total))


# A request or a wish asks for something to change: it is never praise, however warm its words
# ("more help with cooking would be good", "if the older kids stopped going in my room").
_REQUEST_RE = re.compile(
    r"(?:^|[.!?,] )(?:(?:so|and|but|just|maybe|honestly|um|like) )*if (?!i am honest|i was honest|anything|you ask)"
    r"|\b(?:wish|wishing|wished)\b"
    r"|\bneeds? (?:help|more|some|someone|a|to|them|it)\b"
    r"|\bwould (?:help|be (?:good|nice|better|great|helpful|amazing))\b"
    r"|\b(?:should|shouldnt)\b|\bcould be better\b|\bnot enough\b|\bdoesnt last\b"
    r"|\bmore (?:help|support|money|contact|time|visits|say)\b"
)


def label_for(score: float) -> str:
    """Map a score to positive, neutral or negative."""
    if score >= THRESHOLD:
        return POSITIVE
    if score <= -THRESHOLD:
        return NEGATIVE
    return NEUTRAL


def sentiment_normalised(
    norm: Normalised, *, scale_hint: float | None = None, risk_categories: tuple[str, ...] = ()
) -> tuple[str, float]:
    """Sentiment of already-normalised text, given its risk categories; analyse() normalises once."""
    distress = any(c in _DISTRESS_CATEGORIES for c in risk_categories)
    score = raw_score(norm.tokens, distress=distress)
    # A request is judged before the rating's pull, so that a warm word in it ("help", "good") neither makes
    # it praise nor keeps the low rating from tipping it ("what would help is if my sw rang back" after a 1).
    request = (score > 0 or scale_hint is not None) and _REQUEST_RE.search(norm.joined) is not None
    if request:
        score = min(score, 0.0)
    if scale_hint is not None and abs(score) < THRESHOLD:
        hint = max(-1.0, min(1.0, float(scale_hint)))
        score = max(-1.0, min(1.0, score + SCALE_PULL * hint))
    if request:  # and a high rating does not make it praise either
        score = min(score, 0.0)
    score = round(score, 3)
    return label_for(score), score


def sentiment(text: str, *, scale_hint: float | None = None) -> tuple[str, float]:
    """Return (label, score in [-1, 1]) for a message; scale_hint nudges an otherwise neutral one."""
    from voice_service.analysis.risk import risk_screen, screen_normalised

    norm = normalise(text)
    risk = screen_normalised(norm, risk_screen())
    return sentiment_normalised(norm, scale_hint=scale_hint, risk_categories=risk.categories)

"""A feeling per theme: each theme takes the sentiment of the clause(s) that raised it.

"I love my foster carer but I hate my new school" is one mixed message, but it is
good news about the carer and bad news about the school. The message keeps its one
sentiment (the analyse contract); this module splits it into clauses and scores each
theme on its own clauses, with the same sentiment code (negation, intensifiers,
phrases, sarcasm, requests), so a summary can count a theme's praise and worries.

How a message is cut:

- always at a full stop, "!", "?" or ";", and before a contrast word ("but",
  "although", "though", "except", "however", "yet"), which starts the next clause;
- at "and", a comma, a new subject ("my", "i", "the", ...) or the start of a theme
  phrase only when each side has a theme AND a feeling of its own, so that "I love my
  carer and my school" stays one clause and "my carer is well nice school is rubbish"
  (text speak, no punctuation) becomes two;
- a clause with no theme ("it's horrible", a trailing "tho") joins the clause before it
  (or the one after, at the start), since it says how the writer feels about that.

A theme raised in several clauses is scored on all of them together, in order, so the
usual "but" weighting decides between them. A clause after "except" with no feeling of
its own is the exception to what came before ("everything is good except my social
worker"), so it takes the opposite feeling. A message with fewer than two themes, or all
of them in one clause, gives each theme the message's own sentiment.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from voice_service.analysis import sentiment_lexicon as domain
from voice_service.analysis.sentiment import THRESHOLD, label_for, raw_score, sentiment_normalised
from voice_service.analysis.text import Normalised
from voice_service.analysis.themes import ThemeIndex, theme_spans

# Always the end of a clause.
_HARD_BREAKS = frozenset(".!?;")
# The end of a clause only when both sides carry their own theme and feeling (dropped from both).
_SOFT_BREAKS = frozenset({",", "and"})
# Words that start a new statement in text speak with no punctuation ("... is great my sw is useless").
_SUBJECTS = frozenset({"i", "my", "me", "the", "she", "he", "they", "it", "we", "our", "their", "his", "her", "your"})
# A statement does not end on a link, a little word or an intensifier: "my flat is | lovely" and
# "scared about | leaving care" are one clause each.
_LINKS = frozenset(
    {"is", "are", "was", "were", "am", "be", "been", "being", "feel", "feels", "felt", "get", "gets", "got"}
    | {"a", "an", "the", "my", "your", "his", "her", "our", "their", "it", "this", "that", "these", "those"}
    | {"to", "of", "at", "in", "on", "with", "for", "from", "into", "about", "by", "after", "before", "since"}
    | {"or", "because", "so", "as", "than", "like", "when", "while", "if", "what", "who", "which", "where"}
    | {"seems", "looks", "makes", "made", "have", "has", "had", "do", "does", "did", "going", "can", "will"}
    # A verb wants its object: "is helping | my mental health", "lets | me have friends round".
    | {"help", "helps", "helped", "helping", "let", "lets", "letting", "give", "gives", "gave", "want", "wants"}
    | {"need", "needs", "love", "loves", "hate", "hates", "miss", "misses", "see", "sees", "meet", "tell", "told"}
    | set(domain.INTENSIFIERS)
    | set(domain.NEGATORS)
)
# Each side of a possible cut is judged on at most this many tokens next to the cut: a clause is
# local, and a long web chat message with no punctuation stays linear in its length.
_WINDOW = 40
# "except" makes the next clause the exception to the one before.
_EXCEPT = "except"
# How strongly an "except" clause with no feeling of its own is the opposite of what came before.
_EXCEPT_FLIP = 0.75

Span = tuple[int, int]  # [start, end) over the message's tokens


def theme_sentiments(
    norm: Normalised,
    themes: tuple[str, ...],
    index: ThemeIndex,
    *,
    message: tuple[str, float],
    scale_hint: float | None = None,
    risk_categories: tuple[str, ...] = (),
) -> dict[str, str]:
    """Each of `themes` (the message's) mapped to its feeling; `message` is the message's (label, score)."""
    label = message[0]
    if len(themes) < 2:
        return dict.fromkeys(themes, label)
    tokens = norm.tokens
    spans = theme_spans(norm, index)
    groups = _groups(tokens, spans)
    if len(groups) < 2:
        return dict.fromkeys(themes, label)
    raised = _group_themes(groups, spans, len(tokens))
    out: dict[str, str] = {}
    for theme in themes:
        chosen = [g for g, found in zip(groups, raised) if theme in found]
        if not chosen or len(chosen) == len(groups):
            out[theme] = label  # raised across a cut, or everywhere: the message's feeling is its feeling
            continue
        parts = [part for group in chosen for part in group]
        picked = tuple(tok for start, end in parts for tok in tokens[start:end])
        # A disclosure weighs on every theme except one its own clauses are clearly glad about
        # ("I don't feel safe on the bus though college is great": college stays good news).
        glad = risk_categories and raw_score(picked) >= THRESHOLD
        theme_label, score = sentiment_normalised(
            Normalised(picked, " ".join(picked)),
            scale_hint=scale_hint,
            risk_categories=() if glad else risk_categories,
        )
        first = parts[0][0]
        if tokens[first] == _EXCEPT and abs(score) < THRESHOLD and first > 0:
            # "everything is good except my social worker ...": the exception to what went before.
            before = raw_score(tokens[:first])
            theme_label = label_for(-_EXCEPT_FLIP * before)
        out[theme] = theme_label
    return out


def _group_themes(groups: list[list[Span]], spans, size: int) -> list[set[str]]:
    """The themes each group raised: one pass over the theme phrases (a phrase is in the group that holds
    its first and last words)."""
    owner = [-1] * size
    for number, group in enumerate(groups):
        for start, end in group:
            owner[start:end] = [number] * (end - start)
    raised: list[set[str]] = [set() for _ in groups]
    for t_start, t_end, ids in spans:
        number = owner[t_start]
        if number >= 0 and owner[t_end - 1] == number:
            raised[number] |= ids
    return raised


def _has_theme(part: Span, spans: list[tuple[int, int, frozenset[str]]]) -> bool:
    """True when a theme phrase lies wholly inside this part (phrases are in order and never overlap, so
    the first one starting in it is the one to look at)."""
    at = bisect_left(spans, part[0], key=lambda span: span[0])
    return at < len(spans) and spans[at][1] <= part[1]


def _groups(tokens: tuple[str, ...], spans: list[tuple[int, int, frozenset[str]]]) -> list[list[Span]]:
    """The message's clauses, each as the parts of the message it is made of (a clause with no theme
    is part of its neighbour's)."""
    clauses: list[Span] = []
    for start, end in _hard_clauses(tokens):
        clauses.extend(_soft_clauses(tokens, start, end, spans))
    groups: list[list[Span]] = []
    pending: list[Span] = []  # theme-less clauses at the start, waiting for the first themed one
    for clause in clauses:
        if _has_theme(clause, spans):
            groups.append([*pending, clause])
            pending = []
        elif groups:
            groups[-1].append(clause)
        else:
            pending.append(clause)
    if pending:
        groups.append(pending)
    return groups


def _hard_clauses(tokens: tuple[str, ...]) -> list[Span]:
    """Cut at sentence ends and before contrast words (which stay, leading their clause)."""
    out: list[Span] = []
    start = 0
    for i, tok in enumerate(tokens):
        if tok in _HARD_BREAKS:
            if i > start:
                out.append((start, i))
            start = i + 1
        elif tok in domain.CONTRAST and i > start:
            out.append((start, i))
            start = i
    if len(tokens) > start:
        out.append((start, len(tokens)))
    return out


def _soft_clauses(tokens: tuple[str, ...], start: int, end: int, spans) -> list[Span]:
    """Cut one clause further where each side has a theme and a feeling of its own, earliest first."""
    # The theme phrases starting inside the clause, found by bisection (spans are in order): a set built
    # from every span, once a clause, was quadratic on a long message.
    first = bisect_right(spans, start, key=lambda span: span[0])
    starts = {span[0] for span in spans[first : bisect_left(spans, end, key=lambda span: span[0])]}
    out: list[Span] = []
    cur = start
    for j in range(start + 1, end):
        tok = tokens[j]
        soft = tok in _SOFT_BREAKS
        if not (soft or tok in _SUBJECTS or j in starts) or j <= cur:
            continue
        if not soft and tokens[j - 1] in _LINKS:
            continue
        after = j + 1 if soft else j
        left, right = (max(cur, j - _WINDOW), j), (after, min(end, after + _WINDOW))
        if _stands_alone(tokens, left, spans) and _stands_alone(tokens, right, spans):
            out.append((cur, j))
            cur = after
    if end > cur:
        out.append((cur, end))
    return out


def _stands_alone(tokens: tuple[str, ...], part: Span, spans) -> bool:
    """True when this part of a message raises a theme and carries a clear feeling."""
    return _has_theme(part, spans) and abs(raw_score(tokens[part[0] : part[1]])) >= THRESHOLD

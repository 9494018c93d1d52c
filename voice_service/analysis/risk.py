"""The safeguarding screen: the first thing run on every inbound free text.

Two opinions, either of which raises an alert:

- the lexicon (conversations/risk.toml): explainable patterns, the floor. A match is
  a high-priority alert, reported with its category and the matched phrase;
- a learned model (model.py, trained by train.py): word and character n-grams, which
  catches wording nobody wrote a pattern for. When it alone is confident the alert is
  high priority; at middling confidence it is still an alert, at low priority.

Recall comes first. Sentiment never enters into it, and the only way a matched
disclosure is set aside is the narrow "historical and clearly over" rule.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]

from voice_service.analysis.lexicon import RISK_CATEGORIES, LexiconError, conversations_dir, load_risk
from voice_service.analysis.model import RiskModel, risk_model
from voice_service.analysis.text import SPELLINGS, Normalised, lexicon_words, normalise
from voice_service.analysis.vocabulary import TEXTBLOB_DIR, known_words

# Clauses are where "before I came into care" can make a disclosure historical;
# "but" and "and now" start a new clause because they so often bring the present back.
# (The words after one space: one try at each space, not six.)
_CLAUSE_RE = re.compile(r"[.!?;,]| (?:but|although|though|however|and now|now) ")
# A time said once ("years ago", "when i was little") covers what follows it, across commas and
# sentences, until the present comes back ("but", "now", "these days").
_PRESENT_BACK_RE = re.compile(r" but | although | though | however | now | these days | nowadays ")
# A contrast after a saying that it is over takes it back ("he went to prison but he is out now").
_CONTRAST_RE = re.compile(r" but | although | though | however | until ")
# Matched words that put the harm in the present ("hits me", "touches my"): never historical.
_PRESENT_RE = re.compile(
    r"(?:^| )(?!(?:was|always|this|his|less|unless|yes|us) )(?:am|is|are|[a-z]+s) (?:me|us|my)(?: |$)"
)
# Words that make a matched phrase a negation of its own ("dont want to live" is a disclosure).
_NEGATORS = frozenset(
    "not never nver dont doesnt didnt isnt arent wasnt werent wont wouldnt cant couldnt havent hasnt no nobody noone"
    " nothing aint".split()
)
_MACRO_RE = re.compile(r"\{([a-z_0-9]+)\}")
# Patterns are indexed by the first letters of the words they need,
# so a message only runs the few patterns its own words could match.
_MAX_PREFIXES = 400
_MAX_NEEDED = 3
# Keys of words in nearly every message: checked last, if at all.
_COMMON_KEYS = frozenset(
    {
        "=i",
        "=a",
        "=me",
        "=my",
        "=he",
        "=to",
        "=am",
        "=is",
        "=be",
        "=do",
        "=it",
        "=so",
        "=in",
        "=on",
        "=at",
        "=of",
        "=an",
        "=no",
        "the",
        "you",
        "and",
        "was",
        "wer",
        "are",
        "bee",
        "hav",
        "not",
        "don",
        "can",
        "wil",
        "goi",
        "gon",
        "wan",
        "thi",
        "tha",
        "her",
        "him",
        "som",
        "she",
        "get",
        "got",
        "kee",
        "wit",
        "for",
        "all",
        "jus",
        "abo",
        "rea",
        "lik",
        "wha",
    }
)


HIGH, LOW = "high", "low"

# A hit: (category, start in the message, matched words, who it is about or "" for the writer).
Hit = tuple[str, int, str, str]


@dataclass(frozen=True, slots=True)
class RiskResult:
    """Outcome of screening one message.

    risk        whether to alert
    categories  which risk categories (ids from themes.md)
    matched     the lexicon's matched wording (empty when only the model fired)
    priority    "high" (the lexicon fired, or the model is confident), "low" (only the
                model, at middling confidence: still an alert), "" when no risk
    reasons     which opinion fired and why, e.g. "lexicon: self_harm (want to die)",
                "model: 0.63"; never more of the message than a matched phrase
    score       the model's probability of any risk (0 when the model was not run)
    """

    risk: bool
    categories: tuple[str, ...]
    matched: tuple[str, ...]
    priority: str = ""
    reasons: tuple[str, ...] = ()
    score: float = 0.0


NO_RISK = RiskResult(False, (), ())


@dataclass(frozen=True, eq=False)
class PatternSet:
    """Word-bounded patterns with an index of the words each cannot match without.

    A pattern needs some words (each one of several): "gonna (kill|stab) (him|her)" needs a
    word keyed gon and one keyed kil or sta and one keyed him or her (keys: a word's first
    three letters, or "=" and a short word). Only patterns whose every needed word is in the
    message are run. The index is one bit set per key: bit `slot * len(patterns) + i` says the
    key meets pattern i's needed word number `slot` (and `free` has the bit when pattern i
    needs no word in that slot), so a message ORs its keys' sets and ANDs the slots.

    Where a pattern can begin is keyed too (`starts`: "gonna (kill|stab)" begins only at a word keyed
    gon): on a long message such a pattern is tried only at the words it can begin with (`finditer`),
    not at every word, so its time grows with how often those words come, not with the message.
    """

    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (label, compiled)
    by_prefix: dict[str, tuple[int, ...]]  # key -> patterns that need a word with it, whatever the slot
    always: tuple[int, ...]  # patterns that need no word we can key
    masks: dict[str, int] = field(default_factory=dict)
    free: int = 0
    slots: int = 0
    # Per pattern, the keys of the words it can begin with, or None when that cannot be said (it begins
    # with a gap, a symbol or a short open prefix): then it is searched for everywhere.
    starts: tuple[frozenset[str] | None, ...] = ()

    def candidate_ids(self, prefixes: set[str]) -> list[int]:
        """The numbers of the patterns worth running on a message whose words have these prefixes, in
        lexicon order (see `candidates`)."""
        if not self.slots:
            ids = set(self.always)
            for prefix in prefixes:
                ids.update(self.by_prefix.get(prefix, ()))
            return sorted(ids)
        found = self.free
        get = self.masks.get
        for prefix in prefixes:
            bits = get(prefix)
            if bits:
                found |= bits
        width = len(self.patterns)
        meets = found & ((1 << width) - 1)
        for slot in range(1, self.slots):
            meets &= found >> (slot * width)
        out = []
        while meets:
            low = meets & -meets
            out.append(low.bit_length() - 1)
            meets ^= low
        return out

    def finditer(self, i: int, padded: str, at: WordStarts) -> Iterator[re.Match[str]]:
        """Pattern i's matches in the padded text, as its regex's finditer gives them.

        When the pattern can only begin at words with some keys and the text has few enough of them, it is
        tried only there (`at`: where each key's words begin): the same matches, without trying every word
        of a long message.
        """
        regex = self.patterns[i][1]
        keys = self.starts[i] if self.starts else None
        if keys is None:
            return regex.finditer(padded)
        positions = at.positions(keys)
        if sum(map(len, positions)) * _TRIES_PER_SCAN > at.words:
            return regex.finditer(padded)
        return _tried_at(regex, padded, positions)

    def candidates(self, prefixes: set[str]) -> list[tuple[str, re.Pattern[str]]]:
        """The patterns worth running on a message whose words have these prefixes, in lexicon order."""
        patterns = self.patterns
        return [patterns[i] for i in self.candidate_ids(prefixes)]


# A pattern is tried word by word (PatternSet.finditer) only when the words it can begin with are fewer
# than one in this many: a regex scan of the text is cheaper per word than a try from Python. (Two, not four:
# on 1,600 characters a pattern that begins with "i", "he", "my" or "get", as exploitation's acts do, is tried
# at a third of the words in less than half the time a scan takes.)
_TRIES_PER_SCAN = 2


class WordStarts:
    """Where each word of a text begins in it with a space in front (" " + text), by the word's key
    (`word_prefixes`): the places a pattern keyed by the words it begins with can begin."""

    __slots__ = ("by_key", "keys", "words")

    # Shorter texts are scanned whole by every pattern: quicker than indexing their few words.
    MIN_WORDS = 40

    @classmethod
    def of(cls, text: str) -> WordStarts | None:
        """The text's word starts, or None for a text too short to be worth them."""
        return cls(text) if text.count(" ") + 1 >= cls.MIN_WORDS else None

    def __init__(self, text: str) -> None:
        by_key: dict[str, list[int]] = {}
        at = 0
        for word in text.split(" "):
            key = word[:3] if len(word) >= 3 else "=" + word
            found = by_key.get(key)
            if found is None:
                by_key[key] = [at]
            else:
                found.append(at)
            at += len(word) + 1
        # A word is keyed by its leading letters and digits too ("i" in a word "i'd"), so a pattern keyed
        # "=i" is tried there, as a scan would try it.
        mixed = set()
        for lead in _MIXED_RE.finditer(text):
            alnum = lead.group(1)
            key = alnum[:3] if len(alnum) >= 3 else "=" + alnum
            by_key.setdefault(key, []).append(lead.start(1))
            mixed.add(key)
        for key in mixed:
            by_key[key] = sorted(set(by_key[key]))
        self.by_key = by_key
        self.keys = frozenset(by_key)
        self.words = text.count(" ") + 1

    def positions(self, keys: frozenset[str]) -> list[list[int]]:
        """Where words with any of these keys begin: a list in order for each key the text has (a word keyed
        twice, "i'd" by "i'd" and "=i", is in two of them)."""
        by_key = self.by_key
        return [by_key[key] for key in keys & self.keys]  # iterates the smaller of the two


# A word's leading letters and digits, when something else follows them in the word: "i" in "i'd".
_MIXED_RE = re.compile(r"(?:^|(?<= ))([a-z0-9]+)[^a-z0-9 ]")


def _tried_at(regex: re.Pattern[str], padded: str, positions: list[list[int]]) -> Iterator[re.Match[str]]:
    """The regex's matches tried at these positions only, as finditer gives them: left to right, each after the
    last one's end.

    A try's match does not depend on the tries before it, so every position is tried, in any order, and the
    matches are then taken left to right: cheaper than merging the lists of positions first, as a match is rare.
    """
    match = regex.match
    found = [hit for at in chain.from_iterable(positions) if (hit := match(padded, at)) is not None]
    found.sort(key=re.Match.start)
    end = 0
    for hit in found:
        if hit.start() >= end:  # never empty (a match begins with its space): a word keyed twice is taken once
            yield hit
            end = hit.end()


@dataclass(frozen=True, eq=False)
class Register:
    """A kind of writing about the world rather than the writer's life ([work]: a review or a plot;
    [news]: a report on public life). In a message this long that has one of its words, a match in
    a clause naming nobody in the writer's life is set aside, with the reason "<reason>: <words>"."""

    name: str  # its table in risk.toml, and its gate
    reason: str  # "about a work", "news report"
    pattern: re.Pattern[str]  # a word of the register: "film", "director"; "officials", "senate"
    anchors: re.Pattern[str] | None  # anyone in the writer's life, whose clause keeps its match
    min_words: int
    # Someone else's relative, described ("an abusive father", "her violent husband"): a character's or a
    # stranger's, never an anchor, so it is passed over when the clause's anchors are looked for.
    strangers: re.Pattern[str] | None = None


@dataclass(frozen=True, eq=False)
class RiskScreen:
    """The compiled risk lexicon."""

    strong: PatternSet
    weak: PatternSet
    safe: PatternSet
    past: re.Pattern[str] | None
    resolved: re.Pattern[str] | None
    ongoing: re.Pattern[str] | None
    ongoing_outside_past: re.Pattern[str] | None = None  # current only outside a past stretch: "scared"
    # A saying that looks back over what came before it ("thats all in the past", "that was years ago"):
    # everything before it is past, as everything after a time said once is ([past] looking_back).
    past_back: re.Pattern[str] | None = None
    negated: re.Pattern[str] | None = None  # a negation ending just before a match: "he doesnt | hit me"
    wished: re.Pattern[str] | None = None  # ...that is no denial, inside a wish: "i wish he | didnt hit me"
    wished_unless: re.Pattern[str] | None = None  # ...unless what is wished is a thought: "i wish they didnt think"
    topic: re.Pattern[str] | None = None  # a clause about a lesson, film, book...: "essay on | gun crime"
    # A clause that is only what the clause before it was about ("i watched top boy, | about county lines"): it
    # begins with one of these ([topic] following) and names nobody close ([topic] following_unless), and the clause
    # before is a topic or names a work or a lesson ([topic] works: "a film", "an assembly").
    topic_following: re.Pattern[str] | None = None
    topic_following_unless: re.Pattern[str] | None = None
    topic_works: re.Pattern[str] | None = None
    others: re.Pattern[str] | None = None  # someone else a young person speaks for: "my little brother"
    # A question about what is normal or allowed ("is it normal for your carer to", "is it ok if"), whose
    # "you" is the writer: read again in the first person ([question]).
    question: re.Pattern[str] | None = None
    play: re.Pattern[str] | None = None  # sport or play: "we were play fighting", "in the boxing ring"
    play_unless: re.Pattern[str] | None = None  # ...unless an adult or real harm is named: "my coach", "hospital"
    topic_word: re.Pattern[str] | None = None  # a match that is only a topic word: "threat", "abuse"
    anchors: re.Pattern[str] | None = None  # anyone or anywhere a disclosure is about: "me", "my mum", "school"
    people: re.Pattern[str] | None = None  # ...the anyone of them, without the places: "me", "my mum"
    impersonal_min: int = 0  # messages this long naming nobody set their topic-word matches aside
    # Messages this long naming nobody at all (not even he or she; no text speak) set every match aside.
    impersonal_all_min: int = 0
    persons: re.Pattern[str] | None = None  # ...anyone at all, or the writer's text speak: "he", "girls", "lol"
    # A message naming nobody in anyone's life (no anchor) keeps its lexicon match only when the model
    # gives it at least this much ([impersonal] model_floor; 0: always keeps it).
    nobody_floor: float = 0.0
    laugh: re.Pattern[str] | None = None  # a laugh: "lol", "haha", "😂"
    joke: re.Pattern[str] | None = None  # a violence match a laugh can make hyperbole: "kill", "murder"
    joke_unless: re.Pattern[str] | None = None  # ...unless a weapon, real harm or a reported threat is named
    # A small misdeed of the writer's given as the threat's reason ("when she sees my room"), read like a laugh.
    petty: re.Pattern[str] | None = None
    # A lapse in what a home provides ("no food", "locked out", "power went off") ...
    mishap_words: re.Pattern[str] | None = None
    # ...away from home, brief, mended or a machine's ("at the party", "for ten minutes", "got fixed") ...
    mishap: re.Pattern[str] | None = None
    mishap_unless: re.Pattern[str] | None = None  # ...unless it lasts, recurs or someone does it ("locked me out")
    # Writing about the world, not the writer's life: a review of a work, a news report ([work], [news]).
    registers: tuple[Register, ...] = ()
    words: frozenset[str] = frozenset()  # the lexicon's own words, never taken for typos
    typos: dict[str, str] = field(default_factory=dict)  # a lexicon word less one inside letter -> the word
    english: frozenset[str] = frozenset()  # real words, never read as typos
    # Per optional pattern above ("topic", "past", ...): keys one of which a message's words
    # must have for it to match anywhere (see _gate); a pattern without an entry always runs.
    gates: dict[str, frozenset[str]] = field(default_factory=dict)
    # The writer asking us to keep a confidence ("please dont tell anyone"): one more signal beside
    # a weak one, but never a category of its own.
    confide: PatternSet | None = None
    known: frozenset[str] = field(init=False, repr=False)  # words | english: words never repaired

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", self.words | self.english)

    def in_registers(self, text: str, prefixes: set[str]) -> tuple[Register, ...]:
        """The registers ([work], [news]) a message (its words' prefixes given) is long enough for and has a word of."""
        words = text.count(" ") + 1
        return tuple(
            r
            for r in self.registers
            if words >= r.min_words
            and not self.gates.get(r.name, prefixes).isdisjoint(prefixes)
            and r.pattern.search(text) is not None
        )

    def gated(self, name: str, prefixes: set[str]) -> re.Pattern[str] | None:
        """The named optional pattern, or None when it is unset or the message (its words' prefixes
        given) has none of the words it needs, so it cannot match."""
        pattern: re.Pattern[str] | None = getattr(self, name)
        gate = self.gates.get(name)
        if gate is not None and gate.isdisjoint(prefixes):
            return None
        return pattern


def _leading(items, states: set[tuple[str, int]]) -> set[tuple[str, int]] | None:
    """Possible literal starts of parsed regex items.

    Each state is (text so far, how it ended): 0 still open, 1 a whole word
    (a space followed), 2 only a prefix (something non-literal followed).
    """
    for op, av in items:
        if all(end for _, end in states):
            return states
        done = {st for st in states if st[1]}
        todo = {st for st in states if not st[1]}
        name = str(op)
        step: set[tuple[str, int]] | None
        if name == "LITERAL":
            ch = chr(av)
            step = {(s, 1) if ch == " " else (s + ch, 0) for s, _ in todo}
        elif name == "SUBPATTERN":
            step = _leading(av[-1], todo)
        elif name == "BRANCH":
            step = set()
            for alt in av[1]:
                sub = _leading(alt, todo)
                if sub is None:
                    return None
                step |= sub
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, body = av
            once = _leading(body, todo)
            if once is None:
                return None
            # After one repetition we stop: what came so far is still a true prefix.
            step = {(s, end or 2) for s, end in once}
            if low == 0:
                step |= todo
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            step = todo  # zero-width
        else:
            step = {(s, 2) for s, _ in todo}
        if step is None or len(step) > _MAX_PREFIXES:
            return None
        states = done | step
    return states


def _keys(states: set[tuple[str, int]] | None, whole: bool = False) -> set[str] | None:
    """Index keys for a set of word starts, or None if they cannot narrow anything.

    whole: a start that is a whole word (a space or the pattern's end follows it) is keyed as that word
    ("=kill"), not by its first three letters: "killer" and "kills" then do not run a pattern that needs
    "kill" itself (`word_prefixes` gives each word both keys).
    """
    if not states:
        return None
    keys = set()
    for text, end in states:
        if not text or not text.isalnum():
            return None
        if whole and end in (0, 1):
            keys.add("=" + text)
        elif len(text) >= 3:
            keys.add(text[:3])
        elif end in (0, 1):
            keys.add("=" + text)  # the whole short word, e.g. "=od"
        else:
            return None  # a short open prefix could start too many words
    return keys


def _cost(keys: Collection[str]) -> float:
    return 10 * sum(k in _COMMON_KEYS for k in keys) + len(keys) / 10


def _ends_a_word(item) -> bool:
    """True when a parsed item always ends where a word starts: a space, or the start of the text,
    in every alternative ("(?:^|[.!?] )")."""
    op, av = item
    name = str(op)
    if name == "LITERAL":
        return av == 32
    if name == "AT":
        return str(av) == "AT_BEGINNING"
    if name == "SUBPATTERN":
        body = list(av[-1])
        return bool(body) and _ends_a_word(body[-1])
    if name == "BRANCH":
        return all(alt and _ends_a_word(list(alt)[-1]) for alt in av[1])
    return False


def _needed_words(body: str) -> list[set[str]]:
    """For each word the pattern cannot match without, the keys one of which that word has.

    A word is needed where the pattern starts, or follows a space (or a start of text) that
    is not optional; what may start it is read from the parsed pattern, so "gonna (kill|stab)
    me" needs {gon}, {kil, sta} and {=me}. Empty when no word can be keyed: always run it.
    """
    return [keys for keys, _whole in _needed_word_keys(body)]


def _needed_word_keys(body: str) -> list[tuple[set[str], set[str]]]:
    """`_needed_words`, each word with its keys twice: by first letters ("kil"), and with a whole word
    keyed as itself ("=kill"; `_keys`), which narrows as much or more."""
    try:
        parsed = list(sre_parse.parse(body))
    except Exception:  # an unusual construct: just always run the pattern
        return []
    needed: list[tuple[set[str], set[str]]] = []
    for i in range(len(parsed)):
        if i and not _ends_a_word(parsed[i - 1]):
            continue
        states = _leading(parsed[i:], {("", 0)})
        keys = _keys(states)
        if keys is not None and all(keys != known for known, _ in needed):
            needed.append((keys, _keys(states, whole=True) or keys))
    return needed


_ASCII_WORD_RE = re.compile(r"[a-z0-9]+")


def _start_keys(body: str) -> frozenset[str] | None:
    """Keys of the words a pattern can begin with ("gonna (kill|stab)": {gon}; "(?:a |the )?knife": {=a,
    the, kni}), or None when that cannot be said: then it must be looked for at every word."""
    try:
        parsed = list(sre_parse.parse(body))
    except Exception:
        return None
    states = _leading(parsed, {("", 0)})
    if states is None:
        return None
    words = set()
    for text, end in states:
        letters = _ASCII_WORD_RE.match(text)
        if letters is None:
            return None
        # A word that begins with letters and then a mark ("olders," in "olders,? ... run for") is keyed by its
        # leading letters, as `WordStarts` keys "i" in "i'd".
        words.add((text, end) if letters.end() == len(text) else (letters.group(), 1))
    keys = _keys(words)
    return None if keys is None else frozenset(keys)


def _gate(bodies: list[str]) -> frozenset[str] | None:
    """Keys one of which a message's words must have for any of these patterns to match,
    or None when one of them needs no word that can be keyed (so it must always run)."""
    keys: set[str] = set()
    for body in bodies:
        needed = _needed_words(body)
        if not needed:
            return None
        keys |= min(needed, key=_cost)
    return frozenset(keys)


def word_prefixes(tokens: tuple[str, ...]) -> set[str]:
    """Index keys present in a message: each word's first three letters, and "=" + the word itself."""
    return {key for tok in tokens for key in (("=" + tok, tok[:3]) if len(tok) >= 3 else ("=" + tok,))}


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    """Substitute {macro}s, failing loudly on an unknown name."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise LexiconError(f"risk.toml: {where}: unknown macro {{{name}}}")
        return macros[name]

    return _MACRO_RE.sub(sub, pattern)


def _bounded(body: str) -> str:
    return r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])"


def _word_pattern(body: str) -> re.Pattern[str]:
    """A pattern run on the message with a space in front (_padded): starting on a literal space lets
    the regex engine skip straight from word to word, about twice as fast as a look-behind."""
    return re.compile(" (?:" + body.replace("(?:^|", "(?:(?<=^ )|") + r")(?![a-z0-9])")


def _checked(pattern: str, macros: dict[str, str], where: str) -> str:
    """Expand one pattern and make sure it compiles, naming it if not."""
    body = _expand(pattern, macros, where)
    try:
        re.compile(body)
    except re.error as exc:
        raise LexiconError(f"risk.toml: {where}: bad pattern {pattern!r}: {exc}") from exc
    return body


def _compile(patterns: list[str], macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    """Join patterns into one word-bounded alternation (for the rarely-run history checks)."""
    if not patterns:
        return None
    return re.compile(_bounded("|".join(_checked(p, macros, where) for p in patterns)))


def _pattern_set(labelled: list[tuple[str, str, str]], macros: dict[str, str]) -> PatternSet:
    """Compile (label, pattern, where) triples separately and index them by first-word prefix."""
    compiled: list[tuple[str, re.Pattern[str]]] = []
    needs: list[list[set[str]]] = []
    starts: list[frozenset[str] | None] = []
    for label, pattern, where in labelled:
        body = _checked(pattern, macros, where)
        compiled.append((label, _word_pattern(body)))
        starts.append(_start_keys(body))
        # The rarest few needed words (by their first letters) narrow as much as all of them, for less work
        # per message; each is then keyed as a whole word where it is one.
        needs.append([whole for _, whole in sorted(_needed_word_keys(body), key=lambda k: _cost(k[0]))[:_MAX_NEEDED]])
    width = len(compiled)
    slots = max((len(need) for need in needs), default=0)
    by_prefix: dict[str, set[int]] = {}
    masks: dict[str, int] = {}
    free = 0
    for i, need in enumerate(needs):
        for slot in range(slots):
            bit = 1 << (slot * width + i)
            if slot >= len(need):
                free |= bit
                continue
            for key in need[slot]:
                masks[key] = masks.get(key, 0) | bit
                by_prefix.setdefault(key, set()).add(i)
    always = tuple(i for i, need in enumerate(needs) if not need)
    index = {k: tuple(sorted(v)) for k, v in by_prefix.items()}
    return PatternSet(tuple(compiled), index, always, masks, free, slots, tuple(starts))


# The registers of writing about the world, in the order their reasons are given.
_REGISTERS = ("work", "news")


def _register(name: str, table: dict, macros: dict[str, str]) -> Register:
    """Compile one register's table ([work], [news])."""
    where = f"{name}.patterns"
    pattern = re.compile(_bounded("|".join(_checked(p, macros, where) for p in table["patterns"])))
    anchors = _compile(table.get("anchors", []), macros, f"{name}.anchors")
    strangers = _compile(table.get("strangers", []), macros, f"{name}.strangers")
    return Register(name, str(table.get("reason", name)), pattern, anchors, int(table.get("min_words", 0)), strangers)


def _who_with_acts(category: str, table: dict, macros: dict[str, str]) -> list[tuple[str, str, str]]:
    """A category's people-words (`who`: "older lads", "some guys") as strong patterns that need one of its
    `acts` ("make me hold", "owe them") at most `who_near` words before or after them in the same sentence: the
    people alone raise nothing, and the match quotes both and the words between."""
    who, acts = table.get("who", []), table.get("acts", [])
    if not who:
        return []
    where = f"categories.{category}"
    if not acts:
        raise LexiconError(f"risk.toml: {where}: `who` needs `acts` beside it")
    near = int(table.get("who_near", 6))
    for kind, items in (("who", who), ("acts", acts)):
        for item in items:
            _checked(item, macros, f"{where}.{kind}")
    people = "|".join(f"(?:{p})" for p in who)
    act = "|".join(f"(?:{a})" for a in acts)
    between = f",?(?: [^ .!?;]+){{0,{near}}}? "
    return [
        (category, f"(?:{people}){between}(?:{act})", f"{where}.who"),
        (category, f"(?:{act}){between}(?:{people})", f"{where}.who"),
    ]


def build_screen(data: dict) -> RiskScreen:
    """Compile a loaded risk.toml."""
    macros = {k: str(v) for k, v in data.get("macros", {}).items()}
    for name, value in list(macros.items()):
        macros[name] = _expand(value, macros, f"macros.{name}")
    cats = data["categories"]
    strong = _pattern_set(
        [(c, p, f"categories.{c}.patterns") for c in RISK_CATEGORIES for p in cats[c]["patterns"]]
        + [pair for c in RISK_CATEGORIES for pair in _who_with_acts(c, cats[c], macros)],
        macros,
    )
    weak = _pattern_set(
        [(c, p, f"categories.{c}.weak") for c in RISK_CATEGORIES for p in cats[c].get("weak", [])], macros
    )
    safe = _pattern_set([("safe", p, "safe.patterns") for p in data.get("safe", {}).get("patterns", [])], macros)
    confide = _pattern_set(
        [("confide", p, "confide.patterns") for p in data.get("confide", {}).get("patterns", [])], macros
    )
    history = {
        key: _compile(data.get(key, {}).get("patterns", []), macros, f"{key}.patterns")
        for key in ("past", "resolved", "ongoing", "topic")
    }
    # Looked for in every message, so compiled to run on the padded text like the patterns.
    people = data.get("someone_else", {}).get("patterns", [])
    others = _word_pattern("|".join(_checked(p, macros, "someone_else.patterns") for p in people)) if people else None
    play = data.get("play", {})
    topic_table = data.get("topic", {})
    impersonal = data.get("impersonal", {})
    joke = data.get("joke", {})
    mishap = data.get("mishap", {})
    registers = tuple(_register(name, data[name], macros) for name in _REGISTERS if data.get(name, {}).get("patterns"))
    topics = impersonal.get("topics", [])
    words, typos = _typo_index(
        [p.pattern for _, p in (*strong.patterns, *weak.patterns, *safe.patterns, *confide.patterns)], history
    )
    negations = data.get("negation", {}).get("patterns", [])
    negated = None
    if negations:
        body = "|".join(_checked(p, macros, "negation.patterns") for p in negations)
        negated = re.compile(r"(?:^|(?<=[ ,.!?;]))(?:" + body + r") $")
    # Each of these is one alternation of many patterns, each matching only from a word's start.
    optional = {
        "past": data.get("past", {}).get("patterns", []),
        "resolved": data.get("resolved", {}).get("patterns", []),
        "ongoing": data.get("ongoing", {}).get("patterns", []),
        "ongoing_outside_past": data.get("ongoing", {}).get("outside_past", []),
        "past_back": data.get("past", {}).get("looking_back", []),
        "topic": data.get("topic", {}).get("patterns", []),
        "topic_following": topic_table.get("following", []),
        "negated": negations,
        "others": people,
        "question": data.get("question", {}).get("frames", []),
        "play": play.get("patterns", []),
        "play_unless": play.get("unless", []),
        "laugh": joke.get("laughs", []),
        "petty": joke.get("petty", []),
        "mishap": mishap.get("patterns", []),
        **{name: data[name]["patterns"] for name in (r.name for r in registers)},
    }
    gates = {}
    for name, patterns in optional.items():
        gate = _gate([_checked(p, macros, f"{name}.patterns") for p in patterns]) if patterns else None
        if gate is not None:
            gates[name] = gate
    return RiskScreen(
        strong,
        weak,
        safe,
        past=history["past"],
        resolved=history["resolved"],
        ongoing=history["ongoing"],
        ongoing_outside_past=_compile(data.get("ongoing", {}).get("outside_past", []), macros, "ongoing.outside_past"),
        past_back=_compile(data.get("past", {}).get("looking_back", []), macros, "past.looking_back"),
        negated=negated,
        wished=_compile(data.get("negation", {}).get("wishes", []), macros, "negation.wishes"),
        wished_unless=_compile(data.get("negation", {}).get("wishes_unless", []), macros, "negation.wishes_unless"),
        topic=history["topic"],
        topic_following=_compile(topic_table.get("following", []), macros, "topic.following"),
        topic_following_unless=_compile(topic_table.get("following_unless", []), macros, "topic.following_unless"),
        topic_works=_compile(topic_table.get("works", []), macros, "topic.works"),
        others=others,
        question=_compile(data.get("question", {}).get("frames", []), macros, "question.frames"),
        play=_compile(play.get("patterns", []), macros, "play.patterns"),
        play_unless=_compile(play.get("unless", []), macros, "play.unless"),
        topic_word=re.compile("|".join(_checked(p, macros, "impersonal.topics") for p in topics)) if topics else None,
        anchors=_compile(impersonal.get("anchors", []) + impersonal.get("places", []), macros, "impersonal.anchors"),
        people=_compile(impersonal.get("anchors", []), macros, "impersonal.anchors"),
        impersonal_min=int(impersonal.get("min_words", 0)),
        impersonal_all_min=int(impersonal.get("all_min_words", 0)),
        persons=_compile(impersonal.get("persons", []), macros, "impersonal.persons"),
        nobody_floor=float(impersonal.get("model_floor", 0.0)),
        laugh=_compile(joke.get("laughs", []), macros, "joke.laughs"),
        joke=_compile(joke.get("threats", []), macros, "joke.threats"),
        joke_unless=_compile(joke.get("unless", []), macros, "joke.unless"),
        petty=_compile(joke.get("petty", []), macros, "joke.petty"),
        mishap_words=_compile(mishap.get("words", []), macros, "mishap.words"),
        mishap=_compile(mishap.get("patterns", []), macros, "mishap.patterns"),
        mishap_unless=_compile(mishap.get("unless", []), macros, "mishap.unless"),
        registers=registers,
        words=words,
        typos=typos,
        english=_english_words(),
        gates=gates,
        confide=confide if confide.patterns else None,
    )


# Typed in a hurry: "knnife", "scaerd", "alve". A word that is neither English (TextBlob's
# spelling list and tagger lexicon, with -s/-ed/-ing/-er forms) nor the lexicon's own is read as the one
# lexicon word it is a slip of: a letter typed twice, two letters swapped, or a letter left
# out inside the word, the first letter always kept. A changed letter is not a slip we read
# ("rated" is not "raped"), nor a letter more or less at the end ("nude", "programmer").
_TYPO_MIN = 4  # shorter words have too many real neighbours; a letter left out needs one more
_WORDS_RE = re.compile(r"(?<![a-z\\])[a-z]{3,}(?![a-z])")
_ENDINGS = ("s", "es", "ed", "d", "er", "ers", "ing", "ly")


def _typo_index(bodies: list[str], history: dict[str, re.Pattern[str] | None]) -> tuple[frozenset[str], dict[str, str]]:
    """The lexicon's words, and each of six letters or more with one inside letter left out -> the word."""
    found = set()
    for body in [*bodies, *(p.pattern for p in history.values() if p is not None)]:
        found.update(_WORDS_RE.findall(body))
    typos: dict[str, str] = {}
    ambiguous: set[str] = set()
    for word in found:
        for i in range(1, len(word) - 1 if len(word) > _TYPO_MIN + 1 else 1):
            key = word[:i] + word[i + 1 :]
            if typos.setdefault(key, word) != word:
                ambiguous.add(key)
    for key in ambiguous:
        del typos[key]
    return frozenset(found), typos


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Words TextBlob knows: its spelling list and its tagger's lexicon ("overdoing", "panning")."""
    words = set(known_words())
    with (TEXTBLOB_DIR / "en-lexicon.txt").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith(";;;"):
                words.add(line.split(" ", 1)[0].lower().replace("'", ""))
    return frozenset(words)


def _english(word: str, known: frozenset[str]) -> bool:
    return word in known or any(word.endswith(e) and word[: -len(e)] in known for e in _ENDINGS)


@lru_cache(maxsize=65536)
def _repair(word: str, s: RiskScreen) -> str:
    """The lexicon word a typo stands for, or the word itself."""
    if len(word) < _TYPO_MIN or not word.isalpha() or word in s.words or _english(word, s.english):
        return word
    words = s.words
    candidates = {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
    candidates |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    candidates = {c for c in candidates if c in words and len(c) > _TYPO_MIN}
    if word in s.typos:
        candidates.add(s.typos[word])
    # The word meant, as the normaliser would have spelt it ("goonna" -> "gonna" -> "going to").
    if len(candidates) != 1:
        return word
    meant = candidates.pop()
    return SPELLINGS.get(meant, meant)


@lru_cache(maxsize=8)
def _screen_for(directory: Path) -> RiskScreen:
    return build_screen(load_risk(directory))


def risk_screen(directory: Path | None = None) -> RiskScreen:
    """Return the compiled screen for a conversations directory (cached; raises if the lexicon is missing)."""
    return _screen_for(conversations_dir(directory))


def _blank(match: re.Match[str]) -> str:
    # Same length, so positions still line up with clauses in the original; the leading space stays.
    return " " + "~" * (len(match.group()) - 1)


def _without_safe_phrases(text: str, s: RiskScreen, prefixes: set[str], at: WordStarts | None = None) -> str:
    """The text with its [safe] phrases ("beat me at fifa") blanked out, same length.

    at: the text's word starts (`WordStarts.of`), when the caller has them already.
    """
    padded = " " + text
    at = at or WordStarts.of(text)
    if at is None:
        for _, regex in s.safe.candidates(prefixes):
            padded = regex.sub(_blank, padded)
        return padded[1:]
    # A long message. Blanking keeps every space before a word and adds none, so the words' starts stay
    # where they were (or are blanked, where nothing begins with a space any more).
    safe = s.safe
    for i in safe.candidate_ids(prefixes):
        found = list(safe.finditer(i, padded, at))
        if found:
            # As the regex's sub(_blank) would: each match blanked, the text between kept.
            pieces: list[str] = []
            end = 0
            for m in found:
                pieces += (padded[end : m.start()], _blank(m))
                end = m.end()
            pieces.append(padded[end:])
            padded = "".join(pieces)
    return padded[1:]


def _unnegated(text: str, match: re.Match[str], words: int) -> bool:
    """True unless one of the few words before the match is a negation ("it never stopped")."""
    return _NEGATORS.isdisjoint(text[: match.start()].split(" ")[-words - 1 :])


def _historical(text: str, hits: list[Hit], s: RiskScreen, prefixes: set[str]) -> bool:
    """True when every hit is in a stretch marked as past and the message says it is over.

    A hit is past when its clause holds a [past] marker, or one came before it with no "but" or
    "now" between ("years ago, my stepdad hit me. it stopped when he left"). A [resolved] marker
    ("it stopped", "sorted now") counts unless a negation comes right before it ("it never
    stopped", "its not sorted"). An [ongoing] marker ("again", "still", "last night") keeps the
    message current; one of [ongoing] outside_past ("scared", "started") only outside a past stretch
    ("i was scared back then" is over); a negated one is none ("it never happened again"), nor one
    inside the saying it is over ("3 years self harm free today", "glad im still here"), nor one inside a
    match, which has the match's time ("i was scared all the time at home", then "thats over"). A contrast
    after the saying takes it back ("he went to prison but ..."). Matched words in the present ("hits
    me") are never past; matched words inside the saying ("self harm" in "self harm free since 2021")
    are past without a time of their own.
    """
    past, resolved, ongoing = s.gated("past", prefixes), s.gated("resolved", prefixes), s.gated("ongoing", prefixes)
    # Matched words in the present ("hits me") are never past: looked at first, as it needs no search of the message.
    if resolved is None or any(_PRESENT_RE.search(hit[2]) for hit in hits):
        return False
    over = [m.span() for m in resolved.finditer(text) if _unnegated(text, m, 2)]
    # "He went to prison but ..." takes it back: only a saying it is over with no contrast after it counts.
    contrast = [m.start() for m in _CONTRAST_RE.finditer(text)]
    if contrast:
        over = [(a, b) for a, b in over if b > contrast[-1]]
    if not over:
        return False

    def within_over(a: int, b: int) -> bool:
        # Words that are part of the saying it is over: "3 years self harm free today", "glad i am still here".
        return any(c <= a and b <= d for c, d in over)

    def said_over(hit: Hit) -> bool:
        # Matched words inside the saying ("self harm" in "3 years self harm free"), unless they carry a
        # negation of their own ("not safe" in "i am not safe now" is no ending).
        return _NEGATORS.isdisjoint(hit[2].split(" ")) and within_over(hit[1], hit[1] + len(hit[2]))

    def within_hit(a: int, b: int) -> bool:
        # Words of a match itself: "all the time" in "i was scared all the time at home" has the match's time.
        return any(h[1] <= a and b <= h[1] + len(h[2]) for h in hits)

    # "It never happened again" is no sign it goes on.
    if ongoing is not None and any(
        _unnegated(text, m, 5) and not within_over(*m.span()) and not within_hit(*m.span())
        for m in ongoing.finditer(text)
    ):
        return False
    markers = [m.start() for m in past.finditer(text)] if past is not None else []
    # "There was no food at my dads but thats all in the past": a look back covers what came before it.
    back = s.gated("past_back", prefixes)
    looked_back = max((m.start() for m in back.finditer(text) if _unnegated(text, m, 2)), default=-1) if back else -1
    if not markers:
        return all(said_over(hit) or hit[1] < looked_back for hit in hits)
    clauses = [m.start() for m in _CLAUSE_RE.finditer(text)]
    marked = {bisect.bisect(clauses, at) for at in markers}
    present = [m.start() for m in _PRESENT_BACK_RE.finditer(text)]

    def in_past(at: int) -> bool:
        if at < looked_back or bisect.bisect(clauses, at) in marked:
            return True
        # The last marker before it, with no "but" or "now" after that marker and before it.
        i = bisect.bisect(markers, at)
        return bool(i) and bisect.bisect(present, markers[i - 1]) == bisect.bisect(present, at)

    later = s.gated("ongoing_outside_past", prefixes)
    if later is not None and any(not in_past(m.start()) for m in later.finditer(text)):
        return False
    return all(in_past(hit[1]) or said_over(hit) for hit in hits)


def _wished(before: str, phrase: str, s: RiskScreen) -> bool:
    """True when the negation ending `before` is inside a wish ([negation] wishes), so what it wishes away is
    happening: "i wish he didnt | hit me"; "just not | being hit" as what would help (the gerund is the
    match's first word). Not when what is wished is what people think or say: "i wish they didnt think i |
    self harm" ([negation] wishes_unless)."""
    if s.wished is None:
        return False
    found = s.wished.search(before + phrase.split(" ", 1)[0])
    if found is None or found.start() >= len(before):
        return False
    return s.wished_unless is None or s.wished_unless.search(before, found.end()) is None


def _set_aside(
    text: str, hits: list[Hit], s: RiskScreen, prefixes: set[str], context: str = ""
) -> tuple[list[Hit], list[str]]:
    """Split hits into those that stand and the reasons others were set aside (negated, topic-only).

    A hit is negated when a negation ends right before it in its clause ("he doesnt | hit
    me", "i am not | suicidal") and the matched words carry no negation of their own ("dont
    want to live" stands), unless the negation is inside a wish ("i wish he didnt | hit me",
    "not being | locked in my room" as what would help: [negation] wishes). It is topic-only
    when its clause is about a lesson, film, book, essay and so on ("my essay is about | gun crime"),
    or it is only what the clause before, about one, was about
    ("i watched top boy on netflix, | about county lines": `_topic_before`). Abuse and violence are play when the
    message is about sport or play and names no adult and no real harm ("he bit me when we
    were play fighting", "got battered in the boxing ring"). A match that is only a topic word
    is set aside in a long message that names nobody ("the threat to the ozone layer"). In a long
    review or news report ([work], [news]) a match in a clause naming nobody close is the work's or
    the news's. A threat to kill over a small misdeed ("when she sees my room": [joke] petty) is read
    like one said with a laugh. A lapse in a home's provisions away from home, brief, mended or a
    machine's ("no food left at the party": [mishap]) is an everyday mishap. In a longer message
    naming no person at all, with no text speak, every match is.

    context: the message before its [safe] phrases were blanked (same length). A topic is looked for
    there, so a [safe] phrase that is itself about a lesson ("learnt about county lines") still makes
    the rest of its clause a topic ("... and grooming").
    """
    context = context or text
    negated, topic = s.gated("negated", prefixes), s.gated("topic", prefixes)
    play_pattern, unless = s.gated("play", prefixes), s.gated("play_unless", prefixes)
    laugh, petty, mishap = s.gated("laugh", prefixes), s.gated("petty", prefixes), s.gated("mishap", prefixes)
    if not hits or (
        negated is None
        and topic is None
        and play_pattern is None
        and s.topic_word is None
        and laugh is None
        and petty is None
        and mishap is None
        and not s.registers
    ):
        return hits, []
    # Each reading of the whole message below (None: not yet worked out) is worked out where a hit first
    # needs it: most hits are of a category, or in a message, that needs few of them. The same answers,
    # fewer searches, and no calls of their own.
    joking: bool | None = None
    mishaps: bool | None = None
    registers: tuple[Register, ...] | None = None
    play: bool | None = None
    impersonal: bool | None = None
    nobody: bool | None = None
    bounds = [m.end() for m in _CLAUSE_RE.finditer(text)]
    kept, why = [], []
    for hit in hits:
        _, start, phrase, _ = hit
        i = bisect.bisect(bounds, start)
        clause_start = bounds[i - 1] if i else 0
        clause_end = bounds[i] if i < len(bounds) else len(text)
        before = text[clause_start:start].lstrip()
        if (
            negated is not None
            and negated.search(before)
            and _NEGATORS.isdisjoint(phrase.split(" "))
            and not _wished(before, phrase, s)
        ):
            why.append(f"negated: {phrase}")
        elif (
            topic is not None
            and _WRITER.isdisjoint(phrase.split(" "))
            and (
                subject := topic.search(context, clause_start, clause_end)
                or _topic_before(context, bounds, i, topic, s, prefixes)
            )
            is not None
            and not _someone_else_between(text, subject.start(), start, s, prefixes)
        ):
            why.append(f"topic only: {phrase}")
        elif hit[0] in _PLAY_CATEGORIES and (
            play
            if play is not None
            else (
                play := play_pattern is not None
                and play_pattern.search(text) is not None
                and (unless is None or unless.search(text) is None)
            )
        ):
            why.append(f"sport or play: {phrase}")
        elif (
            s.topic_word is not None
            and (impersonal if impersonal is not None else (impersonal := _about_no_one(s, text)))
            and s.topic_word.fullmatch(phrase)
        ):
            why.append(f"no one named: {phrase}")
        elif (
            hit[0] in _JOKE_CATEGORIES
            and s.joke is not None
            and (
                joking
                if joking is not None
                else (
                    joking := any(p is not None and p.search(text) is not None for p in (laugh, petty))
                    and (s.joke_unless is None or s.joke_unless.search(text) is None)
                )
            )
            and s.joke.search(phrase)
        ):
            why.append(f"joke: {phrase}")
        elif (
            not hit[3]
            and (found := registers if registers is not None else (registers := s.in_registers(text, prefixes)))
            and (about := _about_the_world(found, text[clause_start:clause_end]))
        ):
            why.append(f"{about.reason}: {phrase}")
        elif (
            hit[0] in _MISHAP_CATEGORIES
            and s.mishap_words is not None
            and (
                mishaps
                if mishaps is not None
                else (
                    mishaps := mishap is not None
                    and mishap.search(text) is not None
                    and (s.mishap_unless is None or s.mishap_unless.search(text) is None)
                )
            )
            and s.mishap_words.search(phrase)
        ):
            why.append(f"everyday mishap: {phrase}")
        elif (
            nobody
            if nobody is not None
            # Longer still, and naming no person at all in any way: every match is about the world.
            else (
                nobody := bool(s.impersonal_all_min)
                and text.count(" ") + 1 >= s.impersonal_all_min
                and s.topic_word is not None
                and (impersonal if impersonal is not None else (impersonal := _about_no_one(s, text)))
                and (s.persons is None or s.persons.search(text) is None)
            )
        ):
            why.append(f"no one named: {phrase}")
        else:
            kept.append(hit)
    return kept, why


def _topic_before(
    context: str, bounds: list[int], i: int, topic: re.Pattern[str], s: RiskScreen, prefixes: set[str]
) -> re.Match[str] | None:
    """The topic of the clause before clause i, or the work or lesson it names ([topic] works), when clause i is only
    what that clause was about: it begins "about", "it is about", "which is about" ([topic] following) and names
    nobody close ([topic] following_unless). "i watched top boy on netflix, about county lines" is the programme's;
    "i watched a film, my uncle touches me" and "we did a lesson on it, about what my coach does" are not. A run of
    such clauses reaches back to the topic."""
    following = s.gated("topic_following", prefixes)
    if following is None:
        return None
    unless = s.topic_following_unless
    while i:
        start = bounds[i - 1]
        end = bounds[i] if i < len(bounds) else len(context)
        clause = context[start:end].strip(" ,.!?;")
        if following.match(clause) is None or (unless is not None and unless.search(clause) is not None):
            return None
        i -= 1
        before = bounds[i - 1] if i else 0
        found = topic.search(context, before, start)
        if found is None and s.topic_works is not None:
            found = s.topic_works.search(context, before, start)
        if found is not None:
            return found
    return None


def _someone_else_between(text: str, after: int, before: int, s: RiskScreen, prefixes: set[str]) -> bool:
    """True when another young person in the writer's life ([someone_else]: "my sister", "a boy in my class")
    is named after a topic and before a match in its clause: "we watched a film in class and after it my
    sister said her boyfriend hits her" is about her, not the film."""
    others = s.gated("others", prefixes)
    if others is None:
        return False
    return any(after < m.start() < before for m in others.finditer(" " + text))


def _about_the_world(registers: tuple[Register, ...], clause: str) -> Register | None:
    """The first of the message's registers whose anchors the clause lacks: a clause naming nobody in the
    writer's life ("the director's suicidal poetry"); None when it names someone ("that film made me cry")."""
    clause = clause.strip(" ,")
    for r in registers:
        seen = clause if r.strangers is None else r.strangers.sub(" ", clause)
        if r.anchors is None or r.anchors.search(seen) is None:
            return r
    return None


def _about_no_one(s: RiskScreen, text: str) -> bool:
    """True for a message long enough ([impersonal] min_words) that names nobody in anyone's life: its
    topic-word matches are about the world. Worked out once a message, when a hit first needs it."""
    return s.anchors is not None and text.count(" ") + 1 >= s.impersonal_min and s.anchors.search(text) is None


def lexicon_screen(norm: Normalised, s: RiskScreen) -> RiskResult:
    """The lexicon's opinion alone (high priority when it fires, with one reason per category).

    When every match was set aside (negated, topic-only, or historical and over), the
    result is no risk with the reasons why, so the model may be asked to be surer.
    """
    return _lexicon(norm, s)[0]


def _without_safe(norm: Normalised, blanked: str) -> Normalised:
    """The message less its [safe] phrases ("beat me at fifa"), for the model to read."""
    if blanked == norm.joined:
        return norm
    tokens = tuple(t for t in blanked.split(" ") if t and t.strip("~"))
    return Normalised(tokens, " ".join(tokens))


# Someone else at risk. A message naming another young person ("my little brother", "a girl
# in my class": [someone_else] in risk.toml) is read again as if they had said it themselves:
# they become "i", him/her/his/their become me/my and the verb after them agrees ("gets" ->
# "get"), so every pattern written for "me" and "i" covers them too. A third reading also
# turns he/she/they into "i" ("my mate said she wants to die"); it is kept apart because
# "he" is as often the one doing harm ("said he touches her" must read "he touches me").
_RETOLD = {
    "him": "me",
    "them": "me",
    "himself": "myself",
    "herself": "myself",
    "themselves": "myself",
    "themself": "myself",
    "his": "my",
    "their": "my",
}
_SUBJECTS = frozenset(("he", "she", "they"))
_AGREE = {"is": "am", "are": "am", "isnt": "am not", "has": "have", "hasnt": "havent", "does": "do", "doesnt": "dont"}
_ADVERBS = frozenset("always still never just really sometimes often also even literally actually now usually".split())
# "her" is "me" before these (or at the end), else "my": "makes her do things", "her arms".
_HER_AS_OBJECT = frozenset(
    "and but at in on to up down off out when if so because every again all with for from about into round"
    " around over after before till until while a an the that this too lol really badly loads sometimes do"
    " stuff things what how like then now last yesterday tonight today or cry feel by against hard near behind"
    # ...and the verbs a carer "makes her" do (8 December: "her dad makes her watch porn" was read "makes my watch").
    " watch go eat stay sit take send wear get strip undress pose touch suck lie sleep".split()
)
_WORD_RE = re.compile(r"[^ ]+")
# The categories sport and play can look like ("punched me", "got battered").
_PLAY_CATEGORIES = frozenset(("abuse", "violence"))
# Matched words naming the writer as the one harmed ("touched me"): never only a topic.
_WRITER = frozenset(("me", "myself", "us"))
# A laugh makes only a threat to others hyperbole, never a wish to die.
_JOKE_CATEGORIES = frozenset(("violence",))
# Harm the one retold does to themselves: never words that name the writer ("kill me" is a threat to the writer).
_SELF_CATEGORIES = frozenset(("self_harm",))
# Only a home's provisions can be an everyday mishap.
_MISHAP_CATEGORIES = frozenset(("unsafe_home",))


def _agree(word: str) -> str:
    """The verb after a retold "i": "gets" -> "get", "is" -> "am", "cries" -> "cry", "dies" -> "die", "goes" -> "go"."""
    if word in _AGREE:
        return _AGREE[word]
    if len(word) < 4 or not word.isalpha() or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        # Only die, lie, tie and vie end in "ie" ("dies" -> "die"); every longer verb in "ies" ends in "y"
        # ("tries", "cries", "worries").
        return word[:-1] if len(word) == 4 else word[:-3] + "y"
    # "es" after a hissing sound, and after the "o" of go, do and echo ("goes", "undergoes", "echoes"); a verb
    # in "oe" keeps its "e" ("canoes", "tiptoes").
    if word.endswith(("ches", "shes", "sses", "xes", "zzes", "goes", "does", "choes")):
        return word[:-2]
    return word[:-1]


@dataclass(frozen=True, slots=True)
class _Retold:
    """A message retold in the first person: its text, each word's span in the original, and who it is about."""

    text: str
    spans: tuple[tuple[int, int], ...]
    starts: tuple[int, ...]
    who: str

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind text[start:end]."""
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_right(self.starts, max(start, end - 1)) - 1
        return self.spans[first][0], self.spans[last][1]


def _retell(text: str, named: dict[int, int], subjects: bool, objects: bool = False) -> _Retold | None:
    """The message as if the other young person it names had said it, or None if it names nobody.

    named maps where each mention of another young person starts to where it ends ([someone_else]). objects: a
    mention after a word of its clause is "me", not "i" ("he makes my sister watch porn" -> "he makes me watch
    porn"), unless the writer is in that clause as "i" ("i pinned my brother down"); None when no mention is one.
    """
    if not named:
        return None
    if objects:
        named = {a: b for a, b in named.items() if _object_at(text, a)}
        if not named:
            return None
    first = min(named)
    who = text[first : named[first]]
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    agree = False
    # Read as an object, the words before the mention are the one doing it ("puts his hands on my sister"): kept.
    before = first if objects else -1
    i = 0
    while i < len(words):
        a, b = words[i]
        end = named.get(a)
        if end is not None:
            out.append("me" if objects else "i")
            spans.append((a, end))
            agree = not objects
            while i < len(words) and words[i][0] < end:
                i += 1
            continue
        word = text[a:b]
        if a < before:
            new = word
        elif agree:
            new = word if word in _ADVERBS else _agree(word)
            agree = word in _ADVERBS
        elif subjects and word in _SUBJECTS:
            new, agree = "i", True
        elif word == "her":
            after = text[b + 1 : words[i + 1][1]] if i + 1 < len(words) else ""
            new = "me" if not after.isalpha() or after in _HER_AS_OBJECT else "my"
        else:
            new = _RETOLD.get(word, word)
        for part in new.split(" "):
            out.append(part)
            spans.append((a, b))
        i += 1
    starts, pos = [], 0
    for word in out:
        starts.append(pos)
        pos += len(word) + 1
    return _Retold(" ".join(out), tuple(spans), tuple(starts), who)


# In a question about what is normal or allowed, "you" is the writer ("is it normal for your carer to hit
# you" -> "... for my carer to hit me"), and a question with no one in it asks about the writer ("is it
# normal to want to cut" -> "i want to cut").
_QUESTION_YOU = {
    "you": "me",
    "u": "me",
    "ya": "me",
    "your": "my",
    "ur": "my",
    "yourself": "myself",
    "urself": "myself",
    "yours": "mine",
}
_SENTENCE_ENDS = frozenset(".?!")


# Words after which a name starts its clause as its subject ("and my sister", "i think my sister").
_CLAUSE_OPENERS = frozenset(
    "and but or so because cos coz when if that then now think thinks reckon know knows worried scared said says told"
    " tells like while since until before after though although".split()
)
_WRITER_AS_SUBJECT = frozenset("i id ill".split())  # normalised: "im" and "ive" are "i am", "i have"


def _object_at(text: str, start: int) -> bool:
    """True when the mention at text[start:] follows a word of its own clause (a verb's or a preposition's object,
    not its subject) and the writer is not that clause's "i"."""
    clause = _CLAUSE_RE.split(text[:start])[-1].split()
    return bool(clause) and clause[-1] not in _CLAUSE_OPENERS and _WRITER_AS_SUBJECT.isdisjoint(clause)


def _question_reading(text: str, frames: re.Pattern[str]) -> _Retold | None:
    """The message with each question about what is normal or allowed ([question] frames) read in the first
    person, from the frame to the end of its sentence; None when there is none, or nothing to change."""
    marks = [(m.start(), m.end()) for m in frames.finditer(text)]
    if not marks:
        return None
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    changed = False
    inside = False
    first = False  # the word right after a frame
    for word in _WORD_RE.finditer(text):
        a, b = word.span()
        w = word.group()
        if any(start <= a < end for start, end in marks):
            inside, first = True, True
            out.append(w)
            spans.append((a, b))
            continue
        new = w
        if inside:
            if w in _SENTENCE_ENDS:
                inside = False
            elif first and w == "to":
                new = "i"  # "is it normal to want to cut": the writer's own
            else:
                new = _QUESTION_YOU.get(w, w)
            first = False
        changed |= new != w
        out.append(new)
        spans.append((a, b))
    if not changed:
        return None
    starts, pos = [], 0
    for told in out:
        starts.append(pos)
        pos += len(told) + 1
    return _Retold(" ".join(out), tuple(spans), tuple(starts), "")


def _matches(
    text: str, s: RiskScreen, prefixes: set[str], at: WordStarts | None = None
) -> tuple[list[tuple[str, int, int]], ...]:
    """Strong and weak pattern matches (category, start, end) in already-blanked text.

    at: the word starts of the text before it was blanked, if the caller has them: blanking moves no word.
    """
    # Positions in the padded text are one on, and each match starts on the space before its word.
    padded = " " + text
    at = at or WordStarts.of(text)
    if at is None:
        strong = [(c, m.start(), m.end() - 1) for c, rx in s.strong.candidates(prefixes) for m in rx.finditer(padded)]
        weak = [(c, m.start(), m.end() - 1) for c, rx in s.weak.candidates(prefixes) for m in rx.finditer(padded)]
        return strong, weak
    # A long message: each pattern tried only at the words it can begin with.
    found: tuple[list[tuple[str, int, int]], ...] = ([], [])
    for patterns, into in zip((s.strong, s.weak), found):
        for i in patterns.candidate_ids(prefixes):
            category = patterns.patterns[i][0]
            into.extend((category, m.start(), m.end() - 1) for m in patterns.finditer(i, padded, at))
    return found


def _all_hits(
    text: str, prefixes: set[str], s: RiskScreen, at: WordStarts | None = None
) -> tuple[list[Hit], list[Hit]]:
    """Strong and weak hits in the blanked message (its words' prefixes given; at, its word starts before
    it was blanked), and in its retellings for someone else it names."""
    strong, weak = _matches(text, s, prefixes, at)
    hits = [(c, a, text[a:b], "") for c, a, b in strong]
    weak_hits = [(c, a, text[a:b], "") for c, a, b in weak]
    # The best hit of each category at each start so far: strong over weak, then the longer. A retelling adds
    # a hit only where it says more than what is there ("no one cares if she is dead" read as "... if i am
    # dead" is strong where the message had only the weak "no one cares"), never the same hit again.
    best: dict[tuple[str, int], tuple[bool, int]] = {}
    for strength, kind in ((True, hits), (False, weak_hits)):
        for c, start, phrase, _ in kind:
            best[(c, start)] = max(best.get((c, start), (False, 0)), (strength, len(phrase)))
    others = s.gated("others", prefixes)
    named = {m.start(): m.end() - 1 for m in others.finditer(" " + text)} if others is not None else {}
    told_before = ""
    # The writer's own strong matches, before any retelling: a retold self-harm match that holds the writer's "me"
    # ("my sister is going to kill me" told as "i ... kill me") is a threat to the writer, already matched as one.
    own = [(start, start + len(phrase)) for _, start, phrase, _ in hits]
    readings = [
        lambda: _retell(text, named, False),
        lambda: _retell(text, named, True),
        lambda: _retell(text, named, False, objects=True),
    ]
    question = s.gated("question", prefixes)
    if question is not None:
        readings.append(lambda: _question_reading(text, question))
    for reading in readings:
        retold = reading()
        if retold is None:
            continue
        told = retold.text
        if told == told_before:
            continue  # no he/she/they to retell: the second reading would be the first again
        told_before = told
        told_prefixes = word_prefixes(tuple(told.split(" ")))
        told_at = WordStarts.of(told)
        told = _without_safe_phrases(told, s, told_prefixes, told_at)
        for strength, found, into in zip((True, False), _matches(told, s, told_prefixes, told_at), (hits, weak_hits)):
            for category, start, end in found:
                a, b = retold.source(start, end)
                if category in _SELF_CATEGORIES and _writer_harmed(text, a, b, own):
                    continue
                rank = (strength, b - a)
                if rank > best.get((category, a), (False, 0)):
                    best[(category, a)] = rank
                    into.append((category, a, text[a:b], retold.who))
    return hits, weak_hits


def _writer_harmed(text: str, a: int, b: int, own: list[tuple[int, int]]) -> bool:
    """True when the original words text[a:b] behind a retold match name the writer ("me", "myself") and overlap
    one of the writer's own matches: "my sister is going to kill me" is a threat to the writer (violence), never the
    sister's self-harm, so categories do not bleed into each other."""
    return not _WRITER.isdisjoint(text[a:b].split(" ")) and any(c < b and a < d for c, d in own)


def _signals(hits: list[Hit]) -> int:
    """How many different signals the hits are: "older" inside "older kids" is one, "gun ... gun" is one."""
    spans = [(start, start + len(phrase)) for _, start, phrase, _ in hits]
    inside = {
        i
        for i, (a, b) in enumerate(spans)
        if any(j != i and c <= a and b <= d and (c, d) != (a, b) for j, (c, d) in enumerate(spans))
    }
    return len({hits[i][2] for i in range(len(hits)) if i not in inside})


def _reason(category: str, phrase: str, who: str, typed: dict[str, str]) -> str:
    """Which rule fired and why; the quoted words are last, in brackets, so they can be dropped."""
    padded = f" {phrase} "
    typos = [f"{old} read as {new}" for new, old in typed.items() if f" {new} " in padded]
    words = f"{phrase}; {', '.join(typos)}" if typos else phrase
    if who:
        return f"lexicon: {category}, someone else at risk ({who}: {words})"
    return f"lexicon: {category} ({words})"


def _lexicon(norm: Normalised, s: RiskScreen) -> tuple[RiskResult, str]:
    """The lexicon's result, and the text with its [safe] phrases blanked out (for the model to read)."""
    tokens, original = norm.tokens, norm.joined
    typed: dict[str, str] = {}
    read = lexicon_words(
        tokens
    )  # "hittin me" is read as "hitting me" (the patterns spell "-ing" only), "hoose" as "house"
    if read != tokens or not s.known.issuperset(read):  # some word is neither English nor the lexicon's: a typo?
        fixed = [t if t in s.known else _repair(t, s) for t in read]
        typed = {new: old for old, new in zip(tokens, fixed) if old != new}
        if typed:
            tokens = tuple(" ".join(fixed).split(" "))
            original = " ".join(tokens)
    prefixes = word_prefixes(tokens)
    at = WordStarts.of(original)
    text = _without_safe_phrases(original, s, prefixes, at)
    # Nothing blanked: the model reads the message as it came, typos and all.
    calmer = text if text != original else norm.joined
    hits, weak_hits = _all_hits(text, prefixes, s, at)
    if not hits and not weak_hits:
        return NO_RISK, calmer
    hits, set_aside = _set_aside(text, hits, s, prefixes, original)
    weak_hits, weak_aside = _set_aside(text, weak_hits, s, prefixes, original)
    # A weak signal alone ("he bought me trainers") is everyday life; with any other
    # signal that stands in the same message it is part of a pattern worth a look. The
    # writer asking for a confidence is such a signal, without a category of its own.
    confided = (
        bool(weak_hits)
        and not hits
        and s.confide is not None
        and any(regex.search(" " + text) for _, regex in s.confide.candidates(prefixes))
    )
    if weak_hits and len(hits) + _signals(weak_hits) + confided >= 2:
        hits.extend(weak_hits)
    if set_aside:
        set_aside += weak_aside
    if not hits and not set_aside:
        return NO_RISK, calmer
    if not hits:
        reasons = tuple(dict.fromkeys(f"lexicon set aside: {w}" for w in set_aside))
        return RiskResult(False, (), (), "", reasons), calmer
    if _historical(original, hits, s, prefixes):
        return RiskResult(False, (), (), "", ("lexicon set aside: historical and over",)), calmer
    categories = tuple(sorted({h[0] for h in hits}, key=RISK_CATEGORIES.index))
    # Longest first at one position, then by text: the same result whichever patterns the prefilter ran.
    ordered = sorted(hits, key=lambda h: (h[1], -len(h[2]), h[2], h[3]))
    matched = tuple(dict.fromkeys(h[2] for h in ordered))
    first: dict[str, tuple[str, str]] = {}
    for category, _, phrase, who in ordered:
        first.setdefault(category, (phrase, who))
    reasons = tuple(_reason(c, *first[c], typed) for c in categories)
    return RiskResult(True, categories, matched, HIGH, reasons), calmer


def _names_nobody(norm: Normalised, s: RiskScreen) -> bool:
    """True when a message names nobody in anyone's life ([impersonal] anchors: no I, me, you, family, carer,
    friend; no text that drops its "I"). A place alone ([impersonal] places: home, school, the street, an
    app) names nobody, and nor do he, she and they: "he is getting abused" keeps its match only if the
    model agrees a little."""
    return s.people is not None and s.people.search(norm.joined) is None


def _model_categories(probs: dict[str, float]) -> tuple[str, ...]:
    """The categories the model believes in, or its single best guess."""
    sure = tuple(c for c in RISK_CATEGORIES if probs.get(c, 0.0) >= 0.5)
    return sure or (max(RISK_CATEGORIES, key=lambda c: probs.get(c, 0.0)),)


def screen_normalised(norm: Normalised, s: RiskScreen, model: RiskModel | None = None) -> RiskResult:
    """Screen already-normalised text with the lexicon and, when given, the model; analyse() normalises once."""
    lexical, blanked = _lexicon(norm, s)
    if model is None:
        return lexical
    probs = model.probabilities(norm)
    if blanked != norm.joined:
        # A hard non-risk phrase ("beat me at fifa") was found: the model may also read the
        # message without it, and the calmer reading stands, so both opinions agree on it.
        calmer = model.probabilities(_without_safe(norm, blanked))
        if calmer["any"] < probs["any"]:
            probs = calmer
    score = round(probs["any"], 3)
    if lexical.risk and probs["any"] < s.nobody_floor and _names_nobody(norm, s):
        # Every match is about the world ("trespassers will be shot") and the model is all but sure
        # there is no risk in it: the lexicon's words are set aside, and the reasons say so.
        reasons = tuple(
            f"lexicon set aside: no one named and model {score:.2f}: {r.removeprefix('lexicon: ')}"
            for r in lexical.reasons
        )
        return RiskResult(False, (), (), "", reasons, score)
    if lexical.risk:
        # The lexicon is the floor and names the categories; the model's score is shown beside it.
        reasons = (*lexical.reasons, f"model: {score:.2f}")
        return RiskResult(True, lexical.categories, lexical.matched, HIGH, reasons, score)
    # Words the lexicon set aside (negated, topic-only, over) need the model to be sure,
    # and even then only earn a low-priority look: it errs towards alerting, not blindly.
    set_aside = bool(lexical.reasons)
    if score < (model.high if set_aside else model.low):
        return RiskResult(False, (), (), "", lexical.reasons, score)
    priority = LOW if set_aside or score < model.high else HIGH
    categories = _model_categories(probs)
    return RiskResult(True, categories, (), priority, (f"model: {score:.2f}",), score)


def screen(text: str, *, directory: Path | None = None) -> RiskResult:
    """Screen one message for safeguarding risk; call this first on every inbound text."""
    return screen_normalised(normalise(text), risk_screen(directory), risk_model())


# Welsh words of harm ([welsh] in risk.toml): the English screen cannot read Welsh (trial 8, H1: "dwi isio marw", I
# want to die, in a Welsh survey was flagged only as "not in English", low, and got the next question).
_WELSH_MARKS = re.compile(r"[^a-z0-9 ]+")
_WELSH_BREAKS = re.compile(r"[.!?,;:\n]+")


@dataclass(frozen=True)
class WelshScreen:
    """[welsh] compiled: each category's patterns, and the negation that sets a match aside. `any_pattern` is every
    pattern in one alternation: a message it finds nothing in (nearly every message) is done with one search, not
    fifteen."""

    categories: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    negation: re.Pattern[str] | None
    any_pattern: re.Pattern[str] | None = None


def welsh_fold(text: str) -> str:
    """A message folded for the Welsh patterns: lowercase, accents (to bach) dropped, apostrophes dropped, any other
    mark a clause break (" | "), one space between words."""
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    text = text.replace("'", "")  # curly apostrophes were dropped with the accents
    text = _WELSH_BREAKS.sub(" | ", text)
    text = _WELSH_MARKS.sub(lambda m: " " if "|" not in m.group() else " | ", text)
    return " ".join(text.split())


def build_welsh(data: dict) -> WelshScreen:
    """Compile risk.toml's [welsh] table (none: a screen that finds nothing). Raises LexiconError on a bad one."""
    table = data.get("welsh", {})
    if not isinstance(table, dict):
        raise LexiconError("risk.toml: [welsh] must be a table")
    want = table.get("want", "")
    categories = []
    for category, entry in table.items():
        if not isinstance(entry, dict):
            continue
        if category not in RISK_CATEGORIES:
            raise LexiconError(f"risk.toml: welsh.{category}: not a risk category")
        patterns = entry.get("patterns")
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
            raise LexiconError(f"risk.toml: welsh.{category}.patterns: must be a non-empty list of strings")
        compiled = []
        for pattern in patterns:
            try:
                compiled.append(re.compile(pattern.replace("{want}", want)))
            except re.error as exc:
                raise LexiconError(f"risk.toml: welsh.{category}: bad pattern {pattern!r}: {exc}") from exc
        categories.append((category, tuple(compiled)))
    negation = table.get("negation")
    every = "|".join(f"(?:{pattern.pattern})" for _, compiled_ in categories for pattern in compiled_)
    return WelshScreen(
        tuple(categories),
        re.compile(negation) if isinstance(negation, str) and negation else None,
        re.compile(every) if every else None,
    )


@lru_cache(maxsize=8)
def _welsh_for(directory: Path) -> WelshScreen:
    return build_welsh(load_risk(directory))


def welsh_risk(text: str, directory: Path | None = None) -> RiskResult:
    """The Welsh words of harm in a message: high priority, with each category found and its words
    ("lexicon: self_harm (isio marw)"), or no risk. A match set aside by a negation right before it in its clause
    ("dwi ddim isio marw") is no match; the message is still flagged for a person, as all Welsh is."""
    screen = _welsh_for(conversations_dir(directory))
    if not screen.categories:
        return NO_RISK
    folded = welsh_fold(text)
    if screen.any_pattern is not None and screen.any_pattern.search(folded) is None:
        return NO_RISK
    found: dict[str, str] = {}
    for category, patterns in screen.categories:
        for pattern in patterns:
            for match in pattern.finditer(folded):
                before = folded[: match.start()]
                if screen.negation is not None and screen.negation.search(before):
                    continue
                found.setdefault(category, match.group())
                break
            if category in found:
                break
    if not found:
        return NO_RISK
    categories = tuple(category for category in RISK_CATEGORIES if category in found)
    reasons = tuple(f"lexicon: {category} ({found[category]})" for category in categories)
    return RiskResult(True, categories, tuple(found[c] for c in categories), HIGH, reasons)

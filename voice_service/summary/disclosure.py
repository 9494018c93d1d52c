"""Statistical disclosure control and quote redaction: pure functions over plain data.

Published counts are of people. Every count is in one of three states:

- shown;
- primary-suppressed: it describes 1 to 4 people, so it reads "fewer than 5"; every part of it is
  hidden too, zeros included (a zero would tell how the small group split), and reads "0 to 4";
- secondary-suppressed: it is 5 or more, but hidden so that a smaller count next to it cannot
  be worked out; it reads "hidden to protect a smaller group".

Breakdowns are trees of sums: a question's total, the positive, neutral and negative bands
inside it, the answers inside each band. A reader knows every shown figure, that each
"fewer than 5" is 1 to 4 and each "0 to 4" is 0 to 4, that each "hidden to protect a smaller group"
is 5 or more, and that the parts add up to the whole. `protect` hides more figures until, from all
of that together, every "fewer than 5" could still be any of 1, 2, 3 or 4 (a "0 to 4", any of 0 to 4,
unless it is 0), and no other hidden figure can be pinned to one value. Zero is shown (it describes
nobody) unless it is part of a "fewer than 5". A reader may also know this rule, and read the hiding
itself ("hidden" where a shown sum would have pinned its parts says which numbers it is not): so a sum
whose every part is hidden is shown only where they would stay safe were it one more or one fewer (and so
every sum it is part of one more or one fewer: a band's answer is also one of the question's total).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from voice_service.analysis.language import TEXT_SPEAK, english_words, is_english
from voice_service.analysis.lexicon import load_themes
from voice_service.analysis.sentiment_lexicon import WORDS as SLANG
from voice_service.analysis.text import SPELLINGS, squeeze
from voice_service.analysis.vocabulary import TEXTBLOB_DIR

THRESHOLD = 5
SUPPRESSED_LABEL = f"fewer than {THRESHOLD}"
SMALL_RANGE = f"1 to {THRESHOLD - 1}"  # what a "fewer than 5" may be
# Why a figure is hidden or not broken down beside a small one: the one wording (trial: "to protect a small group"
# read beside "hidden to protect a smaller group"), in every label that says it.
PROTECTING_WHY = "to protect a smaller group"
PROTECTING_LABEL = f"hidden {PROTECTING_WHY}"
# A count hidden to protect another, in a sentence: every such count is 5 or more (the smaller are "fewer than 5").
SECONDARY_LABEL = f"{THRESHOLD} or more"
# A part of a count that is itself 1 to 4 (an answer inside a "fewer than 5" band or question): hidden with it,
# zeros too (a zero would tell how the small group split), so it may be none of them.
INSIDE_LABEL = f"0 to {THRESHOLD - 1}"
# A breakdown withheld whole, as a total alone ("All answers (not broken down, to protect a smaller group)").
NOT_BROKEN_DOWN_LABEL = "not broken down"
# Group disclosure: in a group of fewer than `GROUP_SIZE` who answered a question, where all of them, or all but one,
# answered alike (one answer, or one side of a scale: all good, all bad), any split of their answers, even "6 of 6"
# or "100%", tells what each of them said (and the one who differs learns what all the others said). Small-number
# suppression is never traded away for it (trial 13, T13-14): where the figures a question would show say that
# (`report.shows_alike`, the rule), its answers are not broken down, and say why (`ALIKE_LABEL`). Judged on
# what would be shown, never on the hidden numbers, so the hiding itself gives nothing away. (All but one, with the
# one shown as "fewer than 5", is protected already: that may be anything from 1 to 4.) The group size's one home.
GROUP_SIZE = 20
ALIKE_LABEL = (
    f"not broken down: fewer than {GROUP_SIZE} may have answered, and all of them, or all but one, answered "
    "alike, so its figures would tell what each of them said"
)
# How many answered a follow-up question (asked only after some answers to another, "<= 2"), where some of those
# answers are hidden: everyone who answered it gave one of them, so they are at least its count, which would narrow
# a hidden one (`report.follow_up_gates`). Hidden then, whatever it is, 0 too, so the hiding tells nothing either.
FOLLOW_UP_LABEL = "hidden with the question it follows"
# A figure about answers while the round is still open (`summary.open_round`, the rule's one home): any number, 0
# too, as two copies taken while answers come in would differ by the answers given between them.
UNTIL_CLOSED_LABEL = "shown when the round closes"

# The key to those words, printed once near the top of every panel summary (HTML, PDF, Markdown), carried by the
# JSON (`hidden_means`) and written out for the CSV in docs/panel-csv.md, whatever the figures: it says only what
# the methods note says of every summary, so it gives no figure away, and a summary with hidden figures reads the
# same as one without up to the figures themselves (trial finding: the wordings had no key). Its one home.
HIDDEN_FIGURES_KEY = (
    f'Hidden figures: "{SUPPRESSED_LABEL}" means {SMALL_RANGE}, and "{INSIDE_LABEL}" may be none '
    f'(part of a small group, or alerts); "{SECONDARY_LABEL}" and "{PROTECTING_LABEL}" mean a figure is left out '
    f'so a smaller one cannot be worked out; "{NOT_BROKEN_DOWN_LABEL}" means the same for a split by age, answer or '
    f'feeling, or what it says, and "{FOLLOW_UP_LABEL}" for how many answered a follow-up question.'
)
# The same, for the JSON's `hidden_means`: what each kind of hidden figure reads and means.
HIDDEN_MEANS = {
    "primary": f'{SUPPRESSED_LABEL} people; "{INSIDE_LABEL}" where its label says so: a part of a figure that is '
    f"itself {SUPPRESSED_LABEL}, which may be none, an answer to a question with such a part, or a number of "
    f"safeguarding alerts under {THRESHOLD}, none included, or a part of one",
    "secondary": f"{SECONDARY_LABEL}, hidden so that a smaller figure cannot be worked out",
    "follow_up": f"{FOLLOW_UP_LABEL}: how many answered a question asked only after some answers to another, any "
    "number (0 too), hidden because some of those answers are hidden and it would say they are at least as many",
    "until_closed": f"{UNTIL_CLOSED_LABEL}: any figure about answers, comments or alerts while the round is still "
    "open, any number (0 too), so that two copies taken while answers come in cannot be compared",
    "key": HIDDEN_FIGURES_KEY,
}


@dataclass(frozen=True)
class Hidden:
    """A count that is not published, and why: "primary" (1 to 4 people), "secondary" (5 or more), "follow_up"
    (any number: how many answered a follow-up question, hidden with the answers it follows), or "until_closed"
    (any number: a figure about answers while the round is open, `summary.open_round`).

    `inside`: a primary-hidden part of a count that is itself primary-hidden, which may be 0 to 4, and reads so.
    It is the same hidden count as any other primary one (equal to `PRIMARY`) to every check but its label."""

    reason: str
    inside: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        """What a reader sees in place of the number."""
        if self.reason == "primary":
            return INSIDE_LABEL if self.inside else SUPPRESSED_LABEL
        if self.reason == "follow_up":
            return FOLLOW_UP_LABEL
        if self.reason == "until_closed":
            return UNTIL_CLOSED_LABEL
        return PROTECTING_LABEL

    def __bool__(self) -> bool:  # a hidden count is never used as a number
        return False


K = TypeVar("K", bound=Hashable)

PRIMARY = Hidden("primary")
INSIDE_PRIMARY = Hidden("primary", inside=True)
SECONDARY = Hidden("secondary")
FOLLOW_UP = Hidden("follow_up")
UNTIL_CLOSED = Hidden("until_closed")
Count = int | Hidden


def is_hidden(value: object) -> bool:
    """True for a suppressed count."""
    return isinstance(value, Hidden)


def is_small(count: int | None) -> bool:
    """True for a count that would describe fewer than 5 people (but some)."""
    return count is not None and 0 < count < THRESHOLD


def suppress_count(count: int) -> Count:
    """A single published count that is part of no breakdown: hidden (primary) when it is 1 to 4."""
    return PRIMARY if is_small(count) else count


def protect_none_too(values: Mapping[Any, int], children: Mapping[Any, Sequence[Any]], root: Any) -> dict[Any, Count]:
    """`protect` for a count where none tells as much as one: safeguarding alerts raised. Beside a round whose young
    people a reader knows (a round launched for 2 chosen young people), "0" against "fewer than 5" would say that one
    of them disclosed. So a total of 0 to 4 is hidden whatever it is, 0 too, with every part of it, and each reads
    "0 to 4" (`INSIDE_LABEL`); from 5 up, `protect` as any other count. The one rule for such counts, in every
    format (new-user trial, B)."""
    if values[root] < THRESHOLD:
        return {key: INSIDE_PRIMARY for key in values}
    return protect(values, children, root)


def shown(value: Count | None) -> int | None:
    """The number if it is published, else None (for arithmetic on published figures only)."""
    return None if value is None or isinstance(value, Hidden) else value


def _bounds(
    values: Mapping[Hashable, int],
    children: Mapping[Hashable, Sequence[Hashable]],
    hidden: Mapping[Hashable, str],
    under_primary: set[Hashable],
    instead: Mapping[Hashable, int] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """What a reader can work out about every figure: the tightest [low, high] from what is shown,
    the labels, and every parent = sum of its children (propagated until nothing changes). `instead`: shown
    figures taken to be other numbers (what the reader would work out were they those)."""
    box: dict[Hashable, tuple[float, float]] = {}
    for key, value in values.items():
        if key not in hidden:
            value = (instead or {}).get(key, value)
            box[key] = (value, value)
        elif hidden[key] == "primary":
            box[key] = (0 if key in under_primary else 1, THRESHOLD - 1)
        else:
            box[key] = (THRESHOLD, math.inf)
    equations = [(parent, list(kids)) for parent, kids in children.items() if kids]
    for _ in range(4 * len(values) + 4):
        changed = False
        for parent, kids in equations:
            lows = [box[k][0] for k in kids]
            highs = [box[k][1] for k in kids]
            low_sum, high_sum = sum(lows), sum(highs)
            p_low, p_high = box[parent]
            new = (max(p_low, low_sum), min(p_high, high_sum))
            if new != box[parent]:
                box[parent], changed = new, True
            p_low, p_high = box[parent]
            for index, kid in enumerate(kids):
                # Summed afresh, not subtracted: infinity minus infinity is not a number.
                others_low = sum(lows[:index]) + sum(lows[index + 1 :])
                others_high = sum(highs[:index]) + sum(highs[index + 1 :])
                k_low, k_high = box[kid]
                new = (max(k_low, p_low - others_high), min(k_high, p_high - others_low))
                if new != box[kid]:
                    box[kid], changed = new, True
        if not changed:
            break
    return box


def _safe(key: Hashable, values, hidden, box) -> bool:
    low, high = box[key]
    if hidden[key] == "primary":
        # A "fewer than 5" must still be able to be anything from 1 to 4 (or 0 under a small total).
        return values[key] == 0 or (low <= 1 and high >= THRESHOLD - 1)
    return high > low


def protect(
    values: Mapping[Any, int], children: Mapping[Any, Sequence[Any]], root: Any, *, beside_small: bool = False
) -> dict[Any, Count]:
    """Suppress a tree of counts where each parent is the sum of its children.

    Primary: every count of 1 to 4, and everything inside a count of 1 to 4. Secondary: while
    some hidden count is not safe (see the module note), hide one more: the smallest shown
    non-zero count in a sum it is part of, else the sum itself.

    `beside_small`: every other non-zero part of a sum a "fewer than 5" is part of is hidden too, whatever
    its number, before anything else is looked at, each with its own non-zero parts (a scale's band beside a
    "fewer than 5" band, with its answers: shown, they would add up to it). And where a hidden figure still
    needs one more hidden beside it, every shown non-zero figure beside it is hidden, with its parts, not the
    smallest (a sum whose every part is hidden already is hidden alone, where its parts would not be safe at
    it, or at one more or one fewer: see the module note).
    Then which parts are hidden follows from what the page shows anyway (which parts are 0, which "fewer than
    5", which sums hidden), never from the hidden numbers: "the smallest that protects it" would say, of the
    one hidden, that it is smaller than the one shown beside it, and hiding one only where the numbers beside a
    small one would pin it says that they would.
    """
    parent_of = {kid: parent for parent, kids in children.items() for kid in kids}
    hidden: dict[Hashable, str] = {}
    under_primary: set[Hashable] = set()

    def hide_below(node: Hashable) -> None:
        for kid in children.get(node, ()):
            hidden[kid] = "primary"
            under_primary.add(kid)
            hide_below(kid)

    for key in _walk(root, children):
        if key in hidden:
            continue
        if is_small(values[key]):
            hidden[key] = "primary"
            hide_below(key)
    if beside_small:
        for parent, kids in children.items():
            if parent in under_primary or hidden.get(parent) == "primary":
                continue
            if any(hidden.get(kid) == "primary" for kid in kids):
                for kid in kids:
                    if kid not in hidden and values[kid] > 0:
                        hidden[kid] = "secondary"
                        # A sum hidden so is hidden with its parts: shown, they would add up to it.
                        for part in _walk(kid, children):
                            if part not in hidden and values[part] > 0:
                                hidden[part] = "secondary"
    order = list(_walk(root, children))
    # Deepest first: a hidden group whose answers are all shown is fixed by hiding an answer,
    # not by hiding the groups beside it.
    deepest_first = order[::-1]

    below = {key: set(_walk(key, children)) - {key} for key in values}
    ancestors: dict[Hashable, list[Hashable]] = {}
    for key in values:
        chain, node = [], key
        while node in parent_of:
            node = parent_of[node]
            chain.append(node)
        ancestors[key] = chain

    def failing_keys(hidden_now: dict[Hashable, str]) -> list[Hashable]:
        """The hidden figures a reader could work out, deepest first: from the page as it stands, or, knowing
        this rule, from a sum shown beside them. A sum is shown only where its hidden parts are safe, so a
        hidden sum tells a reader that it is not such a number: a sum hidden at 8 and shown at 9 above "fewer
        than 5" and "hidden to protect a smaller group" would say the first is 1 to 3 (8 of 9 invited and a
        question "8 answered": exactly 8 took part; trial 6b, N1). So a sum whose every part is hidden is shown
        only where those parts would still be safe were it one more or one fewer (and still 5 or more): then,
        hidden, it could always be the number next to where it would be shown, and each part reaches 1 and 4
        there."""
        worlds = [_bounds(values, children, hidden_now, under_primary)]
        for key in order:
            # Only a sum whose every part is hidden: were it not safe, it is the sum itself that would be hidden.
            parts = [k for k in below[key] if values[k] > 0]
            if key in hidden_now or not parts or any(k not in hidden_now for k in parts):
                continue
            for delta in (-1, 1):
                if values[key] + delta < THRESHOLD:
                    continue
                # One more (or fewer) in this sum is one more (or fewer) in every sum it is part of.
                moved = {k: values[k] + delta for k in (key, *ancestors[key])}
                box = _bounds(values, children, hidden_now, under_primary, instead=moved)
                if all(low <= high for low, high in box.values()):
                    worlds.append(box)
        return [
            k for k in deepest_first if k in hidden_now and any(not _safe(k, values, hidden_now, w) for w in worlds)
        ]

    def failing_key(hidden_now: dict[Hashable, str]) -> Hashable | None:
        return next(iter(failing_keys(hidden_now)), None)

    def failing_key_after(extra: Hashable) -> Hashable | None:
        return failing if failing in failing_keys({**hidden, extra: "secondary"}) else None

    while (failing := failing_key(hidden)) is not None:
        # Look for something to hide in the sums this figure is part of; when everything there is
        # hidden already, widen the search to the sum it belongs to, up to the total.
        # Totals are hidden last: first the counts beside it and inside it, smallest first.
        anchor: Hashable | None = failing
        candidates: list[Hashable] = []
        while anchor is not None and not candidates:
            anchor_was = anchor
            family = list(children.get(anchor, ()))
            if anchor in parent_of:
                family += [k for k in children[parent_of[anchor]] if k != anchor]
            candidates = [
                k
                for _, _, k in sorted(
                    (values[k], order.index(k), k) for k in family if k not in hidden and values[k] > 0
                )
            ]
            if (
                not candidates
                and anchor in parent_of
                and parent_of[anchor] not in hidden
                and values[parent_of[anchor]] > 0
            ):
                candidates = [parent_of[anchor]]
            anchor = parent_of.get(anchor)
        if not candidates:
            break  # nothing left to hide: only the labels are published
        if beside_small and candidates != [parent_of.get(anchor_was)]:
            # Every one of them, each with its parts (shown, they would add up to it): which is hidden then
            # follows from which sums are hidden, never from their numbers ("the smallest that fixes it" would
            # say it was smaller than the one left shown).
            for key in candidates:
                for part in _walk(key, children):
                    if part not in hidden and values[part] > 0:
                        hidden[part] = "secondary"
            continue
        # The smallest count that makes this one safe on its own; else the smallest, and look again.
        chosen = next((k for k in candidates if failing_key_after(k) != failing), candidates[0])
        hidden[chosen] = "secondary"
    # A part that is the only one of its count is that count, and reads as it does ("fewer than 5", or "0 to 4"
    # when that count is itself a part that may be none).
    inside: set[Hashable] = set()
    for key in _walk(root, children):
        if key in under_primary and (len(children.get(parent_of[key], ())) > 1 or parent_of[key] in inside):
            inside.add(key)
    return {
        key: ((INSIDE_PRIMARY if key in inside else PRIMARY) if hidden[key] == "primary" else SECONDARY)
        if key in hidden
        else values[key]
        for key in values
    }


def _walk(root: Hashable, children: Mapping[Hashable, Sequence[Hashable]]):
    """The tree's keys, parents before their children."""
    yield root
    for kid in children.get(root, ()):
        yield from _walk(kid, children)


def suppress_partition(
    cells: Mapping[K, int], total: int | None = None, *, beside_small: bool = False
) -> tuple[Count, dict[K, Count]]:
    """A breakdown whose cells add up to a published total: (shown total, shown cells). `beside_small`: as
    `protect` has it (a "fewer than 5" hides every other non-zero cell)."""
    total = sum(cells.values()) if total is None else total
    root = object()
    values: dict[Any, int] = {root: total, **cells}
    result = protect(values, {root: list(cells)}, root, beside_small=beside_small)
    return result[root], {key: result[key] for key in cells}


def suppress_nested(
    cells: Mapping[K, int], groups: Mapping[str, Sequence[K]]
) -> tuple[Count, dict[K, Count], dict[str, Count]]:
    """A two-level breakdown (cells inside groups inside their total): (total, cells, groups)."""
    root = object()
    group_keys = {name: ("group", name) for name in groups}
    values: dict[Any, int] = {root: sum(cells.values()), **cells}
    tree: dict[Any, list[Any]] = {root: list(group_keys.values())}
    for name, members in groups.items():
        values[group_keys[name]] = sum(cells[m] for m in members)
        tree[group_keys[name]] = list(members)
    loose = [key for key in cells if not any(key in members for members in groups.values())]
    tree[root] += loose
    result = protect(values, tree, root)
    return result[root], {key: result[key] for key in cells}, {name: result[group_keys[name]] for name in groups}


def share(part: Count | None, whole: Count | None) -> float | None:
    """A proportion in [0, 1], or None when either figure is hidden or the whole is zero."""
    part, whole = shown(part), shown(whole)
    if part is None or not whole:
        return None
    return part / whole


# --- Redaction ---------------------------------------------------------------------------

_WORD = r"[A-Za-z][A-Za-z'’-]*"
_CAP = r"[A-Z][a-z'’-]+"

EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.I)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,30}")
SOCIAL = re.compile(
    r"\b(?:snap(?:chat)?|insta(?:gram)?|ig|tik\s?tok|twitter|x|fb|facebook|discord|twitch|youtube|whats\s?app|telegram)"
    r"(?:\s+(?:name|username|user|handle|id|account|is|me|on|at|:|-)){0,3}\s*[:\-]?\s*"
    r"(?=\S*[\d_.])[A-Za-z0-9_.]{3,30}\b",
    re.I,
)
PHONE = re.compile(r"(?<!\w)(?:\+|00)?(?:\d[\s().-]{0,2}){9,13}\d(?!\w)")
DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
STREET_WORDS = (
    r"street|st|road|rd|lane|ln|avenue|ave|close|cl|drive|dr|way|court|ct|crescent|cres|place|pl|"
    r"gardens|gdns|grove|terrace|hill|park|view|walk|row|square|sq|mews|rise|green|parade|estate"
)
ADDRESS = re.compile(
    rf"\b(?:flat|apartment|apt|unit|room|house)\s*(?:no\.?\s*)?\d+[a-z]?\b"
    rf"|\b\d+[a-z]?,?\s+(?:{_WORD}\s+){{1,3}}(?:{STREET_WORDS})\b\.?",
    re.I,
)
# Words that end an address where a sentence goes on ("i live in Leeds with my nan": the nan stays).
_AFTER_ADDRESS = (
    r"with|and|but|because|cos|coz|now|since|for|near|where|who|which|so|when|then|till|until|my|it|its|is|was"
)
LIVE_AT = re.compile(
    rf"\b(i\s+live\s+(?:at|on|in)|i'?m\s+(?:at|on)|my\s+address\s+is|address:?)\s+"
    rf"((?:(?!(?:{_AFTER_ADDRESS})\b)(?:{_WORD}|\d+)[\s,]*){{1,5}})",
    re.I,
)
INSTITUTION = (
    r"academy|school|college|primary|grammar|sixth\s+form|high|secondary|uni|university|"
    r"pru|learning\s+centre|comp|form"
)
# Words that can stand before "school" without naming one ("my school", "a new school").
_GENERIC_BEFORE_SCHOOL = {
    "my",
    "the",
    "a",
    "an",
    "our",
    "your",
    "his",
    "her",
    "their",
    "this",
    "that",
    "new",
    "old",
    "next",
    "secondary",
    "primary",
    "high",
    "special",
    "boarding",
    "local",
    "different",
    "same",
    "at",
    "to",
    "in",
    "from",
    "go",
    "went",
    "goes",
    "going",
    "attend",
    "attends",
    "i",
    "and",
    "but",
    "or",
    "of",
    "for",
    "with",
    "another",
    "other",
    "mainstream",
    "private",
    "state",
    "catholic",
    "church",
    "good",
    "bad",
    "rubbish",
    "stupid",
    "big",
    "small",
    "after",
    "before",
    "about",
    "hate",
    "love",
    "like",
    "is",
    "was",
    "last",
    "first",
    # Words about moving or missing school, and who did it ("they moved me school", "had to change
    # school", "got moved school again"): none of them is a school's name.
    "me",
    "us",
    "him",
    "them",
    "you",
    "he",
    "she",
    "we",
    "they",
    "it",
    "move",
    "moved",
    "moving",
    "change",
    "changed",
    "changing",
    "switch",
    "switched",
    "swapped",
    "left",
    "leave",
    "leaving",
    "miss",
    "missed",
    "missing",
    "skip",
    "skipped",
    "start",
    "started",
    "starting",
    "finish",
    "finished",
    "got",
    "get",
    "gets",
    "getting",
    "back",
    "off",
    "out",
    "again",
    "still",
    "never",
    "not",
    "no",
    "any",
    "every",
    "whole",
    "during",
    "when",
    "so",
    "because",
    "cos",
}
SCHOOL = re.compile(rf"((?:{_WORD}\.?\s+){{1,4}}?)((?:{INSTITUTION})(?:\s+(?:{INSTITUTION}))*)\b", re.I)

# Common given names of young people and of the adults around them. Lower-case matches are
# allowed only for names that are not also everyday words.
_NAMES = """
aaliyah aaron abbie abdul abigail adam aidan aiden alex alexander alfie ali alice alisha amara amelia amir amy
andrew andy angela ann anna anne archie aria ashley ayesha bailey becky ben bethany billy bradley brandon
callum cameron carl carly caroline casey charlie charlotte chelsea chloe chris christopher ciara claire connor
courtney craig daisy dan daniel danielle darren dave david dean declan demi dylan eleanor elijah elizabeth
ella ellie emily emma erin ethan eve evie freddie freya gary gemma george georgia grace hannah harley harriet
harrison harry harvey hayley helen holly ibrahim imogen isaac isabel isabella isabelle isla jack jacob jade
jake james jamie jane jasmine jason jay jaydee jayden jenny jess jessica joe joel john jordan joseph josh
joshua julie karen kate katie kayla keira kelly kian kieran kyle lacey laura lauren layla leah leon lewis
liam lily lisa logan lola louis louise lucas lucy luke macy maddison madison maisie maria mason matthew
megan mia michael michelle millie mohammed molly muhammad nathan niamh nicola noah oliver olivia oscar owen
paige paul phoebe poppy rachel reece rebecca rhys riley robert ruby ryan sam samantha samuel sara sarah scarlett
sean shannon sienna sophia sophie stacey stephen steve steven summer tanya taylor thomas tia tom tommy tracey
tyler victoria william yasmin zac zach zak zara zoe
""".split()
_NAMES_CAPITALISED_ONLY = {
    "will",
    "may",
    "faith",
    "hope",
    "rose",
    "mark",
    "bill",
    "dawn",
    "joy",
    "april",
    "sky",
    "jack",
    "grace",
    "summer",
    "holly",
    "ruby",
    "poppy",
    "amber",
    "daisy",
    "chance",
}
NAME_LOWER = re.compile(r"\b(" + "|".join(n for n in _NAMES if n not in _NAMES_CAPITALISED_ONLY) + r")\b", re.I)
NAME_CAPITALISED = re.compile(r"\b(" + "|".join(sorted(n.capitalize() for n in _NAMES_CAPITALISED_ONLY)) + r")\b")
_STOP_AFTER_NAME = {
    "and",
    "but",
    "or",
    "i",
    "im",
    "i'm",
    "x",
    "xx",
    "xxx",
    "lol",
    "is",
    "was",
    "the",
    "a",
    "to",
    "from",
    "here",
    "she",
    "he",
    "they",
    "we",
    "it",
    "my",
    "me",
    "you",
    "not",
    "so",
    "also",
    "in",
    "on",
    "at",
    "age",
    "aged",
    "years",
    "yrs",
    "because",
    "cos",
    "coz",
    "who",
    "has",
    "had",
}
NAME_TRIGGER = re.compile(
    rf"\b(my\s+name\s+is|my\s+names|my\s+name's|name\s*:|i\s+am\s+called|i'?m\s+called|call\s+me|they\s+call\s+me|"
    rf"it'?s|this\s+is|signed|from|love|regards|thanks|cheers)\s+({_WORD})(\s+{_WORD})?",
    re.I,
)
_ROLES = (
    r"social\s+worker|sw|carer|foster\s+(?:carer|mum|dad|mom)|key\s*worker|support\s+worker|pa|"
    r"personal\s+advis[eo]r|iro|teacher|tutor|mentor|manager|worker|mum|mom|dad|nan|nanna|grandad|brother|"
    r"sister|bro|sis|cousin|auntie|aunt|uncle|friend|mate|boyfriend|girlfriend|bf|gf|partner"
)
ROLE_NAME = re.compile(rf"\b((?:{_ROLES})s?(?:\s+(?:is|was))?(?:\s+called)?)\s+({_CAP})(\s+{_CAP})?")
# Where young people put a name: after a role ("my carers Jo and Pete", "my PA, Dave,"), after "by",
# "with", "and", "called", "named". There any word that is not English (nor slang, text-speak or a
# word from the theme lists: "sw", "camhs", "xbox") is taken for a name, lower case too ("kayleigh").
# A typo there is hidden too ("help with [name] lessons"): 22 of the 4,309 ordinary replies in
# tests/data/risk_corpus.jsonl and messages.jsonl (0.5%) lose a misspelt word that way.
NAME_POSITION = re.compile(
    rf"\b((?:(?:{_ROLES})s?(?:\s+(?:is|was|are|were))?(?:\s+(?:called|named))?|by|with|and|&|called|named),?)"
    rf"\s+({_WORD})",
    re.I,
)
TITLE_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Miss)\.?\s+{_CAP}(?:\s+{_CAP})?")
# A capitalised word that follows a found first name is a surname.
_AFTER_NAME = re.compile(rf"\[name\](\s+{_CAP})+")
# A street with no house number: "Tything Road", "elm road", "Oak Close". Words that are also
# everyday nouns ("no way", "a safe place", "to court") count only with a capital ("Hill Close").
_STREETS = r"road|street|avenue|lane|crescent|grove|gardens|terrace"
_STREETS_CAPITALISED = r"close|way|place|court|drive"
STREET = re.compile(
    rf"\b({_WORD})\s+({_STREETS}|{_STREETS_CAPITALISED})\b"
    r"(?!\s+(?:lights?|lamps?|lighting|food|art|crossing|signs?|safety|works|names?|cred|dance|clothes|wear|trip))",
    re.I,
)
# Words before a street word that do not name one ("cross the road", "a busy road", "the high street").
_GENERIC_BEFORE_STREET = _GENERIC_BEFORE_SCHOOL | {
    "busy",
    "main",
    "more",
    "better",
    "safer",
    "nice",
    "long",
    "short",
    "quiet",
    "dark",
    "back",
    "side",
    "wrong",
    "right",
    "open",
    "same",
    "whole",
    "every",
    "each",
    "one",
    "no",
    "any",
    "some",
    "which",
    "what",
    "whose",
    "across",
    "along",
    "down",
    "up",
    "off",
    "on",
    "by",
    "near",
    "over",
    "into",
    "onto",
    "cross",
    "crossed",
    "crossing",
    "dirt",
    "dual",
    "country",
    "bus",
    "cycle",
    "fast",
    "slow",
    "memory",
    "ring",
    "slip",
    "its",
    "it's",
    "you",
    "me",
    "him",
    "them",
    "us",
}
# Courts a young person may have to go to: "Family Court" names no one's street or home.
_COURTS = {"family", "youth", "crown", "county", "magistrates", "magistrates'", "supreme", "civil", "criminal"}
_GENERIC_BEFORE_STREET |= _COURTS
# A home, hostel or other place by its name: "Oakfield House", "Rose Lodge", "Sunny View", "Elm Farm".
# Capitalised, so "in the house" and "a big house" stay; the words before the name that do not
# name one stay too ("at my House", "Family Court", "City Hall"). Lower case counts only straight
# after "at", "from", "to"... and a word no list knows ("at oakfield house"), not an everyday word
# or a relative ("at nans house"), nor after "my" ("my last fotser house" keeps its typo).
_PLACE_WORDS = r"house|lodge|court|view|grange|hall|close|farm|cottages?|manor"
_PLACE_NAMES = "|".join(word.capitalize() for word in _PLACE_WORDS.split("|"))
# In capitals too ("OAKFIELD HOUSE"): in a quote that is all capitals, only a name no word list knows.
PLACE = re.compile(rf"\b((?:[A-Z][\w'’-]*\s+){{1,3}})({_PLACE_NAMES}|{_PLACE_WORDS.upper()})\b")
PLACE_LOWER = re.compile(
    r"\b(at|from|to|in|into|near|outside|round|called)\s+([a-z][a-z'’-]*)\s+"
    r"(?:house|lodge|grange|hall|farm|cottage|manor)\b"
)
_GENERIC_BEFORE_PLACE = (
    {
        "me",
        "we",
        "you",
        "he",
        "she",
        "they",
        "it",
        "its",
        "it's",
        "care",
        "foster",
        "children's",
        "childrens",
        "kids",
        "group",
        "residential",
        "supported",
        "town",
        "city",
        "village",
        "community",
        "sports",
        "dinner",
        "dining",
        "school",
        "church",
        "white",
        "open",
        "full",
        "tree",
        "dolls",
        "haunted",
        "bouncy",
    }
    | _GENERIC_BEFORE_SCHOOL
    | _COURTS
)
# Everyday things called "... House" or "... Hall" that are not where anyone lives: "Animal House" (a film),
# "Hell House", "the Tree House", "Big Brother House", "Sports Hall", "Food Court".
_NOT_A_HOME = {
    "house": {
        "animal",
        "hell",
        "dream",
        "doll",
        "party",
        "tree",
        "light",
        "play",
        "glass",
        "mad",
        "guest",
        "bath",
        "coffee",
        "ware",
        "green",
        "wendy",
        "opera",
        "court",
        "haunted",
        "safe",
        "halfway",
        "brother",
        "ghost",
        "fun",
        "pizza",
        "pancake",
        "steak",
        "chop",
        "wash",
        "boat",
        "beach",
        "summer",
        "club",
        "music",
        "bounce",
        "escape",
        "horror",
        "crack",
        "drug",
        "trap",
        "gingerbread",
        "mouse",
        "sorting",
    },
    "hall": {
        "sports",
        "sport",
        "exam",
        "assembly",
        "main",
        "music",
        "concert",
        "dance",
        "pool",
        "study",
        "food",
        "bingo",
        "mess",
        "lecture",
        "sports'",
        "entrance",
        "great",
        "royal",
        "albert",
        "festival",
        "prayer",
        "scout",
    },
    "court": {"tennis", "basketball", "netball", "football", "food", "squash", "badminton", "juvenile", "high"},
    "farm": {"ant", "wind", "city", "fun", "solar", "fish", "server", "troll", "bot", "click", "petting", "pig"},
    "view": {"street", "point", "birds", "bird's", "rear", "side", "top", "front", "first", "full", "preview"},
    "close": {"up"},
}
# Trees, flowers and the like that homes are named after: in lower case too they make a home's name
# ("i hate beech house", "at willow lodge"), unlike "my nans house" or "a big house".
_HOME_NAME_WORDS = (
    "beech|oak|oaks|elm|elms|ash|rose|ivy|holly|willow|willows|cedar|cedars|laurel|laurels|maple|birch|pine|"
    "hazel|rowan|yew|lime|limes|chestnut|sycamore|poplar|hawthorn|heather|lavender|primrose|bramble|meadow|"
    "orchard|larch|alder|hornbeam|juniper|linden|magnolia|briar|bluebell|foxglove|thistle|clover|fern|"
    "ferndale|oakfield|ashfield|elmfield|brookfield|greenfield|rosewood|oakwood|elmwood|beechwood|ashwood"
)
HOME_NAME_LOWER = re.compile(
    rf"(?<![\w'’])(?<!my )(?<!our )(?<!a )(?<!an )(?<!your )(?<!his )(?<!her )(?<!their )"
    rf"(?:{_HOME_NAME_WORDS})\s+(?:house|lodge|grange|hall|farm|cottage|manor|court|view)\b"
)
# "moved to the Willows", "staying at the Beeches", "placed at the Grange": where a young person
# lives, named by "the" and a capitalised plural or place word.
# In lower case, a home's name that is a tree's or a flower's ("back at the willows"); in capitals, as
# with a capital unless the whole quote is in capitals ("MOVED TO THE SHOPS").
_HOME_PLURALS = (
    "willows|laurels|beeches|limes|elms|oaks|cedars|poplars|hollies|firs|pines|maples|birches|sycamores|"
    "chestnuts|larches|rowans|hawthorns|yews|hazels|alders|junipers|magnolias|gables|chimneys|paddocks|"
    "orchards|brambles|briars|bluebells|foxgloves|heathers|lindens|hornbeams|conifers|evergreens"
)
THE_PLACE = re.compile(
    r"\b((?i:moved|move|moving|lived|live|living|stayed|stay|staying|placed|placement|back)"
    r"(?:\s+(?i:me|us|him|her|them))?(?:\s+(?i:in|into|to|at|with))?\s+(?i:the))\s+"
    rf"([A-Z][a-z'’-]+s|[A-Z]{{2,}}S|{_PLACE_NAMES}|{_PLACE_WORDS.upper()}|{_HOME_PLURALS})\b"
)
# Where a young person lives or was placed, named by a word no list knows or a name with a capital:
# "back at Willowbrook now", "moved to Fernlea", "placed at Greystones", "staying at Willow Brook".
# Not an everyday word ("back at school", "living at home", "moved to foster care") nor a shop ("back at
# Tesco"), nor a typo of one ("moved to saturddays"). Someone's home by their name ("staying at Kayleighs")
# is hidden too, as a name is.
RESIDENCE = re.compile(
    r"\b((?i:back|moved|move|moving|placed|staying|stay|stayed|live|living|lived)"
    r"(?:\s+(?i:me|us|him|her))?\s+(?i:at|to|in|into))\s+"
    rf"({_WORD})((?:\s+[A-Z][\w'’-]*)*)"
)
# A school by a short form ("i go to Kingsley", "the teachers at Nunnery Wood"): after "go to", "went to",
# "started at", "excluded from"... or "at", a word no list knows or capitalised words that are not everyday
# ones, in a quote about school (it says school, teacher, year 9, lessons...).
SCHOOL_CONTEXT = re.compile(
    r"\b(?:school|skool|skl|teachers?|headteacher|head\s+teacher|year\s*\d+|yr\s*\d+|y\d+|class(?:es)?|"
    r"lessons?|detention|excluded|exclusion|uniform|gcses?|sixth\s+form|pupils?|tutor\s+group|form\s+tutor|"
    r"senco|sen|ehcp|homework|exams?|bullied|bullying|playground|college)\b",
    re.I,
)
SCHOOL_SHORT = re.compile(
    r"\b((?:(?i:go|goes|going|went|started|start|starting|moved|move|moving|changed|transferred)\s+(?i:to|at)"
    r"|(?i:excluded|kicked\s+out|expelled)\s+(?i:from|of)|(?i:at)))\s+"
    rf"({_WORD})((?:\s+[A-Z][\w'’-]*)*)"
)
# Shops, chains and brands are not identifying by themselves ("back at Tesco", "staying at Travelodge"):
# there is one in every town. A town after them is ("Tesco in Droitwich": the town is hidden).
_SHOPS = frozenset(
    """tesco tescos asda aldi lidl morrisons sainsburys sainsbury waitrose iceland coop co-op spar primark greggs
    nandos mcdonalds maccies maccys mcds kfc subway costa starbucks boots argos wilko wilkos poundland
    superdrug currys wetherspoons spoons dominos ikea matalan tkmaxx asos amazon jd footlocker smyths cex
    odeon vue cineworld puregym travelodge premier primarks tescoes youtube tiktok snapchat instagram
    netflix roblox fortnite minecraft xbox playstation discord whatsapp""".split()
)
# A saint's name: "St Mary's", "st marys", "St. John's", "Saint Anne's"; a school, church or
# hospital that narrows a young person to a handful ("St Mary's Academy" is a [school] already).
SAINT = re.compile(r"\b(?:(?i:st\.?|saint)\s+(?i:[a-z][a-z-]+['’]?s)|(?:St\.?|S(?i:aint))\s+[A-Z][a-z-]+)\b")
# An email address spelled out to get past a filter: "ruby dot w at gmail", "jo_b at hotmail dot co dot uk".
_MAIL_PROVIDERS = r"gmail|googlemail|hotmail|outlook|yahoo|ymail|icloud|aol|btinternet|protonmail|proton|msn"
SPOKEN_EMAIL = re.compile(
    r"\b(?!(?:me|us|him|her|them|you|it)\s)[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+(?:at|@)\s+"
    rf"(?:(?:{_MAIL_PROVIDERS})\b(?:\s*(?:\.|dot)\s*[\w-]+)*"
    r"|[\w-]+(?:\s*(?:\.|\bdot)\s*(?:com|co|uk|org|net|ac|gov|sch|me|io)\b)+)",
    re.I,
)
_MERGE = re.compile(r"\[(address|postcode)\](?:[\s,]*\[(?:address|postcode)\])+")
_REPEAT = re.compile(r"\[(\w+)\](?:[\s,]*\[\1\])+")


def _redact_school(match: re.Match) -> str:
    words = match.group(1).split()
    # Everything up to the last everyday word stays ("I go to"); what follows is the school's name.
    last_generic = max(
        (i for i, word in enumerate(words) if word.lower().strip(".'’") in _GENERIC_BEFORE_SCHOOL), default=-1
    )
    if last_generic == len(words) - 1:
        return match.group(0)
    prefix = " ".join(words[: last_generic + 1])
    return (prefix + " " if prefix else "") + "[school]"


def _redact_trigger(match: re.Match) -> str:
    first, second = match.group(2), match.group(3)
    trigger = match.group(1).lower()
    strong = trigger.startswith(("my name", "name", "i am called", "im called", "i'm called", "call me", "they call"))
    if not strong and not (
        first[0].isupper()
        and first.lower() not in _STOP_AFTER_NAME
        and (
            NAME_LOWER.fullmatch(first)
            or NAME_CAPITALISED.fullmatch(first)
            or trigger in {"signed", "love", "regards", "thanks", "cheers"}
        )
    ):
        return match.group(0)
    if first.lower() in _STOP_AFTER_NAME:
        return match.group(0)
    tail = ""
    if second and (second.strip().lower() in _STOP_AFTER_NAME or not (strong or second.strip()[0].isupper())):
        tail = second
    return f"{match.group(1)} [name]{tail}"


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Words that are not names: English (with slang and text-speak) and the theme lists' words."""
    theme_words = {
        word
        for theme in load_themes().values()
        for term in theme["terms"]
        for word in re.findall(r"[a-z]+", term.lower())
    }
    return english_words() | theme_words


def _is_known_word(word: str) -> bool:
    """True for an everyday word as the lists have it ("hadnt", "kayleigh's" as "hadn't", "kayleigh").
    No endings or typos are allowed: "andy" is "and" + "y", "justin" "just" + "in"; a misspelt word in a
    name position is hidden, which costs less than a name shown."""
    word = word.lower().replace("\u2019", "'").removesuffix("'s").replace("'", "")
    known = _known_words()
    return word in known or (word.endswith("nt") and word[:-2] in known)


def _redact_name_position(match: re.Match) -> str:
    word = match.group(2)
    return match.group(0) if _is_known_word(word) else f"{match.group(1)} [name]"


def _redact_street(match: re.Match) -> str:
    before, street = match.group(1), match.group(2)
    if before.lower() in _GENERIC_BEFORE_STREET:
        return match.group(0)
    if street.lower() in _STREETS_CAPITALISED.split("|") and not street[0].isupper() and _is_known_word(before):
        return match.group(0)
    return "[address]"


def _capitals_mark_names(text: str) -> bool:
    """True when a capital letter in this quote says "a name": the quote is not all in capitals, nor
    Every Word Capitalised (there a capital says nothing)."""
    words = [w for w in _TOKEN.findall(text) if len(w) > 1 and w not in {"I'm", "I’m", "Im", "I'd", "I've", "I'll"}]
    if not words:
        return False
    capitals = sum(1 for w in words if w.isupper())
    titled = sum(1 for w in words if w[0].isupper() and not w.isupper())
    return capitals * 2 <= len(words) and titled * 2 <= len(words)


def _redact_place(match: re.Match) -> str:
    words = match.group(1).split()
    place = match.group(2).lower()
    if words[-1].lower().strip(".,'’") in _NOT_A_HOME.get(place, ()):
        return match.group(0)  # "Animal House", "Sports Hall"
    if match.group(2).isupper() and (words[-1].isupper() or not _capitals_mark_names(match.string)):
        # In capitals: only a name no list knows, or a tree's ("OAKFIELD HOUSE", "BEECH HOUSE"); capitals on
        # an everyday word are for loudness ("a NICE HOUSE", and any in a quote all in capitals).
        name = words[-1].lower().strip(".,'’")
        if _is_everyday(name) and not re.fullmatch(_HOME_NAME_WORDS, name):
            return match.group(0)
    # Everything up to the last word that names no place stays ("at my", "Family").
    last_generic = max(
        (i for i, word in enumerate(words) if word.lower().strip(".,'’") in _GENERIC_BEFORE_PLACE), default=-1
    )
    if last_generic == len(words) - 1:
        return match.group(0)
    prefix = " ".join(words[: last_generic + 1])
    return (prefix + " " if prefix else "") + "[place]"


def _redact_place_lower(match: re.Match) -> str:
    before = match.group(2)
    stem = before.replace("\u2019", "'").removesuffix("'s").removesuffix("'")
    if (
        before in _GENERIC_BEFORE_PLACE
        or _is_known_word(stem)
        or (stem.endswith("s") and _is_known_word(stem[:-1]))  # "my nans house"
    ):
        return match.group(0)
    return f"{match.group(1)} [place]"


def _redact_saint(match: re.Match) -> str:
    # "Wall St Journal", "Fore St. Then": a street after a capitalised word, not a saint.
    before = re.search(r"(\S+)\s+$", match.string[: match.start()])
    if (
        before
        and before.group(1)[0].isupper()
        and before.group(1) != "I"
        and not match.group(0).lower().startswith("saint")
    ):
        return match.group(0)
    return "[place]"


def _redact_the_place(match: re.Match) -> str:
    name = match.group(2)
    if name.isupper() and not _capitals_mark_names(match.string):
        # "MOVED TO THE SHOPS": in a quote all in capitals, only a home's name.
        lower = name.lower()
        if _is_everyday(lower) and not re.fullmatch(_HOME_PLURALS, lower) and lower not in _PLACE_WORDS.split("|"):
            return match.group(0)
    return f"{match.group(1)} [place]"


def _names_somewhere(word: str, rest: str, text: str) -> bool:
    """True when `word` (and the capitalised words after it, `rest`) after "back at", "go to"... names a
    place: a word no list knows, or a name in capitals that is not an everyday word nor a shop's."""
    lower = word.lower().replace("\u2019", "'")
    stem = lower.removesuffix("'s").replace("'", "")
    known = (
        _is_known_word(stem)
        or is_english(stem)  # a typo of an English word: "moved to saturddays"
        or (stem.endswith("s") and _is_known_word(stem[:-1]))  # "back at my mates", "nans"
        or stem in _SHOPS
        or (stem.endswith("s") and stem[:-1] in _SHOPS)
        or (stem.endswith("es") and stem[:-2] in _SHOPS)
    )
    if not known:
        return True
    # "back at Willow Brook": a name of capitalised words
    return word[0].isupper() and bool(rest.strip()) and _capitals_mark_names(text) and stem not in _SHOPS


def _redact_residence(match: re.Match) -> str:
    if _names_somewhere(match.group(2), match.group(3), match.string):
        return f"{match.group(1)} [place]"
    return match.group(0)


def _redact_school_short(match: re.Match) -> str:
    word = match.group(2)
    if (
        match.group(1).lower() == "at"
        and not (word[0].isupper() and _capitals_mark_names(match.string))
        or not _names_somewhere(word, match.group(3), match.string)
    ):
        return match.group(0)  # "at" and a word in lower case says too little: "at lunch", "at break"
    return f"{match.group(1)} [school]"


# --- Towns, villages, estates, counties and council areas (places.txt) -------------------------

_PLACES_FILE = Path(__file__).with_name("places.txt")
_TOKEN = re.compile(r"(?<![\w'’])[A-Za-z]+(?:['’][A-Za-z]+)*")
# A word before a place's name that makes another place of it ("New York"), and words that make part of
# the same place ("North Worcester": hidden).
_NAME_BEFORE_PLACE_KEEPS = frozenset("new".split())
_COMPASS = frozenset(
    "north south east west northern southern eastern western central great little upper lower old".split()
)
_DETERMINERS = frozenset("the a an my your his her our their this that these those".split())
# Words after which a capitalised everyday word is a place: "in Reading", "from Bath", "near Wells".
_PLACE_PREPOSITIONS = frozenset(
    "in from to near at outside round around towards toward into nr via between across through".split()
)
# Names that are everyday words but hardly ever used so after "in", "from"...: there lower case counts too.
_LOWER_AFTER_PREPOSITION = frozenset("derby hull hove slough stoke stirling epsom barking reddish grays".split())
# Everyday words the word lists lack.
_EVERYDAY_EXTRA = frozenset("rugby".split())
# Small words inside a place's name that need no capital ("Stoke-on-Trent", "Isle of Wight").
_PLACE_LINKS = frozenset("on upon in le la under of the and by next sea super de".split())


def _norm(word: str) -> str:
    return word.lower().replace("'", "").replace("\u2019", "")


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """Words in everyday use as words, not only as names: the tagger lexicon's lower-case words with a tag
    other than proper noun ("reading", "bath", "hope"; not "london", which its spelling list has),
    text-speak, slang and the theme lists' words."""
    words: set[str] = set(SPELLINGS) | set(SLANG) | set(TEXT_SPEAK) | _EVERYDAY_EXTRA
    with (TEXTBLOB_DIR / "en-lexicon.txt").open(encoding="utf-8") as fh:
        for line in fh:
            word, *tags = line.split()
            if word.islower() and not line.startswith(";;;") and set(tags) - {"FW", "NNP", "NNPS"}:
                words.add(word.replace("'", ""))
    theme_words = {
        w for theme in load_themes().values() for term in theme["terms"] for w in re.findall(r"[a-z]+", term)
    }
    return frozenset(words | theme_words)


def _is_everyday(word: str) -> bool:
    return _norm(word) in _everyday_words()


@lru_cache(maxsize=4096)
def _slip_of_everyday(word: str) -> bool:
    """True for a word one slip (a letter doubled, dropped or two swapped) from an everyday word."""
    everyday = _everyday_words()
    slips = {word[:i] + word[i + 1 :] for i in range(len(word))}
    slips |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    slips |= {word[:i] + letter + word[i:] for i in range(1, len(word)) for letter in "abcdefghijklmnopqrstuvwxyz"}
    return squeeze(word) in everyday or not everyday.isdisjoint(slips)


@lru_cache(maxsize=1)
def _listed_places() -> tuple[str, ...]:
    """The names in places.txt."""
    lines = _PLACES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@lru_cache(maxsize=8)
def _place_index(extra: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    """Each place's words (lower case, no apostrophes) by its first word, longest first."""
    index: dict[str, set[tuple[str, ...]]] = {}
    for name in (*_listed_places(), *extra):
        words = tuple(_norm(w) for w in _TOKEN.findall(name))
        if words:
            index.setdefault(words[0], set()).add(words)
    return {first: sorted(phrases, key=len, reverse=True) for first, phrases in index.items()}


@lru_cache(maxsize=4096)
def _everyday_place(phrase: tuple[str, ...]) -> bool:
    """True for a place whose every word is an everyday word ("reading", "west ham"). Asked only once a
    quote names a place, so a summary whose quotes name none never reads the lexicon."""
    return all(w in _PLACE_LINKS or w in _everyday_words() for w in phrase)


def _place_stands(text: str, tokens: list[re.Match], start: int, size: int, everyday: bool, names: bool) -> bool:
    """Whether the place name at tokens[start:start + size] is meant as a place here."""
    words = [t.group() for t in tokens[start : start + size]]
    before = tokens[start - 1] if start else None
    after_preposition = (
        before is not None
        and _norm(before.group()) in _PLACE_PREPOSITIONS
        and text[before.end() : tokens[start].start()].strip() == ""
    )
    capitalised = all(w[0].isupper() for w in words if _norm(w) not in _PLACE_LINKS)
    gap = text[before.end() : tokens[start].start()] if before is not None else ""
    sentence_start = before is None or bool(re.search(r"[.!?:;\n]", gap))
    following = tokens[start + size] if start + size < len(tokens) else None
    end = tokens[start + size - 1].end()
    if before is not None and _norm(before.group()) in _NAME_BEFORE_PLACE_KEEPS and gap == " ":
        return False  # "New York", "new york"
    if names and capitalised and before is not None:
        # Part of a longer name: "Denzel Washington", "Aston-Martin"; not "North Worcester", "Tesco Droitwich".
        word = _norm(before.group())
        if (
            gap == " "
            and before.group()[0].isupper()
            and before.group() != "I"
            and word not in _PLACE_PREPOSITIONS | _DETERMINERS | _COMPASS | _SHOPS
        ):
            return False
        if following is not None and following.group()[0].isupper() and text[end : following.start()] == "-":
            return False
    if not everyday:
        if after_preposition:
            return True
        if size == 1 and (len(words[0]) <= 3 or _slip_of_everyday(_norm(words[0]))):
            # A short name, or one a slip away from an everyday word ("keeps tring", "woking hard"), counts
            # only after "in", "from"... or with a capital that says "a name".
            return capitalised and names and not sentence_start
        return True
    if not capitalised:
        return after_preposition and " ".join(_norm(w) for w in words) in _LOWER_AFTER_PREPOSITION
    if after_preposition:
        return True  # "in Reading", "from Bath", "IN BATH"
    if before is None or not names or sentence_start or re.search(r"\w", gap) or _norm(before.group()) in _DETERMINERS:
        return False  # the first word of a sentence, capitals that say nothing, or a title ("the Rye")
    if before.group()[0].isupper() and before.group() != "I":
        return False  # part of a longer name: "the High Street", "Tunbridge Wells" is listed whole
    if following is not None and following.group()[0].isupper() and text[end : following.start()] == " ":
        return False  # "Street Dance", "Hope Street"
    return True


def _joined(text: str, first: re.Match, second: re.Match) -> bool:
    """True when two words are one name's: only spaces or a hyphen between them ("Stoke-on-Trent")."""
    return re.fullmatch(r"[\s-]+", text[first.end() : second.start()]) is not None


def _redact_towns(text: str, extra: frozenset[str]) -> str:
    index = _place_index(extra)
    tokens = [t for t in _TOKEN.finditer(text) if not (t.start() and text[t.start() - 1] == "[")]
    if not any(_norm(t.group()) in index for t in tokens):
        return text
    names = _capitals_mark_names(text)
    norms = [_norm(t.group()) for t in tokens]
    out: list[str] = []
    last = 0
    i = 0
    while i < len(tokens):
        size = 0
        for phrase in index.get(norms[i], ()):
            n = len(phrase)
            if (
                tuple(norms[i : i + n]) == phrase
                and all(_joined(text, tokens[k], tokens[k + 1]) for k in range(i, i + n - 1))
                and _place_stands(text, tokens, i, n, _everyday_place(phrase), names)
            ):
                size = n
                break
        if size:
            out += [text[last : tokens[i].start()], "[place]"]
            last = tokens[i + size - 1].end()
            i += size
        else:
            i += 1
    return "".join(out) + text[last:]


def redact(text: str, places: Iterable[str] = ()) -> str:
    """The text with names, phone numbers, emails, addresses, postcodes, schools, homes, towns and other
    named places, handles and links replaced. `places`: more place names to hide, as places.txt's are
    (the council's own area names)."""
    text = URL.sub("[link]", text)
    text = EMAIL.sub("[email]", text)
    text = SPOKEN_EMAIL.sub("[contact]", text)
    text = SOCIAL.sub("[handle]", text)
    text = HANDLE.sub("[handle]", text)
    text = DATE.sub("[date]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = PHONE.sub("[phone]", text)
    text = LIVE_AT.sub(lambda m: f"{m.group(1)} [address] ", text)
    text = ADDRESS.sub("[address]", text)
    text = STREET.sub(_redact_street, text)
    text = SCHOOL.sub(_redact_school, text)
    text = SAINT.sub(_redact_saint, text)
    text = PLACE.sub(_redact_place, text)
    text = THE_PLACE.sub(_redact_the_place, text)
    text = PLACE_LOWER.sub(_redact_place_lower, text)
    text = HOME_NAME_LOWER.sub("[place]", text)
    text = NAME_TRIGGER.sub(_redact_trigger, text)
    text = ROLE_NAME.sub(lambda m: f"{m.group(1)} [name]", text)
    text = TITLE_NAME.sub("[name]", text)
    text = NAME_LOWER.sub("[name]", text)
    text = NAME_CAPITALISED.sub("[name]", text)
    text = _redact_towns(text, frozenset(p for p in places if p and p.strip()))
    text = RESIDENCE.sub(_redact_residence, text)
    if SCHOOL_CONTEXT.search(text):
        text = SCHOOL_SHORT.sub(_redact_school_short, text)
    text = NAME_POSITION.sub(_redact_name_position, text)
    text = _AFTER_NAME.sub("[name]", text)
    text = _MERGE.sub("[address]", text)
    text = _REPEAT.sub(lambda m: f"[{m.group(1)}]", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def mostly_redacted(text: str) -> bool:
    """True when redaction has left too little of a quote to be worth showing."""
    words = text.split()
    hidden = sum(1 for word in words if word.strip(".,!?;:").startswith("[") and word.strip(".,!?;:").endswith("]"))
    return len(words) - hidden < 4 or hidden * 3 > len(words)

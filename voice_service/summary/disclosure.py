"""Statistical disclosure control and quote redaction: pure functions over plain data.

Published counts are of people. A count of 1 to 4 is suppressed (shown as "fewer than 5");
when cells of a breakdown add up to a published total, more cells are suppressed until no
hidden cell, and no hidden group of cells, can be worked out by subtraction. Zero is shown:
it describes nobody.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence

THRESHOLD = 5
SUPPRESSED_LABEL = "fewer than 5"


def is_small(count: int | None) -> bool:
    """True for a count that would describe fewer than 5 people (but some)."""
    return count is not None and 0 < count < THRESHOLD


def suppress_count(count: int | None) -> int | None:
    """A single published count: None when it is 1 to 4."""
    return None if count is None or is_small(count) else count


def suppress_partition(cells: Mapping[Hashable, int], total: int | None = None) -> dict[Hashable, int | None]:
    """Suppress a breakdown whose cells add up to a published total (None marks a hidden cell).

    Primary: any cell of 1-4. Secondary: while exactly one cell is hidden, or the hidden cells
    together come to 1-4 (so their sum, total minus the shown cells, would identify people), also
    hide the smallest shown non-zero cell. A total that is itself hidden hides every cell.
    """
    if total is not None and suppress_count(total) is None:
        return {key: None for key in cells}
    hidden = {key for key, count in cells.items() if is_small(count)}
    while hidden:
        hidden_sum = sum(cells[key] for key in hidden)
        if len(hidden) >= 2 and not is_small(hidden_sum):
            break
        candidates = sorted((count, str(key), key) for key, count in cells.items() if key not in hidden and count > 0)
        if not candidates:
            break
        hidden.add(candidates[0][2])
    return {key: (None if key in hidden else count) for key, count in cells.items()}


def suppress_nested(
    cells: Mapping[Hashable, int], groups: Mapping[Hashable, Sequence[Hashable]], total: int | None = None
) -> tuple[dict[Hashable, int | None], dict[Hashable, int | None]]:
    """Suppress a two-level breakdown (cells inside groups inside a total), as (cells, groups).

    The groups are protected against the total first; a hidden group hides all its cells;
    then each shown group's cells are protected against that group's count. Protecting each
    level against the level above stops differences between published figures giving a
    hidden cell away.
    """
    group_counts = {name: sum(cells[key] for key in members) for name, members in groups.items()}
    shown_groups = suppress_partition(group_counts, total)
    shown_cells: dict[Hashable, int | None] = {}
    for name, members in groups.items():
        if shown_groups[name] is None:
            shown_cells.update({key: None for key in members})
        else:
            shown_cells.update(suppress_partition({key: cells[key] for key in members}, shown_groups[name]))
    for key in cells:
        shown_cells.setdefault(key, suppress_count(cells[key]))
    return shown_cells, shown_groups


def share(part: int | None, whole: int | None) -> float | None:
    """A proportion in [0, 1], or None when either figure is hidden or the whole is zero."""
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
LIVE_AT = re.compile(
    rf"\b(i\s+live\s+(?:at|on|in)|i'?m\s+(?:at|on)|my\s+address\s+is|address:?)\s+((?:{_WORD}|\d+)[\s,]*){{1,5}}", re.I
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
ROLE_NAME = re.compile(
    rf"\b((?:social\s+worker|sw|carer|foster\s+(?:carer|mum|dad|mom)|key\s*worker|support\s+worker|pa|"
    rf"personal\s+advis[eo]r|iro|teacher|tutor|mentor|manager|worker|mum|mom|dad|nan|nanna|grandad|brother|"
    rf"sister|bro|sis|cousin|auntie|aunt|uncle|friend|mate|boyfriend|girlfriend|bf|gf|partner)"
    rf"(?:\s+(?:is|was))?(?:\s+called)?)\s+({_CAP})(\s+{_CAP})?"
)
TITLE_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Miss)\.?\s+{_CAP}(?:\s+{_CAP})?")
# A capitalised word that follows a found first name is a surname.
_AFTER_NAME = re.compile(rf"\[name\](\s+{_CAP})+")
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


def redact(text: str) -> str:
    """The text with names, phone numbers, emails, addresses, postcodes, schools, handles and links replaced."""
    text = URL.sub("[link]", text)
    text = EMAIL.sub("[email]", text)
    text = SOCIAL.sub("[handle]", text)
    text = HANDLE.sub("[handle]", text)
    text = DATE.sub("[date]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = PHONE.sub("[phone]", text)
    text = LIVE_AT.sub(lambda m: f"{m.group(1)} [address] ", text)
    text = ADDRESS.sub("[address]", text)
    text = SCHOOL.sub(_redact_school, text)
    text = NAME_TRIGGER.sub(_redact_trigger, text)
    text = ROLE_NAME.sub(lambda m: f"{m.group(1)} [name]", text)
    text = TITLE_NAME.sub("[name]", text)
    text = NAME_LOWER.sub("[name]", text)
    text = NAME_CAPITALISED.sub("[name]", text)
    text = _AFTER_NAME.sub("[name]", text)
    text = _MERGE.sub("[address]", text)
    text = _REPEAT.sub(lambda m: f"[{m.group(1)}]", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def mostly_redacted(text: str) -> bool:
    """True when redaction has left too little of a quote to be worth showing."""
    words = text.split()
    hidden = sum(1 for word in words if word.strip(".,!?;:").startswith("[") and word.strip(".,!?;:").endswith("]"))
    return len(words) - hidden < 4 or hidden * 3 > len(words)

"""Read answers the way young people text them, and match answers against branch conditions.

Every parser returns None when it can't be sure: the conversation then re-asks
once and, failing that, keeps the words as free text. Guessing wrong would put
a young person's answer on the wrong side of a chart, which is worse.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from voice_service.engine.keywords import normalise, plain_punctuation
from voice_service.surveys.conditions import ANY, compile_when
from voice_service.surveys.model import Branch, Question

NUMBER_WORDS = {
    "zero": 0,
    "nil": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

# Welsh numbers, for a run in Welsh (`RunState.language` "cy"), with the forms a number takes after "rhif" (number)
# or "dewis" (choose) and the feminine forms ("dwy", "tair", "pedair"); and the ordinals a choice is named by ("y
# cyntaf", "yr ail"). Only in a Welsh run: "un" or "pump" mean nothing else there, but "ail" or "naw" might in a
# reply in English, and asking again is better than reading a wrong number.
WELSH_NUMBER_WORDS = {
    "dim": 0,
    "un": 1,
    "dau": 2,
    "ddau": 2,
    "dwy": 2,
    "ddwy": 2,
    "tri": 3,
    "dri": 3,
    "tair": 3,
    "dair": 3,
    "pedwar": 4,
    "bedwar": 4,
    "pedair": 4,
    "bedair": 4,
    "pump": 5,
    "bump": 5,
    "pum": 5,
    "bum": 5,
    "chwech": 6,
    "chwe": 6,
    "saith": 7,
    "wyth": 8,
    "naw": 9,
    "deg": 10,
    "ddeg": 10,
    "cyntaf": 1,
    "gyntaf": 1,
    "ail": 2,
    "trydydd": 3,
    "drydydd": 3,
    "trydedd": 3,
    "drydedd": 3,
    "pedwerydd": 4,
    "bedwerydd": 4,
    "pedwaredd": 4,
    "bedwaredd": 4,
    "pumed": 5,
    "bumed": 5,
}
# "dim" is a number only standing alone: "dim un" (not one), "dim syniad" (no idea) are not 0 and 1.
_WELSH_ZERO_ALONE = "dim"
_WELSH_AND_ENGLISH = NUMBER_WORDS | WELSH_NUMBER_WORDS
_WELSH_NOT_ALONE = {word: n for word, n in _WELSH_AND_ENGLISH.items() if word != _WELSH_ZERO_ALONE}

# Faces as a position on the scale, 0.0 = lowest, 1.0 = highest. Never a shrug (🤷): it says "don't know", so it
# is asked again as "idk" is, and never counted as the middle of the scale on the panel's chart (trial, 7 December).
EMOJI_LEVELS = {
    **dict.fromkeys(["😭", "😢", "😞", "😩", "😫", "💔", "😡", "😠", "😖"], 0.0),
    **dict.fromkeys(["☹", "🙁", "😕", "😟", "😔", "😒", "😣"], 0.25),
    **dict.fromkeys(["😐", "😑", "😶"], 0.5),
    **dict.fromkeys(["🙂", "😊", "☺", "👍", "😀", "😃", "👌"], 0.75),
    **dict.fromkeys(["😁", "😍", "🥰", "😄", "🤩", "❤", "💯", "🥳", "😆"], 1.0),
}
KEYCAPS = {f"{d}\ufe0f\u20e3": str(d) for d in range(10)} | {f"{d}\u20e3": str(d) for d in range(10)}
KEYCAPS["🔟"] = "10"

# Variation selectors and skin tones change how an emoji looks, not what it means.
_MODIFIERS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_WORD = re.compile(r"[a-z0-9']+")
_FRACTION = re.compile(r"(\d+)\s*(?:/|out of|outta|of)\s*(\d+)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


# Quotes around an answer ('yes', "4") are not part of it; an apostrophe inside a word is ("i'm", "don't").
_QUOTES = re.compile(r"\"|(?<![a-z])'|'(?![a-z])")


def _clean(text: str) -> str:
    """Lower-case, straighten punctuation (`keywords.plain_punctuation`) and drop quotes around words, turn keycap
    emoji into digits and drop emoji modifiers."""
    text = _QUOTES.sub(" ", plain_punctuation(text.strip().lower()))
    if "\u20e3" in text or "🔟" in text:  # every keycap but 🔟 ends in U+20E3: most texts have none
        for keycap, digit in KEYCAPS.items():
            text = text.replace(keycap, f" {digit} ")
    return _MODIFIERS.sub("", text)


def _number_words(welsh: bool) -> dict[str, int]:
    """The number words read: English, and Welsh too in a Welsh run."""
    return _WELSH_AND_ENGLISH if welsh else NUMBER_WORDS


def numbers_in(text: str, welsh: bool = False) -> list[float]:
    """Every number in the text, written as digits or as a word (a Welsh word too, for a run in Welsh)."""
    words = _number_words(welsh)
    found = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]
    found += [float(words[w]) for w in _WORD.findall(text) if w in words]
    return found


# Words that may come before a number that is the answer: "prob 4", "i'd say 2", "its a 3", "number 3".
_LEADS = frozenset(
    {
        "i",
        "i'd",
        "id",
        "i'll",
        "ill",
        "i'm",
        "im",
        "would",
        "say",
        "think",
        "guess",
        "reckon",
        "prob",
        "probs",
        "probably",
        "maybe",
        "defo",
        "def",
        "deffo",
        "defs",
        "definitely",
        "its",
        "it's",
        "it",
        "is",
        "a",
        "an",
        "number",
        "num",
        "option",
        "answer",
        "hmm",
        "hm",
        "um",
        "umm",
        "erm",
        "uh",
        "er",
        "like",
        "kinda",
        "more",
        "about",
        "around",
        "give",
        "put",
        "pick",
        "choose",
        "go",
        "with",
        "rate",
        "feel",
        "honestly",
        "tbh",
        "ok",
        "okay",
        "well",
        "so",
        "oh",
        "yeah",
        "yea",
        "ya",
        "yes",
        "yh",
        "ye",
        "just",
        "solid",
        "lol",
    }
)
# The same, in Welsh ("rhif 3", "y cyntaf", "dwi'n meddwl 2", "yr un cyntaf"), for a run in Welsh.
_WELSH_LEADS = frozenset(
    {
        "y",
        "yr",
        "rhif",
        "dewis",
        "opsiwn",
        "ateb",
        "dwi'n",
        "fi'n",
        "meddwl",
        "dweud",
        "tua",
        "wel",
        "ym",
        "ymm",
        "mae'n",
    }
)
# Words after a number that make it a count, a time or an amount in a sentence, not an answer: "3 times",
# "in 2 days", "at 10 pm", "one of them", "2 schools".
_COUNTS = frozenset(
    {
        "time",
        "times",
        "x",
        "day",
        "days",
        "week",
        "weeks",
        "wk",
        "wks",
        "weekend",
        "weekends",
        "month",
        "months",
        "year",
        "years",
        "yr",
        "yrs",
        "hour",
        "hours",
        "hr",
        "hrs",
        "min",
        "mins",
        "minute",
        "minutes",
        "sec",
        "secs",
        "second",
        "seconds",
        "night",
        "nights",
        "am",
        "pm",
        "o'clock",
        "oclock",
        "ago",
        "of",
        "more",
        "placement",
        "placements",
        "move",
        "moves",
        "home",
        "homes",
        "house",
        "houses",
        "school",
        "schools",
        "carer",
        "carers",
        "people",
        "kids",
        "children",
        "brother",
        "brothers",
        "sister",
        "sisters",
        "siblings",
        "friends",
        "meals",
        "quid",
        "pound",
        "pounds",
        "p",
        "pence",
        "k",
        "hundred",
        "thousand",
        # Welsh: "3 gwaith" (3 times), "2 ddiwrnod", "tri o blant"
        "gwaith",
        "waith",
        "diwrnod",
        "ddiwrnod",
        "diwrnodau",
        "wythnos",
        "wythnosau",
        "mis",
        "misoedd",
        "blwyddyn",
        "blynedd",
        "mlynedd",
        "awr",
        "oriau",
        "munud",
        "o",
    }
)
# A number with letters or a sign stuck to it ("10pm", "3rd", "y9", "£5", "7:30") is a time, an amount or a
# place in a list, never a plain answer.
_ANSWER_TOKEN = re.compile(r"[a-z'£$€#]*\d+(?:[.,:]\d+)*[a-z'%]*|[a-z']+")
_PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _stands_as_answer(text: str, welsh: bool = False) -> bool:
    """True when the text's number (number words already digits) is given as the answer: first, or after
    words that only lead up to one ("3", "3 i guess", "prob 4", "i'd say 2 tbh", "number 3", "3 - it's ok"),
    and not a count, a time or an amount in a sentence ("ive moved 3 times", "in 2 days", "since i was 5",
    "year 9", "at 10pm"). Asking again is better than guessing wrong."""
    tokens = _ANSWER_TOKEN.findall(text)
    places = [i for i, token in enumerate(tokens) if any(c.isdigit() for c in token)]
    if not places or any(_PLAIN_NUMBER.fullmatch(tokens[i]) is None for i in places):
        return False
    if any(i + 1 < len(tokens) and tokens[i + 1] in _COUNTS for i in places):
        return False
    return all(token in _LEADS or (welsh and token in _WELSH_LEADS) for token in tokens[: places[0]])


def _digits(text: str, welsh: bool = False) -> str:
    """Number words as digits ("four" -> "4"; "pedwar" too in a Welsh run), so "four/5" and "four out of five" read
    like "4/5"."""
    words = _number_words(welsh)
    if welsh and text.split() != [_WELSH_ZERO_ALONE]:
        words = _WELSH_NOT_ALONE
    return _WORD.sub(lambda m: str(words.get(m.group(), m.group())), text)


def _emoji_level(text: str) -> float | None:
    """The scale position of the faces in the text, if they all agree."""
    levels = set()
    for emoji, level in EMOJI_LEVELS.items():
        if _MODIFIERS.sub("", emoji) in text:
            levels.add(level)
    return levels.pop() if len(levels) == 1 else None


def _round(value: float) -> int:
    """Round halves up (Python's round() sends 2.5 to 2)."""
    return math.floor(value + 0.5)


# A number written below zero, as the whole answer's start: "-1", "- 2", "−3" (a minus sign), "minus 1".
_NEGATIVE = re.compile(
    r"^\s*(?:[-\u2212\u2013\u2014]\s*\d|minus\s+(?:\d|one|two|three|four|five|ten)\b)", re.IGNORECASE
)


# A message that is only a number ("7", "-1", "0.", "+9", "minus 2"): a try at a number answer, with no words to keep.
_ONLY_A_NUMBER = re.compile(r"\s*(?:[-+\u2212\u2013\u2014]\s*|minus\s+)?\d+(?:[.,]\d+)?\s*[.!?]*\s*", re.IGNORECASE)


def only_a_number(text: str) -> bool:
    """True when the whole message is one number and nothing else ("7", "-1", "8!"): at a question answered by a
    number it is a try at the answer, never words to keep in their place (trial 9, T9-B)."""
    return _ONLY_A_NUMBER.fullmatch(text) is not None


# Words enough that a reply the question cannot read is something they told us, not a try at the answer.
TELLS_US_WORDS = 8


def tells_us_more(text: str) -> bool:
    """True when a reply a yes-or-no or choice question cannot read is words of their own to keep, not a try
    at the answer to ask again: TELLS_US_WORDS words or more, asking nothing ("?") and not unsure ("not sure what
    you mean"). A trial's 2,000 characters about a placement, sent to a yes-or-no question, got "Is that a yes or a
    no?" and were never kept as the answer."""
    cleaned = _clean(text)
    if "?" in text or _UNSURE.search(cleaned):
        return False
    return len(cleaned.split()) >= TELLS_US_WORDS


def parse_scale(text: str, lo: int, hi: int, language: str = "en") -> int | None:
    """A number on the scale lo..hi from "4", "four", "4/5", "its a 4", "5️⃣" or a face; else None (for a run in
    Welsh, `language` "cy", "pedwar" and "rhif 4" too)."""
    welsh = language == "cy"
    if _NEGATIVE.match(text):
        return None  # "-1" is below any scale here, not a 1 (nor "Not safe"): asked again
    cleaned = _digits(_welsh_letters(_clean(text), welsh), welsh)
    fractions = _FRACTION.findall(cleaned)
    if len(fractions) == 1:
        top, bottom = int(fractions[0][0]), int(fractions[0][1])
        rest = _FRACTION.sub(" ", cleaned)
        if numbers_in(rest) or bottom <= 0 or top > bottom:
            return None
        if bottom == hi:
            return top if lo <= top <= hi else None
        # Marks out of another total ("8/10" on a 1-5 scale) keep their proportion.
        return _round(lo + (top / bottom) * (hi - lo))
    if len(fractions) > 1:
        return None
    numbers = set(numbers_in(cleaned))
    if len(numbers) == 1:
        value = numbers.pop()
        if value != int(value) or not lo <= value <= hi or not _stands_as_answer(cleaned, welsh):
            return None  # "ive moved 3 times this year": a count in a sentence, not the answer
        return int(value)
    if numbers:
        return None  # "2 or 3", "3-4": the young person hasn't picked one
    level = _emoji_level(cleaned)
    if level is None:
        return None
    return _round(lo + level * (hi - lo))


YES_WORDS = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yea",
        "ye",
        "yep",
        "yup",
        "ya",
        "yah",
        "yeh",
        "yas",
        "yass",
        "yh",
        "ok",
        "okay",
        "k",
        "kk",
        "sure",
        "deffo",
        "defo",
        "def",
        "definitely",
        "absolutely",
        "totally",
        "course",
        "aye",
        "true",
        "correct",
        "yesh",
        "mhm",
        "uhuh",
        "👍",
        "✅",
        "✔",
        "👌",
        "☑",
    }
)
NO_WORDS = frozenset(
    {
        "no",
        "n",
        "nah",
        "nope",
        "naa",
        "na",
        "nay",
        "never",
        "nop",
        "noo",
        "nada",
        "👎",
        "❌",
        "✖",
        "🚫",
    }
)
# Checked before single words, so "not sure" is not read as "sure".
UNSURE_PHRASES = (
    "not sure",
    "unsure",
    "dunno",
    "don't know",
    "dont know",
    "do not know",
    "idk",
    "maybe",
    "kind of",
    "kinda",
    "sort of",
    "sorta",
    "sometimes",
    "depends",
    "yes and no",
    "yes or no",
    "not always",
    "a bit",
    "don't understand",
    "dont understand",
    "what do you mean",
)
NO_PHRASES = (
    "not really",
    "no way",
    "not at all",
    "definitely not",
    "defo not",
    "deffo not",
    "def not",
    "of course not",
    "course not",
    "absolutely not",
    "totally not",
    "certainly not",
    "obviously not",
    "obvs not",
    "hell no",
    "i don't",
    "i dont",
    "i do not",
    "i'm not",
    "im not",
    "i am not",
    "not yet",
    "i haven't",
    "i havent",
    "i can't",
    "i cant",
    "not rly",
)
YES_PHRASES = (
    "of course",
    "for sure",
    "i do",
    "i am",
    "i have",
    "i can",
    "yes please",
    "no problem",
    "no worries",
    "why not",
    "all good",
    "go on",
    "go for it",
)


# Welsh, for a run in Welsh (`RunState.language` "cy"): its questions say "Ateba IE neu NA", and a Welsh yes or no
# answers the verb of the question ("Wyt ti...?" "Ydw" / "Nac ydw"; "Oes...?" "Oes" / "Nac oes"). Only in a Welsh
# run: "ie" is also i.e. typed without its dots, and asking again is better than reading an English answer wrong.
# Not "do" (yes to a question in the past: English "do i have to"), which no Welsh question here asks.
WELSH_YES_WORDS = frozenset({"ie", "ia", "ydw", "ydy", "ydi", "ydyn", "oes", "gallaf", "galla", "cei", "iawn"})
WELSH_NO_WORDS = frozenset({"na", "nage", "naci", "naddo", "nac", "ddim", "dim", "byth"})
# Checked first, as UNSURE_PHRASES are: "ddim yn siwr" is not a "ddim", "dim syniad" (no idea) is not a "dim".
WELSH_UNSURE_PHRASES = (
    "ddim yn siwr",
    "dim yn siwr",
    "dwn i ddim",
    "dwn im",
    "dwnim",
    "sa i'n gwybod",
    "sai'n gwybod",
    "ddim yn gwybod",
    "dim syniad",
    "weithiau",
    "efallai",
    "falle",
    "ella",
    "braidd",
    "mewn ffordd",
    "ie a na",
    "ie neu na",
)
# Welsh letters with a to bach (ŵ, ŷ, â...) are often typed without it: read alike.
_WELSH_LETTERS = str.maketrans("âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ", "aeiouwyaeiouwyaeiouwyaeiouwy")


def _welsh_letters(text: str, welsh: bool) -> str:
    """In a Welsh run, the text with letters typed with a to bach (or other marks) read as without."""
    return text.translate(_WELSH_LETTERS) if welsh else text


def _phrases(phrases: Sequence[str]) -> re.Pattern[str]:
    """One pattern finding any of the phrases as whole words (compiled once, at import, not per message)."""
    return re.compile(r"(?<![a-z'])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z'])")


def _opening_phrases(phrases: Sequence[str]) -> re.Pattern[str]:
    """One pattern matching any of the phrases as whole words at the start of the text."""
    return re.compile(r"(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z'])")


_UNSURE = _phrases(UNSURE_PHRASES)
_WELSH_UNSURE = _phrases(WELSH_UNSURE_PHRASES)
# Openings that start with "no" or "not" but answer nothing: "no idea", "no comment", "not telling". Asked again
# (and then kept in their own words), never counted as a NO. Only at the start: "yes but they have no idea" is yes.
NOT_AN_ANSWER_OPENINGS = (
    "no idea",
    "no clue",
    "no comment",
    "not telling",
    "not saying",
    "not gonna say",
    "not going to say",
    "rather not say",
    "prefer not to say",
    "no one's business",
    "no ones business",
    "nobody's business",
    "nobodys business",
    "never mind",
    "nevermind",
    "nvm",
)
_NOT_AN_ANSWER = _opening_phrases(NOT_AN_ANSWER_OPENINGS)
_NOT_APPLICABLE = re.compile(r"(?<![a-z])n\s*/\s*a(?![a-z])")
_NO_OPENING = _opening_phrases(NO_PHRASES)
_YES_OPENING = _opening_phrases(YES_PHRASES)
# "i have", "i do": a yes only as the whole answer ("i have", "yes i have", "i do yeah"), never the start of a
# sentence that says something else ("i have a question", "i have a tutor now").
_WHOLE_ANSWER_ONLY = frozenset({"i do", "i am", "i have", "i can"})
# Words that only lead up to the answer ("um yeah", "well ok", "lol yes"), and words that may follow a
# whole-answer phrase ("i have tho").
_YES_NO_LEADS = frozenset(
    {
        "um",
        "umm",
        "erm",
        "er",
        "uh",
        "uhh",
        "hmm",
        "hm",
        "mm",
        "well",
        "oh",
        "ah",
        "lol",
        "haha",
        "so",
        "actually",
        "honestly",
        "ngl",
        "tbh",
        "tbf",
    }
)
# Longer leads, taken off the front first: "not gonna lie yes" is a yes, not a "not".
_LEAD_PHRASES = re.compile(r"^(?:(?:not gonna lie|not going to lie|to be honest|to be fair)\b[\s,.!]*)+")
# One letter is a yes or no only on its own (or with words that may follow an answer): "y do u need to know"
# and "y r u texting me" ask why, and "n/a" is no answer.
_LETTERS = frozenset({"y", "n"})
_YES_NO_TAILS = frozenset({"tho", "though", "lol", "x", "xx", "thanks", "thx", "ty", "still", "too", "please", "pls"})
_REPEATED_LETTER = re.compile(r"(.)\1+")
_TOKEN = re.compile(r"[a-z']+|[^\sa-z0-9'.,!?]")


def _squeeze(word: str) -> str:
    """Collapse runs of a repeated letter: "yesss" -> "yes", "noooo" -> "no"."""
    return _REPEATED_LETTER.sub(r"\1", word)


def _signal(token: str, welsh: bool = False) -> bool | None:
    """True if the word or emoji means yes, False if no, None if neither (in Welsh too, for a Welsh run)."""
    for form in (token, _squeeze(token)):
        if form in YES_WORDS or (welsh and form in WELSH_YES_WORDS):
            return True
        if form in NO_WORDS or (welsh and form in WELSH_NO_WORDS):
            return False
    return None


# "ok" agrees to what was offered: "Reply YES to start" (an invitation, the welcome) is taken up by "ok" as by YES
# (`parse_yes_no`). To a question ("Do you feel listened to at your reviews?") it answers nothing: "ok" to what?
# There it is asked again, as any reply that can't be read is (`parse_yes_no_answer`), beside a yes or no it is
# neither ("ok yes" is yes, "ok no" no), and a thumbs up, "sure" or "yeah" still say yes.
OK_WORDS = frozenset({"ok", "okay", "k", "kk"})
WELSH_OK_WORDS = frozenset({"iawn"})  # "fine", "ok": a yes to starting, but no answer to a yes or no question


def parse_yes_no_answer(text: str, language: str = "en") -> bool | None:
    """The answer to a yes or no question: as `parse_yes_no`, but "ok" (`OK_WORDS`, and Welsh "iawn") says neither,
    so a bare "ok", "okay" or "ok thanks" is None (asked again) while "ok yes" is yes and "ok no" no."""
    return parse_yes_no(text, language, ok_is_yes=False)


def parse_yes_no(text: str, language: str = "en", *, ok_is_yes: bool = True) -> bool | None:
    """True for yes ("yeah", "yep", "👍"), False for no ("nah", "not really", "👎"), None if unsure; for a run in
    Welsh (`language` "cy") Welsh too ("ie", "ydw", "oes"; "na", "nage", "nac ydw"; "ddim yn siwr" is unsure).
    `ok_is_yes` False: "ok" only leads up to an answer, as "um" does (`parse_yes_no_answer`, at a question).

    Only an answer counts: the message must open with it, after words that only lead up to it ("um yeah"),
    and a yes-word inside a sentence is none ("school is going better now i have a tutor", "can i have
    sleepovers" are asked again, as a number in a sentence is for a scale: `_stands_as_answer`). Young people
    lead with the answer ("yeah but the food's rubbish"), so what follows it does not change it."""
    welsh = language == "cy"
    cleaned = _welsh_letters(_clean(text), welsh)
    if not cleaned or _UNSURE.search(cleaned) or (welsh and _WELSH_UNSURE.search(cleaned)):
        return None
    if _NOT_APPLICABLE.search(text.lower()):
        return None
    tokens = _TOKEN.findall(_LEAD_PHRASES.sub("", cleaned))
    ok_words = OK_WORDS | WELSH_OK_WORDS if welsh else OK_WORDS
    leads = _YES_NO_LEADS if ok_is_yes else _YES_NO_LEADS | ok_words
    if not ok_is_yes:
        tokens = [_squeeze(token) if _squeeze(token) in ok_words else token for token in tokens]  # "okkk"
    start = 0
    while start < len(tokens) and tokens[start] in leads:
        start += 1
    if _NOT_AN_ANSWER.match(" ".join(tokens[start:])):
        return None  # "no idea", "not telling": no answer at all
    if start < len(tokens) and tokens[start] == "not":
        return False  # "not very", "not rly"
    # The answer's opening: yes/no words and phrases, one after another ("yes i have", "yeah not really").
    words: list[bool] = []
    phrases: list[bool] = []
    i = start
    while i < len(tokens):
        rest = " ".join(tokens[i:])
        if (found := _NO_OPENING.match(rest)) is not None:
            phrases.append(False)
        elif (found := _YES_OPENING.match(rest)) is not None:
            after = tokens[i + len(found.group().split()) :]
            whole = all(_signal(token, welsh) is not None or token in _YES_NO_TAILS for token in after)
            if found.group() in _WHOLE_ANSWER_ONLY and not whole:
                break
            phrases.append(True)
        elif not ok_is_yes and tokens[i] in ok_words:
            i += 1  # "yeah ok", "ok 👍": the ok says nothing either way
            continue
        elif (signal := _signal(tokens[i], welsh)) is not None:
            if tokens[i] in _LETTERS and not all(
                _signal(token, welsh) is not None or token in _YES_NO_TAILS for token in tokens[i + 1 :]
            ):
                break
            words.append(signal)
            i += 1
            continue
        else:
            break
        i += len(found.group().split())
    if False in phrases:
        return False
    if phrases:
        return True
    # A no among them is meant: "yeah no" and "ok no" are no, and so is Welsh "nac ydw" ("no, I am not").
    return False if False in words else (True if words else None)


# Right after the help reply, "ok" or a thumbs up most likely means "I read that", not "start the survey".
_ACKNOWLEDGEMENTS = frozenset({"ok", "okay", "k", "kk", "mhm", "uhuh", "true", "correct", "👍", "👌", "thanks"})


def says_yes(text: str, language: str = "en") -> bool:
    """True for a clear YES (not "ok" or a thumbs up, which after the help reply most likely mean "I read that");
    in Welsh too for someone whose language is Welsh (`parse_yes_no`). A yes beside such words is still one: "ok
    yes", "yes thanks" (trial 9, T9-H: "ok yes" after "If you change your mind, just text YES" was thanked for)."""
    if parse_yes_no(text, language) is not True:
        return False
    words = normalise(text).replace("!", " ").replace(",", " ").split()
    rest = " ".join(word for word in words if word not in _ACKNOWLEDGEMENTS)
    return bool(rest) and parse_yes_no(rest, language) is True


_THANKS = frozenset({"thank", "you", "thx", "ty", "cheers", "ta", "x", "xx"})


def acknowledges(text: str) -> bool:
    """True when the whole message only says "I read that" ("ok", "ok thanks", "👍", "thank you"): after the
    help reply it is no answer to a question, even where "ok" would read as yes or a thumbs up as a 4."""
    words = _MODIFIERS.sub("", normalise(text)).replace("!", " ").replace(",", " ").split()
    return bool(words) and all(word in _ACKNOWLEDGEMENTS or word in _THANKS for word in words)


_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "my",
        "i",
        "i'm",
        "im",
        "it",
        "its",
        "it's",
        "is",
        "to",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "with",
        "be",
        "me",
        "option",
        "number",
        "no",
        "probably",
        "think",
        "say",
        "id",
        "i'd",
        "just",
        "um",
        "erm",
        "uh",
        "like",
        "prob",
        "defo",
        "def",
    }
)
# A choice that says "not" ("Not often") is never named by its other words alone: "often" is not "Not often".
_NEGATIONS = frozenset({"not", "never"})


def _norm_choice(text: str) -> str:
    """Lower-case words only, for comparing replies with choices."""
    return " ".join(_WORD.findall(_clean(text)))


def parse_choice(text: str, choices: Sequence[str], language: str = "en", translated: Sequence[str] = ()) -> str | None:
    """The choice meant by a number ("2"), its words, a unique prefix or a unique word; else None.

    For a run in Welsh (`language` "cy"), a Welsh number or ordinal too ("dau", "rhif 2", "yr ail"), and the words
    of `translated` (the question's Welsh choices, in the order of `choices`: "Weithiau" is "Sometimes"). The
    choice returned is always one of `choices`, so answers in either language are counted together."""
    welsh = language == "cy"
    cleaned = _welsh_letters(_clean(text), welsh)
    said = _norm_choice(cleaned)
    if not said:
        return None
    # Each choice's words in every language given, each pointing at the choice it names.
    named = list(zip(choices, choices))
    if len(translated) == len(choices):
        named += [(choice, _welsh_letters(words.lower(), welsh)) for choice, words in zip(choices, translated)]
    normal = [(choice, _norm_choice(words)) for choice, words in named]
    for choice, norm in normal:
        if said == norm:
            return choice
    if said in YES_WORDS or said in NO_WORDS:
        # A bare yes or no names no choice but one worded so ("no" is not "Not often", nor "yes" "Yes a lot"):
        # asked again, never stored as an answer they did not give (trial 15).
        return None
    numbers = set(numbers_in(_digits(cleaned, welsh)))
    if len(numbers) == 1:
        number = numbers.pop()
        # Only a number given as the answer: "i havent eaten in 2 days" is not choice 2 (its words may still
        # name a choice: "not really, moved 3 times").
        if number == int(number) and 1 <= number <= len(choices) and _stands_as_answer(_digits(cleaned, welsh), welsh):
            return choices[int(number) - 1]
    if len(numbers) > 1:
        return None

    def unique(test: Callable[[str], bool]) -> str | None:
        """The one choice passing the test (in any of its languages), or None if none or several do."""
        hits = {choice for choice, norm in normal if norm and test(norm)}
        return hits.pop() if len(hits) == 1 else None

    if len(said) >= 2 and (hit := unique(lambda norm: norm.startswith(said))):
        return hit
    if hit := unique(lambda norm: re.search(rf"(?<!\bnot )(?<!\bnever )\b{re.escape(norm)}\b", said) is not None):
        return hit
    words = [w for w in said.split() if w not in _FILLER]
    negated = not _NEGATIONS.isdisjoint(words)
    matched = {
        choice
        for word in words
        for choice, norm in normal
        if any(w == word or (len(word) >= 3 and w.startswith(word)) for w in norm.split())
        and (negated or _NEGATIONS.isdisjoint(norm.split()))
    }
    return matched.pop() if len(matched) == 1 else None


def matches_branch(branch: Branch, question: Question, value: object) -> bool:
    """True if an answer `value` to `question` meets the branch's `when` (None = skipped/unread)."""
    test = branch.test or compile_when(branch.when, question)
    return test(value)


def chosen_branch(question: Question, value: object) -> Branch | None:
    """The first branch the answer matches, or None to go on in file order."""
    for branch in question.branches:
        if matches_branch(branch, question, value):
            return branch
    return None


def choose_branch(question: Question, value: object) -> str | None:
    """The `goto` of the first branch the answer matches, or None to go on in file order."""
    branch = chosen_branch(question, value)
    return None if branch is None else branch.goto


__all__ = ["ANY", "choose_branch", "chosen_branch", "compile_when", "matches_branch"]

"""Whole-message keywords that work at any point in a conversation: STOP, START, HELP, SKIP."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Keyword = Literal["stop", "start", "help", "skip"]

# Twilio acts on these opt-out words itself (it blocks further messages), so the
# service must treat exactly the same words as STOP or its records would disagree.
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"})
# Not "yes": here YES means "start the survey", not "opt back in".
START_WORDS = frozenset({"start", "unstop"})
# Twilio opts a number that said STOP back in on these (its default opt-in words on long codes, YES
# among them), so an opted-out number's YES opts it back in here too, or the records would disagree.
TWILIO_OPT_IN_WORDS = START_WORDS | {"yes"}
HELP_WORDS = frozenset({"help", "info"})
# A message that is only question marks ("?", "??") asks what this is: HELP too. (Trailing punctuation is
# dropped before a keyword is matched, so this is checked on the text as sent.)
_ONLY_ASKING = re.compile(r"^\s*(?:[?？]\s*)+$")
# "dunno" is left out on purpose: it is an answer, and is stored as one. "Skip this one" is the web chat's button,
# and "Hepgor hwn" the same in a Welsh run ("hepgor": skip; `texts.WELSH_BUTTONS`).
SKIP_WORDS = frozenset(
    {"skip", "pass", "next", "skip it", "skip this", "skip this one", "skip question", "hepgor", "hepgor hwn"}
)

_TRAILING = re.compile(r"[\s.!?,;:]+$")
_SPACES = re.compile(r"\s+")

# Phone keyboards write curly apostrophes and quotes ("I’m", “yes”), long dashes, an ellipsis character and
# full-width marks: the same words as their plain forms. Every reading of a text (its keyword, its answer, what
# it asks) sees them straightened, here and only here; the text stored is never changed.
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark: the usual apostrophe of "I’m" on a phone
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2032": "'",  # prime
        "\u00b4": "'",  # acute accent, typed for an apostrophe
        "`": "'",
        "\u201c": '"',  # left and right double quotation marks
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",  # hyphens and dashes
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",  # ellipsis
        "\u00a0": " ",  # no-break and thin spaces
        "\u202f": " ",
        "\u2009": " ",
        "\uff1f": "?",  # full-width marks
        "\uff01": "!",
        "\uff0c": ",",
        "\uff0e": ".",
    }
)


def plain_punctuation(text: str) -> str:
    """The text with the punctuation phone keyboards vary straightened: curly quotes and apostrophes, dashes, an
    ellipsis character, full-width marks ("I’m ok…" reads as "I'm ok..."). For reading a text only."""
    return text.translate(_PLAIN_PUNCTUATION)


# The engine reads one text several times over (its keyword, whether it says yes, asks for a person or could take
# up an invitation again: five readings of a text-in), each from this: the last few texts' are kept (in memory
# only, as the request itself is), so each is worked out once. A few, not one: the keyword's reading normalises
# the normalised text again, and other threads' texts come in between.
@lru_cache(maxsize=8)
def normalise(text: str) -> str:
    """Lower-case, trim, straighten punctuation (`plain_punctuation`), collapse spaces and drop trailing punctuation."""
    return _SPACES.sub(" ", _TRAILING.sub("", plain_punctuation(text).strip().lower()))


# Asking us to stop, the way young people say it ("please stop", "stop texting me", "leave me alone").
# Twilio blocks only its exact keywords, so the service itself must honour these as STOP, or it keeps
# texting someone who asked it not to. Whole messages only: "my brother won't leave me alone" is not one.
_POLITE = r"(?:please|pls|plz|thanks|thank you|thx|ty|now|again|anymore|any more|ever again|x+)"
_OPT_OUT = re.compile(
    rf"^(?:{_POLITE}\s+)*(?:just\s+)?(?:"
    r"stop"
    r"|stop\s+(?:texting|messaging|txting|texing|sending|contacting|bothering)(?:\s+me)?(?:\s+(?:texts|messages))?"
    # "STOP ALL" as two words (trial of 7 December: it got "reply ... STOP if you'd rather not get texts"), "stop
    # the texts", "stop all messages".
    r"|stop\s+(?:all|(?:all\s+|the\s+|these\s+|your\s+)?(?:texts|messages|txts|msgs))(?:\s+(?:texts|messages))?"
    r"|(?:dont|do not|don't)\s+(?:text|message|txt|contact)\s+me"
    r"|leave\s+me\s+alone"
    r"|no\s+more\s+(?:texts|messages)"
    r"|unsubscribe\s+me"
    r"|opt\s+(?:me\s+)?out"
    r"|i\s+(?:want|wanna|would like|d like|'d like)\s+(?:to\s+)?(?:stop|unsubscribe|opt\s+out)"
    rf")(?:\s+{_POLITE})*$"
)
# An opt-out that names the texting itself, then a reason or politeness ("stop texting me pls im busy",
# "dont text me again i didnt sign up"): still STOP, whatever follows. Only these: a bare "stop", "leave me
# alone" or "i want it to stop" with more after it may be about someone else ("stop he is hurting me").
_OPT_OUT_WITH_REASON = re.compile(
    rf"^(?:{_POLITE}\s+)*(?:just\s+)?(?:"
    r"stop\s+(?:texting|messaging|txting|texing|contacting|bothering)\s+me"
    r"|stop\s+sending\s+(?:me\s+)?(?:any\s+more\s+|anymore\s+)?(?:texts|messages|these)"
    r"|(?:dont|do not|don't)\s+(?:text|message|txt|contact)\s+me"
    r"|no\s+more\s+(?:texts|messages)"
    r"|unsubscribe\s+me"
    r")\b\W*\s.+$"
)


# Asking us to stop in Welsh (trial 13, T13-16): the Welsh invitation says "STOP i stopio", and a Welsh speaker may
# answer "stopio", "stopia" or "stopiwch" (stop), "dim mwy" (no more), "dim diolch, stopia" (no thanks, stop), "paid â
# thecstio fi" (don't text me, â often typed "a", the mutation often left out), "gad lonydd i fi" (leave me alone) or
# "dwi isio stopio" (I want to stop). Whole messages only, and none with a reason after it, unlike English's: the
# screen cannot read Welsh, so "paid â thecstio fi, mae o'n ..." is for a person to read, never swallowed as STOP.
_POLITE_CY = (
    r"(?:dim\s+diolch|na\s+diolch|na|plis|plîs|diolch|sori|os\s+gwelwch\s+yn\s+dda|os\s+gweli\s+di'n\s+dda"
    r"|nawr|rwan|rŵan|eto|byth\s+eto|mwyach|please|pls|plz|thanks|now|x+)"
)
_ME_CY = r"(?:fi|i|mi|ni)"
_TEXTS_CY = r"(?:negeseuon(?:\s+testun)?|tecsts|decsts|texts|tecstiau|decstiau)"
# Texting, messaging or contacting me; sending texts (to me). "Tecstio" after "â" is "thecstio", and "dim mwy o"
# makes "tecsts" "decsts".
_TEXTING_ME_CY = (
    rf"(?:(?:th|t|d)(?:ecst|ext)io\s+{_ME_CY}|(?:fy\s+|')?nhecstio(?:\s+i)?|negesu\s+{_ME_CY}"
    rf"|(?:ch|c|g)ysylltu\s+(?:â|a|ag|efo|gyda)\s+{_ME_CY}"
    rf"|(?:anfon|gyrru|yrru)\s+(?:mwy\s+o\s+)?{_TEXTS_CY}(?:\s+(?:ata\s+i|ataf\s+i|i\s+fi|i\s+mi))?)"
)
_STOP_CY = r"(?:stopio|stopia|stopiwch)"
_OPT_OUT_CY = re.compile(
    rf"^(?:{_POLITE_CY}[\s,.!-]+)*(?:"
    rf"stop|{_STOP_CY}"
    rf"|{_STOP_CY}(?:'r\s+|\s+(?:y|yr)\s+|\s+){_TEXTS_CY}"
    rf"|{_STOP_CY}\s+{_TEXTING_ME_CY}"
    rf"|(?:paid|peidiwch)(?:\s+(?:â|a|ag))?\s*{_TEXTING_ME_CY}"
    rf"|dim\s+mwy(?:\s+o\s+{_TEXTS_CY})?"
    r"|(?:gad|gadewch)\s+(?:lonydd\s+i\s*(?:fi|mi|ni)|fi\s+fod)"
    r"|(?:dw\s*i|dwi|rydw\s+i|rwy|rwyf\s+i|fi)\s+(?:isio|eisiau|eisie|moyn|am)\s+stopio"
    rf")(?:[\s,.!-]+{_POLITE_CY})*$"
)


# Emoji and symbols around a keyword ("STOP 🛑", "👋 start"): young people add them, and they change nothing.
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")


def keyword_text(text: str) -> str:
    """The message as keywords are matched: normalised, with emoji and symbols at either end dropped."""
    return _AROUND.sub("", normalise(text))


def asks_to_stop(text: str) -> bool:
    """True when the whole message asks us to stop texting them (STOP words, or "please stop", "dont text me",
    also with a reason after a phrase that names the texting: "stop texting me pls im busy"; in Welsh, "stopio",
    "dim diolch, stopia")."""
    word = keyword_text(text)
    return only_asks_to_stop(word) or _OPT_OUT_WITH_REASON.match(word) is not None


def only_asks_to_stop(text: str) -> bool:
    """True when the message is a way of asking us to stop and nothing more ("stop", "please stop", "stopio",
    "dim diolch, stopia", "paid â thecstio fi"): read in full, with nothing left for a person to read."""
    word = keyword_text(text)
    return word in STOP_WORDS or _OPT_OUT.match(word) is not None or _OPT_OUT_CY.match(word) is not None


def opts_back_in(text: str) -> bool:
    """True when Twilio would opt a number that said STOP back in on this message (START, UNSTOP or YES)."""
    return keyword_text(text) in TWILIO_OPT_IN_WORDS


# The last text's answer is kept: the inbound path asks twice of each text (whether it could opt them back
# in, then the routing decision).
@lru_cache(maxsize=1)
def classify(text: str) -> Keyword | None:
    """Which keyword the whole message is, or None if it is not one."""
    word = keyword_text(text)
    if asks_to_stop(word):
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS or (not word and _ONLY_ASKING.match(text) is not None):
        return "help"
    if word in SKIP_WORDS:
        return "skip"
    return None


_PLEASE_CY = r"(?:(?:plis|please|pls)\s+)?"
# Asking for a person, in the words young people use. Whole phrases, so "I talked to someone
# at school" or "nobody calls me" do not count.
_PERSON = r"(?:some(?:one|body)|a (?:real |actual )?(?:person|human|worker)|(?:my|a) (?:social )?worker|you|u|anyone)"
_ASKING = r"(?:can i|could i|may i|can we|i want|i wanna|i need|i'd like|id like|need|want|pls|please)"
_WANTS_PERSON = re.compile(
    r"\b(?:"
    rf"{_ASKING}\s+(?:to\s+)?(?:talk|speak|chat)\s+(?:to|with)\s+{_PERSON}"
    rf"|(?:can|could|will|would|pls|please)\s+{_PERSON}\s+(?:call|ring|phone|text|contact)\s+me"
    r"|^(?:please\s+|pls\s+)?(?:call|ring|phone)\s+me(?:\s+(?:back|please|pls|plz|asap|now))*$"
    r"|(?:talk|speak)\s+to\s+(?:a\s+)?(?:real\s+)?(?:person|human)"
    # "i need help", "help me please", "can someone help me": a plea for help on its own (HELP alone is
    # the keyword; "i need help with my homework" is not a plea).
    r"|^(?:please\s+|pls\s+|plz\s+)?(?:i\s+)?(?:really\s+)?need\s+(?:some\s+)?help(?:\s+(?:please|pls|plz|now|asap))*$"
    r"|^(?:please\s+|pls\s+|plz\s+)?help\s+me(?:\s+(?:please|pls|plz|now|asap))*$"
    # "please help", "help please", "someone help me" (HELP alone stays the keyword).
    r"|^(?:please|pls|plz)\s+help(?:\s+(?:me|us))?(?:\s+(?:please|pls|plz|now|asap))*$"
    r"|^help\s+(?:please|pls|plz|asap)(?:\s+(?:please|pls|plz|now|asap))*$"
    r"|^(?:some(?:one|body)|any(?:one|body))\s+(?:please\s+|pls\s+)?help\s+me(?:\s+(?:please|pls|plz|now|asap))*$"
    rf"|(?:can|could|will|would|pls|please)\s+{_PERSON}\s+help\s+me$"
    rf"|i\s+need\s+(?:some(?:one|body)|a\s+(?:person|worker))\s+to\s+(?:talk|speak)\s+to"
    # In Welsh, which the screen cannot read: "helpa fi", "helpwch fi plis", "dw i angen help", "ffonia fi",
    # "dwi isio siarad efo rhywun" (trial 6, F1).
    rf"|^{_PLEASE_CY}(?:help(?:a|wch|u)\s+(?:fi|i|ni)|(?:dw\s*i|dwi|rydw\s+i|dw\s*i'?n)\s+(?:angen|isio|eisiau)\s+help"
    r"|(?:ffonia|ffoniwch)\s+fi)"
    rf"(?:\s+(?:plis|os\s+gwelwch\s+yn\s+dda|nawr|rwan|rwan\s+hyn|please|pls|plz))*$"
    r"|(?:dw\s*i|dwi|rydw\s+i)\s+(?:angen|isio|eisiau)\s+siarad\s+(?:efo|â|a|gyda)\s+(?:rhywun|gweithiwr|person)"
    r")"
)


def asks_for_a_person(text: str) -> bool:
    """True when the message asks to talk to someone ("can someone call me", "I want to speak to a person")."""
    return _WANTS_PERSON.search(normalise(text)) is not None


# A message, or a clause of it, that opens as a plea, whatever follows: "i need help hes back", "help me he
# wont stop", "i didnt mean stop, please help".
_PLEA_OPENING = re.compile(
    r"(?:^|[,.;:!?]\s*|\b(?:but|and|so)\s+)"
    r"(?:(?:please|pls|plz)\s+help\b|(?:please\s+|pls\s+|plz\s+)?(?:(?:i\s+)?(?:really\s+)?need\s+(?:some\s+)?help|help\s+me)\b)"
)


def pleads_for_help(text: str, *, alert_live: bool) -> bool:
    """True when the message asks for help or a person (`asks_for_a_person`); while a safeguarding alert of
    theirs is live, also when it, or a clause of it, only opens as a plea ("i need help with him again", "i
    didnt mean stop, please help"): then erring toward the duty team is right, though "i need help with my
    homework" from anyone else is not a plea."""
    if asks_for_a_person(text):
        return True
    return alert_live and _PLEA_OPENING.search(normalise(text)) is not None


# Asking who is texting them, or how we got their number ("who is this?", "whos this", "who r u", "how did u
# get my number"), in Welsh too ("pwy sy 'na?", "pwy wyt ti?": asked in any run, as "pwy" is no English word):
# the whole message, so "who is my social worker" or "i dont know who to tell" are not.
_WHO_OPENER = r"(?:(?:hi|hey|hello|hiya|um+|erm|sorry|excuse me|ok|okay|helo|haia|shwmae|sori)[,.!]?\s+)?"
_WHO_POLITE = r"(?:\s+(?:please|pls|plz|then|tho|lol|mate|sorry|plis|te|x+))*"
_ASKS_WHO_WELSH = (
    r"pwy(?:\s+(?:sy|sydd)(?:\s*'?\s*(?:na|yna|ma|yma)|'n\s+(?:tecstio|anfon|negesu)(?:\s+(?:fi|i|ata i))?)"
    r"|\s+(?:wyt\s+ti|wyt\s+chdi|ydych\s+chi|dych\s+chi|ych\s+chi|yw|ydy|di)(?:\s+(?:hwn|hwnna|hyn|chi))?)"
)
_ASKS_NUMBER = (
    r"(?:how|where)\s+(?:did|do|have|has|d)\s+(?:you|u|ya|yall|you guys)\s+(?:get|got|find|found)\s+"
    r"(?:my|me)\s+(?:number|no|num|phone number|digits)(?:\s+from)?"
    r"|how\s+(?:have|has|did)\s+(?:you|u)\s+got\s+my\s+(?:number|no|num|phone number)"
)
_ASKS_WHO = re.compile(
    rf"^{_WHO_OPENER}(?:"
    r"who(?:'s|s| is| r| are)?\s+(?:this|dis|that|you|u|ya)(?:\s+(?:people|guys))?"
    r"|who(?:'s|s| is| are| r)?\s+(?:texting|messaging|txting|msging)\s+me"
    # "wat is this", "what's this about": asked of a text they did not expect, not of a question
    r"|(?:what|wat|wot|wht)(?:'s|s| is)?\s+(?:this|dis)(?:\s+(?:about|for|then))?"
    rf"|{_ASKS_NUMBER}"
    rf"|{_ASKS_WHO_WELSH}"
    rf"){_WHO_POLITE}$"
)
_ASKS_HOW_WE_GOT_NUMBER = re.compile(rf"^{_WHO_OPENER}(?:{_ASKS_NUMBER}){_WHO_POLITE}$")


def asks_who_we_are(text: str) -> bool:
    """True when the whole message asks who is texting them or how we got their number ("who is this?")."""
    return _ASKS_WHO.match(keyword_text(text)) is not None


def asks_how_we_got_their_number(text: str) -> bool:
    """True when the whole message asks how we got their number ("how did u get my number"): one way of
    `asks_who_we_are`, answered truthfully where we have it only because they texted us."""
    return _ASKS_HOW_WE_GOT_NUMBER.match(keyword_text(text)) is not None

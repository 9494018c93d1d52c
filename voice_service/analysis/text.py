"""Normalise how young people text into tokens the analysers share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import snowballstemmer

# Words, numbers, a few emoticons, single emoji, and clause-breaking punctuation.
# Emoji are kept as tokens because they carry most of the feeling in a short text.
_TOKEN_RE = re.compile(
    r"[a-z0-9]+(?:'[a-z]+)*"
    r"|<3|:-?\)|:-?\(|:-?d\b|:'\(|:-?/|:-?p\b|;-?\)"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]"
    r"|[.!?;,£]"
)
# Three or more of the same letter ("sooooo", "pleeease") is emphasis, not spelling.
_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "&": " and "})
_TRANSLATED_RE = re.compile("[" + "".join(chr(c) for c in _APOSTROPHES) + "]")  # most texts have none

CLAUSE_BREAKS = frozenset(".!?;,")

# Text-speak and common misspellings mapped to one spelling, so the theme,
# sentiment and risk vocabularies only need to list each word once. Contractions
# are written without apostrophes ("dont"), as most young people type them.
SPELLINGS: dict[str, str] = {
    "u": "you",
    "ya": "you",
    "yu": "you",
    "yous": "you",
    "youse": "you",
    "ur": "your",
    "yr": "your",
    "youre": "you are",
    "ure": "you are",
    "r": "are",
    "b": "be",
    "c": "see",
    "y": "why",
    "n": "and",
    "nd": "and",
    "im": "i am",
    "iam": "i am",
    "ive": "i have",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "thats": "that is",
    "whats": "what is",
    "wats": "what is",
    "wots": "what is",
    "its": "it is",
    "theres": "there is",
    "dat": "that",
    "dis": "this",
    "der": "there",
    "wat": "what",
    "wot": "what",
    "wt": "what",
    "wen": "when",
    "wer": "where",
    "dnt": "dont",
    "didnt": "didnt",
    "dint": "didnt",
    "didn": "didnt",
    "doesnt": "doesnt",
    "dosnt": "doesnt",
    "doesn": "doesnt",
    "cant": "cant",
    "cnt": "cant",
    "carnt": "cant",
    "cannot": "cant",
    "couldnt": "couldnt",
    "wouldnt": "wouldnt",
    "shouldnt": "shouldnt",
    "isnt": "isnt",
    "aint": "aint",
    "wasnt": "wasnt",
    "wernt": "werent",
    "havent": "havent",
    "hasnt": "hasnt",
    "wont": "wont",
    "wanna": "want to",
    "wana": "want to",
    "wnt": "want",
    "gonna": "going to",
    "gna": "going to",
    "gunna": "going to",
    "finna": "going to",
    "gotta": "got to",
    "kinda": "kind of",
    "sorta": "sort of",
    "outta": "out of",
    "lotta": "lot of",
    "dunno": "dont know",
    "dno": "dont know",
    "duno": "dont know",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "cus": "because",
    "bc": "because",
    "bcos": "because",
    "bcoz": "because",
    "becuz": "because",
    "becoz": "because",
    "becos": "because",
    "cause": "because",
    "cuss": "because",
    "ppl": "people",
    "pple": "people",
    "peeps": "people",
    "pls": "please",
    "plz": "please",
    "plez": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "thanx": "thanks",
    "ta": "thanks",
    "ty": "thanks",
    "tysm": "thanks",
    "luv": "love",
    "lv": "love",
    "hav": "have",
    "av": "have",
    "ave": "have",
    "fink": "think",
    "fort": "thought",
    "wiv": "with",
    "wid": "with",
    "w": "with",
    "nuffin": "nothing",
    "nothin": "nothing",
    "nuthin": "nothing",
    "nufin": "nothing",
    "sumthin": "something",
    "smth": "something",
    "sth": "something",
    "summat": "something",
    "sumat": "something",
    "some1": "someone",
    "sum1": "someone",
    "any1": "anyone",
    "no1": "no one",
    "noone": "no one",
    "every1": "everyone",
    "evry1": "everyone",
    "b4": "before",
    "2day": "today",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "2nite": "tonight",
    "tonite": "tonight",
    "gr8": "great",
    "l8r": "later",
    "l8": "late",
    "m8": "mate",
    "m8s": "mates",
    "rn": "right now",
    "atm": "at the moment",
    "abt": "about",
    "bout": "about",
    "evry": "every",
    "evryone": "everyone",
    "alwys": "always",
    "allways": "always",
    "nvr": "never",
    "neva": "never",
    "nevr": "never",
    "ova": "over",
    "skool": "school",
    "skl": "school",
    "scool": "school",
    "shool": "school",
    "schl": "school",
    "skwl": "school",
    "collage": "college",
    "colledge": "college",
    "uni": "university",
    "yh": "yeah",
    "ye": "yeah",
    "yea": "yeah",
    "ya'll": "you all",
    "ok": "okay",
    "k": "okay",
    "kk": "okay",
    "okk": "okay",
    "oki": "okay",
    "alrite": "alright",
    "alryt": "alright",
    "aight": "alright",
    "gud": "good",
    "gd": "good",
    "gudd": "good",
    "bst": "best",
    "soo": "so",
    "sooo": "so",
    "noo": "no",
    "yess": "yes",
    "vv": "very",
    "proply": "properly",
    "prob": "probably",
    "probs": "probably",
    "mum's": "mums",
    "mam": "mum",
    "mom": "mum",
    "mummy": "mum",
    "ma": "mum",
    "bro": "brother",
    "bruv": "brother",
    "sis": "sister",
    "fone": "phone",
    "phne": "phone",
    "tho": "though",
    "thru": "through",
    "wud": "would",
    "cud": "could",
    "shud": "should",
    "jus": "just",
    "jst": "just",
    "juss": "just",
    "realy": "really",
    "rly": "really",
    "relly": "really",
    "sed": "said",
    "sez": "says",
    "seys": "says",
    "sayin": "saying",
    "tryna": "trying to",
    "tryin": "trying",
    "goin": "going",
    "doin": "doing",
    "gettin": "getting",
    "feelin": "feeling",
    "nothink": "nothing",
    "anythin": "anything",
    "somethin": "something",
    "everythin": "everything",
    "frend": "friend",
    "frends": "friends",
    "freind": "friend",
    "freinds": "friends",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "ther": "there",
    "thier": "their",
    "becuase": "because",
    "beacuse": "because",
    "wnna": "want to",
    "amn't": "am not",
    # Misspellings of the words a disclosure turns on: the screen must not miss them.
    "kil": "kill",
    "kild": "killed",
    "killd": "killed",
    "killin": "killing",
    "kilin": "killing",
    "myslf": "myself",
    "mysef": "myself",
    "miself": "myself",
    "meself": "myself",
    "myselfe": "myself",
    "suicde": "suicide",
    "sucide": "suicide",
    "suiside": "suicide",
    "suacide": "suicide",
    "sucidal": "suicidal",
    "suicidel": "suicidal",
    "suisidal": "suicidal",
    "selfharm": "self harm",
    "slefharm": "self harm",
    "cuting": "cutting",
    "cuttin": "cutting",
    "hurtin": "hurting",
    "harmin": "harming",
    "abuesd": "abused",
    "abussed": "abused",
    "touchd": "touched",
    "tuched": "touched",
    "groomd": "groomed",
    "hitts": "hits",
    "threatend": "threatened",
    "thretened": "threatened",
    "runaway": "run away",
    "overdoes": "overdose",
    "scard": "scared",
    "scaired": "scared",
    "saf": "safe",
}

# Snowball's English (Porter2) stemmer: pure Python, no corpora, quick to import.
_STEMMER = snowballstemmer.stemmer("english")


@dataclass(frozen=True, slots=True)
class Normalised:
    """A message after normalisation: its tokens and the same tokens as one string."""

    tokens: tuple[str, ...]
    joined: str


def _expand(word: str) -> tuple[str, ...]:
    """Return the canonical tokens for one raw word token."""
    word = word.replace("'", "")
    if len(word) > 2:
        word = _REPEAT_RE.sub(r"\1\1", word)
    mapped = SPELLINGS.get(word)
    if mapped is None:
        return (word,)
    return tuple(mapped.split())


# Raw token -> its canonical tokens, as met; young people's words repeat a lot.
_FORMS: dict[str, tuple[str, ...]] = {}
_FORMS_CACHE_SIZE = 65536


def _forms(raw: str) -> tuple[str, ...]:
    """The canonical tokens for one raw token (emoji, emoticons and punctuation stand as they are), cached."""
    forms = _expand(raw) if raw[0].isalnum() else (raw,)
    if len(_FORMS) >= _FORMS_CACHE_SIZE:
        _FORMS.clear()
    _FORMS[raw] = forms
    return forms


# The last message normalised and its result: the inbound path screens a text, then analyses the
# same text (one tuple, replaced whole, so threads never see half of it).
_LAST: tuple[str, Normalised] = ("", Normalised((), ""))


def normalise(text: str) -> Normalised:
    """Lowercase, tokenise and respell a message; analyse() does this once for all analysers."""
    global _LAST
    last = _LAST
    if last[0] == text:
        return last[1]
    lowered = text.lower()
    if _TRANSLATED_RE.search(lowered):
        lowered = lowered.translate(_APOSTROPHES)
    known = _FORMS.get
    tokens = tuple(chain.from_iterable([known(raw) or _forms(raw) for raw in _TOKEN_RE.findall(lowered)]))
    norm = Normalised(tokens, " ".join(tokens))
    _LAST = (text, norm)
    return norm


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Light stem so plurals and verb forms meet ("placements", "moving" -> "placement", "move")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return _STEMMER.stemWord(word)


# Letters and apostrophes only, so digits ("100") and emoji keep their meaning.
_SQUEEZE_RE = re.compile(r"([a-z'])\1+")


def squeeze(word: str) -> str:
    """Collapse every run of a repeated letter ("gooood" -> "god", "yesss" -> "yes").

    The one home for this rule: sentiment uses it as a last-resort lookup key and the
    survey engine to read "yesss" and "noooo".
    """
    return _SQUEEZE_RE.sub(r"\1", word)

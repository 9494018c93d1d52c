"""Normalise how young people text into tokens the analysers share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import snowballstemmer

from voice_service.analysis.vocabulary import TEXTBLOB_DIR

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
    "nt": "not",  # "im nt safe at home" (7 December): the lexicon had read nothing
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


# Letters typed as look-alike digits and symbols ("k1ll", "d13", "r@ped", "$elf"; trial 7, G1).
_LOOKALIKES = str.maketrans("134057@$", "ieaostas")
# A letter next to a look-alike: most texts have none, and are folded no further.
_MASKED_RE = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
# A whole postcode ("m4 5ab", kept as typed), or a run of letters, digits and look-alikes.
_MASK_RE = re.compile(r"(?<![a-z0-9@$])(?:([a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2})(?![a-z0-9@$])|[a-z0-9@$]+)")
# Numbers with an ending, as typed: ordinals, times, plurals and units ("2nd", "10am", "90s", "5k", "4ft").
_NUMBER_WORD_RE = re.compile(r"[0-9]+(?:st|nd|rd|th|am|pm|s|k|m|p|x|g|d|hrs?|mins?|secs?|yrs?|ft|kg|[cmk]m|mph|[gm]b)")
# The two-letter words a look-alike may spell ("t0", "m3"); "ma", "ai", "ed" stay "m4", "a1", "3d".
_SHORT_WORDS = frozenset("to me my so no do be go he we it is in on at am an of up us if or".split())


def _unmasked(run: str) -> str:
    """One run of letters, digits and symbols with its look-alikes read as letters, when it mixes them and
    so spells an English word ("w4nt" -> "want", "d13" -> "die"); anything else as typed ("y9", "m25", "2nd")."""
    if run.isdigit() or run.isalpha() or run in SPELLINGS or _NUMBER_WORD_RE.fullmatch(run):
        return run
    word = run.translate(_LOOKALIKES)
    if not word.isalpha():  # a digit no letter looks like ("m25", "y9"), or a symbol alone ("@", "$5")
        return run
    if word in _SHORT_WORDS or (len(word) > 2 and word in _english_words()):
        return word
    return run


def _english_words() -> frozenset[str]:
    """The language check's English words (imported here: that module imports this one)."""
    from voice_service.analysis.language import english_words

    return english_words()


def _unmask(match: re.Match[str]) -> str:
    return match.group() if match.group(1) else _unmasked(match.group())


def fold(text: str) -> str:
    """The text lowercased as the screen and the language check read it: styled letters folded to plain ones
    (fullwidth "ｋｉｌｌ", "fancy font" "𝓭𝓲𝓮", ligatures; accents and other scripts stay, "é", "ŵ") and look-alike
    digits and symbols inside a word read as letters ("k1ll", "su1c1dal", "r@ped"; trial 7, G1/G2)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.replace("\u00b4", "'"))  # NFKC makes an acute accent " \u0301"
    lowered = text.lower()
    if _MASKED_RE.search(lowered):
        lowered = _MASK_RE.sub(_unmask, lowered)
    return lowered


# "2" for "to" and "4" for "for", read so only between words that say so: after a word that takes "to"
# ("want 2 die", "going 2 end it") when a verb, noun, pronoun or determiner follows, not a plural, adjective or
# number ("i got 2 goals", "i have 2 older brothers" keep their number); "4" before whom or what it is for.
_TAKES_TO = frozenset(
    "want wants wanted going need needs needed have has had got get try tries tried trying like love hate used "
    "supposed able scared afraid allowed told tell tells ask asked made make not how way start started deserve "
    "deserves deserved plan plans planning planned decided ready meant forced threatened promised refused wish "
    "wished chance nothing nowhere tempted urge time place go goes went come came ought about where what who "
    "managed hoping hope expected expect agreed forget remember seem seems seemed pretend pretending desperate "
    "easier better harder best easy hard".split()
)
_TO_BEFORE = frozenset({"VB", "VBP", "VBN", "VBD", "NN", "DT", "PRP", "PRP$", "RB"})
_FOR_BEFORE = frozenset(
    "me you him her them us my your his their our the a ages ever real sure good now it that this what some "
    "someone something nothing everything anything people".split()
)


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """Each word's commonest part of speech in TextBlob's tagger lexicon ("die" VB, "goals" NNS)."""
    tags: dict[str, str] = {}
    with (TEXTBLOB_DIR / "en-lexicon.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 2 and parts[0].islower():  # "Die" is a name (NNP), "die" a verb
                tags[parts[0]] = parts[1]
    return tags


def _spelt_out(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens with a lone "2" read as "to" (or "too" before "much", "many") and "4" as "for" where the words
    either side say so."""
    out = list(tokens)
    tags = _tags()
    for i in range(1, len(out) - 1):
        word, before, after = out[i], out[i - 1], out[i + 1]
        if word == "2":
            if after in ("much", "many"):
                out[i] = "too"
            elif before in _TAKES_TO and tags.get(after) in _TO_BEFORE:
                out[i] = "to"
        elif word == "4" and before.isalpha() and after in _FOR_BEFORE and before not in ("at", "by", "till", "until"):
            out[i] = "for"
    return tuple(out)


# A "g" dropped from "-ing", as texts drop it ("hittin me", "sleepin rough", "plannin to end it"; 7 December: the
# lexicon's patterns had grown "-in" forms one by one): read as the "-ing" word when that is in the English word
# list. A word of under four letters is never changed; a longer one that is English as it stands and would also
# take a "g" ("robin" and "robing", "thin" and "thing") is kept by name in `_DROPPED_G_KEEP`, a fixed list: no
# dictionary check decides it, so such a word found in texts is added there. The risk lexicon reads words
# so (`risk._lexicon`); the model, sentiment and themes read them as typed, as they learned them (a few forms,
# "goin", "nothin", are in `SPELLINGS` and so read everywhere).
_DROPPED_G_KEEP = frozenset(
    "agin aspirin basin calvin darin dustin kin pin raisin robin sin thin tannin within win satin resin".split()
)


@lru_cache(maxsize=16384)
def _with_g(token: str) -> str:
    if len(token) < 4 or token in _DROPPED_G_KEEP or not token.isalpha():
        return token
    full = token + "g"
    return full if full in _english_words() else token


# Scots and Geordie words, and a few more phonetic spellings, as young people text them (7 December, fourth session:
# an eleventh probe, written in dialect): read by the risk lexicon only, as a dropped "g" is (`lexicon_words`); the
# model, sentiment and themes read words as typed, as they learned them. One word for one word, each with no other
# reading here: never "neet" (the Geordie "night"), which is NEET (not in education, employment or training).
DIALECT: dict[str, str] = {
    "nite": "night",
    "nites": "nights",
    "gannin": "going",
    "gawn": "going",
    "doon": "down",
    "divvent": "dont",
    "dinnae": "dont",
    "cannae": "cant",
    "wullnae": "wont",
    "hoose": "house",
    "mair": "more",
    "nae": "no",
    "morra": "tomorrow",
    "cld": "could",
    "tae": "to",
    "mindin": "minding",
    "dae": "do",
}


def with_dropped_g(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens with each "-in" read as its "-ing" word, where that is English and the "-in" is not."""
    return tuple(_with_g(token) if token.endswith("in") else token for token in tokens)


def lexicon_words(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens as the risk lexicon reads them: a dialect word as its English one (`DIALECT`), an "-in" as its
    "-ing" word (`with_dropped_g`)."""
    return with_dropped_g(tuple(DIALECT.get(token, token) for token in tokens))


# The last message normalised and its result: the inbound path screens a text, then analyses the
# same text (one tuple, replaced whole, so threads never see half of it).
_LAST: tuple[str, Normalised] = ("", Normalised((), ""))


def normalise(text: str) -> Normalised:
    """Lowercase, tokenise and respell a message; analyse() does this once for all analysers."""
    global _LAST
    last = _LAST
    if last[0] == text:
        return last[1]
    tokens = _tokens(fold(text))
    if "2" in tokens or "4" in tokens:
        tokens = _spelt_out(tokens)
    norm = Normalised(tokens, " ".join(tokens))
    _LAST = (text, norm)
    return norm


def normalise_as_typed(text: str) -> Normalised:
    """`normalise` without reading styled letters, look-alikes or a lone "2" and "4" (`fold`, `_spelt_out`): the
    text as the shipped model learned it (`train`). A retrain reading them moved the model's thresholds from 0.75
    to 0.79, and so waits for a round that measures it (docs/risk-screen.md, "Textspeak and styled letters")."""
    tokens = _tokens(text.lower())
    return Normalised(tokens, " ".join(tokens))


def _tokens(lowered: str) -> tuple[str, ...]:
    if _TRANSLATED_RE.search(lowered):
        lowered = lowered.translate(_APOSTROPHES)
    known = _FORMS.get
    return tuple(chain.from_iterable([known(raw) or _forms(raw) for raw in _TOKEN_RE.findall(lowered)]))


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

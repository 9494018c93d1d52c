"""Is a message in English? The safeguarding screen reads English; what it cannot read goes to a person.

The lexicon and the model were written and trained on English. A disclosure in Welsh, Arabic or
Spanish passes them silently, so `not_english(text)` says when a message is mostly in another
script (Arabic, Cyrillic, Tigrinya, ...), or mostly of Latin-script words in none of the English word
lists the analysis has (TextBlob's spelling list and tagger lexicon, the normaliser's text-speak,
the sentiment lexicon's slang), counting a word one slip away from an English word as English.

It must not catch young people's ordinary English: slang, typos and emoji. A message needs three
such words to be judged (two if both carry letters English never uses, "chcę umrzeć"), and half of
them unknown. Figures: `python -m voice_service.analysis.language` (per 1,000 ordinary replies, the
survey messages and everyday English sentences, and the share of the non-English examples caught).
Pure: no database, no configuration; the word lists are read once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from voice_service.analysis.sentiment_lexicon import WORDS as SLANG
from voice_service.analysis.text import DIALECT, SPELLINGS, squeeze
from voice_service.analysis.vocabulary import TEXTBLOB_DIR

# The reason on the screen's result (and the alert's) when it flags text only for its language.
NOT_ENGLISH_REASON = "not in English: a person should read this"

MIN_WORDS = 3  # fewer words say too little ("wagwan x", "kms fr")
UNKNOWN_SHARE = 0.5  # at least half the words known to no English list
TYPO_MIN = 5  # a shorter word one letter from an English word is as likely a foreign one ("casa", "bebe")
_ENDINGS = ("s", "es", "ed", "d", "er", "ers", "ing", "in", "ly", "y", "ies")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# The accents English keeps on loanwords ("café", "naïve", "façade", "über"): acute e, diaeresis, cedilla.
_LOAN_ACCENTS = frozenset("éëïöüç")
# Text-speak the lists above do not have.
TEXT_SPEAK = frozenset(
    "ngl tbh idc idk imo omg lol lmao lmfao rofl smh fr brb btw wbu hbu ikr irl jk nvm ppl pls plz thx ty "
    "tho cuz coz cos bc obvs defo innit bruv bro fam um umm nah lowkey highkey kms wagwan".split()
)
# Welsh words that are no English word, typo or slang: two in one message say it is Welsh, whatever the share of
# its other words ("Mae e'n fy mwrw i bob nos", he hits me every night, has only three words no English list
# has, of seven; trial 6, F1). Words Welsh shares with English or text-speak ("fi", "plis", "mam", "ni") are not
# here. Read with a word's apostrophe as a break ("mae'n": "mae").
WELSH = frozenset(
    "mae maen dw dwi dwin dydw dydy ddim yn wedi gyda efo eisiau isio nhw rwy rydw rydyn roedd oedd gartref adref "
    "ysgol gweithiwr diolch iawn hefyd achos oherwydd teimlo ofn ofnus brifo mwrw bwrw nharo cartref chwaer brawd "
    "heno nawr rwan pawb neb byth wastad sydd ydw ydy wyt ydi wnaeth gwneud cael fy ngofalwr gofalwr helpa helpu "
    "ffrind mynd dod arnaf ddiogel diogel".split()
)
WELSH_MIN = 2
# Welsh words of harm, none an English word: one is enough, however short the message ("isio marw", want to die,
# at a number question was asked again like any two words; trial 6b, N2). Die, dead, kill, hurt (myself), hit,
# knife, suicide, scared, afraid.
WELSH_HARM = frozenset(
    "marw farw lladd ladd brifo frifo mrifo mwrw bwrw fwrw nharo cyllell gyllell hunanladdiad ofn ofnus".split()
)
# Everyday words of other languages written in Latin letters that TextBlob's lists also hold (its books quote them:
# "tengo", "noches", "grita", "las" are "English" there), so a message of them passed as English and its
# disclosure went unread (trial 13, T13-1: "no me siento seguro en casa, mi padrastro me grita todas las noches y
# tengo miedo" was asked again as an answer; "tengo miedo de mi padrastro" got the English welcome). Two
# different ones in a message say it is not English, whatever the share of its other words, as Welsh words do.
# Spanish, Portuguese, Italian, French and Vietnamese typed without its accents; never a word English texts use
# ("no", "me", "mi", "de", "con", "para", "pour", "mon", "mae", "mia", "non", "eu", "so", "bi", "soy", "aide"), nor
# one English speakers borrow ("hola", "gracias", "amigo", "nada", "mucho", "dinero", "del"): names and places
# ("los angeles", "casa del mar", "lana del rey") have one at most.
OTHER_MARKERS = frozenset(
    # Spanish
    "que los una por pero muy estoy esta está tengo tiene tienen casa miedo madre padrastro madrastra "
    "hermano hermana escuela colegio noche noches todas todos siempre nunca ayuda ayudame ayúdame porque "
    "quiero puedo pega golpea grita nadie hoy ahora aqui aquí mucha hace veces donde dónde cuando "
    "cuándo mamá papá novio novia familia trabajo duele siento seguro segura menos "
    # Portuguese
    "não nao minha meu tenho medo mãe pai padrasto escola noite você voce muito bate sempre "
    # Italian
    "sono della mio paura aiuto perché perche voglio scuola notte "
    # French
    "je suis avec peur maison père mère école nuit toujours jamais veux "
    # Vietnamese without its accents
    "toi nha khong duoc nguoi muon cua voi giup".split()
)
OTHER_MIN = 2
_APOSTROPHES = str.maketrans("'\u2019", "  ")
# A word: letters, with inner apostrophes ("e'n", "m'aime").
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Words that are English: TextBlob's spelling list (seen twice or more in its books: once is too often
    a foreign word, "veux", "padre") and its tagger's lexicon (not foreign words or names only: "je" FW, "Mae"
    NNP), with the normaliser's text-speak, the lexicon's dialect words, the sentiment lexicon's slang and
    `TEXT_SPEAK`."""
    words: set[str] = set(SPELLINGS) | set(DIALECT) | set(SLANG) | TEXT_SPEAK
    with (TEXTBLOB_DIR / "en-spelling.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 2 and not line.startswith(";;;") and parts[1].isdigit() and int(parts[1]) >= 2:
                words.add(parts[0].lower().replace("'", ""))
    with (TEXTBLOB_DIR / "en-lexicon.txt").open(encoding="utf-8") as fh:
        for line in fh:
            word, *tags = line.split()
            if not line.startswith(";;;") and set(tags) - {"FW", "NNP", "NNPS"}:
                words.add(word.lower().replace("'", ""))
    return frozenset(words)


def _latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


@lru_cache(maxsize=65536)
def is_english(word: str) -> bool:
    """True for a lowercase word an English list has, as typed or one slip away (a doubled or dropped letter,
    two swapped, an ending: "miissing", "colege", "stockpiling"). A word with a letter English never uses
    (ŵ, ę, ă) is not."""
    word = word.replace("'", "").replace("\u2019", "")
    known = english_words()
    if not word.isascii():
        # An English word with a loanword's accents ("café", "naïve", "façade"; trial 6, F3: "café naïve" from a new
        # number was flagged for a person); a letter English never uses (ŵ, ę, ă, ñ) keeps it foreign.
        if not all(char.isascii() or char in _LOAN_ACCENTS for char in word):
            return False
        return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() in known
    if word in known or squeeze(word) in known:
        return True
    if any(word.endswith(e) and (word[: -len(e)] in known or word[: -len(e)] + "e" in known) for e in _ENDINGS):
        return True
    if len(word) < TYPO_MIN:
        return False
    slips = {word[:i] + word[i + 1 :] for i in range(len(word))}
    slips |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    slips |= {word[:i] + letter + word[i:] for i in range(1, len(word)) for letter in _LETTERS}
    return not known.isdisjoint(slips)


def not_english(text: str) -> bool:
    """True when the message is mostly not English: most letters in another script, or at least half its
    words unknown to every English list (with enough words to tell)."""
    if not text.isascii():
        return _not_english(text)
    # Most texts: every letter is Latin, so none need be looked up (the same answer as `_not_english`).
    if sum(map(str.isalpha, text)) < 2:
        return False
    words = _WORD_RE.findall(text.lower())
    return _unknown_words(words) or _welsh(words) or _other_markers(words)


def _not_english(text: str) -> bool:
    """`not_english` for text in any script."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 2:
        return False
    other_script = sum(1 for char in letters if not _latin(char))
    if other_script * 2 > len(letters):
        return True
    words = [word.lower() for word in _WORD_RE.findall(text) if all(_latin(char) for char in word)]
    return _unknown_words(words) or _welsh(words) or _other_markers(words)


def _welsh(words: list[str]) -> bool:
    """True when at least `WELSH_MIN` different words of the message (lowercased) are Welsh ones (`WELSH`), or one
    is a Welsh word of harm (`WELSH_HARM`)."""
    parts = set(" ".join(words).translate(_APOSTROPHES).split())  # on every message: one pass, no regex
    return len(parts & WELSH) >= WELSH_MIN or not parts.isdisjoint(WELSH_HARM)


def _other_markers(words: list[str]) -> bool:
    """True when at least `OTHER_MIN` different words of the message (lowercased) are everyday words of another
    language that English lists also hold (`OTHER_MARKERS`)."""
    return len(OTHER_MARKERS.intersection(words)) >= OTHER_MIN


def _unknown_words(words: list[str]) -> bool:
    """True when enough of a message's Latin-script words (lowercased) are unknown to every English list."""
    unknown = [word for word in words if not is_english(word)]
    if len(words) >= MIN_WORDS:
        return len(unknown) >= UNKNOWN_SHARE * len(words)
    # Two words, neither English and one with a letter English never uses: "chcę umrzeć".
    return len(words) == 2 and len(unknown) == 2 and not all(word.isascii() for word in words)


def _report() -> None:  # pragma: no cover - run by hand for the figures in docs/risk-screen.md
    import json
    from pathlib import Path

    from voice_service.analysis.train import ordinary

    data = Path(__file__).resolve().parents[2] / "tests" / "data"
    corpus = [json.loads(line) for line in (data / "risk_corpus.jsonl").open(encoding="utf-8") if line.strip()]
    sets = {
        "risk_corpus.jsonl ordinary replies (all splits)": [r["text"] for r in corpus if ordinary(r)],
        "messages.jsonl": [json.loads(line)["text"] for line in (data / "messages.jsonl").open(encoding="utf-8")],
        "everyday/train_negatives.txt": [
            line.strip() for line in (data / "everyday" / "train_negatives.txt").open(encoding="utf-8") if line.strip()
        ],
    }
    for name, texts in sets.items():
        flagged = sum(1 for text in texts if not_english(text))
        print(f"{name}: {flagged} of {len(texts)} flagged, {1000 * flagged / len(texts):.1f} per 1,000")
    others = [line.strip() for line in (data / "other_languages.txt").open(encoding="utf-8") if line.strip()]
    print(f"other_languages.txt: {sum(map(not_english, others))} of {len(others)} caught")


if __name__ == "__main__":  # pragma: no cover
    _report()

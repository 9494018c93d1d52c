"""The GSM-7 rule, in one place: which characters a text message can carry plainly, what a text costs
in SMS segments, and the plain form of a name for a text.

A text of GSM-7 characters goes as 160 to a segment (153 per part when split). One character outside
GSM-7 (a curly quote, an emoji, a "ë") sends the whole text as UCS-2: 70 to a segment (67 per part),
so a 100-character invitation costs two texts instead of one. GSM-7 has some accented letters (é, è,
ü, ö, ñ, à, Ç, Å, Ø...): those are kept; `plain` folds only what it lacks.

The workers' reply counter (`web/static/admin/sms-counter.js`) counts segments by the same rule, in the
browser.
"""

from __future__ import annotations

import unicodedata

# GSM 03.38 basic character set (ESC 0x1B is left out: it is not a character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these costs two septets (ESC + char).
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153  # a concatenated part loses 7 septets to its header
UCS2_SINGLE, UCS2_PART = 70, 67

# Letters and marks GSM-7 lacks whose plain form Unicode does not give by decomposition (Ł is not L plus
# a mark), but which every reader takes for the same letter: a name's apostrophe and hyphen too.
_NO_DECOMPOSITION = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ŀ": "L",
    "ŀ": "l",
    "Œ": "OE",
    "œ": "oe",
    "\u2019": "'",  # ’ right single quotation mark, the usual apostrophe of O’Neill on a phone
    "\u2018": "'",
    "\u02bc": "'",  # ʼ modifier letter apostrophe
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2013": "-",  # en dash (Anne–Marie)
    "\u00a0": " ",  # no-break space
}


# Marks that look the same as a GSM-7 one (a curly apostrophe typed into a config file: "King’s"): sent as it,
# so an invisible difference does not send a whole text as UCS-2. Letters are never changed here (`plain` does).
_SAME_MARKS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u00a0": " ",
    }
)


def plain_marks(text: str) -> str:
    """`text` with curly apostrophes and quotes, hyphens, an en dash and a no-break space as their GSM-7 forms,
    which look the same; every letter as written ("Ynys Môn" keeps its ô: see `unplain`)."""
    return text.translate(_SAME_MARKS)


def unplain(text: str) -> list[str]:
    """The characters of `text` that GSM-7 lacks, each once, in order: one of them makes a whole text UCS-2."""
    return list(dict.fromkeys(ch for ch in text if ch not in GSM7_BASIC and ch not in GSM7_EXTENDED))


def is_gsm7(text: str) -> bool:
    """True if every character can be sent in the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def septets(text: str) -> int | None:
    """The GSM-7 septets a text takes (an extension character counts two); None if it needs UCS-2."""
    length = 0
    for ch in text:
        if ch in GSM7_BASIC:
            length += 1
        elif ch in GSM7_EXTENDED:
            length += 2
        else:
            return None
    return length


def _pack(units: list[int], single: int, part: int) -> int:
    """Count segments for units of varying width that must not be split across parts."""
    total = sum(units)
    if total == 0:
        return 0
    if total <= single:
        return 1
    segments, used = 1, 0
    for width in units:
        if used + width > part:
            segments += 1
            used = 0
        used += width
    return segments


def sms_segments(text: str) -> int:
    """How many SMS segments `text` is sent as (0 for an empty text)."""
    if is_gsm7(text):
        return _pack([2 if ch in GSM7_EXTENDED else 1 for ch in text], GSM7_SINGLE, GSM7_PART)
    # UCS-2 counts UTF-16 code units; an emoji's surrogate pair must stay in one part.
    return _pack([2 if ord(ch) > 0xFFFF else 1 for ch in text], UCS2_SINGLE, UCS2_PART)


def fits_one_segment(text: str) -> bool:
    """True when the text goes as one GSM-7 segment (160 septets): plain, and short enough."""
    length = septets(text)
    return length is not None and length <= GSM7_SINGLE


def _plain_char(ch: str) -> str:
    """One character in GSM-7: itself if GSM-7 has it, else its faithful plain form, else itself."""
    if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
        return ch
    if ch in _NO_DECOMPOSITION:
        return _NO_DECOMPOSITION[ch]
    # ë is e and a diaeresis, â is a and a circumflex: the letter without its marks. A character that is
    # not a Latin letter with marks (Юлия, 美, an emoji) has no plain form and is kept.
    letters = "".join(part for part in unicodedata.normalize("NFD", ch) if not unicodedata.combining(part))
    return letters if letters and letters != ch and is_gsm7(letters) else ch


def plain(text: str) -> str:
    """`text` with each character GSM-7 lacks in its faithful plain form where one exists ("Zoë" -> "Zoe",
    "Łukasz" -> "Lukasz", "Siân" -> "Sian"); what GSM-7 has is kept ("Chloé", "Renée", "Björn", "Ñ")."""
    if is_gsm7(text):
        return text
    return "".join(_plain_char(ch) for ch in text)


def plain_name(name: str) -> str:
    """A name as a text message carries it: in GSM-7 when the whole name has a faithful plain form, else
    exactly as written (a name in another script, or with an emoji, is never half-folded: the text is
    UCS-2 either way, so nothing would be saved by it)."""
    folded = plain(name)
    return folded if is_gsm7(folded) else name

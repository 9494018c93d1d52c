"""Word lists shipped with TextBlob, used to tell real words from typos without NLTK corpora."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import textblob

_TEXTBLOB_EN = Path(textblob.__file__).resolve().parent / "en"


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Return English words TextBlob's spelling list knows (so "worked" is never "corrected" to "worker")."""
    words: set[str] = set()
    with (_TEXTBLOB_EN / "en-spelling.txt").open(encoding="utf-8") as fh:
        for line in fh:
            if line and not line.startswith(";;;"):
                word = line.split(" ", 1)[0].strip().lower()
                if word:
                    words.add(word.replace("'", ""))
    return frozenset(words)

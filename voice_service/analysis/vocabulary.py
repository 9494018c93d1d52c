"""Word lists shipped with TextBlob, used to tell real words from typos without NLTK corpora."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

# Found without importing textblob, whose package import pulls in all of NLTK.
_SPEC = importlib.util.find_spec("textblob")
if _SPEC is None or not _SPEC.submodule_search_locations:  # pragma: no cover - a broken install
    raise ImportError("textblob is not installed: its word lists are part of the analysis")
TEXTBLOB_DIR = Path(next(iter(_SPEC.submodule_search_locations))).resolve() / "en"


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Return English words TextBlob's spelling list knows (so "worked" is never "corrected" to "worker")."""
    words: set[str] = set()
    with (TEXTBLOB_DIR / "en-spelling.txt").open(encoding="utf-8") as fh:
        for line in fh:
            if line and not line.startswith(";;;"):
                word = line.split(" ", 1)[0].strip().lower()
                if word:
                    words.add(word.replace("'", ""))
    return frozenset(words)

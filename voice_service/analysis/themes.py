"""Tag a message with the themes of themes.md from the council's lexicon in themes.toml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from voice_service.analysis.lexicon import conversations_dir, load_themes
from voice_service.analysis.text import Normalised, normalise, stem
from voice_service.analysis.vocabulary import known_words

# Typos are only corrected in longer words: short words have too many real neighbours.
_FUZZY_MIN_LEN = 5


@dataclass(frozen=True, eq=False)
class ThemeIndex:
    """Phrases keyed by their first stem; each phrase maps to the themes it evidences."""

    phrases: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]
    words: frozenset[str]
    deletes: dict[str, str]
    keys: dict[str, str] = field(default_factory=dict, repr=False)  # word -> its look-up key, as met
    # The same phrases for look-up: first stem -> the lengths of its phrases, longest first, and
    # each whole phrase -> its themes (one dict probe per length instead of a slice per phrase).
    lengths: dict[str, tuple[int, ...]] = field(init=False, repr=False)
    table: dict[tuple[str, ...], frozenset[str]] = field(init=False, repr=False)
    # The last message's spans (by its Normalised object): analyse() tags, then scores each theme.
    last: tuple[object, list[tuple[int, int, frozenset[str]]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        table = {phrase: ids for entries in self.phrases.values() for phrase, ids in entries}
        lengths = {first: tuple(dict.fromkeys(len(p) for p, _ in entries)) for first, entries in self.phrases.items()}
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "lengths", lengths)
        object.__setattr__(self, "last", (None, []))


def _deletes(word: str) -> set[str]:
    """Every string one deletion away from word (SymSpell-style typo keys)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def build_index(themes: dict[str, dict]) -> ThemeIndex:
    """Compile the theme lexicon into a phrase index, normalising terms as messages are."""
    table: dict[tuple[str, ...], set[str]] = {}
    raw_words: set[str] = set()
    for theme_id, spec in themes.items():
        for term in spec["terms"]:
            tokens = normalise(term).tokens
            raw_words.update(tokens)
            table.setdefault(tuple(stem(t) for t in tokens), set()).add(theme_id)
        for term in spec.get("not", ()):
            table.setdefault(tuple(stem(t) for t in normalise(term).tokens), set())
    phrases: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
    for key, ids in table.items():
        if key:
            phrases.setdefault(key[0], []).append((key, frozenset(ids)))
    for entries in phrases.values():
        entries.sort(key=lambda e: -len(e[0]))  # longest phrase wins
    deletes: dict[str, str] = {}
    ambiguous: set[str] = set()
    for word in raw_words:
        if len(word) >= _FUZZY_MIN_LEN + 1 and word.isalpha():
            for typo in _deletes(word) | {word}:
                if typo in deletes and deletes[typo] != word:
                    ambiguous.add(typo)
                deletes.setdefault(typo, word)
    for typo in ambiguous:
        del deletes[typo]
    return ThemeIndex(phrases, frozenset(raw_words), deletes)


@lru_cache(maxsize=8)
def _index_for(directory: Path) -> ThemeIndex:
    return build_index(load_themes(directory))


def theme_index(directory: Path | None = None) -> ThemeIndex:
    """Return the compiled index for a conversations directory (cached per directory)."""
    return _index_for(conversations_dir(directory))


def _correct(word: str, index: ThemeIndex) -> str:
    """Map a misspelt word to the lexicon word one edit away, if exactly one is."""
    if len(word) < _FUZZY_MIN_LEN or word in index.words or not word.isalpha():
        return word
    if word in known_words():
        return word
    candidates = {index.deletes[k] for k in _deletes(word) | {word} if k in index.deletes}
    candidates = {c for c in candidates if c[0] == word[0]}
    if len(candidates) == 1:
        return candidates.pop()
    return word


_KEY_CACHE_SIZE = 65536


def _key(word: str, index: ThemeIndex) -> str:
    """The word's look-up key (typo corrected, stemmed), remembered per index."""
    key = stem(_correct(word, index))
    if len(index.keys) >= _KEY_CACHE_SIZE:
        index.keys.clear()
    index.keys[word] = key
    return key


def tag_normalised(norm: Normalised, index: ThemeIndex) -> tuple[str, ...]:
    """Tag already-normalised text; analyse() uses this to normalise once."""
    found: set[str] = set()
    for _start, _end, ids in theme_spans(norm, index):
        found |= ids
    return tuple(sorted(found))


def theme_spans(norm: Normalised, index: ThemeIndex) -> list[tuple[int, int, frozenset[str]]]:
    """Where each theme phrase sits in the tokens: (start, end, its themes), in order.

    The per-theme feeling (`clauses.theme_sentiments`) needs to know which clause raised a theme.
    """
    last = index.last
    if last[0] is norm:
        return last[1]
    known = index.keys.get
    keys = tuple([known(t) or _key(t, index) for t in norm.tokens])
    spans: list[tuple[int, int, frozenset[str]]] = []
    i, n = 0, len(keys)
    while i < n:
        size, ids = _longest(keys, i, index)
        if size > 1 and not ids and any(i + j + _longest(keys, i + j, index)[0] > i + size for j in range(1, size)):
            # A `not` phrase never cuts a longer theme phrase in two: "my socials" (social
            # media) must not swallow the "social" of "my social worker".
            size = 1
        if ids:
            spans.append((i, i + size, ids))
        i += size or 1
    object.__setattr__(index, "last", (norm, spans))  # one tuple, replaced whole
    return spans


def _longest(keys: tuple[str, ...], i: int, index: ThemeIndex) -> tuple[int, frozenset[str]]:
    """The longest phrase starting at keys[i]: (its length, its themes); (0, none) if none does."""
    lengths = index.lengths.get(keys[i])
    if lengths is not None:
        table, left = index.table, len(keys) - i
        for size in lengths:
            if size > left:
                continue  # a shorter slice could be some other phrase
            ids = table.get(keys[i : i + size])
            if ids is not None:
                return size, ids
    return 0, _NO_THEMES


_NO_THEMES: frozenset[str] = frozenset()


def tag_themes(text: str, *, directory: Path | None = None) -> tuple[str, ...]:
    """Return the sorted theme ids a message is about (possibly none)."""
    return tag_normalised(normalise(text), theme_index(directory))

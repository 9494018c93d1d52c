"""The risk screen's learned second opinion: a linear model over word and character n-grams.

Trained by `python -m voice_service.analysis.train` from the train split of
tests/data/risk_corpus.jsonl (scikit-learn: TF-IDF and logistic regression, one
classifier for "any risk" and one per category). The weights ship in this package
(risk_model.npz) and are scored here with numpy alone, so screening needs neither
scikit-learn nor a network, loads in milliseconds and scores a message in microseconds.

The features are made by `features()` below, used both for training and at run
time, so the two can never drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from voice_service.analysis.text import Normalised

ARTEFACT = Path(__file__).resolve().parent / "risk_model.npz"
# Character n-gram lengths, taken inside each word padded with spaces (like scikit-learn's char_wb).
CHAR_NGRAMS = (3, 4, 5)


def word_features(norm: Normalised) -> list[str]:
    """Word unigrams and bigrams of the normalised tokens (clause punctuation kept as a token)."""
    tokens = norm.tokens
    grams = list(tokens)
    grams.extend(a + " " + b for a, b in zip(tokens, tokens[1:]))
    return grams


def char_features(norm: Normalised) -> list[str]:
    """Character n-grams inside each word, so typos and word forms still share most features."""
    grams: list[str] = []
    for token in norm.tokens:
        padded = " " + token + " "
        size = len(padded)
        for n in CHAR_NGRAMS:
            if n > size:
                break
            grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


@dataclass(frozen=True, eq=False)
class _Block:
    """One TF-IDF block: feature -> column, and each column's idf (a list: faster to index than numpy)."""

    index: dict[str, int]
    idf: list[float]


# Tokens whose character columns are remembered; young people's words repeat a lot.
_TOKEN_CACHE_SIZE = 50_000


@dataclass(frozen=True, eq=False)
class RiskModel:
    """Loaded weights: two TF-IDF blocks, and one logistic regression per label."""

    labels: tuple[str, ...]  # "any" first, then the categories
    words: _Block
    chars: _Block
    coef: np.ndarray  # (n_features, n_labels), word columns first
    intercept: np.ndarray  # (n_labels,)
    low: float  # "any" probability from which the model alone raises a low-priority alert
    high: float  # ... and from which it raises a high-priority one
    _token_chars: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def _chars_of(self, token: str) -> tuple[int, ...]:
        """Character-n-gram columns of one word (known n-grams only, repeats kept), cached."""
        cols = self._token_chars.get(token)
        if cols is None:
            index = self.chars.index
            found = (index.get(g) for g in char_features(Normalised((token,), token)))
            cols = tuple(c for c in found if c is not None)
            if len(self._token_chars) >= _TOKEN_CACHE_SIZE:
                self._token_chars.clear()
            self._token_chars[token] = cols
        return cols

    @staticmethod
    def _tfidf(counts: dict[int, int], idf: list[float], offset: int, cols: list[int], values: list[float]) -> None:
        """Append sublinear-tf x idf, scaled to unit length: exactly what TfidfVectorizer did in training."""
        if not counts:
            return
        weights = [(1.0 + math.log(n) if n > 1 else 1.0) * idf[c] for c, n in counts.items()]
        scale = 1.0 / math.sqrt(sum(w * w for w in weights))
        cols.extend(c + offset for c in counts)
        values.extend(w * scale for w in weights)

    def features(self, norm: Normalised) -> tuple[list[int], list[float]]:
        """The message's TF-IDF vector as (columns, values)."""
        word_counts: dict[int, int] = {}
        index = self.words.index
        for gram in word_features(norm):
            col = index.get(gram)
            if col is not None:
                word_counts[col] = word_counts.get(col, 0) + 1
        char_counts: dict[int, int] = {}
        for token in norm.tokens:
            for col in self._chars_of(token):
                char_counts[col] = char_counts.get(col, 0) + 1
        cols: list[int] = []
        values: list[float] = []
        self._tfidf(word_counts, self.words.idf, 0, cols, values)
        self._tfidf(char_counts, self.chars.idf, len(self.words.idf), cols, values)
        return cols, values

    def label_probabilities(self, vector: tuple[list[int], list[float]]) -> dict[str, float]:
        """Probability of each label ("any" and each category) for a vector from features()."""
        cols, values = vector
        scores = np.asarray(values) @ self.coef[cols] + self.intercept if cols else self.intercept
        probs = 1.0 / (1.0 + np.exp(-scores))
        return dict(zip(self.labels, probs.tolist()))

    def probabilities(self, norm: Normalised) -> dict[str, float]:
        """Probability of each label ("any" and each category) for one normalised message."""
        return self.label_probabilities(self.features(norm))


def _vocab(raw: np.ndarray) -> dict[str, int]:
    """Feature strings were stored newline-joined as bytes (no fixed-width string arrays)."""
    if not raw.size:
        return {}
    return {gram: i for i, gram in enumerate(raw.tobytes().decode("utf-8").split("\n"))}


def load(path: Path = ARTEFACT) -> RiskModel:
    """Read the weights written by `train` (raises FileNotFoundError naming the file if absent)."""
    with np.load(path, allow_pickle=False) as data:
        labels = tuple(_vocab(data["labels"]))
        low, high = (round(float(t), 4) for t in data["thresholds"])
        return RiskModel(
            labels=labels,
            words=_Block(_vocab(data["word_vocab"]), data["word_idf"].astype(np.float64).tolist()),
            chars=_Block(_vocab(data["char_vocab"]), data["char_idf"].astype(np.float64).tolist()),
            coef=data["coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            low=low,
            high=high,
        )


@lru_cache(maxsize=1)
def risk_model() -> RiskModel:
    """The shipped model, loaded once per process."""
    return load()

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
from dataclasses import dataclass
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
    """One TF-IDF block: feature -> column, and each column's idf."""

    index: dict[str, int]
    idf: np.ndarray


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

    def _block(self, block: _Block, grams: list[str], offset: int) -> tuple[list[int], list[float]]:
        counts: dict[int, int] = {}
        index = block.index
        for gram in grams:
            col = index.get(gram)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if not counts:
            return [], []
        cols = list(counts)
        # Sublinear tf times idf, then unit length: exactly what TfidfVectorizer did in training.
        idf = block.idf
        values = [(1.0 + math.log(counts[c])) * float(idf[c]) for c in cols]
        norm = math.sqrt(sum(v * v for v in values))
        return [c + offset for c in cols], [v / norm for v in values]

    def probabilities(self, norm: Normalised) -> dict[str, float]:
        """Probability of each label ("any" and each category) for one normalised message."""
        wc, wv = self._block(self.words, word_features(norm), 0)
        cc, cv = self._block(self.chars, char_features(norm), len(self.words.index))
        cols = wc + cc
        if cols:
            scores = np.asarray(wv + cv) @ self.coef[cols] + self.intercept
        else:
            scores = self.intercept.astype(np.float64)
        probs = 1.0 / (1.0 + np.exp(-scores))
        return {label: float(p) for label, p in zip(self.labels, probs)}


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
            words=_Block(_vocab(data["word_vocab"]), data["word_idf"].astype(np.float64)),
            chars=_Block(_vocab(data["char_vocab"]), data["char_idf"].astype(np.float64)),
            coef=data["coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            low=low,
            high=high,
        )


@lru_cache(maxsize=1)
def risk_model() -> RiskModel:
    """The shipped model, loaded once per process."""
    return load()

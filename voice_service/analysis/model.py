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

import collections
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from voice_service.analysis.text import Normalised

ARTEFACT = Path(__file__).resolve().parent / "risk_model.npz"
# Static word-piece vectors distilled from a sentence transformer (`analysis/distil.py`).
VECTORS = Path(__file__).resolve().parent / "word_vectors.npz"
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


_MAX_WORD = 100  # longer "words" are not split into pieces (as in BERT's own tokenizer)


@dataclass(frozen=True, eq=False)
class WordVectors:
    """Static vectors for a WordPiece vocabulary: a word is split greedily into its longest
    known pieces ("safeguarding" -> "safe", "##guard", "##ing") and a message is the weighted
    mean of its pieces' vectors, scaled to unit length. Words with no pieces (emoji) are skipped."""

    index: dict[str, int]  # piece -> row ("##" marks a piece inside a word)
    vectors: np.ndarray  # (n_pieces, dims), each row already multiplied by its weight
    _word_rows: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def pieces(self, word: str) -> tuple[int, ...]:
        """Rows of the word's pieces, longest match first from the left; () if any part is unknown."""
        rows = self._word_rows.get(word)
        if rows is not None:
            return rows
        found: list[int] = []
        index, start, size = self.index, 0, len(word)
        if size > _MAX_WORD:
            size = 0
        while start < size:
            end = size
            row = None
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                row = index.get(piece)
                if row is not None:
                    break
                end -= 1
            if row is None:
                found = []
                break
            found.append(row)
            start = end
        rows = tuple(found)
        if len(self._word_rows) >= _TOKEN_CACHE_SIZE:
            self._word_rows.clear()
        self._word_rows[word] = rows
        return rows

    def embed(self, norm: Normalised) -> np.ndarray:
        """The message's unit-length mean vector (zeros when no word has known pieces)."""
        rows: list[int] = []
        for token in norm.tokens:
            rows.extend(self.pieces(token))
        return self.mean(rows)

    def mean(self, rows: list[int]) -> np.ndarray:
        """The unit-length mean of these pieces' vectors (zeros when there are none)."""
        if not rows:
            return np.zeros(self.dims)
        # take() gathers the same rows as self.vectors[rows], at a fraction of fancy indexing's overhead.
        total = self.vectors.take(rows, axis=0).sum(axis=0)
        length = math.sqrt(total @ total)  # correctly rounded, as np.sqrt is: the same float
        return total / length if length else total


@dataclass(frozen=True, eq=False)
class WordClusters:
    """Groups of words with similar vectors ("knife", "blade", "machete"): each word is put in the
    group whose centre is nearest its vector, and the model reads the groups' n-grams as well as
    the words', so a word it never saw in training still counts like its neighbours."""

    vectors: WordVectors
    centres: np.ndarray  # (n_clusters, dims), unit rows
    _word_cluster: dict[str, str] = field(default_factory=dict, repr=False)

    def of(self, word: str) -> str:
        """The word's group as a feature name ("c17"), or "c?" when it has no known pieces."""
        name = self._word_cluster.get(word)
        if name is None:
            rows = self.vectors.pieces(word)
            if rows:
                name = f"c{int(np.argmax(self.centres @ self.vectors.vectors[list(rows)].sum(axis=0)))}"
            else:
                name = "c?"
            if len(self._word_cluster) >= _TOKEN_CACHE_SIZE:
                self._word_cluster.clear()
            self._word_cluster[word] = name
        return name

    def features(self, norm: Normalised) -> list[str]:
        """Group unigrams and bigrams of the message's words."""
        names = [self.of(token) for token in norm.tokens]
        grams = list(names)
        grams.extend(a + " " + b for a, b in zip(names, names[1:]))
        return grams


def load_vectors(path: Path = VECTORS) -> WordVectors:
    """Read the vectors written by `distil` (int8 with one scale per dimension, and a weight per piece)."""
    with np.load(path, allow_pickle=False) as data:
        vectors = data["vectors"].astype(np.float64) * data["scale"].astype(np.float64)
        vectors *= data["weights"].astype(np.float64)[:, None]
        return WordVectors(_vocab(data["pieces"]), vectors)


@dataclass(frozen=True)
class Vector:
    """One message's features: sparse TF-IDF (columns, values) and the dense word-vector part."""

    cols: np.ndarray  # column numbers (intp)
    values: np.ndarray  # float64, in the same order
    dense: np.ndarray | None


@dataclass(frozen=True, eq=False)
class _Block:
    """One TF-IDF block: feature -> column, and each column's idf."""

    index: dict[str, int]
    idf: np.ndarray  # float64


# Tokens whose columns are remembered; young people's words repeat a lot.
_TOKEN_CACHE_SIZE = 50_000
# Sublinear tf (1 + ln count) for the counts a message can have, made once by the same expression.
_SUBLINEAR_TF = [1.0 + math.log(n) if n > 1 else 1.0 for n in range(4096)]
_NO_COLUMNS = np.zeros(0, dtype=np.intp)
_NO_VALUES = np.zeros(0)
_UNKNOWN = -1  # the column of a gram the vocabulary does not know: counted, then dropped


def _count_in_python(counts: dict[int, int], columns: Iterable[int]) -> None:
    for column in columns:
        counts[column] = counts.get(column, 0) + 1


# Counter's own counting loop, in C in CPython, on a plain dict: without Counter's checks on what
# it is given, which cost more than counting a short message's grams.
_count_into = getattr(collections, "_count_elements", _count_in_python)


def _tally(columns: Iterable[int]) -> dict[int, int]:
    """Column -> count, in order of first appearance (counted in C)."""
    counts: dict[int, int] = {}
    _count_into(counts, columns)
    return counts


def _counts(columns: Iterable[int]) -> dict[int, int]:
    """Column -> count, in order of first appearance (counted in C), unknown grams dropped."""
    counts = _tally(columns)
    counts.pop(_UNKNOWN, None)
    return counts


def _tfidf(blocks: list[dict[int, int]], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns and values of sublinear-tf x idf, each block scaled to unit length, as TfidfVectorizer did.

    blocks are column -> count (columns numbered across all blocks), in column order; idf covers
    every column. Each block's squares are summed in order by sum(), as a loop over it would, so
    the vector is the same to the last bit; few numpy calls, as each costs about a microsecond.
    """
    sizes = [len(counts) for counts in blocks]
    total = sum(sizes)
    if not total:
        return _NO_COLUMNS, _NO_VALUES
    cols = np.fromiter(chain.from_iterable(blocks), dtype=np.intp, count=total)
    ns = chain.from_iterable([counts.values() for counts in blocks])
    try:
        tf = np.fromiter(map(_SUBLINEAR_TF.__getitem__, ns), dtype=np.float64, count=total)
    except IndexError:  # a word repeated thousands of times
        ns = chain.from_iterable([counts.values() for counts in blocks])
        tf = np.array([1.0 + math.log(n) if n > 1 else 1.0 for n in ns])
    weights = tf * idf[cols]
    squares = (weights * weights).tolist()
    scales = []
    start = 0
    for size in sizes:
        if size:
            scales.append(1.0 / math.sqrt(sum(squares[start : start + size])))
            start += size
    if len(scales) == 1:
        return cols, weights * scales[0]
    return cols, weights * np.array(scales).repeat([size for size in sizes if size])


# What features() needs of one word, looked up once: its unigram column (or _UNKNOWN), its
# character n-grams' columns (repeats kept), its word group and its word-piece rows.
_TokenInfo = tuple[int, tuple[int, ...], str, tuple[int, ...]]


@dataclass(frozen=True, eq=False)
class RiskModel:
    """Loaded weights: two TF-IDF blocks, the word vectors, and one logistic regression per label."""

    labels: tuple[str, ...]  # "any" first, then the categories
    words: _Block
    chars: _Block
    coef: np.ndarray  # (n_features, n_labels): word columns, character columns, then vector dimensions
    intercept: np.ndarray  # (n_labels,)
    low: float  # "any" probability from which the model alone raises a low-priority alert
    high: float  # ... and from which it raises a high-priority one
    vectors: WordVectors | None = None  # None: a model trained without them
    clusters: WordClusters | None = None  # None: a model trained without word groups
    groups: _Block | None = None  # TF-IDF block of the word groups' n-grams
    dense_weight: float = 0.0  # the message vector's length among the features (the TF-IDF blocks have 1 each)
    _tokens: dict[str, _TokenInfo] = field(default_factory=dict, repr=False)
    _idf: np.ndarray = field(init=False, repr=False)  # every TF-IDF column's idf, in column order
    _group_columns: dict[str, int] = field(init=False, repr=False)  # group gram -> its column among all
    _dense_coef: np.ndarray = field(init=False, repr=False)  # the rows of coef for the vector dimensions

    def __post_init__(self) -> None:
        blocks = [self.words, self.chars] + ([self.groups] if self.groups is not None else [])
        object.__setattr__(self, "_idf", np.concatenate([b.idf for b in blocks]))
        offset = len(self.words.idf) + len(self.chars.idf)
        group_index = self.groups.index if self.groups is not None else {}
        object.__setattr__(self, "_group_columns", {gram: col + offset for gram, col in group_index.items()})
        object.__setattr__(self, "_dense_coef", self.coef[len(self._idf) :])

    def _token(self, token: str) -> _TokenInfo:
        """A word's unigram column, character columns, word group and word-piece rows, cached."""
        index, offset = self.chars.index, len(self.words.idf)
        found = (index.get(g) for g in char_features(Normalised((token,), token)))
        info = (
            self.words.index.get(token, _UNKNOWN),
            tuple(c + offset for c in found if c is not None),
            self.clusters.of(token) if self.clusters is not None else "",
            self.vectors.pieces(token) if self.vectors is not None else (),
        )
        if len(self._tokens) >= _TOKEN_CACHE_SIZE:
            self._tokens.clear()
        self._tokens[token] = info
        return info

    def _vector(self, norm: Normalised) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """features() without the Vector around it."""
        tokens = norm.tokens
        cached = self._tokens.get
        infos = [cached(token) or self._token(token) for token in tokens]
        # Counted in C, in the same first-appearance order as a loop over word_features(),
        # char_features() and clusters.features() would count them.
        bigrams = map(" ".join, zip(tokens, tokens[1:]))
        words = _counts(chain([info[0] for info in infos], map(self.words.index.get, bigrams, repeat(_UNKNOWN))))
        blocks = [words, _tally(chain.from_iterable([info[1] for info in infos]))]
        if self.clusters is not None and self.groups is not None:
            names = [info[2] for info in infos]
            grams = chain(names, map(" ".join, zip(names, names[1:])))
            blocks.append(_counts(map(self._group_columns.get, grams, repeat(_UNKNOWN))))
        cols, values = _tfidf(blocks, self._idf)
        dense = None
        if self.vectors is not None:
            dense = self.vectors.mean(list(chain.from_iterable([info[3] for info in infos]))) * self.dense_weight
        return cols, values, dense

    def features(self, norm: Normalised) -> Vector:
        """The message's TF-IDF vector as (columns, values), and its word-vector dimensions."""
        return Vector(*self._vector(norm))

    def _probabilities(self, cols: np.ndarray, values: np.ndarray, dense: np.ndarray | None) -> dict[str, float]:
        scores = self.intercept
        if len(cols):
            scores = scores + values @ self.coef.take(cols, axis=0)  # the rows coef[cols] gives, gathered quicker
        if dense is not None:
            scores = scores + dense @ self._dense_coef
        probs = 1.0 / (1.0 + np.exp(-scores))
        return dict(zip(self.labels, probs.tolist()))

    def label_probabilities(self, vector: Vector) -> dict[str, float]:
        """Probability of each label ("any" and each category) for a vector from features()."""
        return self._probabilities(vector.cols, vector.values, vector.dense)

    def probabilities(self, norm: Normalised) -> dict[str, float]:
        """Probability of each label ("any" and each category) for one normalised message."""
        return self._probabilities(*self._vector(norm))


def _vocab(raw: np.ndarray) -> dict[str, int]:
    """Feature strings were stored newline-joined as bytes (no fixed-width string arrays)."""
    if not raw.size:
        return {}
    return {gram: i for i, gram in enumerate(raw.tobytes().decode("utf-8").split("\n"))}


def load(path: Path = ARTEFACT, vectors: Path = VECTORS) -> RiskModel:
    """Read the weights written by `train` (raises FileNotFoundError naming the file if absent)."""
    with np.load(path, allow_pickle=False) as data:
        labels = tuple(_vocab(data["labels"]))
        low, high = (round(float(t), 4) for t in data["thresholds"])
        dense_weight = float(data["dense_weight"]) if "dense_weight" in data.files else 0.0
        has_groups = "centres" in data.files
        word_vectors = load_vectors(vectors) if dense_weight or has_groups else None
        clusters = groups = None
        if has_groups and word_vectors is not None:
            clusters = WordClusters(word_vectors, data["centres"].astype(np.float64))
            groups = _Block(_vocab(data["group_vocab"]), data["group_idf"].astype(np.float64))
        return RiskModel(
            labels=labels,
            words=_Block(_vocab(data["word_vocab"]), data["word_idf"].astype(np.float64)),
            chars=_Block(_vocab(data["char_vocab"]), data["char_idf"].astype(np.float64)),
            coef=data["coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            low=low,
            high=high,
            vectors=word_vectors if dense_weight else None,
            dense_weight=dense_weight,
            clusters=clusters,
            groups=groups,
        )


@lru_cache(maxsize=1)
def risk_model() -> RiskModel:
    """The shipped model, loaded once per process."""
    return load()

"""The risk model: shipped weights are the ones the training script makes, and scoring matches scikit-learn."""

import hashlib
import math
import subprocess
import sys

import numpy as np
import pytest

from voice_service.analysis import screen
from voice_service.analysis.model import ARTEFACT, VECTORS, WordVectors, load, load_vectors
from voice_service.analysis.text import normalise
from voice_service.analysis.train import fit, read

# Change only by retraining: python -m voice_service.analysis.train
# Change only by re-distilling: python -m voice_service.analysis.distil (in a venv with the [distil] extra)
VECTORS_SHA256 = "bc1ef7aad5993db6066d42fc754dbc6e016d54645ab03d3e9856ca9a5d5430ff"
ARTEFACT_SHA256 = "76697809ac31ea2fbb530f26c0ccb59008798417a2838340d2352ee6044b116f"


def test_shipped_artefact_is_the_reviewed_one():
    assert hashlib.sha256(ARTEFACT.read_bytes()).hexdigest() == ARTEFACT_SHA256


def test_shipped_word_vectors_are_the_reviewed_ones():
    assert hashlib.sha256(VECTORS.read_bytes()).hexdigest() == VECTORS_SHA256
    assert VECTORS.stat().st_size < 3_000_000


def _toy_vectors() -> WordVectors:
    pieces = ["safe", "##guard", "##ing", "guard", "##s", "s", "hurt", "me"]
    return WordVectors({p: i for i, p in enumerate(pieces)}, np.eye(len(pieces)))


def test_words_split_into_longest_known_pieces_from_the_left():
    toy = _toy_vectors()
    assert toy.pieces("safeguarding") == (0, 1, 2)
    assert toy.pieces("guards") == (3, 4)
    assert toy.pieces("hurt") == (6,)
    assert toy.pieces("hurtz") == ()  # a part with no piece: the whole word is unknown, as in BERT
    assert toy.pieces("x" * 101) == ()


def test_message_vector_is_the_unit_mean_of_its_pieces_and_zero_when_none_known():
    toy = _toy_vectors()
    vec = toy.embed(normalise("hurt me"))
    assert vec == pytest.approx(np.array([0, 0, 0, 0, 0, 0, 1, 1]) / np.sqrt(2))
    assert not toy.embed(normalise("😭 qqq")).any()


def test_shipped_vectors_put_related_words_closer_than_unrelated_ones():
    vectors = load_vectors()

    def sim(a: str, b: str) -> float:
        return float(vectors.embed(normalise(a)) @ vectors.embed(normalise(b)))

    assert sim("knife", "blade") > sim("knife", "homework")
    assert sim("suicide", "kill myself") > sim("suicide", "football")


@pytest.mark.slow
def test_retraining_reproduces_the_artefact_byte_for_byte(tmp_path):
    # As `python -m voice_service.analysis.train` does, in a process of its own, so that it runs
    # with the CPU kernels pinned (train.PINNED_ENV) whatever machine the tests are on.
    out = tmp_path / "risk_model.npz"
    subprocess.run([sys.executable, "-m", "voice_service.analysis.train", str(out)], check=True, capture_output=True)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == ARTEFACT_SHA256


def test_scoring_without_sklearn_matches_sklearn():
    from voice_service.analysis.train import CORPUS

    rows = [r for r in read(CORPUS) if r["split"] == "train"][::4]  # every category, quickly
    feats, classifiers = fit(rows)
    shipped = load()
    assert shipped.vectors is not None and shipped.clusters is not None  # it reads the word vectors too
    import tempfile
    from pathlib import Path

    from voice_service.analysis.train import write

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.npz"
        write(path, feats, classifiers, (0.5, 0.9))
        model = load(path)
    texts = ["i want to kill myself", "my sw is mint", "he said hes gonna shank me lol", "zzz unseen words qqq", ""]
    x = feats.matrix(texts)
    for j, clf in enumerate(classifiers):
        expected = clf.predict_proba(x)[:, 1]
        for text, p in zip(texts, expected):
            got = model.probabilities(normalise(text))[model.labels[j]]
            assert got == pytest.approx(p, abs=1e-4), (text, model.labels[j])


def test_screen_says_which_opinion_fired_and_why():
    both = screen("i want to kill myself")
    assert both.priority == "high"
    assert both.reasons[0] == "lexicon: self_harm (want to kill myself)"
    assert both.reasons[-1].startswith("model: ")
    quiet = screen("my sw is mint")
    assert (quiet.risk, quiet.priority, quiet.reasons) == (False, "", ())


def test_model_alone_catches_wording_with_no_pattern():
    # Behaviour with no risk word: no lexicon pattern matches, the model does.
    result = screen("i keep thinking everyone would cope fine without me around")
    assert result.risk and result.matched == ()
    assert result.reasons == (f"model: {result.score:.2f}",)
    assert result.priority in ("high", "low")
    assert result.categories == ("self_harm",)


def test_model_loads_quickly_enough_to_load_per_process():
    model = load()
    assert model.labels[0] == "any" and 0 < model.low <= model.high < 1


def _reference_features(model, norm):
    """The TF-IDF vector written as plainly as possible: a loop per block, Python floats throughout."""
    from voice_service.analysis.model import char_features, word_features

    blocks = [(word_features(norm), model.words), (char_features(norm), model.chars)]
    blocks.append((model.clusters.features(norm), model.groups))
    cols, values, offset = [], [], 0
    for grams, block in blocks:
        counts: dict[int, int] = {}
        for gram in grams:
            if gram in block.index:
                counts[block.index[gram]] = counts.get(block.index[gram], 0) + 1
        weights = [(1.0 + math.log(n) if n > 1 else 1.0) * float(block.idf[c]) for c, n in counts.items()]
        if weights:
            scale = 1.0 / math.sqrt(sum(w * w for w in weights))
            cols.extend(c + offset for c in counts)
            values.extend(w * scale for w in weights)
        offset += len(block.idf)
    return cols, values


@pytest.mark.parametrize(
    "text",
    ["i want to kill myself", "he said hes gonna shank me lol lol lol", "", "😭", "kill " * 5000, "my sw is mint"],
)
def test_features_are_the_plain_tfidf_to_the_last_bit(text):
    # The fast path (counting in C, numpy, a tf table with a fallback past 4,096 repeats)
    # must make exactly the vector a plain loop makes, so no score moves by even a bit.
    model = load()
    norm = normalise(text)
    vector = model.features(norm)
    cols, values = _reference_features(model, norm)
    assert vector.cols.tolist() == cols
    assert vector.values.tolist() == values
    assert vector.dense is not None and np.array_equal(vector.dense, model.vectors.embed(norm) * model.dense_weight)


def test_thresholds_keep_each_priority_within_its_false_alarm_budget(monkeypatch):
    from voice_service.analysis import train as t

    monkeypatch.setattr(t, "EVERYDAY_BUDGET", 1.0)
    monkeypatch.setattr(t, "ORDINARY_BUDGET", 10.0)
    monkeypatch.setattr(t, "LOW_ORDINARY_BUDGET", 30.0)
    everyday = [0.2] * 998 + [0.5, 0.9]  # 1 of 1,000 may alert: low sits above 0.5
    # 1,000 ordinary replies the lexicon leaves alone: 30 may reach low, 10 may reach high.
    ordinary = [(0.1, False)] * 950 + [(0.6, False)] * 20 + [(0.7, False)] * 20 + [(0.8, False)] * 10
    dev = [(0.65, True)] * 25 + [(0.9, True)] * 25 + [(0.3, False)] * 50  # precise from 0.65 on
    low, high = t.choose_thresholds(dev, everyday, ordinary)
    assert low == 0.61  # everyday alone would allow 0.51; 40 ordinary replies reach 0.6
    assert high == 0.71  # 10 ordinary replies at 0.8 may reach high, not the 20 at 0.7
    assert sum(p >= low for p, _ in ordinary) <= 30 and sum(p >= high for p, _ in ordinary) <= 10
    # Replies the lexicon already flags use up the budget first.
    flagged = [(0.1, True)] * 10 + ordinary[10:]
    assert t.choose_thresholds(dev, everyday, flagged) == (0.71, 0.9)  # high: dev's next score


def test_leave_out_takes_one_authors_families_and_their_ordinary_replies():
    from voice_service.analysis.train import written_by

    assert written_by({"family": "y2sh_me_goodbye"}, "y2")
    assert written_by({"family": "yp_y2_settled_help"}, "y2")
    assert not written_by({"family": "yp_tr_school"}, "y2")
    assert not written_by({"family": "sh_me_now"}, "y2")
    assert not written_by({"family": "y2sh_me_goodbye"}, "")


def test_cross_author_figures_are_read_at_the_same_everyday_cost():
    from voice_service.analysis.train import cross_author

    rows = [
        (0.9, {"risk": True, "family": "y2sh"}),
        (0.6, {"risk": True, "family": "y2sh"}),
        (0.7, {"risk": False, "family": "yp_y2_school"}),
        (0.2, {"risk": False, "family": "y2n_jokes"}),
    ]
    public = [0.8, 0.65] + [0.1] * 998
    low, at_one, at_two, _ = cross_author(rows, public, 0.5)
    assert (low["recall"], low["ordinary"], low["hard"]) == (1.0, 1000.0, 0.0)
    # 1 alert per 1,000 public_dev lines: just above the second-highest public score
    assert (at_one["at"], at_one["threshold"], at_one["recall"], at_one["ordinary"]) == (
        "public_dev 1",
        0.65,
        0.5,
        1000.0,
    )
    assert (at_two["threshold"], at_two["recall"]) == (0.1, 1.0)


def test_naive_bayes_scale_favours_n_grams_of_the_label_and_leaves_the_vector_alone():
    from scipy.sparse import csr_matrix

    from voice_service.analysis.train import nb_scale

    # Columns: an n-gram only risky rows hold, one only calm rows hold, one both hold alike;
    # then one dense (message vector) column.
    x = csr_matrix(np.array([[0.7, 0.0, 0.5, 0.3], [0.2, 0.0, 0.5, -0.1], [0.0, 0.9, 0.5, 0.2], [0.0, 0.4, 0.5, 0.0]]))
    y = np.array([1, 1, 0, 0])
    scale = nb_scale(x, y, np.ones(4), sparse_columns=3, alpha=0.5)
    assert scale[0] > 0 > scale[1]  # held by risky rows only / by calm rows only
    # Rows holding it (not its TF-IDF values), plus alpha, as a share of all: (2.5 / 5.5) / (0.5 / 5.5).
    assert scale[0] == pytest.approx(math.log(5.0))
    assert scale[2] == pytest.approx(0.0)  # as common on both sides
    assert scale[3] == 1.0
    # A row's weight counts as that many rows.
    weighted = nb_scale(x, y, np.array([1.0, 1.0, 3.0, 1.0]), sparse_columns=3, alpha=0.5)
    assert weighted[1] < scale[1]

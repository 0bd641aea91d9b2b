"""Fit the lens's affective scorer and calibrate its thresholds, offline.

    python -m bench.lens_fit [--cache-dir /tmp/lens-cache] [--out tasks/lens_affective.json]
                             [--backend sentence-transformers|onnx-int8|model2vec]

Model: an additive ensemble of a logistic regression (scikit-learn, L2, C = ``C``) on the
request embedding plus its self-disclosure count (``tasks.lens.disclosure_counts``: one
more column, its coefficient the model's ``disclosure_weight``), and the zero-shot
prototype margin (``tasks.lens.scores_from_vectors``,
top_k from ``LensSettings``) with a fixed weight ``PROTOTYPE_WEIGHT``: score = v . coef +
intercept + PROTOTYPE_WEIGHT * margin. The margin keeps the hand-written prototypes'
notion of affective use in the score, which holds better on conversations that look like
none of the training sets (the demo data); the regression learns where real task traffic
(short banking queries, booking dialogues, assistant commands) sits.

Data: the ``training`` split of ``bench.lens_data`` only (ESConv train, part of SGD's first
half and of BANKING77 train, CLINC150 train, and the hand-written prototype sentences of
both classes). Every source gets the same total weight (the prototype lists
``HANDWRITTEN_WEIGHT`` times that), so no data set's size decides the boundary.

Calibration: the ``calibration`` split (ESConv valid + held-out SGD / BANKING77), with
``bench.lens_data.calibrate`` for both the model threshold and the prototype-only
threshold. Writes the model JSON and prints the LensSettings defaults to paste into
chorus/core/settings/lens.py (THRESHOLD_DEFAULT, ...). The evaluation split is never read
here.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np

C = 1.0
PROTOTYPE_WEIGHT = 20.0
HANDWRITTEN_WEIGHT = 3.0
OUT = Path(__file__).resolve().parent.parent / "tasks" / "lens_affective.json"


def fit(groups: list[tuple[np.ndarray, int, float]]):
    """Logistic regression on (features, label, total weight) groups."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([g[0] for g in groups])
    y = np.concatenate([np.full(len(g[0]), g[1]) for g in groups])
    w = np.concatenate([np.full(len(g[0]), g[2] / len(g[0])) for g in groups])
    return LogisticRegression(C=C, max_iter=5000).fit(x, y, sample_weight=w / w.mean())


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="cache embeddings here as .npy (outside the repository)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--backend", default=None,
                        help="embed.backend to fit for (default: EmbedSettings' default); "
                             "the model file records the embedder's model id")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)

    from bench.lens_data import calibrate, embed, requests, splits
    from chorus.core.settings import EmbedSettings, LensSettings
    from tasks.embedders import build_embedder
    from tasks.lens import (
        AFFECTIVE_PROTOTYPES,
        MODEL_FORMAT,
        TASK_PROTOTYPES,
        AffectiveModel,
        model_scores_from_vectors,
        prototype_fingerprint,
        prototype_vectors,
        scores_from_vectors,
    )
    from tasks.lens.disclosure import disclosure_counts, disclosure_fingerprint

    embed_settings = EmbedSettings(progress=False)
    if args.backend is not None:
        embed_settings = EmbedSettings(progress=False, backend=args.backend)
    embedder = build_embedder(embed_settings)
    top_k = LensSettings().top_k
    aff_p, task_p = prototype_vectors(embedder)

    def features(v: np.ndarray) -> np.ndarray:
        return scores_from_vectors(v, aff_p, task_p, top_k)

    def columns(texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        v = embed(texts, embedder, args.cache_dir) if vectors is None else vectors
        return np.column_stack([v, disclosure_counts(texts)]).astype(np.float32)

    pos, negs = splits("training")
    groups = [(columns(requests(pos)), 1, 1.0),
              (columns(list(AFFECTIVE_PROTOTYPES), aff_p), 1, HANDWRITTEN_WEIGHT),
              (columns(list(TASK_PROTOTYPES), task_p), 0, HANDWRITTEN_WEIGHT)]
    groups += [(columns(requests(items)), 0, 1.0) for items in negs.values()]
    print("training:", {"esconv_train": len(pos), **{k: len(v) for k, v in negs.items()},
                        "affective_prototypes": len(aff_p), "task_prototypes": len(task_p)})
    model = fit(groups)
    weights, intercept = model.coef_[0].astype(np.float32), float(model.intercept_[0])
    coef, disclosure_weight = weights[:-1], float(weights[-1])

    # the scorer the lens runs (tasks.lens.model_scores_from_vectors), so calibration
    # scores exactly what inference will
    fitted = AffectiveModel(coef, intercept, PROTOTYPE_WEIGHT, top_k, embedder.model_id,
                            prototype_fingerprint(), disclosure_weight,
                            disclosure_fingerprint())

    def score(texts: list[str], v: np.ndarray) -> np.ndarray:
        return model_scores_from_vectors(v, fitted, aff_p, task_p, disclosure_counts(texts))

    cpos, cnegs = splits("calibration")
    cp_texts = requests(cpos)
    cn_texts = [t for v in cnegs.values() for t in requests(v)]
    cp, cn = embed(cp_texts, embedder, args.cache_dir), embed(cn_texts, embedder, args.cache_dir)
    cal = calibrate(np.round(score(cp_texts, cp), 3), np.round(score(cn_texts, cn), 3))
    cal_proto = calibrate(features(cp), features(cn))
    doc = {"format": MODEL_FORMAT, "kind": "logistic regression + prototype margin",
           "embedder_model_id": embedder.model_id, "dim": len(coef),
           "prototypes": prototype_fingerprint(), "top_k": top_k,
           "prototype_weight": PROTOTYPE_WEIGHT, "C": C,
           "handwritten_weight": HANDWRITTEN_WEIGHT,
           "intercept": round(intercept, 6), "coef": [round(float(c), 6) for c in coef],
           "disclosure_weight": round(disclosure_weight, 6),
           "disclosure": disclosure_fingerprint(),
           "training": "bench.lens_data 'training' split: ESConv train; SGD first half "
                       "(seeded shuffle, first 6,000); BANKING77 train (seeded shuffle, "
                       "first 7,000); CLINC150 train + oos_train; the prototype lists",
           "calibration": {"split": "ESConv valid; the next 2,500 of SGD / BANKING77",
                           "model": cal, "prototypes": cal_proto},
           "fit_by": "python -m bench.lens_fit"}
    args.out.write_text(json.dumps(doc, indent=1) + "\n")
    print("disclosure_weight:", round(disclosure_weight, 4))
    print("calibration (model):", json.dumps({k: round(v, 4) for k, v in cal.items()}))
    print("calibration (prototypes):",
          json.dumps({k: round(v, 4) for k, v in cal_proto.items()}))
    print("paste into chorus/core/settings/lens.py:")
    print(f"THRESHOLD_DEFAULT = {cal['threshold']:.3f}")
    print(f"PROTOTYPE_THRESHOLD_DEFAULT = {cal_proto['threshold']:.3f}")
    print(f"CALIBRATION_TPR_DEFAULT = {cal['tpr']:.4f}")
    print(f"CALIBRATION_FPR_DEFAULT = {cal['fpr']:.4f}")
    print(f"wrote {args.out}")
    return doc


if __name__ == "__main__":
    main()

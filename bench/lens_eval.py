"""Evaluate the emotional-support lens (tasks.lens) on public data, offline.

    python -m bench.lens_eval [--n 2000] [--seed 0] [--calibrate]

Data (``../shared/data`` or ``$CHORUS_EVAL_DATA``; read in place, never copied):

* affective: ESConv (seeker = user, supporter = assistant);
* task-oriented: SGD dialogues (USER = user, SYSTEM = assistant) and BANKING77 queries.

Splits (nothing is trained; only ``LensSettings.threshold`` is chosen from data):

* calibration: ESConv ``valid`` (195), BANKING77 ``train``, SGD first half (file order);
* evaluation: ESConv ``train`` + ``test`` (1,105), BANKING77 ``test``, SGD second half.

``--calibrate`` scores the calibration split and prints, for ``top_k`` in 1, 2, 3, 5,
the threshold that minimises the worst share error at 3/10/30% (tie: best F1); the
defaults in ``LensSettings`` (top_k, threshold, calibration_tpr/fpr) are the best row. The evaluation mixes ``--n`` items at 3%, 10% and 30% affective (seeded samples;
task items half SGD, half BANKING77) and reports estimated vs true share, precision and
recall. Sentiment: Spearman correlation, over all ESConv chats with a seeker survey,
between the VADER shift (last - first seeker turn) and the seeker's own improvement,
``survey_score.seeker.initial_emotion_intensity - final_emotion_intensity`` (1-5 scale,
strings in the file). Writes ``bench/results/lens.json``; prints counts and scores only.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import random
import time
from pathlib import Path

import numpy as np

import chorus  # noqa: F401 - offline defaults
from bench.loaders import _need, data_root

log = logging.getLogger("bench.lens_eval")

MIXES = (0.03, 0.10, 0.30)
RESULTS = Path(__file__).parent / "results" / "lens.json"


def _conv(user: list[str], assistant: list[str], label: bool, **extra) -> dict:
    return {"user_turns": user, "assistant_turns": assistant, "affective": label, **extra}


def _esconv(split: str, root: Path) -> list[dict]:
    out = []
    with _need(root / "esconv" / f"esconv_{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            user = [t["text"] for t in r["dialog"] if t["speaker"] == "usr" and t["text"]]
            sys_ = [t["text"] for t in r["dialog"] if t["speaker"] != "usr" and t["text"]]
            seeker = (r.get("survey_score") or {}).get("seeker") or {}
            if user:
                out.append(_conv(user, sys_, True, survey=seeker))
    return out


def _sgd(half: int, root: Path) -> list[dict]:
    with _need(root / "sgd" / "sgd_dialogues.jsonl").open(encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh if line.strip()]
    mid = len(raw) // 2
    part = raw[:mid] if half == 0 else raw[mid:]
    out = []
    for r in part:
        user = [t["text"] for t in r["turns"] if t["speaker"] == "USER" and t["text"]]
        sys_ = [t["text"] for t in r["turns"] if t["speaker"] != "USER" and t["text"]]
        if user:
            out.append(_conv(user, sys_, False))
    return out


def _banking(split: str, root: Path) -> list[dict]:
    with _need(root / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as fh:
        return [_conv([r["text"]], [], False) for r in csv.DictReader(fh) if r["text"]]


def load_split(which: str, root: Path | None = None) -> tuple[list[dict], list[dict], list[dict]]:
    """(ESConv, SGD, BANKING77) conversations of the ``calibration`` or ``evaluation`` split."""
    root = root or data_root()
    if which == "calibration":
        return _esconv("valid", root), _sgd(0, root), _banking("train", root)
    return _esconv("train", root) + _esconv("test", root), _sgd(1, root), _banking("test", root)


def _frame(items: list[dict]):
    import polars as pl

    return pl.DataFrame({
        "user_turns": [c["user_turns"] for c in items],
        "assistant_turns": [c["assistant_turns"] for c in items],
    }, schema={"user_turns": pl.List(pl.Utf8), "assistant_turns": pl.List(pl.Utf8)})


def _score_items(items: list[dict], embedder, settings) -> np.ndarray:
    from tasks.facets import build_request
    from tasks.lens import affective_scores

    texts = [build_request(c["user_turns"], settings.max_user_turns,
                           settings.max_request_chars) for c in items]
    return affective_scores(texts, embedder, settings)


def share_errors(tpr: float, fpr: float) -> list[float]:
    """Expected estimated-minus-true share at each mix for a classifier with tpr/fpr."""
    return [s * (tpr - 1) + (1 - s) * fpr for s in MIXES]


def calibrate(pos: np.ndarray, neg: np.ndarray) -> dict:
    """Threshold minimising the worst |share error| over MIXES (tie: best F1 at 10%)."""
    best = None
    for thr in np.unique(np.round(np.concatenate([pos, neg]), 3)):
        tpr, fpr = float((pos >= thr).mean()), float((neg >= thr).mean())
        worst = max(abs(e) for e in share_errors(tpr, fpr))
        tp, fp = 0.1 * tpr, 0.9 * fpr
        f1 = 2 * tp / (2 * tp + fp + 0.1 * (1 - tpr)) if tp else 0.0
        key = (round(worst, 4), -f1)
        if best is None or key < best[0]:
            best = (key, {"threshold": float(thr), "tpr": tpr, "fpr": fpr,
                          "worst_share_error": worst, "f1_at_10pct": f1})
    return best[1]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="conversations per mix")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calibrate", action="store_true",
                        help="print the threshold chosen on the calibration split")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)

    from tasks.embed import EmbedSettings, build_embedder
    from tasks.lens import (
        LensSettings,
        adjusted_share,
        lens_facets,
        sentiment_trajectory,
    )

    embedder = build_embedder(EmbedSettings(progress=False))
    settings = LensSettings()

    if args.calibrate:
        es, sgd, bank = load_split("calibration")
        rng = random.Random(args.seed)
        neg_items = rng.sample(sgd, min(2000, len(sgd))) + rng.sample(bank, min(2000, len(bank)))
        print(f"calibration split: {len(es)} ESConv valid, {len(neg_items)} task "
              f"(SGD first half + BANKING77 train, seeded samples)")
        for k in (1, 2, 3, 5):
            trial = settings.model_copy(update={"top_k": k})
            cal = calibrate(_score_items(es, embedder, trial),
                            _score_items(neg_items, embedder, trial))
            print(f"top_k={k}", json.dumps({a: round(b, 4) for a, b in cal.items()}))
        return

    es, sgd, bank = load_split("evaluation")
    log.info("evaluation split: %d ESConv, %d SGD, %d BANKING77", len(es), len(sgd), len(bank))
    rows, timing = [], {}
    for share in MIXES:
        rng = random.Random(f"{args.seed}-{share}")
        n_aff = round(share * args.n)
        n_task = args.n - n_aff
        items = (rng.sample(es, n_aff) + rng.sample(sgd, n_task // 2)
                 + rng.sample(bank, n_task - n_task // 2))
        rng.shuffle(items)
        truth = np.array([c["affective"] for c in items])
        frame = _frame(items)
        t0 = time.perf_counter()
        out = lens_facets(frame, embedder, settings)
        elapsed = time.perf_counter() - t0
        pred = out["affective"].to_numpy()
        tp = int((pred & truth).sum())
        rows.append({"mix": f"{share:.0%}", "n": len(items),
                     "true_share": float(truth.mean()), "estimated_share": float(pred.mean()),
                     "adjusted_share": adjusted_share(pred, settings),
                     "precision": tp / max(int(pred.sum()), 1),
                     "recall": tp / max(int(truth.sum()), 1),
                     "concern_share_affective": float(out["concern"].to_numpy()[truth].mean()),
                     "concern_share_task": float(out["concern"].to_numpy()[~truth].mean()),
                     "referral_share_affective": float(out["referral"].to_numpy()[truth].mean()),
                     "referral_share_task": float(out["referral"].to_numpy()[~truth].mean()),
                     "seconds": round(elapsed, 2)})
        if share == 0.10:
            timing = _time_parts(frame, embedder, settings, elapsed)

    # sentiment vs the seekers' own survey (all ESConv splits: nothing is fit here)
    all_es = load_split("calibration")[0] + es
    have = [c for c in all_es if _intensity(c["survey"], "initial_emotion_intensity")
            is not None and _intensity(c["survey"], "final_emotion_intensity") is not None]
    _, _, shift = sentiment_trajectory([c["user_turns"] for c in have])
    improvement = np.array([_intensity(c["survey"], "initial_emotion_intensity")
                            - _intensity(c["survey"], "final_emotion_intensity") for c in have])
    # exploratory variant (not the lens's definition): mean of the last third of the
    # seeker's turns minus mean of the first third, which dampens greetings and goodbyes
    thirds = np.array([_thirds_shift(c["user_turns"]) for c in have])
    sentiment = {"n": len(have), "n_without_survey": len(all_es) - len(have),
                 "spearman": spearman(shift, improvement),
                 "spearman_thirds_variant": spearman(thirds, improvement),
                 "mean_shift": float(shift.mean()),
                 "mean_improvement": float(improvement.mean()),
                 "field": "survey_score.seeker.initial_emotion_intensity - "
                          "survey_score.seeker.final_emotion_intensity"}

    doc = {"settings": settings.model_dump(), "lens": rows, "sentiment": sentiment,
           "timing_per_mix": timing,
           "splits": "calibration: ESConv valid, BANKING77 train, SGD first half; "
                     "evaluation: ESConv train+test, BANKING77 test, SGD second half"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"{'mix':>4} {'n':>5} {'true':>6} {'est':>6} {'adj':>6} {'prec':>5} {'recall':>6} "
          f"{'concern a/t':>12} {'referral a/t':>13} {'s':>6}")
    for r in rows:
        print(f"{r['mix']:>4} {r['n']:>5} {r['true_share']:6.3f} {r['estimated_share']:6.3f} "
              f"{r['adjusted_share']:6.3f} "
              f"{r['precision']:5.3f} {r['recall']:6.3f} "
              f"{r['concern_share_affective']:5.3f}/{r['concern_share_task']:.3f} "
              f"{r['referral_share_affective']:6.3f}/{r['referral_share_task']:.3f} "
              f"{r['seconds']:6.1f}")
    print(f"sentiment: n={sentiment['n']} spearman={sentiment['spearman']:.3f} "
          f"(thirds variant {sentiment['spearman_thirds_variant']:.3f}) "
          f"({sentiment['n_without_survey']} without survey)")
    print("timing (2,000 conversations):", json.dumps(timing))
    print(f"wrote {RESULTS}")


def _thirds_shift(turns: list[str]) -> float:
    from tasks.lens import _compound

    k = max(1, len(turns) // 3)
    return float(np.mean([_compound(t) for t in turns[-k:]])
                 - np.mean([_compound(t) for t in turns[:k]]))


def _intensity(survey: dict, key: str) -> float | None:
    try:
        return float(survey[key])
    except (KeyError, TypeError, ValueError):
        return None


def _time_parts(frame, embedder, settings, total: float) -> dict:
    """Seconds per part on one mix: request embedding vs the lens's own work."""
    from tasks.facets import build_request
    from tasks.lens import (
        _prototype_vectors,
        affective_scores,
        concern_flags,
        referral_flags,
        sentiment_trajectory,
    )

    users = frame["user_turns"].to_list()
    texts = [build_request(t, settings.max_user_turns, settings.max_request_chars)
             for t in users]
    t0 = time.perf_counter()
    vectors = embedder.embed(texts)
    t1 = time.perf_counter()
    _prototype_vectors.cache_clear()
    affective_scores(texts, embedder, settings, vectors)  # prototypes + scoring only
    t2 = time.perf_counter()
    sentiment_trajectory(users)
    t3 = time.perf_counter()
    concern_flags(users)
    referral_flags(frame["assistant_turns"].to_list())
    t4 = time.perf_counter()
    return {"n": frame.height, "lens_facets_total_s": round(total, 2),
            "embed_requests_s": round(t1 - t0, 2),
            "prototypes_and_scoring_s": round(t2 - t1, 3), "vader_s": round(t3 - t2, 3),
            "regex_s": round(t4 - t3, 3),
            "lens_without_request_embedding_s": round(t4 - t1, 3)}


if __name__ == "__main__":
    main()

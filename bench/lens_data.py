"""Data splits of the emotional-support lens (tasks.lens), shared by bench.lens_fit and
bench.lens_eval. Read in place from ``../shared/data`` (or ``$CHORUS_EVAL_DATA``).

Three disjoint splits; nothing is fit or calibrated on the evaluation split:

* training (bench.lens_fit fits the model): affective ESConv ``train`` (910) +
  AFFECTIVE_PROTOTYPES; task-oriented SGD first half (file order), seeded shuffle, first
  6,000; BANKING77 ``train``, seeded shuffle, first 7,000; CLINC150 ``train`` +
  ``oos_train`` (15,100); TASK_PROTOTYPES.
* calibration (thresholds): affective ESConv ``valid`` (195); task-oriented the next
  2,500 of that SGD shuffle; the next 2,500 of that BANKING77 shuffle.
* evaluation (bench.lens_eval): affective ESConv ``test`` (195); task-oriented SGD second
  half (a seeded pool of 3,000); BANKING77 ``test`` (3,080).

Held-out checks (never fit on): DailyDialog ``test`` split (everyday chit-chat), CLINC150
``test`` (its train split is in training) and the Chorus demo data.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from bench.loaders import _need, data_root

SGD_TRAIN, SGD_CAL = 6000, 2500
BANK_TRAIN, BANK_CAL = 7000, 2500
SGD_EVAL_POOL = 3000


def conv(user: list[str], assistant: list[str], label: bool, **extra) -> dict:
    return {"user_turns": user, "assistant_turns": assistant, "affective": label, **extra}


def esconv(split: str, root: Path | None = None) -> list[dict]:
    root = root or data_root()
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
                out.append(conv(user, sys_, True, survey=seeker, split=split))
    return out


def sgd(half: int, root: Path | None = None) -> list[dict]:
    root = root or data_root()
    with _need(root / "sgd" / "sgd_dialogues.jsonl").open(encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh if line.strip()]
    mid = len(raw) // 2
    out = []
    for r in (raw[:mid] if half == 0 else raw[mid:]):
        user = [t["text"] for t in r["turns"] if t["speaker"] == "USER" and t["text"]]
        sys_ = [t["text"] for t in r["turns"] if t["speaker"] != "USER" and t["text"]]
        if user:
            out.append(conv(user, sys_, False))
    return out


def banking(split: str, root: Path | None = None) -> list[dict]:
    root = root or data_root()
    with _need(root / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as fh:
        return [conv([r["text"]], [], False) for r in csv.DictReader(fh) if r["text"]]


def clinc(keys: tuple[str, ...], root: Path | None = None) -> list[dict]:
    root = root or data_root()
    with _need(root / "clinc150" / "data_full.json").open(encoding="utf-8") as fh:
        doc = json.load(fh)
    return [conv([text], [], False) for key in keys for text, _ in doc[key] if text]


def dailydialog(split: str, root: Path | None = None) -> list[dict]:
    root = root or data_root()
    out = []
    with _need(root / "dailydialog" / "dailydialog_topics.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] != split:
                continue
            user = [t["text"] for t in r["turns"] if t["speaker"] == "user" and t["text"]]
            sys_ = [t["text"] for t in r["turns"] if t["speaker"] != "user" and t["text"]]
            if user:
                out.append(conv(user, sys_, False, topic=r["topic"]))
    return out


def _shuffled(items: list[dict], seed: str) -> list[dict]:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def splits(which: str, root: Path | None = None) -> tuple[list[dict], dict[str, list[dict]]]:
    """(affective conversations, {source: task conversations}) of ``training``,
    ``calibration`` or ``evaluation`` (see the module docstring)."""
    root = root or data_root()
    if which == "evaluation":
        pool = random.Random("lens-sgd-eval").sample(sgd(1, root), SGD_EVAL_POOL)
        return esconv("test", root), {"sgd": pool, "banking77": banking("test", root)}
    sgd0 = _shuffled(sgd(0, root), "lens-sgd")
    bank = _shuffled(banking("train", root), "lens-banking")
    if which == "training":
        return esconv("train", root), {
            "sgd": sgd0[:SGD_TRAIN], "banking77": bank[:BANK_TRAIN],
            "clinc150": clinc(("train", "oos_train"), root)}
    if which == "calibration":
        return esconv("valid", root), {
            "sgd": sgd0[SGD_TRAIN:SGD_TRAIN + SGD_CAL],
            "banking77": bank[BANK_TRAIN:BANK_TRAIN + BANK_CAL]}
    raise ValueError(f"unknown split {which!r}")


def requests(items: list[dict]) -> list[str]:
    """The embedded request of each conversation, built as tasks.facets builds it."""
    from chorus.core.settings import FacetSettings
    from tasks.facets import build_request

    fs = FacetSettings()
    return [build_request(c["user_turns"], fs.max_user_turns, fs.max_request_chars)
            for c in items]


def embed(texts: list[str], embedder, cache_dir: Path | None = None) -> np.ndarray:
    """Embed ``texts``; with ``cache_dir`` (outside the repository, e.g. /tmp), reuse an
    .npy file keyed by the model id and a hash of the texts."""
    if cache_dir is None:
        return embedder.embed(texts)
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    model = "".join(ch if ch.isalnum() else "_" for ch in embedder.model_id)
    path = Path(cache_dir) / f"lens-{model}-{len(texts)}-{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = embedder.embed(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def wilson(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n at z standard errors."""
    if n == 0:
        return 0.0, 1.0
    p, zz = k / n, z * z
    centre, denom = p + zz / (2 * n), 1 + zz / n
    half = z * np.sqrt(p * (1 - p) / n + zz / (4 * n * n))
    return float((centre - half) / denom), float((centre + half) / denom)


def target_loss(tpr: float, fpr: float, mixes=(0.03, 0.10, 0.30)) -> float:
    """max(worst |share error| / 0.01, (1 - worst precision) / 0.1, (1 - tpr) / 0.1) over
    the mixes, from expected rates: <= 1 when every target of the issue is met."""
    worst = max(abs(s * (tpr - 1) + (1 - s) * fpr) for s in mixes)
    precision = min(s * tpr / (s * tpr + (1 - s) * fpr) if tpr else 0.0 for s in mixes)
    return max(worst / 0.01, (1 - precision) / 0.1, (1 - tpr) / 0.1)


def calibrate(pos: np.ndarray, neg: np.ndarray, mixes=(0.03, 0.10, 0.30),
              z: float = 0.0) -> dict:
    """Threshold closest to all of the issue's targets at once, from calibration scores.

    For each candidate threshold: tpr and fpr, and ``target_loss`` (the worst distance
    to "share within 1 pp", "precision >= 0.9" and "recall >= 0.9" at every mix, in
    units of each target's slack), minimised; ties: the lowest threshold. With ``z`` > 0
    the loss is taken at the worst corner of the Wilson intervals of tpr and fpr at z
    standard errors (the calibration split holds only 195 affective conversations). The
    default is z = 0 (point estimates): z = 1 moved the threshold down into the gap below
    the calibration positives, which raised the flagged share of the held-out task and
    chit-chat sets (CLINC150 test 2.5% -> 3.2%, DailyDialog test 21.8% -> 23.7%) without
    changing the recall of any affective set but the demo's.
    """
    best: tuple[float, dict[str, Any]] | None = None
    for thr in np.unique(np.round(np.concatenate([pos, neg]), 3)):
        kp, kn = int((pos >= thr).sum()), int((neg >= thr).sum())
        tpr, fpr = kp / len(pos), kn / len(neg)
        tprs = wilson(kp, len(pos), z) if z else (tpr, tpr)
        fprs = wilson(kn, len(neg), z) if z else (fpr, fpr)
        loss = max(target_loss(t, f, mixes) for t in tprs for f in fprs)
        if best is None or loss < best[0] - 1e-12:
            errors = [s * (tpr - 1) + (1 - s) * fpr for s in mixes]
            best = (loss, {"threshold": float(thr), "tpr": tpr, "fpr": fpr,
                           "worst_share_error": max(abs(e) for e in errors),
                           "loss_point": target_loss(tpr, fpr, mixes),
                           "loss_robust": loss, "z": z})
    if best is None:
        raise ValueError("calibrate: no scores to choose a threshold from")
    return best[1]

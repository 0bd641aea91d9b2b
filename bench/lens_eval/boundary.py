"""The boundary flag (``tasks.scrub.boundary_flags``) against the demo truth, and its
false-positive rate on public assistant turns where boundary statements should be rare.

Nothing is fit: the patterns are regexes written from the issue's definition. Output
holds counts, rates and pattern names, never text.
"""

from __future__ import annotations

import logging
from collections import Counter

import numpy as np

from bench.lens_data import esconv
from bench.lens_eval.demo import DEMO_N, DEMO_SEEDS, demo_set, truth_flags

log = logging.getLogger("bench.lens_eval")

TARGETS = "demo precision and recall >= 0.9; SGD turn false-positive rate < 1%"
PATTERNS_NOTE = ("tasks/scrub/boundary.py BOUNDARY_PATTERNS, written from the definition; "
                 "dev (ESConv train, SGD first half) was read once, one change after it "
                 "(a role needs its article: \"I'm not friends with ...\")")


def flag_scores(pred: np.ndarray, truth: np.ndarray) -> dict:
    """Precision and recall of a Boolean flag against its truth, with the counts (None
    where a denominator is zero)."""
    pred, truth = np.asarray(pred, dtype=bool), np.asarray(truth, dtype=bool)
    tp, n_pred, n_true = int((pred & truth).sum()), int(pred.sum()), int(truth.sum())
    return {"n": len(truth), "n_true": n_true, "n_flagged": n_pred, "true_positives": tp,
            "precision": tp / n_pred if n_pred else None,
            "recall": tp / n_true if n_true else None}


def false_positive_rates(assistant_turns: list[list[str]]) -> dict:
    """The boundary flag on a set where it should not fire: flagged share per assistant turn
    and per conversation, and the count of each pattern among flagged turns (names only)."""
    from chorus.core.lexicon import matched_pattern_names
    from tasks.scrub import BOUNDARY_PATTERNS, boundary_flags

    turns = [t for conv in assistant_turns for t in conv if t]
    per_turn = boundary_flags([[t] for t in turns])
    per_conv = boundary_flags(assistant_turns)
    patterns = Counter(name for t, hit in zip(turns, per_turn, strict=True) if hit
                       for name in matched_pattern_names(t, BOUNDARY_PATTERNS))
    return {"n_conversations": len(assistant_turns), "n_turns": len(turns),
            "n_flagged_turns": int(per_turn.sum()),
            "turn_rate": float(per_turn.mean()) if turns else 0.0,
            "conversation_rate": float(per_conv.mean()) if assistant_turns else 0.0,
            "patterns": dict(sorted(patterns.items()))}


def demo_boundary(seed: int) -> dict:
    """The flag on the demo's assistant turns against its truth's ``boundary``."""
    from tasks.scrub import boundary_flags

    demo = demo_set(seed)
    pred = boundary_flags([[m["content"] for m in c["messages"] if m["role"] == "assistant"]
                           for c in demo.conversations])
    labels, affective = truth_flags(demo.truth, "boundary"), truth_flags(demo.truth,
                                                                         "affective")
    return {**flag_scores(pred, labels),
            "true_share_affective": float(labels[affective].mean()),
            "flagged_share_task": float(pred[~affective].mean())}


def boundary_eval() -> dict:
    """The boundary part of lens.json: the demo seeds, then ESConv and SGD (``dev`` and
    ``eval`` parts; skipped with a warning where the public sets are absent)."""
    from bench.lens_data import sgd
    from bench.loaders import DatasetMissing

    out: dict[str, object] = {"targets": TARGETS, "patterns": PATTERNS_NOTE}
    for seed in DEMO_SEEDS:
        out[f"demo_{DEMO_N}_seed{seed}"] = demo_boundary(seed)
    try:
        out["esconv"] = {
            "dev": false_positive_rates([c["assistant_turns"] for c in esconv("train")]),
            "eval": false_positive_rates([c["assistant_turns"] for s in ("valid", "test")
                                          for c in esconv(s)])}
        out["sgd"] = {"dev": false_positive_rates([c["assistant_turns"] for c in sgd(0)]),
                      "eval": false_positive_rates([c["assistant_turns"] for c in sgd(1)])}
    except DatasetMissing as exc:
        log.warning("boundary: public sets skipped (%s)", type(exc).__name__)
    return out

"""Flagged shares of the affective facet on sets nothing was fit or calibrated on.

* ``dailydialog_test``: everyday two-person chit-chat (flagged share, and per topic);
* ``clinc150_test``: task queries (its train split is in training);
* ``demo_2000_seed0``: the Chorus demo (``HELD_OUT_DEMO_SEED``), precision and recall
  against its truth's ``affective`` and the flagged share per demo topic.

Output holds counts and shares only.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.lens_data import clinc, dailydialog, requests
from bench.lens_eval.demo import (
    DEMO_N,
    HELD_OUT_DEMO_SEED,
    affective_flags,
    demo_set,
    demo_vectors,
)
from bench.lens_eval.mixes import rates


def demo_held_out(embedder, settings, seed: int = HELD_OUT_DEMO_SEED) -> dict:
    """The affective flag on ``generate(2000, seed)``: flagged share, the rates against
    the truth (where every record has ``affective``) and the flagged share per topic."""
    demo = demo_set(seed)
    flags = affective_flags(demo.texts, embedder, settings,
                            vectors=demo_vectors(seed, demo, embedder))
    out: dict[str, object] = {"n": len(demo.texts), "flagged_share": float(flags.mean())}
    if all("affective" in t for t in demo.truth):
        labels = np.array([bool(t["affective"]) for t in demo.truth])
        out.update(rates(flags, labels))
        by_topic = defaultdict(list)
        for t, f in zip(demo.truth, flags, strict=True):
            by_topic[t["topic"]].append(bool(f))
        out["by_topic"] = {t: float(np.mean(v)) for t, v in sorted(by_topic.items())}
    return out


def held_out_eval(embedder, settings, cache_dir: Path | None = None,
                  demo: bool = True) -> dict:
    """The held_out part of lens.json (``demo``: include the demo check)."""
    out: dict[str, object] = {}
    dd = dailydialog("test")
    flags = affective_flags(requests(dd), embedder, settings, cache_dir)
    by_topic = defaultdict(list)
    for c, f in zip(dd, flags, strict=True):
        by_topic[c["topic"]].append(bool(f))
    out["dailydialog_test"] = {
        "n": len(dd), "flagged_share": float(flags.mean()),
        "by_topic": {t: {"n": len(v), "flagged_share": float(np.mean(v))}
                     for t, v in sorted(by_topic.items())}}
    cl = clinc(("test",))
    flags = affective_flags(requests(cl), embedder, settings, cache_dir)
    out["clinc150_test"] = {"n": len(cl), "flagged_share": float(flags.mean())}
    if demo:
        out[f"demo_{DEMO_N}_seed{HELD_OUT_DEMO_SEED}"] = demo_held_out(embedder, settings)
    return out

"""``python -m bench.lens_eval``: options, the results files and the printout.

Writes ``bench/results/lens.json`` (keys: settings, lens, spread_over_seeds, held_out,
sentiment, timing_per_mix, boundary, reliance, splits) and merges ``lens: {mixes,
sentiment}`` into ``bench/results/latest.json`` (other keys kept; ``latest.md`` is
rewritten when latest.json is complete). ``--only boundary`` / ``--only reliance`` /
``--only held_out`` run just those parts and merge them into the existing lens.json
(latest.json untouched).
Prints counts and scores only, never text.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "results" / "lens.json"
LATEST = RESULTS.with_name("latest.json")
SPLITS = ("bench/lens_data.py: training (bench.lens_fit) ESConv train, SGD first half part, "
          "BANKING77 train part, CLINC150 train; calibration ESConv valid + held-out SGD "
          "first half / BANKING77 train; evaluation ESConv test, SGD second half, BANKING77 "
          "test")
PARTS = ("boundary", "reliance", "held_out")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    # the package's docstring, read without importing the package from its own module
    doc = sys.modules["bench.lens_eval"].__doc__ if "bench.lens_eval" in sys.modules else None
    parser = argparse.ArgumentParser(prog="python -m bench.lens_eval",
                                     description=(doc or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="conversations per mix (at most)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=5,
                        help="resamples of each mix for the spread (seed, seed+1, ...)")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="cache embeddings here as .npy (outside the repository)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-data check")
    parser.add_argument("--reliance-n", type=int, action="append", default=None,
                        help="demo sizes of the reliance part (repeatable; default 2000)")
    parser.add_argument("--only", action="append", choices=PARTS,
                        help="run only this part, merged into the existing lens.json")
    return parser.parse_args(argv)


def _lens():
    """The default embedder and lens settings."""
    from chorus.core.settings import EmbedSettings, LensSettings
    from tasks.embedders import build_embedder

    return build_embedder(EmbedSettings(progress=False)), LensSettings()


def write_json(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n")


def run_only(parts: list[str], cache_dir: Path | None, demo: bool = True,
             reliance_n: list[int] | None = None) -> dict:
    """Runs only ``parts`` and merges them into the existing results file (``demo``:
    held_out includes the demo check)."""
    from bench.lens_eval.boundary import boundary_eval
    from bench.lens_eval.held_out import held_out_eval
    from bench.lens_eval.reliance import reliance_eval

    doc = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if "boundary" in parts:
        doc["boundary"] = boundary_eval()
    if "reliance" in parts:
        embedder, settings = _lens()
        doc["reliance"] = reliance_eval(embedder, settings, sizes=reliance_n)
    if "held_out" in parts:
        embedder, settings = _lens()
        doc["held_out"] = held_out_eval(embedder, settings, cache_dir, demo=demo)
        print("held out:", json.dumps({k: v.get("flagged_share") for k, v in
                                      doc["held_out"].items()}))
    write_json(RESULTS, doc)
    print_boundary_reliance(doc)
    print(f"wrote {RESULTS} (keys {', '.join(parts)})")
    return doc


def run_all(args: argparse.Namespace) -> dict:
    """Every part; writes lens.json and the ``lens`` key of latest.json."""
    from bench.lens_eval.boundary import boundary_eval
    from bench.lens_eval.held_out import held_out_eval
    from bench.lens_eval.mixes import evaluate_mixes
    from bench.lens_eval.reliance import reliance_eval
    from bench.lens_eval.sentiment import sentiment_eval

    embedder, settings = _lens()
    rows, spread, timing = evaluate_mixes(embedder, settings, args.n, args.seed, args.seeds,
                                          args.cache_dir)
    checks = held_out_eval(embedder, settings, args.cache_dir, demo=not args.no_demo)
    sentiment = sentiment_eval()
    doc = {"settings": settings.model_dump(), "lens": rows, "spread_over_seeds": spread,
           "held_out": checks, "sentiment": sentiment, "timing_per_mix": timing,
           "boundary": boundary_eval(),
           "reliance": reliance_eval(embedder, settings,
                                     sizes=args.reliance_n),
           "splits": SPLITS}
    write_json(RESULTS, doc)
    merged = json.loads(LATEST.read_text()) if LATEST.exists() else {}
    merged["lens"] = {
        "mixes": [{k: r[k] for k in ("mix", "true_share", "estimated_share", "precision",
                                     "recall")} for r in rows],
        "sentiment": {"n": sentiment["n"], "spearman": sentiment["spearman"]},
    }
    write_json(LATEST, merged)
    if all(k in merged for k in ("date", "commit", "clustering", "pii", "throughput")):
        from bench.report import markdown

        LATEST.with_suffix(".md").write_text(markdown(merged))
    print_all(doc)
    print(f"wrote {RESULTS} and {LATEST} (key 'lens')")
    return doc


def print_all(doc: dict) -> None:
    rows, checks, sentiment = doc["lens"], doc["held_out"], doc["sentiment"]
    print(f"{'mix':>4} {'n':>5} {'true':>6} {'est':>6} {'adj':>6} {'prec':>5} {'recall':>6} "
          f"{'concern a/t':>12} {'referral a/t':>13}")
    for r in rows:
        print(f"{r['mix']:>4} {r['n']:>5} {r['true_share']:6.3f} {r['estimated_share']:6.3f} "
              f"{r['adjusted_share']:6.3f} {r['precision']:5.3f} {r['recall']:6.3f} "
              f"{r['concern_share_affective']:5.3f}/{r['concern_share_task']:.3f} "
              f"{r['referral_share_affective']:6.3f}/{r['referral_share_task']:.3f}")
    print("spread over seeds:", json.dumps(doc["spread_over_seeds"]))
    print("held out:", json.dumps({k: v.get("flagged_share", v) if isinstance(v, dict) else v
                                  for k, v in checks.items()}))
    print(f"sentiment: n={sentiment['n']} spearman={sentiment['spearman']:.3f} "
          f"(first/last-turn variant {sentiment['spearman_first_last_turn']:.3f}; "
          f"by split {json.dumps(sentiment['by_split'])})")
    print("timing (one mix):", json.dumps(doc["timing_per_mix"]))
    print_boundary_reliance(doc)


def print_boundary_reliance(doc: dict) -> None:
    boundary, reliance = doc.get("boundary", {}), doc.get("reliance", {})
    for key, r in boundary.items():
        if key.startswith("demo_"):
            print(f"boundary {key}: precision {r['precision']:.3f} recall {r['recall']:.3f} "
                  f"(true {r['n_true']}, flagged {r['n_flagged']})")
    for name in ("esconv", "sgd"):
        for split, r in boundary.get(name, {}).items():
            print(f"boundary {name} {split}: {r['n_flagged_turns']}/{r['n_turns']} turns "
                  f"({r['turn_rate']:.4%}), conversations {r['conversation_rate']:.4%}, "
                  f"patterns {json.dumps(r['patterns'])}")
    for key, r in reliance.items():
        if key.startswith("demo_"):
            errors = {k: None if v is None else round(v, 3)
                      for k, v in r["relative_error"].items()}
            print(f"reliance {key}: truth {json.dumps(r['truth'])} predicted "
                  f"{json.dumps(r['predicted'])} relative error {json.dumps(errors)}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    if args.only:
        run_only(args.only, args.cache_dir, demo=not args.no_demo, reliance_n=args.reliance_n)
    else:
        run_all(args)

"""Embedding backends compared: build cost, speed, clustering quality and the lens.

    python -m bench.embed_eval [--backends sentence-transformers onnx-int8 model2vec]
                               [--sets esconv dailydialog banking77 clinc150] [--limit N]
                               [--speed-n 1000] [--no-quality] [--no-lens] [--lens-n 2000]
                               [--lens-seeds 3] [--cache-dir /tmp/embed-eval]

For each backend of ``tasks.embedders`` (``embed.backend``):

* **build**: seconds of its local build (``build.json``; the ONNX export + int8
  quantization, the model2vec distillation), and whether this run built it.
* **speed**: texts/s, cold (no embedding cache, model already loaded) on distinct texts
  of two kinds, with their mean length in characters and MiniLM tokens: ``chat`` (the
  request facets builds from ESConv's seeker turns: long chat text) and ``short``
  (BANKING77 test queries); plus the cosine of each vector to MiniLM fp32's for the
  same text where both live in one space (onnx-int8).
* **quality**: ARI / NMI of Chorus's base clusters against the labels of the four shared
  sets, on Chorus's own path (``bench.chorus_path``: ingest validation, then the
  composition's scrub and facets once per set, then embed and cluster per backend with
  ``configs/chorus.toml``), and the ARI of each backend's clusters against fp32's.
* **lens**: the lens refitted for the backend (``bench.lens_fit --backend``, training
  split only; thresholds calibrated on the calibration split) and evaluated on the
  evaluation split's mixes (``bench.lens_eval.mixes``): precision, recall, share.

Writes ``bench/results/embedders.{json,md}``; a backend's fitted lens model goes to
``--cache-dir`` (outside the repository). Prints numbers only, never text.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.loaders import DAILYDIALOG_SAMPLE, LOADERS

log = logging.getLogger("bench.embed_eval")

RESULTS = Path(__file__).resolve().parent / "results" / "embedders.json"
BACKENDS = ("sentence-transformers", "onnx-int8", "model2vec")
REFERENCE = "sentence-transformers"


def embed_settings(backend: str):
    from bench.chorus_path import load_config

    return load_config([f'embed.backend="{backend}"']).embed


def builds(backends: list[str]) -> dict:
    """Per backend: build seconds (from build.json), built now or found, load seconds."""
    from tasks.embedders import build_embedder
    from tasks.embedders.builds import build_info
    from tasks.embedders.onnx_int8 import onnx_build_folder
    from tasks.embedders.static import static_build_folder

    out = {}
    for backend in backends:
        settings = embed_settings(backend)
        t0 = time.perf_counter()
        folder = None
        if backend == "onnx-int8":
            folder = onnx_build_folder(settings.model, settings.models_dir)
        elif backend == "model2vec":
            folder = static_build_folder(settings.model, settings.models_dir, settings.pca_dims)
        t1 = time.perf_counter()
        build_embedder(settings).embed(["warm up"])  # loads the model
        row = {"model_id": build_embedder(settings).model_id,
               "load_s": round(time.perf_counter() - t1, 2)}
        if folder is not None:
            info = build_info(folder)
            size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            row.update({"build_s": info["seconds"], "built_now": t1 - t0 > 1.0,
                        "size_mb": round(size / 1e6, 1)})
        out[backend] = row
    return out


def speed_texts(n: int) -> dict[str, list[str]]:
    """Distinct texts of two kinds (see the module docstring), at most n each."""
    from bench.lens_data import banking, esconv, requests

    chat = requests([c for split in ("train", "valid", "test") for c in esconv(split)])
    short = [c["user_turns"][0] for c in banking("test")]
    return {kind: list(dict.fromkeys(texts))[:n] for kind, texts in
            (("chat", chat), ("short", short))}


def speed(backends: list[str], n: int) -> dict:
    """texts/s per backend and kind, and the cosine to fp32 where comparable."""
    from tasks.embedders import build_embedder, resolve_model_path

    tokenizer = _tokenizer(resolve_model_path(embed_settings(REFERENCE).model))
    out: dict[str, dict] = {}
    reference: dict[str, np.ndarray] = {}
    for kind, texts in speed_texts(n).items():
        tokens = [len(e.ids) for e in tokenizer.encode_batch(texts)]
        for backend in backends:
            embedder = build_embedder(embed_settings(backend))
            embedder.embed(["warm up"])
            t0 = time.perf_counter()
            vectors = embedder.embed(texts)
            seconds = time.perf_counter() - t0
            row = {"n": len(texts), "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
                   "mean_tokens": round(float(np.mean(tokens)), 1), "seconds": round(seconds, 2),
                   "texts_per_s": round(len(texts) / seconds, 1), "dim": int(vectors.shape[1])}
            if backend == REFERENCE:
                reference[kind] = vectors
            elif kind in reference and vectors.shape == reference[kind].shape:
                cos = (vectors * reference[kind]).sum(axis=1)
                row.update({"cosine_to_fp32_mean": round(float(cos.mean()), 4),
                            "cosine_to_fp32_min": round(float(cos.min()), 4)})
            out.setdefault(backend, {})[kind] = row
            log.info("%s %s: %d texts in %.1f s (%.1f/s)", backend, kind, len(texts), seconds,
                     len(texts) / seconds)
    return out


def _tokenizer(folder: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(embed_settings(REFERENCE).max_seq_length)
    return tok


def quality(backends: list[str], sets: list[str], limit: int | None,
            done: Callable[[list[dict]], None] = lambda rows: None) -> list[dict]:
    """One row per (set, backend): ARI/NMI against labels and ARI against fp32;
    ``done(rows so far)`` after each row."""
    from sklearn.metrics import adjusted_rand_score

    from bench.chorus_path import load_config, to_frame
    from bench.metrics import cluster_scores
    from chorus.core.rundata import RunData
    from flows.composition import RunContext, new_run_row, run_stages
    from tasks.recognizers.analyzer import build_analyzer

    rows: list[dict] = []
    cfg = load_config(["embed.cache=false"])  # once: every backend runs the same settings
    for name in sets:
        n_limit = limit if limit is not None else (
            DAILYDIALOG_SAMPLE if name == "dailydialog" else None)
        records = LOADERS[name](limit=n_limit, seed=0)
        frame, kept = to_frame(records, cfg.ingest.max_message_chars)
        labels = np.array([r["label"] for r in kept], dtype=object)
        build_analyzer(cfg.scrub)
        base = RunData(f"embed-eval-{name}", raw=frame)
        t0 = time.perf_counter()
        run_stages(base, RunContext(cfg, new_run_row(cfg, base.run_id)), names=("scrub", "facets"))
        log.info("%s: %d records scrubbed in %.0f s", name, frame.height, time.perf_counter() - t0)
        fp32_pred = None
        for backend in backends:
            bcfg = cfg.model_copy(update={"embed": cfg.embed.model_copy(
                update={"backend": backend})})
            data = RunData(f"embed-eval-{name}-{backend}", facets=base.facets)
            ctx = RunContext(bcfg, new_run_row(bcfg, data.run_id))
            t0 = time.perf_counter()
            run_stages(data, ctx, names=("embed",))
            t1 = time.perf_counter()
            run_stages(data, ctx, names=("cluster",))
            t2 = time.perf_counter()
            assert data.labels is not None
            pred = data.labels[0]
            row = {"dataset": name, "backend": backend, **cluster_scores(labels, pred),
                   "embed_s": round(t1 - t0, 1), "cluster_s": round(t2 - t1, 1)}
            if backend == REFERENCE:
                fp32_pred = pred
            if fp32_pred is not None:
                row["ari_vs_fp32"] = round(float(adjusted_rand_score(fp32_pred, pred)), 4)
            rows.append(row)
            log.info("%s %s: ARI %.3f NMI %.3f, %d clusters", name, backend, row["ari"],
                     row["nmi"], row["n_clusters"])
            done(rows)
    return rows


def lens(backends: list[str], n: int, seeds: int, cache_dir: Path) -> dict:
    """Per backend: refit + calibrate (bench.lens_fit), then the evaluation mixes."""
    from bench import lens_fit
    from bench.lens_eval.mixes import evaluate_mixes
    from chorus.core.settings import LensSettings
    from tasks.embedders import build_embedder

    out = {}
    for backend in backends:
        path = cache_dir / f"lens_affective.{backend}.json"
        t0 = time.perf_counter()
        doc = lens_fit.main(["--backend", backend, "--out", str(path),
                             "--cache-dir", str(cache_dir)])
        fit_s = time.perf_counter() - t0
        cal = doc["calibration"]
        settings = LensSettings(affective_model=str(path), threshold=cal["model"]["threshold"],
                                prototype_threshold=cal["prototypes"]["threshold"],
                                calibration_tpr=cal["model"]["tpr"],
                                calibration_fpr=cal["model"]["fpr"])
        rows, spread, _ = evaluate_mixes(build_embedder(embed_settings(backend)), settings, n,
                                         0, seeds, cache_dir)
        out[backend] = {"model_id": doc["embedder_model_id"], "fit_s": round(fit_s, 1),
                        "calibration": {k: {m: round(v, 4) if isinstance(v, float) else v
                                            for m, v in c.items()} for k, c in cal.items()
                                        if isinstance(c, dict)},
                        "mixes": rows, "spread_over_seeds": spread}
    return out


def markdown(doc: dict) -> str:
    lines = [f"# Embedding backends ({doc['date']}, commit {doc['commit']})", "",
             doc["machine"], "", "## Build and speed", "",
             "| backend | model id | build s | size MB | texts/s chat | texts/s short "
             "| cosine to fp32 (mean/min, chat) |", "|---|---|---|---|---|---|---|"]
    for backend, b in doc.get("builds", {}).items():
        s = doc.get("speed", {}).get(backend, {})
        chat, short = s.get("chat", {}), s.get("short", {})
        cos = (f"{chat['cosine_to_fp32_mean']:.4f} / {chat['cosine_to_fp32_min']:.4f}"
               if "cosine_to_fp32_mean" in chat else "-")
        lines.append(f"| {backend} | `{b['model_id']}` | {b.get('build_s', '-')} | "
                     f"{b.get('size_mb', '-')} | {chat.get('texts_per_s', '-')} | "
                     f"{short.get('texts_per_s', '-')} | {cos} |")
    for kind, r in next(iter(doc.get("speed", {}).values()), {}).items():
        lines.append(f"\n{kind}: {r['n']} distinct texts, mean {r['mean_chars']} characters, "
                     f"{r['mean_tokens']} MiniLM tokens.")
    if doc.get("quality"):
        lines += ["", "## Clustering quality (Chorus path, base clusters)", "",
                  "| set | backend | ARI | NMI | ARI vs fp32 | clusters | coverage | embed s |",
                  "|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['dataset']} | {r['backend']} | {r['ari']:.3f} | {r['nmi']:.3f} | "
                  f"{r.get('ari_vs_fp32', '-')} | {r['n_clusters']} | {r['coverage']:.2f} | "
                  f"{r['embed_s']} |" for r in doc["quality"]]
    if doc.get("lens"):
        lines += ["", "## Lens (refitted per backend; evaluation split mixes)", "",
                  "| backend | mix | true | estimated | precision | recall | threshold |",
                  "|---|---|---|---|---|---|---|"]
        for backend, r in doc["lens"].items():
            thr = r["calibration"]["model"]["threshold"]
            lines += [f"| {backend} | {m['mix']} | {m['true_share']:.3f} | "
                      f"{m['estimated_share']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} "
                      f"| {thr} |" for m in r["mixes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--sets", nargs="+", choices=list(LOADERS), default=list(LOADERS))
    parser.add_argument("--limit", type=int, default=None, help="seeded sample per set")
    parser.add_argument("--speed-n", type=int, default=1000, help="texts per speed kind")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--no-lens", action="store_true")
    parser.add_argument("--lens-backends", nargs="+", choices=BACKENDS, default=None,
                        help="backends to refit and evaluate the lens for (default: all)")
    parser.add_argument("--lens-n", type=int, default=2000)
    parser.add_argument("--lens-seeds", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/chorus-embed-eval"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("presidio-analyzer", "numba", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    backends = [b for b in BACKENDS if b in args.backends]  # the reference first
    load = _load()
    doc: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                 "commit": _commit(), "machine": load,
                 "command": "python -m bench.embed_eval " + " ".join(argv or sys.argv[1:])}
    doc["builds"] = builds(backends)
    write(doc, args.out)  # after each part, so a long run keeps what it measured
    if not args.no_speed:
        doc["speed"] = speed(backends, args.speed_n)
        write(doc, args.out)
    if not args.no_lens:
        doc["lens"] = lens(args.lens_backends or backends, args.lens_n, args.lens_seeds,
                           args.cache_dir)
        write(doc, args.out)
    if not args.no_quality:
        def done(rows: list[dict]) -> None:
            doc["quality"] = rows
            write(doc, args.out)

        doc["quality"] = quality(backends, args.sets, args.limit, done)
    doc["machine"] = f"{load}; at the end: {_load()}"
    write(doc, args.out)
    print(markdown(doc))
    print(f"wrote {args.out} and {args.out.with_suffix('.md')}")
    return doc


def write(doc: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    out.with_suffix(".md").write_text(markdown(doc))


def _load() -> str:
    import os

    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} (1 min) / {five:.1f} (5 min)"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=RESULTS.parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()

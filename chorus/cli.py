"""The ``chorus`` command line: run, demo-data, serve, tree, explore, export, store gc,
eval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chorus.core.errors import ChorusError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Chorus: privacy-preserving insight into what people ask an assistant.")

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c",
                      help="TOML config (default configs/chorus.toml).")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", "-s",
                   help="Override a config value: section.key=value (repeatable).")]


def _noise(n_noise: int | None) -> str:
    return "noise withheld (below k)" if n_noise is None else f"{n_noise} noise"


def _fail(exc: ChorusError) -> None:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.command()
def run(config: ConfigOpt = None, set_: SetOpt = None,
        run_id: Annotated[str | None, typer.Option(help="Replace this run id.")] = None,
        tree: Annotated[bool, typer.Option(help="Print the published tree after.")] = True,
        assign_to: Annotated[str | None, typer.Option(
            "--assign-to", help="Assign the conversations to the clusters of this earlier "
                                "full run instead of fitting (cluster.assign_to).")] = None,
        from_store: Annotated[str | None, typer.Option(
            "--from-store", help="Publish this earlier run again from its stored chunks "
                                 "(warehouse/private/chunks), without reading the input: "
                                 "e.g. with new privacy thresholds. Replaces that run "
                                 "unless --run-id is given.")] = None,
        ) -> None:
    """Run the pipeline once and write the warehouse."""
    import json

    from chorus.core.config import load_config
    from tasks.ingest.preflight import preflight_inputs

    if assign_to is not None:  # a quoted TOML string: a run id like 2026-11-01 is no date
        set_ = [*(set_ or []), f"cluster.assign_to={json.dumps(assign_to)}"]
    try:
        cfg = load_config(config, set_)  # fail fast, before Prefect starts
        if from_store is None:  # --from-store reads no input
            preflight_inputs(cfg.run.inputs)  # paths, types, emptiness, Parquet schema
        if cfg.cluster.assign_to is not None:  # a known, published full run, same embedder
            from tasks.cluster.topics import preflight_assign_to

            preflight_assign_to(cfg.cluster.assign_to, cfg.embed, cfg.run.private_store)
        from flows.pipeline import chorus_pipeline  # the stages' imports take seconds
        from flows.server import managed_server

        with managed_server():  # own Prefect server (dies with us) unless PREFECT_API_URL
            result = chorus_pipeline(str(config) if config else None, set_ or [], run_id,
                                     from_store)
    except ChorusError as exc:
        _fail(exc)
    typer.echo(f"run {result['run_id']} {result['status']}: {result['n_accepted']} "
               f"conversations accepted, {result['n_quarantined']} quarantined, "
               f"{_noise(result['n_noise'])}, "
               f"{result['n_published']} clusters published, {result['n_suppressed']} "
               f"suppressed, {result['seconds']:.1f} s -> {cfg.run.warehouse}")
    if tree:
        show_tree(cfg.run.warehouse, result["run_id"], None)


@app.command("demo-data")
def demo_data(n: Annotated[int, typer.Option(min=10, help="Conversations.")] = 2000,
              seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
              out: Annotated[Path, typer.Option(help="Output JSONL.")] =
              Path("data/demo/conversations.jsonl")) -> None:
    """Write synthetic conversations (and a ground-truth file beside them)."""
    from chorus.demo import write_demo_data

    data_path, truth_path = write_demo_data(n, seed, out)
    typer.echo(f"wrote {n} conversations to {data_path} (ground truth: {truth_path})")


@app.command()
def serve(cron: Annotated[str | None, typer.Option(help="Cron schedule, e.g. '0 3 * * *'.")] = None,
          interval: Annotated[int | None, typer.Option(help="Seconds between runs.")] = None,
          config: ConfigOpt = None, set_: SetOpt = None,
          name: Annotated[str, typer.Option(help="Deployment name.")] = "chorus-scheduled",
          ) -> None:
    """Serve the flow on a schedule (needs a Prefect API; see README)."""
    from chorus.core.config import load_config
    from flows.pipeline import chorus_pipeline

    if (cron is None) == (interval is None):
        _fail(ChorusError("give exactly one of --cron or --interval"))
    try:
        load_config(config, set_)
    except ChorusError as exc:
        _fail(exc)
    chorus_pipeline.serve(
        name=name, cron=cron, interval=interval,
        parameters={"config_path": str(config) if config else None, "overrides": set_ or []},
    )


@app.command()
def tree(warehouse: Annotated[str | None, typer.Option(help="Warehouse file.")] = None,
         run_id: Annotated[str | None, typer.Option(help="Run (default: latest).")] = None,
         depth: Annotated[int | None, typer.Option(help="Levels to show.")] = None,
         svg: Annotated[Path | None, typer.Option(
             help="Also draw the tree as an icicle chart into this SVG file.")] = None,
         lens: Annotated[str | None, typer.Option(
             help="'support': the emotional-support lens (affective share, sentiment "
                  "shift, concern and referral) on the clusters with affective rows; "
                  "'reliance': repeated affective use, length and depth, boundaries.")
         ] = None,
         config: ConfigOpt = None) -> None:
    """Print the published cluster hierarchy of the latest (or a given) run."""
    from chorus.core.config import load_config

    if lens not in (None, "support", "reliance"):
        _fail(ChorusError(f"unknown lens {lens!r}; lenses: 'support', 'reliance'"))
    try:
        show_tree(warehouse or load_config(config).run.warehouse, run_id, depth, svg, lens)
    except ChorusError as exc:
        _fail(exc)


def show_tree(warehouse: str, run_id: str | None, depth: int | None,
              svg: Path | None = None, lens: str | None = None) -> None:
    from tasks.report import (
        affective_summary,
        icicle_svg,
        reliance_lines,
        reliance_summary,
        support_lines,
        tree_lines,
    )
    from tasks.store import connect

    con = connect(warehouse, read_only=True)
    try:
        if run_id is None:
            rows = con.sql("SELECT run_id FROM latest_run").fetchall()
            if not rows:
                raise ChorusError(f"{warehouse} holds no succeeded run")
            run_id = rows[0][0]
        run = con.sql("SELECT * FROM runs WHERE run_id = $r", params={"r": run_id}).pl()
        if run.is_empty():
            raise ChorusError(f"no run {run_id!r} in {warehouse}")
        clusters = con.sql("SELECT * FROM clusters WHERE run_id = $r",
                           params={"r": run_id}).pl()
        support = (con.sql("SELECT * FROM cluster_support WHERE run_id = $r",
                           params={"r": run_id}).pl() if lens == "support" else None)
        reliance = (con.sql("SELECT * FROM cluster_reliance WHERE run_id = $r",
                            params={"r": run_id}).pl(),
                    con.sql("SELECT * FROM run_facets WHERE run_id = $r",
                            params={"r": run_id}).pl()) if lens == "reliance" else None
    finally:
        con.close()
    r = run.row(0, named=True)
    typer.echo(f"run {run_id} ({r['status']}): {r['n_accepted']} conversations, "
               f"k = {r['min_users']} users / {r['min_conversations']} conversations; "
               f"{r['n_published']} clusters published, {r['n_suppressed']} suppressed, "
               f"{_noise(r['n_noise'])}")
    if reliance is not None:
        for line in reliance_summary(reliance[1]):
            typer.echo(line)
        typer.echo("per cluster (published clusters with an affective row; reliance on "
                   "top-level clusters; affective vs task medians):")
        for line in reliance_lines(reliance[0], max_depth=depth) or [
                "(no cluster has a published affective row)"]:
            typer.echo(line)
        return
    if support is not None:
        typer.echo(affective_summary(r))
        typer.echo("topics of affective conversations (published clusters with an "
                   "affective row; shares of the cluster's conversations):")
        for line in support_lines(support, max_depth=depth) or [
                "(no cluster has a published affective row)"]:
            typer.echo(line)
        return
    for line in tree_lines(clusters, max_depth=depth) or ["(nothing published)"]:
        typer.echo(line)
    if svg is not None:
        svg.parent.mkdir(parents=True, exist_ok=True)
        svg.write_text(icicle_svg(clusters, f"Chorus run {run_id}: what people talk about "
                                            f"(k = {r['min_users']} users)"))
        typer.echo(f"wrote {svg}")


@app.command()
def explore(warehouse: Annotated[str | None, typer.Option(help="Warehouse file.")] = None,
            run_id: Annotated[str | None, typer.Option(help="Run (default: latest).")] = None,
            out: Annotated[Path, typer.Option(help="The HTML file to write.")] =
            Path("report.html"), config: ConfigOpt = None) -> None:
    """Write one self-contained HTML explorer of a run (map, tree, details; no network)."""
    from chorus.core.config import load_config
    from tasks.explore import build_explorer
    from tasks.store import connect

    try:
        con = connect(warehouse or load_config(config).run.warehouse, read_only=True)
        try:
            page = build_explorer(con, run_id)
        finally:
            con.close()
    except ChorusError as exc:
        _fail(exc)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.html, encoding="utf-8")
    typer.echo(f"wrote {out} (run {page.run_id}: {page.n_map} clusters on the map, "
               f"{len(page.html.encode()) / 1e6:.1f} MB, {page.seconds:.1f} s)")


@app.command()
def export(out: Annotated[Path, typer.Option(help="Folder for the files.")],
           fmt: Annotated[str, typer.Option("--format", help="Only 'parquet'.")] = "parquet",
           warehouse: Annotated[str | None, typer.Option(help="Warehouse file.")] = None,
           run_id: Annotated[str | None, typer.Option(help="Run (default: latest).")] = None,
           config: ConfigOpt = None) -> None:
    """Export a run's analyst tables and views as Parquet files, with SCHEMA.md."""
    from chorus.core.config import load_config
    from tasks.explore import export_run
    from tasks.store import SCHEMA_PATH, connect

    if fmt != "parquet":
        _fail(ChorusError(f"unknown format {fmt!r}; the only format is 'parquet'"))
    try:
        con = connect(warehouse or load_config(config).run.warehouse, read_only=True)
        try:
            result = export_run(con, out, run_id, SCHEMA_PATH.read_text())
        finally:
            con.close()
    except ChorusError as exc:
        _fail(exc)
    typer.echo(f"wrote {len(result.rows)} Parquet files for run {result.run_id} to {out} "
               f"({sum(result.rows.values())} rows; schema: {out / 'SCHEMA.md'})")


store_app = typer.Typer(no_args_is_help=True,
                        help="The private chunk store (<private store folder>/chunks).")
app.add_typer(store_app, name="store")


@store_app.command("gc")
def store_gc(config: ConfigOpt = None, set_: SetOpt = None,
             keep_runs: Annotated[int | None, typer.Option(
                 min=1, help="Run plans to keep, newest first (default run.keep_runs).")] = None,
             delete: Annotated[bool, typer.Option(
                 "--delete", help="Delete; without it, only say what would go.")] = False,
             ) -> None:
    """Delete the chunks and run plans no kept or running run needs (a dry run unless
    --delete; a succeeded run collects by itself)."""
    from chorus.core.chunk_gc import collect_garbage
    from chorus.core.chunk_store import chunk_root
    from chorus.core.config import load_config

    try:
        cfg = load_config(config, set_)
        root = chunk_root(cfg.run.private_store)
        r = collect_garbage(root, keep_runs or cfg.run.keep_runs, dry_run=not delete)
    except ChorusError as exc:
        _fail(exc)
    verb = "removed" if delete else "would remove"
    typer.echo(f"{root}: kept {r.plans_kept} run plans ({r.live_runs} running) and "
               f"{r.chunks_kept} chunks; {verb} {r.plans_removed} run plans, "
               f"{r.chunks_removed} chunks and {r.partials_removed} partial chunks "
               f"({r.bytes_removed / 1e6:.1f} MB)" + ("" if delete else "; --delete to delete"))


@app.command("eval")
def eval_(labelled: Annotated[Path, typer.Option(
              "--labelled", help="JSONL in the input contract plus 'label'.")],
          parent_label: Annotated[bool, typer.Option(
              "--parent-label", help="Also score the top level against 'parent_label'.")] = False,
          limit: Annotated[int | None, typer.Option(
              help="Seeded sample of N records.")] = None) -> None:
    """Measure clustering (vs BERTopic and k-means) on a labelled file; see bench/evaluate.py."""
    from bench.evaluate import evaluate_labelled
    from bench.report import markdown

    typer.echo(markdown(evaluate_labelled(labelled, parent_label=parent_label, limit=limit)))


if __name__ == "__main__":
    app()

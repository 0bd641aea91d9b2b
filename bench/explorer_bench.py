"""Measure the explorer (`make explore`): HTML size, build time and first render in
Debian's headless Chromium, for a warehouse's run and for 1,000 synthetic clusters; and
write the README's screenshot.

    python -m bench.explorer_bench --warehouse warehouse/chorus.duckdb \
        --out warehouse/report.html --png docs/explorer.png

First render: from navigation to the page's ``chorusExplorer.state.ready`` (header, tree
and the BokehJS map drawn), offline, at 1280x800. Results: ``bench/results/explorer.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from pathlib import Path

import duckdb

from bench.explorer_data import synthetic_warehouse
from tasks.explore import build_explorer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
RESULTS = Path(__file__).resolve().parent / "results" / "explorer.json"


def build(warehouse: Path, out: Path, run_id: str | None = None) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        page = build_explorer(con, run_id)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.html, encoding="utf-8")
    return {"run_id": page.run_id, "clusters_on_map": page.n_map,
            "html_mb": round(len(page.html.encode()) / 1e6, 2), "build_s": page.seconds}


def render(browser, html: Path, png: Path | None = None) -> dict:
    """Open ``html`` offline; seconds to ready; optionally a screenshot with the largest
    base cluster selected (details panel filled), palette-reduced to stay small."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    def console(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    t0 = time.perf_counter()
    page.goto(html.resolve().as_uri())
    page.wait_for_function("window.chorusExplorer && chorusExplorer.state.ready",
                           timeout=120_000)
    seconds = time.perf_counter() - t0
    if png is not None:
        from PIL import Image

        page.evaluate("""() => { const d = JSON.parse(
            document.getElementById('chorus-data').textContent);
            const base = d.clusters.filter(c => c.kind === 'cluster' && c.level === 0)
                .sort((a, b) => b.n_users - a.n_users)[0];
            if (base) chorusExplorer.select(base.id); }""")
        page.wait_for_timeout(300)
        png.parent.mkdir(parents=True, exist_ok=True)
        shot = Image.open(io.BytesIO(page.screenshot()))
        shot.convert("RGB").quantize(colors=128).save(png, optimize=True)
    context.close()
    return {"first_render_s": round(seconds, 2), "console_errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path("warehouse/chorus.duckdb"))
    parser.add_argument("--run-id", default=None)
    parser.add_argument("--out", type=Path, default=Path("warehouse/report.html"))
    parser.add_argument("--png", type=Path, default=None)
    parser.add_argument("--synthetic", type=int, default=1000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = {"run": build(args.warehouse, args.out, args.run_id)}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "report.html"
        results["synthetic"] = build(synthetic_warehouse(Path(tmp) / "w.duckdb",
                                                         args.synthetic), big)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            results["run"] |= render(browser, args.out, args.png)
            results["synthetic"] |= render(browser, big)
            browser.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Build the explorer: one self-contained HTML file from the analyst warehouse.

Contract: ``build_explorer(con, run_id)`` reads the ANALYST warehouse only (``read``),
turns it into the page model (``model``) and returns one HTML document that holds every
script, style and datum inline: BokehJS (read from the installed ``bokeh`` package at
build time), the page's own scripts and styles (``assets/``), the map as a Bokeh JSON
item and the page data as JSON. It references no URL: no CDN, no font, no tile server;
opened from disk with no network it works the same. Published strings reach the page
only as JSON (``<``, ``>`` and ``&`` escaped) and are put into the document with
``textContent``, never as markup.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from tasks.explore.model import page_model
from tasks.explore.read import read_run

ASSETS = Path(__file__).resolve().parent / "assets"
SCRIPTS = ("map.js", "explorer.js")  # the map's handle first; the page script uses it


@dataclass(frozen=True)
class Explorer:
    """A built page: its HTML, run id, how many clusters the map draws, build seconds."""

    html: str
    run_id: str
    n_map: int
    seconds: float


def _json(value: Any) -> str:
    """JSON safe to place inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def map_item(columns: dict[str, list]) -> dict[str, Any]:
    """The map as a Bokeh JSON item: one scatter of the published clusters (pan, wheel
    zoom, box zoom, reset, tap to select, hover for names) and a label layer the page's
    script fills by zoom level."""
    from bokeh.embed import json_item
    from bokeh.models import ColumnDataSource, CustomJS, HoverTool, TapTool
    from bokeh.models.annotations import LabelSet
    from bokeh.plotting import figure

    source = ColumnDataSource(columns, name="clusters")
    plot = figure(name="map", sizing_mode="stretch_both", match_aspect=True,
                  tools="pan,wheel_zoom,box_zoom,reset", active_scroll="wheel_zoom",
                  toolbar_location="above", min_border=8, output_backend="canvas")
    plot.toolbar.logo = None
    plot.axis.visible = False
    plot.grid.visible = False
    plot.outline_line_color = None
    # figure() makes DataRange1d ranges (typed as the base Range): room for big circles
    for axis_range in (plot.x_range, plot.y_range):
        axis_range.range_padding = 0.2  # type: ignore[attr-defined]
    dots = plot.scatter("x", "y", source=source, size="size", fill_color="color",
                        fill_alpha="alpha", line_color="color", line_width="line_width",
                        name="dots")
    dots.selection_glyph = dots.glyph.clone(line_color="#111111", line_width=3,
                                            fill_alpha=0.95)
    dots.nonselection_glyph = dots.glyph.clone(fill_alpha=0.12, line_alpha=0.25)
    plot.add_tools(TapTool(renderers=[dots]),
                   HoverTool(renderers=[dots], tooltips=[("", "@name"), ("users", "@users"),
                                                         ("share", "@share")]))
    plot.add_layout(LabelSet(x="x", y="y", text="label", source=source, name="labels",
                             text_font_size="11px", text_align="center", y_offset=-4,
                             background_fill_color="white", background_fill_alpha=0.7))
    hook = "window.chorusExplorer && window.chorusExplorer.{}(cb_obj);"
    source.selected.js_on_change("indices", CustomJS(code=hook.format("onMapSelect")))
    plot.x_range.js_on_change("end", CustomJS(code=hook.format("onMapZoom")))
    return dict(json_item(plot))  # the page embeds it into #map


def bokeh_js() -> str:
    """BokehJS core, minified, from the installed package (no CDN)."""
    from bokeh.resources import Resources

    return "\n".join(Resources(mode="inline", components=["bokeh"]).js_raw)


def render_html(model: dict[str, Any], item: dict[str, Any] | None) -> str:
    """Fill ``assets/page.html`` with the inline library, styles, script and data."""
    run = model["run"]
    title = f"Chorus explorer: run {run['run_id']}"
    parts = {
        "{{TITLE}}": escape(title),
        "{{RUN}}": escape(str(run["run_id"])),
        "{{STYLE}}": (ASSETS / "explorer.css").read_text(),
        "{{BOKEH}}": bokeh_js() if item is not None else "",
        "{{DATA}}": _json(model),
        "{{MAP}}": _json(item),
        "{{SCRIPT}}": "\n".join((ASSETS / name).read_text() for name in SCRIPTS),
    }
    for key, value in parts.items():
        if "</script" in value.lower():  # cannot happen for JSON (escaped) or our assets
            raise ValueError(f"{key} would close its <script> element")
    template = (ASSETS / "page.html").read_text()
    # one pass: an inserted value is never scanned for placeholders again
    return re.sub(r"\{\{[A-Z]+\}\}", lambda m: parts.get(m.group(0), m.group(0)), template)


def build_explorer(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> Explorer:
    """The explorer page of ``run_id`` (default: the latest succeeded run)."""
    t0 = time.perf_counter()
    view = read_run(con, run_id)
    model = page_model(view)
    n_map = len(model["map"]["cluster_id"])
    item = map_item(model["map"]) if n_map else None
    html = render_html(model, item)
    return Explorer(html, view.run["run_id"], n_map, round(time.perf_counter() - t0, 3))

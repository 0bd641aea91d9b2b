/* Chorus explorer: the map, a BokehJS scatter of the published clusters (the Bokeh JSON
 * item in #chorus-map). window.chorusMap(data, item, state, onPick) embeds it into #map
 * and returns the page's handle on it: paint() redraws colours, fading (search) and
 * labels from the shared state; select(id) highlights a cluster; onTap / onZoom are
 * called by the plot's CustomJS hooks; onPick(id) tells the page a point was tapped. */
(function () {
  "use strict";
  window.chorusMap = function (data, item, state, onPick) {
    const map = { source: null, plot: null, rowOf: new Map(), alpha: null, span0: null,
                  syncing: false };

    function labels() {
      const d = map.source.data;
      const xr = map.plot.x_range;
      const span = xr.end - xr.start;
      if (map.span0 === null && isFinite(span) && span > 0) map.span0 = span;
      const zoom = map.span0 && isFinite(span) && span > 0 ? map.span0 / span : 1;
      const minLevel = data.max_level - (zoom < 1.8 ? 0 : zoom < 4 ? 1 : zoom < 8 ? 2 : 99);
      const order = Array.from(d.cluster_id.keys()).sort(function (a, b) { return d.users[b] - d.users[a]; });
      const out = Array.from(d.cluster_id, function () { return ""; });
      let shown = 0;
      order.forEach(function (i) {
        const id = Number(d.cluster_id[i]);
        const ok = id === state.selected ||
          (state.matches ? state.matches.has(id) : d.level[i] >= minLevel);
        if (ok && shown < 80) {
          out[i] = d.name[i].length > 30 ? d.name[i].slice(0, 29) + "…" : d.name[i];
          shown++;
        }
      });
      return out;
    }
    function paint() {
      if (!map.source) return;
      const d = map.source.data;
      const ids = d.cluster_id;
      const alpha = Array.from(map.alpha, function (a, i) {
        return state.matches && !state.matches.has(Number(ids[i])) ? 0.04 : a;
      });
      const color = Array.from(d["color_" + state.mode]);
      map.source.data = Object.assign({}, d, { alpha: alpha, color: color, label: labels() });
      document.getElementById("map").dataset.matches = state.matches
        ? String(Array.from(ids).filter(function (i) { return state.matches.has(Number(i)); }).length)
        : String(ids.length);
    }
    function select(id) {
      if (!map.source) return;
      map.syncing = true;
      map.source.selected.indices = map.rowOf.has(id) ? [map.rowOf.get(id)] : [];
      map.syncing = false;
      paint();
    }
    function start() {
      const note = document.getElementById("map-note");
      note.textContent = data.layout === "pca"
        ? "Position: the cluster stage's 2-D projection (PCA) of published cluster centroids; " +
          "size: users; faint rings: parent topics. Scroll to zoom, drag to pan; names appear as you zoom."
        : "No stored layout for this run (DP on, or an older run): positions follow the tree; size: users.";
      if (!item || !window.Bokeh) {
        note.textContent = "Nothing to draw on the map (no published cluster).";
        return Promise.resolve();
      }
      return window.Bokeh.embed.embed_item(item, "map").then(function () {
        const doc = window.Bokeh.documents[window.Bokeh.documents.length - 1];
        map.source = doc.get_model_by_name("clusters");
        map.plot = doc.get_model_by_name("map");
        Array.from(map.source.data.cluster_id).forEach(function (id, i) { map.rowOf.set(Number(id), i); });
        map.alpha = Array.from(map.source.data.alpha);
        document.getElementById("map").dataset.count = String(map.rowOf.size);
        state.mapReady = true;
        if (state.selected !== null) select(state.selected); else paint();
      }).catch(function (e) { state.mapError = String(e); console.error("map:", e); });
    }

    return {
      start: start, paint: paint, select: select,
      count: function () { return map.rowOf.size; },
      selection: function () {
        return map.source ? Array.from(map.source.selected.indices, function (i) {
          return Number(map.source.data.cluster_id[i]); }) : [];
      },
      column: function (name) { return map.source ? Array.from(map.source.data[name]) : []; },
      onTap: function (sel) {
        if (map.syncing || !map.source || !sel.indices.length) return;
        // a tap can hit a point and the parent rings around it: the top-most drawn wins
        const i = Math.max.apply(null, Array.from(sel.indices));
        onPick(Number(map.source.data.cluster_id[i]));
        select(Number(map.source.data.cluster_id[i]));
      },
      onZoom: function () {
        if (map.source) map.source.data = Object.assign({}, map.source.data, { label: labels() });
      },
      pointPixel: function (id) {  // page coordinates of a cluster's centre (for tests)
        const view = window.Bokeh.index.get_one(map.plot);
        const i = map.rowOf.get(Number(id));
        const box = view.canvas_view.el.getBoundingClientRect();
        return { x: box.left + view.frame.x_scale.compute(map.source.data.x[i]),
                 y: box.top + view.frame.y_scale.compute(map.source.data.y[i]) };
      },
    };
  };
})();

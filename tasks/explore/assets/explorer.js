/* Chorus explorer: the run header, the tree, the details panel and search, tied to the
 * map (map.js). Data: #chorus-data (the page model, JSON) and #chorus-map (a Bokeh JSON
 * item). Published strings are written with textContent only. The selection lives in the
 * URL fragment (#c=ID) so a link can be shared. window.chorusExplorer is the page's API
 * (the browser test drives it). */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("chorus-data").textContent);
  const mapItem = JSON.parse(document.getElementById("chorus-map").textContent);
  const byId = new Map();
  const kids = new Map();
  data.clusters.forEach(function (c) {
    byId.set(c.id, c);
    if (!kids.has(c.parent)) kids.set(c.parent, []);
    kids.get(c.parent).push(c);
  });
  const state = { selected: null, query: "", matches: null, mode: "topic", ready: false,
                  mapReady: false, mapError: null };
  const nodes = new Map(); // cluster id -> its <li>

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function num(v) { return v === null || v === undefined ? "withheld" : Number(v).toLocaleString("en"); }
  function pct(v, d) { return v === null || v === undefined ? "withheld" : (100 * v).toFixed(d === undefined ? 1 : d) + "%"; }
  function label(c) { return c.name || "(unnamed: no phrase met the k-user rule)"; }
  function countText(c) {
    return (c.share === null ? "DP" : pct(c.share)) + " · " + num(c.n_users) + " users";
  }

  /* --- run header ------------------------------------------------------------------ */
  function header() {
    const r = data.run;
    const dp = r.dp_epsilon === null || r.dp_epsilon === undefined ? "off"
      : "epsilon " + r.dp_epsilon + ", delta " + r.dp_delta;
    const aff = r.affective_share === null || r.affective_share === undefined ? "withheld"
      : pct(r.affective_share) + " (adjusted " + pct(r.affective_share_adjusted) + ")";
    const rows = [["status", r.status], ["read", num(r.n_read)], ["accepted", num(r.n_accepted)],
      ["quarantined", num(r.n_quarantined)], ["clusters published", num(r.n_published)],
      ["suppressed", num(r.n_suppressed)], ["noise", num(r.n_noise)],
      ["k", r.min_users + " users, " + r.min_conversations + " conversations"],
      ["DP", dp], ["affective share", aff]];
    const dl = document.getElementById("run-counts");
    rows.forEach(function (p) {
      const d = el("div"); d.appendChild(el("dt", "", p[0])); d.appendChild(el("dd", "", p[1]));
      dl.appendChild(d);
    });
    const ul = document.getElementById("withheld");
    data.withheld.forEach(function (s) { ul.appendChild(el("li", "", s)); });
  }

  /* --- tree ---------------------------------------------------------------------- */
  function setExpanded(li, open) {
    if (!li.querySelector(":scope > ul")) return;
    li.setAttribute("aria-expanded", open ? "true" : "false");
    const t = li.querySelector(":scope > .node > .toggle");
    t.textContent = open ? "▾" : "▸";
    t.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function buildTree(parent, ul, depth) {
    (kids.get(parent) || []).forEach(function (c) {
      const li = el("li", c.kind === "other" ? "other" : "");
      li.dataset.id = c.id;
      const row = el("div", "node");
      const children = kids.get(c.id) || [];
      const toggle = el("button", "toggle", children.length ? "▸" : "");
      toggle.type = "button";
      toggle.tabIndex = -1;
      toggle.setAttribute("aria-label", "Expand or collapse " + label(c));
      if (!children.length) toggle.disabled = true;
      toggle.addEventListener("click", function () {
        setExpanded(li, li.getAttribute("aria-expanded") !== "true");
      });
      const pick = el("button", "pick");
      pick.type = "button";
      pick.dataset.id = c.id;
      pick.appendChild(el("span", "nm", label(c)));
      pick.appendChild(el("span", "ct", countText(c)));
      pick.title = [c.description || "", num(c.n_conversations) + " conversations",
        c.phrases.length ? "phrases: " + c.phrases.join(", ") : ""].filter(Boolean).join("\n");
      pick.addEventListener("click", function () { select(c.id, "tree"); });
      row.appendChild(toggle); row.appendChild(pick); li.appendChild(row);
      if (children.length) {
        const sub = el("ul"); li.appendChild(sub); buildTree(c.id, sub, depth + 1);
        setExpanded(li, depth === 0 && (kids.get(null) || []).length <= 12);
      }
      nodes.set(c.id, li);
      ul.appendChild(li);
    });
  }
  function visiblePicks() {
    return Array.from(document.querySelectorAll("#tree .pick")).filter(function (b) {
      return b.offsetParent !== null;
    });
  }
  function treeKeys(ev) {
    const b = ev.target.closest(".pick");
    if (!b) return;
    const li = b.closest("li");
    const picks = visiblePicks();
    const i = picks.indexOf(b);
    if (ev.key === "ArrowDown" && i < picks.length - 1) picks[i + 1].focus();
    else if (ev.key === "ArrowUp" && i > 0) picks[i - 1].focus();
    else if (ev.key === "ArrowRight") setExpanded(li, true);
    else if (ev.key === "ArrowLeft") {
      if (li.getAttribute("aria-expanded") === "true") setExpanded(li, false);
      else { const up = li.parentElement.closest("li"); if (up) up.querySelector(".pick").focus(); }
    } else return;
    ev.preventDefault();
  }

  /* --- details ------------------------------------------------------------------- */
  const FACETS = [["language", "Language"], ["turns_bucket", "Turns per conversation"],
    ["affective", "Affective or task"], ["outcome", "Outcome (sentiment shift)"],
    ["support_path", "Support path"]];
  function bars(rows) {
    const box = el("div", "bars");
    const top = Math.max.apply(null, rows.map(function (r) { return r.n_conversations; }).concat([1]));
    rows.forEach(function (r) {
      box.appendChild(el("span", "", r.value));
      const bar = el("div", r.value === "other" ? "bar other" : "bar");
      bar.style.width = (100 * r.n_conversations / top).toFixed(1) + "%";
      bar.setAttribute("role", "img");
      bar.setAttribute("aria-label", r.value + ": " + r.n_conversations + " conversations");
      box.appendChild(bar);
      box.appendChild(el("span", "n", num(r.n_conversations) + " conv. · " + num(r.n_users) + " users"));
    });
    return box;
  }
  /* Reliance: affective users by how many affective conversations they had in the run
   * (the gate's ranges, merged where a bucket was below k), medians of user turns and
   * characters (each user counted once) and boundary rates. Only published rows: a
   * range, median or rate the gate withheld is not in the data and shows as withheld. */
  function userBars(rows, kind) {
    const box = el("div", "bars");
    box.dataset.reliance = kind;
    const top = Math.max.apply(null, rows.map(function (r) { return r.n_users; }).concat([1]));
    rows.forEach(function (r) {
      const name = el("span", "", r.value + (r.value === "1" ? " conversation" : " conversations"));
      box.appendChild(name);
      const bar = el("div", "bar reliance");
      bar.style.width = (100 * r.n_users / top).toFixed(1) + "%";
      bar.setAttribute("role", "img");
      bar.setAttribute("aria-label", r.value + ": " + r.n_users + " users");
      bar.dataset.value = r.value;
      box.appendChild(bar);
      box.appendChild(el("span", "n", num(r.n_users) + " users · " + num(r.n_conversations) + " conv."));
    });
    return box;
  }
  function median(v, unit) { return v === null || v === undefined ? "withheld" : Number(v).toLocaleString("en") + unit; }
  function depthRows(aff, task) {
    return [["median user turns, affective / task", median(aff.turns, "") + " / " + median(task.turns, "")],
      ["median user characters, affective / task", median(aff.chars, "") + " / " + median(task.chars, "")]];
  }
  function statList(cls, rows) {
    const s = el("dl", "stats " + cls);
    rows.forEach(function (p) { s.appendChild(el("dt", "", p[0])); s.appendChild(el("dd", "", p[1])); });
    return s;
  }
  function relianceDetails(c, box) {
    const r = c.reliance;
    if (!r) return;
    const sec = el("section", "reliance");
    sec.id = "cluster-reliance";
    sec.appendChild(el("h3", "", "Repeated affective use"));
    if (r.histogram.length) {
      sec.appendChild(el("p", "note", "Affective users of this topic by their number of affective conversations in it."));
      sec.appendChild(userBars(r.histogram, "cluster"));
    } else {
      sec.appendChild(el("p", "note withheld-note", r.top_level
        ? "Withheld here: a range would hold fewer than k users, or its difference from the run's histogram would."
        : "Published for top-level topics only."));
    }
    sec.appendChild(statList("depth", depthRows(
      { turns: r.median_turns_affective, chars: r.median_chars_affective },
      { turns: r.median_turns_task, chars: r.median_chars_task }).concat([
      ["assistant set a boundary, of affective", pct(r.boundary_rate)],
      ["… of affective with concern", pct(r.boundary_rate_among_concern)]])));
    box.appendChild(sec);
  }
  function runReliance() {
    const r = data.run_reliance;
    const box = document.getElementById("run-reliance");
    if (!r) {
      box.appendChild(el("p", "note", "Withheld for this run (lens off, DP on, or the affective or task-oriented group below k)."));
      return;
    }
    if (r.histogram.length) box.appendChild(userBars(r.histogram, "run"));
    const g = r.groups;
    const aff = g.affective || {}, task = g.task || {};
    box.appendChild(statList("depth", depthRows(
      { turns: aff.median_user_turns, chars: aff.median_user_chars },
      { turns: task.median_user_turns, chars: task.median_user_chars })));
  }

  function linkTo(c) {
    const b = el("button", "linkish", label(c));
    b.type = "button";
    b.addEventListener("click", function () { select(c.id, "details"); });
    return b;
  }
  function details(c) {
    const box = document.getElementById("details");
    box.replaceChildren();
    box.appendChild(el("h2", "", label(c)));
    if (c.description) box.appendChild(el("p", "desc", c.description));
    const s = el("dl", "stats");
    const sup = c.support || {};
    [["level", c.level + (c.level === 0 ? " (base)" : "")], ["users", num(c.n_users)],
      ["conversations", num(c.n_conversations)], ["share of the run", pct(c.share)],
      ["sentiment shift", c.shift === null ? "withheld" : Number(c.shift).toFixed(3)],
      ["affective share", pct(sup.affective_share)], ["ended better", pct(sup.share_better)],
      ["ended worse", pct(sup.share_worse)], ["concern rate", pct(sup.concern_rate)],
      ["referred, of concern", pct(sup.referral_rate_among_concern)]
    ].forEach(function (p) { s.appendChild(el("dt", "", p[0])); s.appendChild(el("dd", "", p[1])); });
    box.appendChild(s);
    if (c.phrases.length) {
      box.appendChild(el("h3", "", "Key phrases"));
      const ul = el("ul", "phrases");
      c.phrases.forEach(function (p) { ul.appendChild(el("li", "", p)); });
      box.appendChild(ul);
    }
    relianceDetails(c, box);
    FACETS.forEach(function (f) {
      const rows = c.facets[f[0]];
      if (!rows || !rows.length) return;
      const h = el("h3", "", f[1]); box.appendChild(h);
      const chart = bars(rows); chart.dataset.facet = f[0]; box.appendChild(chart);
    });
    if (c.parent !== null && byId.has(c.parent)) {
      box.appendChild(el("h3", "", "Parent"));
      box.appendChild(linkTo(byId.get(c.parent)));
    }
    const ch = kids.get(c.id) || [];
    if (ch.length) {
      box.appendChild(el("h3", "", "Children"));
      const ul = el("ul", "links");
      ch.forEach(function (k) { const li = el("li"); li.appendChild(linkTo(k)); ul.appendChild(li); });
      box.appendChild(ul);
    }
    if (data.earlier_runs > 0 && !data.trends) {
      box.appendChild(el("h3", "", "Over runs"));
      box.appendChild(el("p", "note", "Not shown: clusters are not yet matched across runs, " +
        "and matching them by name would be a guess."));
    }
  }

  /* --- selection ----------------------------------------------------------------- */
  function select(id, from) {
    const c = byId.get(Number(id));
    if (!c) return;
    state.selected = c.id;
    document.querySelectorAll("#tree li.selected").forEach(function (li) { li.classList.remove("selected"); });
    const li = nodes.get(c.id);
    for (let up = li.parentElement.closest("li"); up; up = up.parentElement.closest("li")) setExpanded(up, true);
    li.classList.add("selected");
    if (from !== "tree") li.querySelector(".pick").scrollIntoView({ block: "nearest" });
    details(c);
    if (from !== "map") mapView.select(c.id);
    const hash = "#c=" + c.id;
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
  }
  function fromHash() {
    const m = /^#c=(\d+)$/.exec(location.hash);
    if (m && byId.has(Number(m[1]))) select(Number(m[1]), "hash");
  }

  /* --- search -------------------------------------------------------------------- */
  function search(q) {
    state.query = q.trim().toLowerCase();
    const hit = new Set();
    if (state.query) {
      data.clusters.forEach(function (c) {
        const text = [c.name || "", c.description || ""].concat(c.phrases).join("\n").toLowerCase();
        if (text.indexOf(state.query) >= 0) hit.add(c.id);
      });
    }
    state.matches = state.query ? hit : null;
    const keep = new Set();
    hit.forEach(function (id) {
      for (let c = byId.get(id); c; c = byId.get(c.parent)) keep.add(c.id);
    });
    nodes.forEach(function (li, id) {
      li.classList.toggle("hidden", !!state.query && !keep.has(id));
      li.classList.toggle("match", hit.has(id));
      if (state.query && keep.has(id) && !hit.has(id)) setExpanded(li, true);
    });
    document.getElementById("search-count").textContent = state.query
      ? hit.size + " of " + data.clusters.length + " match" : "";
    mapView.paint();
  }

  /* --- colour modes and legend ------------------------------------------------- */
  function legend() {
    const ul = document.getElementById("legend");
    ul.replaceChildren();
    (data.legends[state.mode] || []).forEach(function (e) {
      const li = el("li");
      const sw = el("span", "swatch"); sw.style.background = e.color;
      li.appendChild(sw); li.appendChild(el("span", "", e.label)); li.title = e.label;
      ul.appendChild(li);
    });
  }
  function modes() {
    const sel = document.getElementById("color-mode");
    Object.keys(data.modes).forEach(function (m) {
      const o = el("option", "", data.modes[m]); o.value = m;
      if (m === "growth" && !data.trends) {
        o.disabled = true;
        o.textContent = "growth (needs clusters matched across runs)";
      }
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { state.mode = sel.value; legend(); mapView.paint(); });
  }
  const mapView = window.chorusMap(data, mapItem, state, function (id) { select(id, "map"); });

  window.chorusExplorer = {
    state: state,
    select: function (id) { select(id, "api"); },
    search: search,
    colorBy: function (mode) {
      const sel = document.getElementById("color-mode");
      sel.value = mode; sel.dispatchEvent(new Event("change"));
    },
    mapCount: mapView.count, mapSelection: mapView.selection, mapColumn: mapView.column,
    pointPixel: mapView.pointPixel, onMapSelect: mapView.onTap, onMapZoom: mapView.onZoom,
  };

  header();
  runReliance();
  modes();
  legend();
  buildTree(null, document.getElementById("tree"), 0);
  document.getElementById("tree").addEventListener("keydown", treeKeys);
  const box = document.getElementById("search");
  box.addEventListener("input", function () { search(box.value); });
  box.addEventListener("keydown", function (e) { if (e.key === "Escape") { box.value = ""; search(""); } });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== box) { e.preventDefault(); box.focus(); }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
  mapView.start().then(function () {
    state.readyMs = Math.round(performance.now());
    state.ready = true;
  });
})();

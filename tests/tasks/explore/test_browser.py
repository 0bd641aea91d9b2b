"""The explorer in a real browser: Debian's headless Chromium through Playwright, the page
opened from disk with the network off (and every non-file request refused and counted).

One Chromium session for the module. The page is the one built from the package's flow
run (conftest), so the counts checked here are the warehouse's; a synthetic 1,000-cluster
page checks the map at scale. Screenshots go under the test's temporary folder.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest

from tests.tasks.explore.conftest import RUN_ID, K, published, reliance_warehouse

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
if not CHROMIUM.exists():
    pytestmark.append(pytest.mark.skip(
        reason="Debian's Chromium is not at /usr/bin/chromium; .ci/run installs it "
               "(apt-get install -y chromium)"))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page opened offline; ``errors``: console errors and page errors; ``requests``:
    every request that was not for a file (refused)."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 800) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           offline=True)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        try:
            self.page.wait_for_function("window.chorusExplorer && chorusExplorer.state.ready",
                                        timeout=60_000)
        except Exception as exc:  # re-raised, saying what the page said
            self.context.close()
            raise AssertionError(f"the page never got ready: {self.errors}") from exc

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expr: str):
        return self.page.evaluate(expr)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def opened(browser, explore_run):
    page = Opened(browser, explore_run["html"].as_uri())
    yield page
    page.close()


def inked_share(png: bytes) -> float:
    """Share of pixels that are not (near) white."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    return sum(1 for v in img.getdata() if v < 235) / (img.width * img.height)


def test_it_renders_offline_without_errors_and_draws_every_published_cluster(
        opened, explore_run, tmp_path_factory):
    n = published(explore_run["warehouse"], "SELECT count(*) FROM clusters WHERE "
                  "run_id = $r AND kind = 'cluster'")[0][0]
    assert n > 5
    assert opened.js("chorusExplorer.mapCount()") == n
    assert opened.page.get_attribute("#map", "data-count") == str(n)
    assert opened.js("chorusExplorer.state.mapError") is None
    assert inked_share(opened.page.locator("#map").screenshot()) > 0.02, "points are drawn"
    run = published(explore_run["warehouse"], "SELECT n_read, n_published FROM runs "
                    "WHERE run_id = $r")[0]
    header = opened.page.inner_text("#run-counts")
    assert f"read\n{run[0]:,}" in header and f"clusters published\n{run[1]:,}" in header
    assert opened.page.inner_text("#run-id") == RUN_ID
    assert opened.page.locator("#withheld li").count() >= 2
    shot = tmp_path_factory.mktemp("screens") / "explorer.png"
    opened.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    assert opened.errors == [] and opened.requests == []


def test_clicking_a_tree_node_selects_it_on_the_map_and_fills_the_details(
        opened, explore_run):
    cid, name = published(explore_run["warehouse"], "SELECT c.cluster_id, c.name FROM "
                          "clusters c JOIN clusters p ON p.run_id = c.run_id AND "
                          "p.cluster_id = c.parent_id WHERE c.run_id = $r AND c.kind = "
                          "'cluster' AND p.parent_id IS NULL ORDER BY c.cluster_id LIMIT 1")[0]
    facets = {f for (f,) in published(explore_run["warehouse"], "SELECT DISTINCT facet FROM "
                                      f"cluster_facets WHERE run_id = $r AND cluster_id = {cid}")}
    opened.page.click(f'#tree .pick[data-id="{cid}"]')
    assert opened.js("chorusExplorer.mapSelection()") == [cid]
    assert opened.page.inner_text("#details h2") == name
    shown = set(opened.page.eval_on_selector_all("#details .bars",
                                                 "els => els.map(e => e.dataset.facet)"))
    assert {"language", "turns_bucket"} <= shown and shown <= facets
    assert opened.js("location.hash") == f"#c={cid}"
    assert opened.page.get_attribute("#tree li.selected", "data-id") == str(cid)


def _lower(value: str) -> int:
    return int(value.split("-")[0].rstrip("+"))


def _bars(opened, selector: str) -> list[tuple[str, str]]:
    return [tuple(v) for v in opened.page.eval_on_selector_all(
        f"{selector} .bar", "els => els.map(e => [e.dataset.value, e.getAttribute('aria-label')])")]


def _shown(value) -> str:
    return "withheld" if value is None else f"{value:,g}"


def test_a_top_level_topic_shows_its_reliance_rows_as_published_and_none_below_k(
        opened, explore_run):
    wh = explore_run["warehouse"]
    hist: dict[int, list[tuple[str, int]]] = {}
    for cid, value, n_users in published(wh, "SELECT cluster_id, value, n_users FROM "
                                         "cluster_facets WHERE run_id = $r AND facet = "
                                         "'reliance'"):
        hist.setdefault(cid, []).append((value, n_users))
    tops = [cid for (cid,) in published(wh, "SELECT cluster_id FROM clusters WHERE run_id = "
                                        "$r AND kind = 'cluster' AND parent_id IS NULL "
                                        "ORDER BY n_users DESC, cluster_id")]
    assert tops
    withheld_top = next((c for c in tops if c not in hist), None)
    for cid in [c for c in tops if c in hist][:1] + ([withheld_top] if withheld_top else []):
        opened.page.click(f'#tree .pick[data-id="{cid}"]')
        section = opened.page.locator("#cluster-reliance")
        assert section.is_visible()
        bars = _bars(opened, '#details .bars[data-reliance="cluster"]')
        want = sorted(hist.get(cid, []), key=lambda r: _lower(r[0]))
        assert bars == [(v, f"{v}: {n} users") for v, n in want]  # exactly the gate's rows
        assert all(n >= K for _, n in want)
        if not want:
            assert "Withheld here" in section.inner_text()
        row = published(wh, "SELECT median_turns_affective, median_turns_task, "
                        "median_chars_affective, median_chars_task, boundary_rate FROM "
                        f"cluster_reliance WHERE run_id = $r AND cluster_id = {cid}")[0]
        text = section.inner_text()
        assert f"{_shown(row[0])} / {_shown(row[1])}" in text
        assert f"{_shown(row[2])} / {_shown(row[3])}" in text
        assert ("withheld" if row[4] is None else f"{100 * row[4]:.1f}%") in text
    child = published(wh, "SELECT min(cluster_id) FROM clusters WHERE run_id = $r AND kind = "
                      "'cluster' AND parent_id IS NOT NULL")[0][0]
    opened.page.click(f'#tree .pick[data-id="{child}"]')
    assert "top-level topics only" in opened.page.inner_text("#cluster-reliance")
    assert _bars(opened, '#details .bars[data-reliance="cluster"]') == []
    run_rows = published(wh, "SELECT value, n_users FROM run_facets WHERE run_id = $r AND "
                         "facet = 'reliance'")
    assert run_rows, "the demo's run publishes its histogram"
    assert _bars(opened, '#run-reliance .bars[data-reliance="run"]') == [
        (v, f"{v}: {n} users") for v, n in sorted(run_rows, key=lambda r: _lower(r[0]))]
    assert all(n >= K for _, n in run_rows)
    assert opened.errors == []


def test_a_published_cluster_histogram_is_drawn_in_bucket_order(browser, tmp_path_factory):
    from tasks.explore import build_explorer

    base = tmp_path_factory.mktemp("reliance")
    con = duckdb.connect(str(reliance_warehouse(base / "w.duckdb")), read_only=True)
    try:
        page = build_explorer(con)
    finally:
        con.close()
    (base / "report.html").write_text(page.html, encoding="utf-8")
    opened = Opened(browser, (base / "report.html").as_uri())
    try:
        opened.page.click('#tree .pick[data-id="1"]')
        assert _bars(opened, '#details .bars[data-reliance="cluster"]') == [
            ("1", "1: 12 users"), ("2+", "2+: 8 users")]
        text = opened.page.inner_text("#cluster-reliance")
        assert "4.5 / 2" in text and "610 / 220" in text and "20.0%" in text
        assert _bars(opened, '#run-reliance .bars[data-reliance="run"]') == [
            ("1", "1: 12 users"), ("2+", "2+: 8 users")]
        assert "4.5 / 2" in opened.page.inner_text("#run-reliance")
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def test_clicking_a_point_on_the_map_selects_it_in_the_tree(opened, explore_run):
    cid = opened.js("chorusExplorer.mapColumn('cluster_id').slice(-1)[0]")  # drawn on top
    at = opened.js(f"chorusExplorer.pointPixel({cid})")
    opened.page.mouse.click(at["x"], at["y"])
    opened.page.wait_for_function(f"chorusExplorer.state.selected === {cid}", timeout=5000)
    assert opened.page.get_attribute("#tree li.selected", "data-id") == str(cid)
    assert opened.page.locator("#tree li.selected > .node .pick").is_visible()
    name = published(explore_run["warehouse"], "SELECT name FROM clusters WHERE run_id = $r "
                     f"AND cluster_id = {cid}")[0][0]
    assert opened.page.inner_text("#details h2") == name
    assert opened.js("chorusExplorer.mapSelection()") == [cid]


def test_search_filters_the_tree_and_the_map(opened, explore_run):
    word = published(explore_run["warehouse"], "SELECT phrase FROM cluster_phrases WHERE "
                     "run_id = $r AND length(phrase) > 4 ORDER BY cluster_id DESC, rank "
                     "LIMIT 1")[0][0].split()[0]
    rows = published(explore_run["warehouse"], "SELECT c.cluster_id, c.kind, "
                     "lower(concat_ws(' ', c.name, c.description, p.phrases)) FROM clusters c "
                     "LEFT JOIN (SELECT run_id, cluster_id, string_agg(phrase, ' ') AS phrases "
                     "FROM cluster_phrases GROUP BY ALL) p USING (run_id, cluster_id) "
                     "WHERE c.run_id = $r")
    want = {cid for cid, _, text in rows if word.lower() in (text or "")}
    on_map = {cid for cid, kind, _ in rows if kind == "cluster"} & want
    assert 0 < len(want) < len(rows)
    opened.page.keyboard.press("Escape")
    opened.page.keyboard.press("/")  # the shortcut focuses the search box
    opened.page.keyboard.type(word)
    assert opened.js("document.activeElement.id") == "search"
    matched = opened.page.eval_on_selector_all("#tree li.match", "els => els.map(e => "
                                               "Number(e.dataset.id))")
    assert set(matched) == want
    visible = opened.page.eval_on_selector_all("#tree li:not(.hidden)", "els => els.length")
    assert len(want) <= visible < len(rows)
    assert opened.page.get_attribute("#map", "data-matches") == str(len(on_map))
    opened.page.keyboard.press("Escape")
    assert opened.page.eval_on_selector_all("#tree li.hidden", "els => els.length") == 0


def test_the_fragment_restores_a_shared_selection_and_the_keyboard_reaches_the_tree(
        browser, explore_run):
    cid = published(explore_run["warehouse"], "SELECT max(cluster_id) FROM clusters WHERE "
                    "run_id = $r AND kind = 'cluster'")[0][0]
    shared = Opened(browser, explore_run["html"].as_uri() + f"#c={cid}")
    try:
        assert shared.js("chorusExplorer.state.selected") == cid
        assert shared.js("chorusExplorer.mapSelection()") == [cid]
        shared.page.focus("#tree .pick")
        shared.page.keyboard.press("ArrowDown")
        second = shared.js("Number(document.activeElement.dataset.id)")
        shared.page.keyboard.press("Enter")
        assert shared.js("chorusExplorer.state.selected") == second != cid
        assert shared.js("location.hash") == f"#c={second}"
        shared.js("chorusExplorer.colorBy('affective')")
        assert (shared.js("chorusExplorer.mapColumn('color')")
                == shared.js("chorusExplorer.mapColumn('color_affective')"))
        assert shared.errors == [] and shared.requests == []
    finally:
        shared.close()


def test_a_narrow_window_has_no_sideways_scroll(browser, explore_run, tmp_path_factory):
    narrow = Opened(browser, explore_run["html"].as_uri(), width=420, height=900)
    try:
        assert narrow.js("document.documentElement.scrollWidth <= window.innerWidth + 1")
        box = narrow.page.locator("#map").bounding_box()
        assert box and box["width"] <= 420 and box["height"] >= 300
        narrow.page.screenshot(path=str(tmp_path_factory.mktemp("screens") / "narrow.png"))
        assert narrow.errors == []
    finally:
        narrow.close()


def test_a_thousand_clusters_draw(browser, tmp_path_factory):
    from bench.explorer_data import synthetic_warehouse
    from tasks.explore import build_explorer

    base = tmp_path_factory.mktemp("thousand")
    con = duckdb.connect(str(synthetic_warehouse(base / "w.duckdb", 1000)), read_only=True)
    try:
        page = build_explorer(con)
    finally:
        con.close()
    (base / "report.html").write_text(page.html, encoding="utf-8")
    big = Opened(browser, (base / "report.html").as_uri())
    try:
        assert big.js("chorusExplorer.mapCount()") == 1000
        assert big.errors == [] and big.requests == []
    finally:
        big.close()

"""Canaries: the explorer page and the Parquet export of a real flow run hold no PII
value, no token used by fewer than k users and no conversation or user id: they are
built from the analyst warehouse alone (the private store was moved away first)."""

from __future__ import annotations

import html as html_lib
import json
import re

import pyarrow.parquet as pq
import pytest

from tests.tasks.explore.conftest import published

pytestmark = [pytest.mark.privacy, pytest.mark.integration, pytest.mark.slow]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def page_texts(text: str) -> list[str]:
    """The page as it is, HTML-unescaped, and every string of its JSON blocks decoded."""
    out = [text, html_lib.unescape(text)]
    for block in re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>',
                            text, flags=re.S):
        out += _strings(json.loads(block))
    return out


def hits(texts: list[str], forbidden: list[str]) -> list[str]:
    lowered = [t.lower() for t in texts]
    return [f for f in forbidden if any(f.lower() in t for t in lowered)]


def test_the_page_holds_no_canary(explore_run):
    text = explore_run["html"].read_text(encoding="utf-8")
    names = [r[0] for r in published(explore_run["warehouse"], "SELECT name FROM clusters "
                                     "WHERE run_id = $r AND kind = 'cluster' AND name IS NOT NULL")]
    assert names and all(n in text for n in names), "the page shows the published names"
    assert not hits(page_texts(text), explore_run["forbidden"])


def test_the_export_holds_no_canary(explore_run):
    out = explore_run["export"].out
    texts = [(out / "SCHEMA.md").read_text()]
    for path in sorted(out.glob("*.parquet")):
        texts.append(path.read_bytes().decode("latin-1"))
        table = pq.read_table(path)
        texts += _strings(table.to_pylist())
        texts += [str(table.schema.metadata)]
    assert len(texts) > 10 and any("sleep" in t.lower() for t in texts)
    assert not hits(texts, explore_run["forbidden"])

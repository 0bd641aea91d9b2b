"""lens_stage: RunData.facets + RunData.embeddings -> RunData.lens (LENS_COLUMNS)."""

from __future__ import annotations

import polars as pl
import pytest

from chorus.core.errors import ChorusError
from chorus.core.rundata import RunData
from chorus.core.settings import EmbedSettings, LensSettings
from tasks.lens import LENS_COLUMNS, lens_stage


def test_lens_stage_writes_the_lens_columns_row_aligned(embedder):
    user_turns = [["I feel so alone since my divorce"], ["Book a table for two at 8"]]
    facets = pl.DataFrame({"conversation_id": ["c1", "c2"], "user_turns": user_turns,
                           "request": [t[0] for t in user_turns],
                           "referral": [False, False]})
    data = RunData("lens-stage-test", facets=facets,
                   embeddings=embedder.embed(facets["request"].to_list()))
    counts = lens_stage(data, LensSettings(), EmbedSettings(progress=False))
    assert tuple(data.lens.columns) == LENS_COLUMNS
    assert data.lens.height == facets.height
    assert counts == {"conversations": 2, "affective": 1, "concern": 0, "referral": 0}
    assert data.lens["affective"].to_list() == [True, False]


def test_lens_stage_needs_facets_and_embeddings():
    with pytest.raises(ChorusError, match="facets"):
        lens_stage(RunData("lens-stage-empty"), LensSettings(), EmbedSettings(progress=False))
    facets = pl.DataFrame({"user_turns": [["hi"]], "request": ["hi"]})
    with pytest.raises(ChorusError, match="embeddings"):
        lens_stage(RunData("lens-stage-no-vectors", facets=facets), LensSettings(),
                   EmbedSettings(progress=False))

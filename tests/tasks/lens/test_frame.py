"""lens_facets: the frame contract, counts in the logs and never text."""

from __future__ import annotations

import logging

import numpy as np
import polars as pl
import pytest

from chorus.core.errors import ChorusError
from chorus.core.settings import LensSettings
from tasks.lens import lens_counts, lens_facets


def test_lens_facets_schema_and_no_text_in_logs(embedder, caplog):
    user_turns = [["I feel worthless and I want to kill myself", "thanks, that helps"],
                  ["Find me a flight to Boston on Friday"]]
    frame = pl.DataFrame({
        "conversation_id": ["c1", "c2"],
        "user_turns": user_turns,
        "request": [" ".join(t) for t in user_turns],
        "referral": [True, False],  # computed by tasks.scrub from the assistant turns
    })
    vectors = embedder.embed(frame["request"].to_list())
    with caplog.at_level(logging.DEBUG, logger="tasks.lens"):
        out = lens_facets(frame, embedder, LensSettings(), vectors)
    assert out.columns[:4] == frame.columns
    expected = {"affective_score": pl.Float32, "affective": pl.Boolean,
                "sentiment_start": pl.Float32, "sentiment_end": pl.Float32,
                "sentiment_shift": pl.Float32, "concern": pl.Boolean, "referral": pl.Boolean}
    assert {c: out.schema[c] for c in expected} == expected
    assert out["affective"].to_list() == [True, False]
    assert out["concern"].to_list() == [True, False]
    assert out["referral"].to_list() == [True, False]
    assert out["sentiment_shift"][0] > 0
    messages = [r.getMessage() for r in caplog.records]
    # the count line is there, so the checks below cannot pass on empty logs
    assert "lens: 2 conversations, 1 affective, 1 concern, 1 referral" in messages, messages
    logged = " ".join(messages)
    for turns in user_turns:
        for turn in turns:
            assert turn not in logged
    assert all(word not in logged for word in ("worthless", "Boston"))


def test_lens_facets_without_referral_column_gives_null_referral(embedder):
    frame = pl.DataFrame({"user_turns": [["hello there"]], "request": ["hello there"]})
    out = lens_facets(frame, embedder, LensSettings())
    assert out["referral"].dtype == pl.Boolean and out["referral"].null_count() == 1


def test_lens_facets_needs_the_request_and_matching_vectors(embedder):
    frame = pl.DataFrame({"user_turns": [["I feel low"]], "assistant_turns": [["see a GP"]]})
    with pytest.raises(ChorusError, match="request"):
        lens_facets(frame, embedder, LensSettings())
    frame = frame.with_columns(pl.lit("I feel low").alias("request"))
    with pytest.raises(ChorusError, match="vectors"):
        lens_facets(frame, embedder, LensSettings(), np.zeros((2, 384), np.float32))


def test_lens_counts_are_numbers_only():
    frame = pl.DataFrame({"affective": [True, False, True], "concern": [False, True, False],
                          "referral": [None, True, False]},
                         schema={"affective": pl.Boolean, "concern": pl.Boolean,
                                 "referral": pl.Boolean})
    assert lens_counts(frame) == {"conversations": 3, "affective": 2, "concern": 1,
                                  "referral": 1}

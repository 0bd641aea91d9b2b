"""Settings of the summarize stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SummarizeSettings(BaseModel):
    """Key-phrase extraction and naming."""

    model_config = ConfigDict(extra="forbid")

    n_phrases: int = Field(6, ge=1, le=30, description="Key phrases kept per cluster.")
    name_phrases: int = Field(3, ge=2, le=4, description="Phrases that make the name.")
    n_candidates: int = Field(25, ge=1, le=200,
                              description="Top c-TF-IDF terms re-ranked by MMR.")
    ngram_max: int = Field(3, ge=1, le=4, description="Longest phrase, in words.")
    diversity: float = Field(0.4, ge=0.0, le=1.0,
                             description="MMR trade-off: 0 pure relevance, 1 pure diversity.")
    min_term_docs: int = Field(
        2, ge=1, description="Vocabulary floor: a term must occur in this many requests "
                             "of the run to be considered at all.")

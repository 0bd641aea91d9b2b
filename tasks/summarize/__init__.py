"""Summarize: names, descriptions and k-backed key phrases of every cluster, offline.

One concept per module: ``blocks`` (the row blocks statistics are accumulated over),
``counts`` (per-cluster term counts and capped distinct-user support), ``weights``
(c-TF-IDF and candidates), ``rank`` (relevance, sibling contrast, MMR), ``names``
(titles, distinct among siblings and from parents), ``pos`` (noun-shaped phrases),
``describe`` (descriptions), ``stage`` (the stage function and its Prefect task).
"""

from tasks.summarize.blocks import Block, SummaryInput, row_blocks
from tasks.summarize.counts import LevelStats, TermCounter
from tasks.summarize.describe import describe, describe_people, majority
from tasks.summarize.names import Material, assign_names, noun_first, title_options
from tasks.summarize.pos import noun_shaped
from tasks.summarize.rank import contrastive, mmr, mmr_scores, neighbours
from tasks.summarize.stage import (
    summarize_blocks,
    summarize_clusters,
    summarize_stage,
    summarize_task,
)
from tasks.summarize.weights import candidates, ctfidf, pair_ctfidf

__all__ = [
    "Block", "LevelStats", "Material", "SummaryInput", "TermCounter", "assign_names",
    "candidates", "contrastive", "ctfidf", "describe", "describe_people", "majority", "mmr",
    "mmr_scores", "neighbours", "noun_first", "noun_shaped", "pair_ctfidf", "row_blocks",
    "summarize_blocks", "summarize_clusters", "summarize_stage", "summarize_task", "title_options",
]

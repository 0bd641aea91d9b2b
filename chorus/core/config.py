"""The run configuration: one typed model per stage, composed, loaded from TOML.

``load_config("configs/chorus.toml", ["privacy.min_users=20", "cluster.levels=2"])``
reads the file, applies dotted overrides (values parsed as TOML, else taken as strings)
and validates everything. Unknown keys and out-of-range values raise ``ConfigError``
naming the field: an invalid config fails loudly and never falls back to a default.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chorus.core.errors import ConfigError
from chorus.core.settings import (
    ClusterSettings,
    EmbedSettings,
    FacetSettings,
    IngestSettings,
    LensSettings,
    LLMSettings,
    PrivacySettings,
    ScrubSettings,
    SummarizeSettings,
)
from chorus.core.settings.lens import calibrated

DEFAULT_CONFIG = Path("configs/chorus.toml")


class RunSettings(BaseModel):
    """Where input comes from and where output goes."""

    model_config = ConfigDict(extra="forbid")

    inputs: list[str] = Field(
        default_factory=lambda: ["data/demo/conversations.jsonl"], min_length=1,
        description="JSONL or Parquet files in the input contract (see README).",
    )
    warehouse: str = Field("warehouse/chorus.duckdb",
                           description="Analyst DuckDB file (aggregates only).")
    private_store: str = Field("warehouse/private/chorus_private.duckdb",
                               description="Private DuckDB file (assignments, embeddings).")
    chunk_size: int = Field(
        5_000, ge=1, le=10_000_000,
        description="Records (JSONL lines, Parquet rows) per chunk of the map stages "
                    "(ingest, scrub, facets, embed, lens); a chunk task's memory grows "
                    "with it. Chunk outputs go to <private store folder>/chunks/.",
    )
    workers: int = Field(
        0, ge=0, le=256,
        description="Processes that run chunks at once on this machine (0: one per core). "
                    "One chunk, or 1, runs in the flow's own process.",
    )
    dask_address: str = Field(
        "", description="A Dask scheduler (tcp://host:port): chunks run on its workers "
                        "through prefect-dask's DaskTaskRunner; empty: on this machine. "
                        "Workers must have spilling off (see README).",
    )
    keep_runs: int = Field(
        10, ge=1, le=100_000,
        description="Run plans the chunk store keeps, newest first (every running run's "
                    "too): after each succeeded run and by 'chorus store gc', the chunks "
                    "no kept run names are deleted; an older run can no longer be "
                    "published again with --from-store.",
    )


class ChorusConfig(BaseModel):
    """Everything a run needs; each section is validated by its stage's model."""

    model_config = ConfigDict(extra="forbid")

    run: RunSettings = Field(default_factory=RunSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    scrub: ScrubSettings = Field(default_factory=ScrubSettings)
    facets: FacetSettings = Field(default_factory=FacetSettings)
    embed: EmbedSettings = Field(default_factory=EmbedSettings)
    lens: LensSettings = Field(default_factory=LensSettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
    summarize: SummarizeSettings = Field(default_factory=SummarizeSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)

    @model_validator(mode="after")
    def _lens_for_backend(self) -> ChorusConfig:
        """The lens's calibrated fields for the configured embedder backend
        (``settings.lens.CALIBRATIONS``), wherever the configuration did not set them."""
        lens = calibrated(self.lens, self.embed.backend)
        if lens is not self.lens:
            object.__setattr__(self, "lens", lens)
        return self

    def config_hash(self) -> str:
        """sha256 of the effective configuration (JSON with sorted keys)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()


def _parse_value(raw: str):
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    """Set ``section.key=value`` pairs in a nested dict (returns the same dict)."""
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"override {item!r} is not of the form section.key=value")
        dotted, raw = item.split("=", 1)
        parts = dotted.strip().split(".")
        node = data
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"override {dotted!r}: {part!r} is not a section")
        node[parts[-1]] = _parse_value(raw.strip())
    return data


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> ChorusConfig:
    """Read, override and validate the configuration.

    Args:
        path: TOML file; None reads ``configs/chorus.toml`` when it exists, else defaults.
        overrides: ``section.key=value`` strings applied after the file.

    Raises:
        ConfigError: unreadable file, unknown key or invalid value (the field is named).
    """
    data: dict = {}
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise ConfigError(f"config file not found: {path}")
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    apply_overrides(data, overrides or [])
    try:
        return ChorusConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"invalid configuration ({path or 'defaults'}): {problems}") from None

"""Settings of the ingest stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IngestSettings(BaseModel):
    """How input is read and how much malformed input a run tolerates."""

    model_config = ConfigDict(extra="forbid")

    max_quarantine_share: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Fail the run when more than this share of records is quarantined.",
    )
    max_message_chars: int = Field(
        20_000, ge=1, description="A message longer than this quarantines its record."
    )

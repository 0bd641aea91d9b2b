"""Settings of the ingest stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters by default;
# scrub's analyzer leaves it so) with a ValueError. A message is never longer than
# ``max_message_chars`` (its record is quarantined otherwise), so bounding that setting
# below spaCy's limit, with 1% headroom, means no accepted message can fail scrub.
SPACY_MAX_LENGTH = 1_000_000
MAX_MESSAGE_CHARS_LIMIT = SPACY_MAX_LENGTH - SPACY_MAX_LENGTH // 100


class IngestSettings(BaseModel):
    """How input is read and how much malformed input a run tolerates."""

    model_config = ConfigDict(extra="forbid")

    max_quarantine_share: float = Field(
        0.05, ge=0.0, le=1.0,
        description="Fail the run when more than this share of records is quarantined.",
    )
    max_message_chars: int = Field(
        20_000, ge=1, le=MAX_MESSAGE_CHARS_LIMIT,
        description="A message longer than this quarantines its record. At most "
        f"{MAX_MESSAGE_CHARS_LIMIT:,}: scrub's spaCy takes no text over {SPACY_MAX_LENGTH:,}.",
    )
    max_future_hours: float = Field(
        24.0, ge=0.0, le=24.0 * 366,
        description="A record whose created_at is more than this many hours after the "
        "run's start is quarantined (clock skew up to it is tolerated).",
    )

"""Settings of the facets stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FacetSettings(BaseModel):
    """What text represents a conversation, and how language is identified."""

    model_config = ConfigDict(extra="forbid")

    max_request_chars: int = Field(
        600, ge=32,
        description="Cut the request (joined user turns) to this many characters; "
                    "embedding cost grows with length.",
    )
    max_user_turns: int = Field(
        4, ge=1, description="Use at most the first N user turns for the request."
    )
    min_language_chars: int = Field(
        12, ge=1, description="Below this many letters the language is 'und' (undetermined)."
    )
    languages: list[str] = Field(
        default_factory=list,
        description="Restrict language identification to these ISO 639-1 codes "
                    "(empty: all 97 that py3langid knows).",
    )

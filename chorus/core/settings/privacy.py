"""Settings of the release gate: k-anonymity thresholds and optional differential privacy."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DPSettings(BaseModel):
    """Differential privacy of published cluster counts (off by default)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(False, description="Publish DP counts and DP-selected clusters.")
    epsilon: float = Field(1.0, gt=0.0, le=20.0, description="Total epsilon per run.")
    delta: float = Field(1e-6, gt=0.0, lt=0.01, description="Total delta per run; keep it "
                                                             "well below 1 / users.")
    max_clusters_per_user: int = Field(
        3, ge=1, le=100, description="Clusters per level one user counts in (L0 bound); "
                                     "more cuts bias, fewer cuts noise.")
    base_level_weight: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of budget of the base level relative to each parent level "
                    "(weight 1). 0: the base level is not published under DP.")
    conversation_budget: float = Field(
        0.0, ge=0.0, lt=1.0,
        description="Share of epsilon spent on n_conversations. 0: n_conversations and "
                    "share are not published under DP (only n_users).")
    max_conversations_per_user: int = Field(
        6, ge=1, le=1000, description="Conversations of one user counted in the "
                                      "conversation histogram (L1 bound).")


class PrivacySettings(BaseModel):
    """k-anonymity thresholds applied to everything published."""

    model_config = ConfigDict(extra="forbid")

    min_users: int = Field(10, ge=2, description="Distinct users behind every published "
                                                 "number, cluster, facet row and phrase.")
    min_conversations: int = Field(15, ge=2, description="Conversations behind every "
                                                         "published cluster and facet row.")
    dp: DPSettings = Field(default_factory=DPSettings,
                           description="Optional differential privacy of cluster counts.")

    @model_validator(mode="after")
    def _conversations_cover_users(self) -> PrivacySettings:
        if self.min_conversations < self.min_users:
            raise ValueError("min_conversations must be >= min_users (each user has at "
                             "least one conversation, so a smaller value means nothing)")
        return self

    def meets(self, n_conversations: int, n_users: int) -> bool:
        return n_conversations >= self.min_conversations and n_users >= self.min_users

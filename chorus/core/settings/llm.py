"""Settings of the optional LLM backend (``tasks.llm``): off by default.

An OpenAI-compatible ``/v1/chat/completions`` endpoint (vLLM, llama.cpp's server, Ollama,
a hosted API) names clusters contrastively and audits every published string. What the
LLM may see is set by ``mode``:

* ``published`` (default): only what the release gate would publish anyway: k-backed key
  phrases and names of clusters that meet the k thresholds, and majority facet values
  held by >= k users; never a conversation.
* ``scrubbed_samples`` (opt-in, as Clio does): also a few scrubbed requests per cluster.
  The privacy auditor is then mandatory, and a string it cannot rate blocks the run.

The key is never part of the configuration: ``api_key_env`` names the environment
variable that holds it.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_URL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")


class LLMSettings(BaseModel):
    """The LLM endpoint, its limits and what it may see."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(False, description="Run the LLM stages (llm_names after "
                                             "summarize, llm_audit after release).")
    base_url: str = Field(
        "http://127.0.0.1:8000/v1",
        description="Base URL of an OpenAI-compatible API; requests go to "
                    "<base_url>/chat/completions (vLLM: http://host:8000/v1, llama.cpp: "
                    "http://host:8080/v1, Ollama: http://host:11434/v1).")
    model: str = Field("", description="Model name sent with every request (required "
                                       "when enabled).")
    api_key_env: str = Field(
        "", description="NAME of the environment variable holding the API key, sent as "
                        "'Authorization: Bearer'; empty: no key. Never the key itself.")
    concurrency: int = Field(4, ge=1, le=64, description="Requests in flight at once.")
    timeout_s: float = Field(60.0, gt=0.0, le=600.0,
                             description="Per-request timeout (connect, read, write).")
    max_retries: int = Field(
        3, ge=0, le=10, description="Retries of one request after a 429, a 5xx, a "
                                    "timeout, a transport error or a malformed answer.")
    backoff_s: float = Field(1.0, ge=0.0, le=60.0,
                             description="First retry delay; doubled after each retry.")
    backoff_max_s: float = Field(30.0, ge=0.0, le=600.0,
                                 description="Longest retry delay (also caps Retry-After).")
    token_budget: int = Field(
        200_000, ge=1,
        description="Prompt + completion tokens per run (usage as the server reports it, "
                    "or a conservative estimate). A request that could exceed it is not "
                    "sent: those clusters keep their offline names.")
    audit_budget_share: float = Field(
        0.3, ge=0.0, lt=1.0,
        description="Share of token_budget kept for the auditor: naming stops before "
                    "spending it.")
    max_completion_tokens: int = Field(300, ge=16, le=8192,
                                       description="max_tokens of each request.")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="Sampling temperature.")
    json_mode: bool = Field(True, description="Send response_format json_object (most "
                                              "servers support it).")
    mode: Literal["published", "scrubbed_samples"] = Field(
        "published", description="What the LLM sees (module docstring).")
    samples_per_cluster: int = Field(
        5, ge=1, le=50, description="scrubbed_samples: requests sent per cluster (those "
                                    "nearest its centroid, one per user).")
    sample_chars: int = Field(300, ge=50, le=2000,
                              description="scrubbed_samples: each sample cut to this.")
    n_phrases: int = Field(8, ge=1, le=30, description="k-backed phrases sent per cluster.")
    n_contrast: int = Field(3, ge=0, le=10,
                            description="Nearest sibling clusters (centroid cosine, same "
                                        "level) sent for contrast, as Clio does.")
    names: bool = Field(True, description="Name and describe clusters with the LLM "
                                          "(false: the auditor only).")
    auditor: bool = Field(True, description="Rate every published string for privacy; "
                                            "mandatory in scrubbed_samples mode.")
    audit_threshold: int = Field(
        3, ge=1, le=5, description="A published string rated below this (1: identifies "
                                   "someone .. 5: nothing private) blocks the run.")
    audit_unrated_blocks: bool = Field(
        True, description="A string the auditor could not rate (failures, budget) blocks "
                          "the run; must stay true in scrubbed_samples mode.")

    @field_validator("api_key_env")
    @classmethod
    def _a_name_not_a_key(cls, value: str) -> str:
        if value and not _ENV_NAME.match(value):
            # never echo the value: it may be a key pasted by mistake
            raise ValueError("must be the name of an environment variable (letters, "
                             "digits, underscore), never the key itself")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not _URL.match(value):
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8000/v1")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _consistent(self) -> LLMSettings:
        if self.enabled and not self.model:
            raise ValueError("llm.model is required when llm.enabled is true")
        if self.enabled and not (self.names or self.auditor):
            raise ValueError("llm.enabled needs llm.names or llm.auditor")
        if self.mode == "scrubbed_samples" and not (self.auditor and self.audit_unrated_blocks):
            raise ValueError("mode 'scrubbed_samples' sends scrubbed requests to the LLM: "
                             "the auditor is mandatory (auditor = true, "
                             "audit_unrated_blocks = true)")
        return self

"""A run's LLM accounting: the token budget split between the stages, and the ``runs``
row columns (``chorus.core.schemas.LLM_RUN_SCHEMA``) each stage returns.

``llm_names`` may spend ``token_budget`` less the auditor's share
(``audit_budget_share``, when the auditor is on); ``llm_audit`` may spend what is left of
``token_budget`` after naming. ``llm_audit`` returns the run's totals (its own usage plus
the naming stage's columns), which the composition folds into the ``runs`` row.
"""

from __future__ import annotations

from typing import Any

from chorus.core.schemas import LLM_RUN_SCHEMA
from chorus.core.settings import LLMSettings
from tasks.llm.budget import Usage

SUMMED = ("llm_calls", "llm_prompt_tokens", "llm_completion_tokens", "llm_seconds",
          "llm_failures", "llm_fallbacks", "llm_named", "llm_audited")


def names_budget(llm: LLMSettings) -> int:
    """Tokens the naming stage may spend."""
    share = llm.audit_budget_share if llm.auditor else 0.0
    return int(llm.token_budget * (1.0 - share))


def audit_budget(llm: LLMSettings, names: dict[str, Any] | None) -> int:
    """Tokens the auditor may spend: the run's budget less what naming spent."""
    spent = 0
    if names:
        spent = (names.get("llm_prompt_tokens") or 0) + (names.get("llm_completion_tokens")
                                                         or 0)
    return max(0, llm.token_budget - spent)


def run_columns(llm: LLMSettings, usage: Usage, named: int | None, fallbacks: int | None,
                audited: int | None, exhausted: bool) -> dict[str, Any]:
    """One stage's ``LLM_RUN_SCHEMA`` columns."""
    row: dict[str, Any] = {
        "llm_model": llm.model, "llm_mode": llm.mode, "llm_calls": usage.calls,
        "llm_prompt_tokens": usage.prompt_tokens,
        "llm_completion_tokens": usage.completion_tokens,
        "llm_seconds": round(usage.seconds, 3), "llm_failures": usage.failures,
        "llm_fallbacks": fallbacks, "llm_named": named, "llm_audited": audited,
        "llm_budget_exhausted": exhausted}
    return {name: row[name] for name in LLM_RUN_SCHEMA}


def total(first: dict[str, Any] | None, second: dict[str, Any]) -> dict[str, Any]:
    """Two stages' columns summed (model and mode from ``second``)."""
    if not first:
        return second
    out = dict(second)
    for name in SUMMED:
        values = [v for v in (first.get(name), second.get(name)) if v is not None]
        out[name] = (round(sum(values), 3) if name == "llm_seconds" else sum(values)) \
            if values else None
    out["llm_budget_exhausted"] = bool(first.get("llm_budget_exhausted")
                                       or second.get("llm_budget_exhausted"))
    return out

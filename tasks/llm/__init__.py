"""The optional LLM backend (off by default; ``[llm]``, ``chorus.core.settings.llm``).

A shared module, like ``tasks.embedders``: stages may import it, and it imports no stage
(an import contract checks this). Two stages of the composition live here, both enabled
only with ``llm.enabled``:

* ``llm_names`` (after summarize, ``names``): contrastive cluster names and descriptions,
  levels bottom-up, parents named from their children; strings that fail the word rule
  (``vocabulary``) or the PII analyzer (``pii``) keep the offline ones;
* ``llm_audit`` (after release, ``audit``): a privacy auditor that rates every published
  string and blocks the run below ``llm.audit_threshold``.

What an endpoint sees is built only by ``prompts`` from ``material`` (k-backed phrases and
names of clusters that meet k, majority facet values; scrubbed sample requests only in the
opt-in ``scrubbed_samples`` mode) and from published strings. The client (``client``:
httpx, concurrency, timeout, retries with exponential backoff on 429/5xx/timeouts, strict
JSON answers) charges every call to the run's token budget (``budget``); ``accounting``
turns the usage into the ``runs`` row's ``llm_*`` columns.
"""

from tasks.llm.audit import llm_audit_stage, llm_audit_task
from tasks.llm.budget import TokenBudget, Usage
from tasks.llm.client import ChatClient, parse_json_object
from tasks.llm.names import llm_names_stage, llm_names_task

__all__ = ["ChatClient", "TokenBudget", "Usage", "llm_audit_stage", "llm_audit_task",
           "llm_names_stage", "llm_names_task", "parse_json_object"]

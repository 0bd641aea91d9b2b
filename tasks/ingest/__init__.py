"""The ingest stage: read conversations (JSONL or Parquet), validate each record,
quarantine the bad ones.

* ``preflight``: whole-file checks (path, type, emptiness, Parquet schema), also run by
  ``chorus run`` before the orchestrator starts;
* ``readers``: a file as numbered records, decoding faults as reasons;
* ``records``: one record against the input contract (``validate_record``);
* ``read``: files -> accepted conversations + quarantine rows, and the quarantine bound;
* ``stage``: the stage over ``RunData`` and its Prefect task, and its chunked form (one
  chunk's byte or row range, ``ingest_chunk_stage``);
* ``plan``: the inputs checked and cut into chunks (``chorus.core.chunks``);
* ``gather``: the chunk store's outputs into the run's data, the bound over all chunks;
* ``ids``: the conversation ids a planned run will accept (``planned_ids``), before any
  chunk is scrubbed.

A malformed record goes to the quarantine with its source, 1-based line (JSONL) or
0-based row (Parquet) number and a reason built from field names, types and settings,
never from values. The run goes on unless the quarantined share exceeds
``ingest.max_quarantine_share``. Nothing here raises an exception that could carry text.
"""

from tasks.ingest.gather import gather_stage, gather_task
from tasks.ingest.ids import planned_ids
from tasks.ingest.plan import plan_inputs, plan_task
from tasks.ingest.preflight import InputFile, check_input, preflight_inputs
from tasks.ingest.read import (
    IngestResult,
    build_frame,
    check_quarantine_share,
    read_chunk,
    read_conversations,
    read_inputs,
    split_records,
)
from tasks.ingest.records import ROLES, parse_time, unicode_problem, validate_record
from tasks.ingest.stage import (
    ingest_chunk_stage,
    ingest_chunk_task,
    ingest_stage,
    ingest_task,
)

__all__ = [
    "gather_stage", "gather_task", "plan_inputs", "plan_task", "planned_ids",
    "ROLES", "IngestResult", "InputFile", "build_frame", "check_input",
    "check_quarantine_share", "ingest_chunk_stage", "ingest_chunk_task", "ingest_stage",
    "ingest_task", "parse_time", "preflight_inputs", "read_chunk", "read_conversations",
    "read_inputs", "split_records", "unicode_problem", "validate_record",
]

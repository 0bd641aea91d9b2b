"""Load the labelled evaluation sets into Chorus's input contract.

Every loader returns a list of records::

    {"conversation_id": str, "user_id": str, "created_at": ISO-8601 str,
     "messages": [{"role": "user" | "assistant", "content": str}, ...],
     "label": str, "parent_label": str | None}

The sets live outside the repository, in ``<project root>/../shared/data`` (override with
the environment variable ``CHORUS_EVAL_DATA``); they are read in place and never copied.
A missing set raises ``DatasetMissing`` with a message naming the file looked for.
Every item gets its own user id (none of the sets has one). ``limit`` draws a seeded
random sample (kept in file order); ``None`` keeps everything.

| set | file(s) | label | parent_label |
|---|---|---|---|
| esconv | ``esconv/esconv_{train,valid,test}.jsonl`` (seeker ``usr`` = user) | problem_type | - |
| dailydialog | ``dailydialog/dailydialog_topics.jsonl`` | topic | - |
| banking77 | ``banking77/test.csv`` (single turn) | category | - |
| clinc150 | ``clinc150/data_full.json`` key ``test`` (in-scope only) | intent | domain |
"""

from __future__ import annotations

import csv
import json
import logging
import os
import random
from collections.abc import Callable
from pathlib import Path

from bench.clinc_domains import CLINC_DOMAINS, intent_domains
from chorus.core.env import PROJECT_ROOT

log = logging.getLogger(__name__)

CREATED_AT = "2026-01-01T00:00:00Z"  # the sets carry no timestamps; one fixed value
DAILYDIALOG_SAMPLE = 3000  # default seeded sample: 13k dialogues would not fit ~15 min


class DatasetMissing(FileNotFoundError):
    """An evaluation set's file is not where it is looked for."""


def data_root() -> Path:
    """``$CHORUS_EVAL_DATA`` if set, else ``PROJECT_ROOT.parent / "shared" / "data"``."""
    env = os.environ.get("CHORUS_EVAL_DATA")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"


def _need(path: Path) -> Path:
    if not path.exists():
        raise DatasetMissing(f"{path} not found (set CHORUS_EVAL_DATA to the data folder)")
    return path


def _sample(items: list, limit: int | None, seed: int) -> list:
    """A seeded random sample of ``limit`` items, in their original order."""
    if limit is None or limit >= len(items):
        return items
    keep = sorted(random.Random(seed).sample(range(len(items)), limit))
    return [items[i] for i in keep]


def make_record(set_name: str, index: int, messages: list[dict], label: str,
                parent_label: str | None = None) -> dict:
    """One record of the input contract plus ``label``/``parent_label``; own user id."""
    return {"conversation_id": f"{set_name}-{index}", "user_id": f"{set_name}-u{index}",
            "created_at": CREATED_AT, "messages": messages, "label": label,
            "parent_label": parent_label}


def _turns(turns: list[dict], user_speaker: str, text_key: str = "text") -> list[dict]:
    """Map a dialogue's turns to messages: ``user_speaker`` -> user, others -> assistant."""
    return [{"role": "user" if t["speaker"] == user_speaker else "assistant",
             "content": t.get(text_key) or ""} for t in turns]


def load_esconv(root: Path | None = None, limit: int | None = None, seed: int = 0) -> list[dict]:
    """ESConv train+valid+test (1,300 chats); seeker (``usr``) turns are user messages."""
    root = root or data_root()
    raw: list[dict] = []
    for split in ("train", "valid", "test"):
        with _need(root / "esconv" / f"esconv_{split}.jsonl").open(encoding="utf-8") as fh:
            raw.extend(json.loads(line) for line in fh if line.strip())
    records = [make_record("esconv", i, _turns(r["dialog"], "usr"), r["problem_type"])
               for i, r in enumerate(raw)]
    return _sample([r for r in records if _has_user(r)], limit, seed)


def load_dailydialog(root: Path | None = None, limit: int | None = DAILYDIALOG_SAMPLE,
                     seed: int = 0) -> list[dict]:
    """DailyDialog (13,118 dialogues; default a seeded sample of 3,000), label ``topic``."""
    root = root or data_root()
    path = _need(root / "dailydialog" / "dailydialog_topics.jsonl")
    with path.open(encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh if line.strip()]
    records = [make_record("dailydialog", i, _turns(r["turns"], "user"), r["topic"])
               for i, r in enumerate(raw)]
    return _sample([r for r in records if _has_user(r)], limit, seed)


def load_banking77(root: Path | None = None, limit: int | None = None,
                   seed: int = 0) -> list[dict]:
    """BANKING77 test split (3,080 single-turn queries), label ``category``."""
    root = root or data_root()
    with _need(root / "banking77" / "test.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [make_record("banking77", i, [{"role": "user", "content": r["text"]}],
                           r["category"]) for i, r in enumerate(rows)]
    return _sample(records, limit, seed)


def load_clinc150(root: Path | None = None, limit: int | None = None,
                  seed: int = 0) -> list[dict]:
    """CLINC150 in-scope test split (4,500 queries): label intent, parent_label domain.

    Raises:
        ValueError: a test intent is missing from ``CLINC_DOMAINS``.
    """
    root = root or data_root()
    with _need(root / "clinc150" / "data_full.json").open(encoding="utf-8") as fh:
        test = json.load(fh)["test"]
    domain_of = intent_domains()
    unmapped = sorted({intent for _, intent in test} - set(domain_of))
    if unmapped:
        raise ValueError(f"CLINC150 intents without a domain: {unmapped}")
    records = [make_record("clinc150", i, [{"role": "user", "content": text}], intent,
                           domain_of[intent]) for i, (text, intent) in enumerate(test)]
    return _sample(records, limit, seed)


def load_clinc150_train(limit: int | None = 4500, seed: int = 0) -> list[dict]:
    """CLINC150's in-scope *train* split (15,000), a seeded sample of ``limit``: the
    selection split of the naming and hierarchy evaluations (label intent, parent domain)."""
    with _need(data_root() / "clinc150" / "data_full.json").open(encoding="utf-8") as fh:
        train = json.load(fh)["train"]
    domain_of = intent_domains()
    records = [make_record("clinc150-train", i, [{"role": "user", "content": text}], intent,
                           domain_of[intent]) for i, (text, intent) in enumerate(train)]
    return _sample(records, limit, seed)


def load_banking77_train(limit: int | None = 3080, seed: int = 0) -> list[dict]:
    """BANKING77's *train* split (10,003 queries), a seeded sample of ``limit`` (the test
    split's size): the naming evaluation's selection split."""
    with _need(data_root() / "banking77" / "train.csv").open(encoding="utf-8",
                                                               newline="") as fh:
        rows = list(csv.DictReader(fh))
    records = [make_record("banking77-train", i, [{"role": "user", "content": r["text"]}],
                           r["category"]) for i, r in enumerate(rows)]
    return _sample(records, limit, seed)


def load_labelled(path: Path | str, limit: int | None = None, seed: int = 0) -> list[dict]:
    """Any JSONL in the input contract plus ``label`` (and optional ``parent_label``).

    Records without a string ``label`` are skipped (counted in the log).
    """
    path = _need(Path(path))
    records, skipped = [], 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record.get("label"), str):
                skipped += 1
                continue
            record.setdefault("parent_label", None)
            records.append(record)
    if skipped:
        log.warning("%s: %d records without a string label skipped", path, skipped)
    return _sample(records, limit, seed)


def _has_user(record: dict) -> bool:
    return any(m["role"] == "user" and m["content"].strip() for m in record["messages"])


LOADERS: dict[str, Callable[..., list[dict]]] = {
    "esconv": load_esconv, "dailydialog": load_dailydialog,
    "banking77": load_banking77, "clinc150": load_clinc150,
}

__all__ = ["CLINC_DOMAINS", "DatasetMissing", "LOADERS", "data_root", "load_labelled"]

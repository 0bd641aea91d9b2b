"""Loaders map each set's layout into the input contract (tiny synthetic files only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import loaders
from bench.clinc_domains import CLINC_DOMAINS, intent_domains


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _check_contract(record: dict) -> None:
    assert set(record) >= {"conversation_id", "user_id", "created_at", "messages", "label",
                           "parent_label"}
    assert all(m["role"] in ("user", "assistant") for m in record["messages"])
    assert any(m["role"] == "user" for m in record["messages"])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for split in ("train", "valid", "test"):
        _write_jsonl(tmp_path / "esconv" / f"esconv_{split}.jsonl", [
            {"problem_type": f"p-{split}", "dialog": [
                {"speaker": "sys", "text": "hello there"},
                {"speaker": "usr", "text": "alpha beta"}]}])
    _write_jsonl(tmp_path / "dailydialog" / "dailydialog_topics.jsonl", [
        {"id": f"d{i}", "topic": "T" + str(i % 3), "turns": [
            {"speaker": "user", "text": f"question {i}"},
            {"speaker": "system", "text": "answer"}]} for i in range(10)])
    (tmp_path / "banking77").mkdir()
    (tmp_path / "banking77" / "test.csv").write_text(
        'text,category\n"where, is my card",card_arrival\nfee?,fees\n')
    (tmp_path / "clinc150").mkdir()
    (tmp_path / "clinc150" / "data_full.json").write_text(json.dumps(
        {"test": [["wake me at six", "alarm"], ["what is my balance", "balance"]],
         "train": []}))
    return tmp_path


def test_data_root_env_override(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHORUS_EVAL_DATA", str(tmp_path))
    assert loaders.data_root() == tmp_path
    monkeypatch.delenv("CHORUS_EVAL_DATA")
    assert loaders.data_root().parts[-2:] == ("shared", "data")


def test_esconv_roles_and_labels(root: Path) -> None:
    records = loaders.load_esconv(root)
    assert [r["label"] for r in records] == ["p-train", "p-valid", "p-test"]
    assert records[0]["messages"] == [{"role": "assistant", "content": "hello there"},
                                      {"role": "user", "content": "alpha beta"}]
    assert len({r["user_id"] for r in records}) == 3
    for record in records:
        _check_contract(record)


def test_dailydialog_seeded_sample(root: Path) -> None:
    first = loaders.load_dailydialog(root, limit=4, seed=1)
    again = loaders.load_dailydialog(root, limit=4, seed=1)
    assert [r["conversation_id"] for r in first] == [r["conversation_id"] for r in again]
    assert len(first) == 4
    assert len(loaders.load_dailydialog(root, limit=None)) == 10
    _check_contract(first[0])


def test_banking77_single_turn(root: Path) -> None:
    records = loaders.load_banking77(root)
    assert [r["label"] for r in records] == ["card_arrival", "fees"]
    assert records[0]["messages"] == [{"role": "user", "content": "where, is my card"}]


def test_clinc150_domains(root: Path) -> None:
    records = loaders.load_clinc150(root)
    assert [(r["label"], r["parent_label"]) for r in records] == [
        ("alarm", "utility"), ("balance", "banking")]


def test_clinc150_unmapped_intent_fails(root: Path) -> None:
    (root / "clinc150" / "data_full.json").write_text(json.dumps(
        {"test": [["hmm", "not_an_intent"]]}))
    with pytest.raises(ValueError, match="not_an_intent"):
        loaders.load_clinc150(root)


def test_clinc_domain_constant_is_complete() -> None:
    mapping = intent_domains()
    assert len(CLINC_DOMAINS) == 10 and len(mapping) == 150


def test_missing_set_is_reported(tmp_path: Path) -> None:
    with pytest.raises(loaders.DatasetMissing, match="esconv"):
        loaders.load_esconv(tmp_path)


def test_load_labelled_skips_unlabelled(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    base = {"conversation_id": "c", "user_id": "u", "created_at": "2026-01-01T00:00:00Z",
            "messages": [{"role": "user", "content": "hi"}]}
    _write_jsonl(path, [{**base, "label": "a"}, {**base, "conversation_id": "d"}])
    records = loaders.load_labelled(path)
    assert len(records) == 1 and records[0]["parent_label"] is None

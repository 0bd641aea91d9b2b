"""Span-overlap PII scores and the leak rate, on made-up spans."""

from __future__ import annotations

import pytest

from bench.pii_metrics import GoldSpan, f_beta, group_gold, mapped, score_pii


def _row(rows: list[dict], etype: str) -> dict:
    return next(r for r in rows if r["entity_type"] == etype)


def test_overlap_counts_and_types_are_mapped() -> None:
    gold = [[GoldSpan(0, 7, "PERSON", "Ann Lee"), GoldSpan(17, 21, "GPE", "Oslo")]]
    pred = [[(0, 3, "PERSON"), (17, 21, "LOCATION")]]
    rows = score_pii(gold, pred, ["<PERSON> Lee lives in <LOCATION>"])
    person, gpe = _row(rows, "PERSON"), _row(rows, "GPE")
    assert person["recall"] == 1.0 and person["precision"] == 1.0
    # "Lee" is still readable, but the labelled value "Ann Lee" is not there verbatim.
    assert person["leak_rate"] == 0.0
    assert gpe["recall_typed"] == 1.0 and gpe["leak_rate"] == 0.0


def test_false_positive_and_miss() -> None:
    gold = [[GoldSpan(0, 4, "EMAIL_ADDRESS", "a@b.c")], []]
    pred = [[], [(0, 5, "PERSON")]]
    rows = score_pii(gold, pred, ["a@b.c", "<PERSON>"])
    email, person = _row(rows, "EMAIL_ADDRESS"), _row(rows, "PERSON")
    assert email["recall"] == 0.0 and email["leak_rate"] == 1.0
    assert person["support"] == 0 and person["precision"] == 0.0
    overall = _row(rows, "ALL")
    assert overall["precision"] == 0.0 and overall["recall"] == 0.0


def test_out_of_scope_types_are_excluded_from_in_scope_total() -> None:
    gold = [[GoldSpan(0, 3, "ORGANIZATION", "Acme"), GoldSpan(5, 8, "PERSON", "Bob")]]
    rows = score_pii(gold, [[(5, 8, "PERSON")]], ["Acme <PERSON>"])
    assert _row(rows, "ALL (in scope)")["recall"] == 1.0
    assert _row(rows, "ALL")["recall"] == 0.5


def test_f2_and_mapping() -> None:
    assert f_beta(1.0, 0.5) == pytest.approx(5 * 0.5 / (4 + 0.5))
    assert f_beta(None, 0.5) is None
    assert "STREET_ADDRESS" in mapped("LOCATION") and mapped("IBAN_CODE") == ("IBAN_CODE",)


def test_group_gold_reads_presidio_layout() -> None:
    texts, gold = group_gold([{"full_text": "hi Bob", "spans": [
        {"entity_type": "PERSON", "entity_value": "Bob", "start_position": 3,
         "end_position": 6}]}, {"full_text": "none", "spans": []}])
    assert texts == ["hi Bob", "none"]
    assert gold[0] == [GoldSpan(3, 6, "PERSON", "Bob")] and gold[1] == []

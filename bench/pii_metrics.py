"""Span-level PII scores: precision, recall, F2 per entity type, and the verbatim leak rate.

Gold spans are typed with the evaluation set's names (Presidio's synthetic set:
PERSON, STREET_ADDRESS, GPE, ...). Predicted spans carry Chorus/Presidio types, mapped to
the set's names by ``TYPE_MAP`` (first name = primary type, used to attribute a false
positive):

| Chorus / Presidio type | set's types |
|---|---|
| PERSON | PERSON |
| LOCATION (spaCy GPE/LOC/FAC) | GPE, STREET_ADDRESS |
| STREET_ADDRESS (custom) | STREET_ADDRESS |
| POSTAL_CODE (custom) | ZIP_CODE, STREET_ADDRESS |
| URL | DOMAIN_NAME, EMAIL_ADDRESS |
| EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IP_ADDRESS | same name |
| IBAN_CODE, US_SSN, US_DRIVER_LICENSE | same name |
| anything else | its own name |

An overlap counts as a match (any shared character), and matching is type-agnostic: a
scrubber that masks an email as URL still masked it. Per gold type T:

* ``recall`` = gold spans of T overlapped by any predicted span / ``support``;
  ``recall_typed`` requires the predicted span's mapped types to include T.
* ``precision`` = predicted spans credited to T / (credited + false positives of T); a
  predicted span is credited to the gold type it overlaps most, or, overlapping no gold
  span, is a false positive of its primary mapped type.
* ``f2`` = 5PR / (4P + R) (recall weighted 4x, as Presidio's evaluation does).
* ``leak_rate`` = share of gold values of T still in the scrubbed text verbatim.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

TYPE_MAP: dict[str, tuple[str, ...]] = {
    "PERSON": ("PERSON",),
    "LOCATION": ("GPE", "STREET_ADDRESS"),
    "STREET_ADDRESS": ("STREET_ADDRESS",),
    "POSTAL_CODE": ("ZIP_CODE", "STREET_ADDRESS"),
    "URL": ("DOMAIN_NAME", "EMAIL_ADDRESS"),
}

# Gold types Chorus sets out to scrub (README: DATE_TIME, ORGANIZATION, NRP are excluded
# on purpose; TITLE and AGE have no recognizer).
IN_SCOPE: frozenset[str] = frozenset({
    "PERSON", "STREET_ADDRESS", "GPE", "ZIP_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER",
    "CREDIT_CARD", "IP_ADDRESS", "DOMAIN_NAME", "IBAN_CODE", "US_SSN", "US_DRIVER_LICENSE",
})


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    entity_type: str
    value: str


def mapped(pred_type: str) -> tuple[str, ...]:
    """The set's types a predicted type stands for (``TYPE_MAP``, else itself)."""
    return TYPE_MAP.get(pred_type, (pred_type,))


def f_beta(precision: float | None, recall: float | None, beta: float = 2.0) -> float | None:
    if precision is None or recall is None or precision + recall == 0:
        return None if precision is None or recall is None else 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def score_pii(gold: Sequence[Sequence[GoldSpan]], pred: Sequence[Sequence[tuple[int, int, str]]],
              scrubbed: Sequence[str]) -> list[dict]:
    """Score predicted spans against gold spans, document by document.

    Args:
        gold: per document, its gold spans.
        pred: per document, predicted ``(start, end, chorus_type)`` spans.
        scrubbed: per document, the scrubbed text (for the leak rate).

    Returns:
        One row per gold type (sorted), then ``ALL (in scope)`` and ``ALL``; each row
        ``{entity_type, support, detected, recall, recall_typed, precision, f2, leaked,
        leak_rate, in_scope}``. ``ALL`` rows count every predicted span once.
    """
    support: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    hit_typed: Counter[str] = Counter()
    leaked: Counter[str] = Counter()
    credited: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    pred_total = pred_hits = 0
    for spans, preds, text in zip(gold, pred, scrubbed, strict=True):
        for g in spans:
            support[g.entity_type] += 1
            overlapping = [p for p in preds if _overlap(g.start, g.end, p[0], p[1])]
            if overlapping:
                hit[g.entity_type] += 1
            if any(g.entity_type in mapped(p[2]) for p in overlapping):
                hit_typed[g.entity_type] += 1
            if g.value.strip() and g.value.strip() in text:
                leaked[g.entity_type] += 1
        for start, end, ptype in preds:
            pred_total += 1
            best = max(spans, key=lambda g: _overlap(g.start, g.end, start, end), default=None)
            if best is not None and _overlap(best.start, best.end, start, end):
                credited[best.entity_type] += 1
                pred_hits += 1
            else:
                false_pos[mapped(ptype)[0]] += 1
    rows = []
    for etype in sorted(set(support) | set(false_pos)):
        rows.append(_row(etype, support[etype], hit[etype], hit_typed[etype],
                         credited[etype], false_pos[etype], leaked[etype]))
    scope = [t for t in support if t in IN_SCOPE]
    fp_scope = sum(v for t, v in false_pos.items() if t not in support or t in IN_SCOPE)
    rows.append(_row("ALL (in scope)", sum(support[t] for t in scope),
                     sum(hit[t] for t in scope), sum(hit_typed[t] for t in scope),
                     sum(credited[t] for t in scope), fp_scope,
                     sum(leaked[t] for t in scope)))
    rows.append(_row("ALL", sum(support.values()), sum(hit.values()),
                     sum(hit_typed.values()), pred_hits, pred_total - pred_hits,
                     sum(leaked.values())))
    return rows


def _row(etype: str, support: int, hit: int, hit_typed: int, tp_pred: int, fp: int,
         leaked: int) -> dict:
    recall = hit / support if support else None
    precision = tp_pred / (tp_pred + fp) if tp_pred + fp else None
    return {"entity_type": etype, "support": support, "detected": hit, "recall": recall,
            "recall_typed": hit_typed / support if support else None,
            "precision": precision, "f2": f_beta(precision, recall), "leaked": leaked,
            "leak_rate": leaked / support if support else None,
            "in_scope": etype in IN_SCOPE or etype.startswith("ALL")}


def group_gold(records: Sequence[dict]) -> tuple[list[str], list[list[GoldSpan]]]:
    """Presidio synthetic records ``{full_text, spans[...]}`` -> (texts, gold spans)."""
    texts, gold = [], []
    by_doc: dict[int, list[GoldSpan]] = defaultdict(list)
    for i, record in enumerate(records):
        texts.append(record["full_text"])
        for s in record.get("spans") or []:
            by_doc[i].append(GoldSpan(int(s["start_position"]), int(s["end_position"]),
                                      s["entity_type"], s["entity_value"]))
        gold.append(by_doc[i])
    return texts, gold

"""Readable cluster names from k-backed phrases, distinct among siblings and from parents.

A title is the cluster's best phrase (``tasks.summarize.rank``: centroid relevance minus
sibling contrast; noun-shaped phrases first, ``noun_first``) followed by up to
``TITLE_PHRASES - 1`` later-ranked phrases that each add something (no shared word or
stem with a phrase already in, embedding cosine below ``max_redundancy`` to each), as
"A, B and C": "Left join, duplicate rows and count distinct". Every word of it is a word
of a phrase that >= k users of the cluster wrote, or the template word "and"
(``chorus.core.tokens.TEMPLATE_WORDS``; the comma is no word), so the release gate's
rule 5 keeps it. Three phrases, not two: chosen on the CLINC150 and BANKING77 *train*
splits (``bench.naming_eval``), where they named clusters better than two or four.

``assign_names`` gives each cluster one of its title options, none shared with a sibling
(same parent, same level), an ancestor or a descendant: base clusters choose first by
default, siblings by a size-weighted matching (``tasks.summarize.assign``). A cluster
whose options are all taken stays unnamed (None).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from tasks.summarize.assign import Node, Order, assign

CONNECTOR = "and"
TITLE_PHRASES = 3  # most phrases in a title


@dataclass(frozen=True)
class Material:
    """One cluster's naming material.

    Attributes:
        level, key: the cluster.
        parent: its key at level + 1, or None at the top.
        size: its requests (siblings choose largest first).
        phrases: k-backed candidate phrases, best first.
        vectors: (m, d) unit embeddings of ``phrases``.
        options: its titles in order of preference, or None for ``title_options``'s order
            (``rank_titles`` sets them from whole-title embeddings).
    """

    level: int
    key: int
    parent: int | None
    size: int
    phrases: list[str]
    vectors: np.ndarray
    options: list[str] | None = None


def noun_first(material: Material, shaped: dict[str, bool]) -> Material:
    """``material`` with its noun-shaped phrases first (each group in score order)."""
    order = sorted(range(len(material.phrases)),
                   key=lambda i: (not shaped.get(material.phrases[i], True), i))
    return replace(material, phrases=[material.phrases[i] for i in order],
                   vectors=material.vectors[order])


def overlap(a: str, b: str) -> bool:
    """Whether two phrases share a word or a word's stem ("friend" / "friends")."""
    return any(x.startswith(y) or y.startswith(x) for x in a.split() for y in b.split())


def joined(phrases: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(phrases) == 1:
        return phrases[0]
    return f"{', '.join(phrases[:-1])} {CONNECTOR} {phrases[-1]}"


def complements(phrases: list[str], vectors: np.ndarray, head: int, max_redundancy: float,
                most: int) -> list[int]:
    """``head`` and then, in rank order, each phrase that overlaps (``overlap``) none of
    those already chosen and has cosine below ``max_redundancy`` to each, ``most`` at most."""
    chosen = [head]
    for q in range(len(phrases)):
        if len(chosen) >= most:
            break
        if q in chosen or any(overlap(phrases[c], phrases[q]) for c in chosen):
            continue
        if any(float(vectors[c] @ vectors[q]) >= max_redundancy for c in chosen):
            continue
        chosen.append(q)
    return chosen


def title_options(phrases: list[str], vectors: np.ndarray, max_redundancy: float,
                  heads: int = 3, most: int = TITLE_PHRASES) -> list[str]:
    """Titles in order of preference: for each of the first ``heads`` phrases, its
    ``complements`` joined ("a, b and c"), then shorter prefixes of them ("a and b"); then
    each phrase alone. Duplicates are dropped (first occurrence kept)."""
    options: list[str] = []
    for h in range(min(heads, len(phrases))):
        chosen = [phrases[i] for i in complements(phrases, vectors, h, max_redundancy, most)]
        options.extend(joined(chosen[:n]) for n in range(len(chosen), 1, -1))
    options.extend(phrases)
    return list(dict.fromkeys(options))  # first occurrence of each, in order


def title_candidates(phrases: list[str], vectors: np.ndarray, max_redundancy: float,
                     top: int, most: int = TITLE_PHRASES) -> list[str]:
    """Every title of 1..``most`` phrases from the first ``top`` (in their rank order)
    whose phrases pairwise ``overlap`` not and have cosine below ``max_redundancy``, then
    each later phrase alone: the options ``tasks.summarize.rank.rank_titles`` orders."""
    from itertools import combinations

    head = min(top, len(phrases))
    fits = [[not overlap(phrases[i], phrases[j])
             and float(vectors[i] @ vectors[j]) < max_redundancy for j in range(head)]
            for i in range(head)]
    options = [phrases[i] for i in range(head)]
    for n in range(2, most + 1):
        options.extend(joined([phrases[i] for i in combo])
                       for combo in combinations(range(head), n)
                       if all(fits[a][b] for a, b in combinations(combo, 2)))
    options.extend(phrases[head:])
    return list(dict.fromkeys(options))


def capitalized(title: str) -> str:
    """First letter upper case, the rest as written."""
    return title[:1].upper() + title[1:]


def assign_names(materials: list[Material], n_levels: int, max_redundancy: float,
                 most: int = TITLE_PHRASES,
                 order: Order = "bottom_up") -> dict[tuple[int, int], str | None]:
    """(level, key) -> name, distinct from every sibling's and along every ancestor line
    (``tasks.summarize.assign``: ``order`` says which level chooses first)."""
    nodes = [Node(m.level, m.key, m.parent, m.size,
                  m.options if m.options is not None
                  else title_options(m.phrases, m.vectors, max_redundancy, most=most))
             for m in materials]
    return {key: capitalized(name) if name else None
            for key, name in assign(nodes, n_levels, order).items()}

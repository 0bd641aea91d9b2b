"""Per-cluster term statistics accumulated block by block, memory bounded by the vocabulary.

``TermCounter.add(block)`` folds one ``Block`` in; ``TermCounter.level(l)`` returns the
statistics of level l's clusters. No step holds more than one block of rows: what is kept
between blocks is, per *group* (the distinct label tuples over all levels: the base
clusters for a nested hierarchy) and term,

* occurrences: the number of requests of the group that hold the term (binary per
  request, as a binary doc-term matrix counts them);
* support: a set of at most ``cap`` (= k) distinct users who wrote it, as 64-bit hashes
  of the user id. Capped sets compose exactly: a level's cluster is a union of groups,
  and the union of the groups' capped sets, capped again, has min(true users, cap)
  members (a group at the cap makes the union reach it; otherwise every set is complete).
  A hash collision can only merge two users, so support is never overstated;
* the term's document frequency over the whole run (noise included), for the
  ``min_term_docs`` vocabulary floor, applied once all blocks are in;

and per group: its size, its embedding sum (for centroids) and, per facet value, the same
occurrences and capped support. Memory is O(terms x groups x cap), never O(rows).

A block's requests are tokenized as ``chorus.core.tokens.phrases`` does (stop words
dropped, or kept with ``keep_stop_words``), with the same result,
``TermCounter.TOKENIZE_ROWS`` at a time (which bounds the (request, term) entries held
at once): ASCII requests by polars string expressions (``block_terms``; on
ASCII text its regex classes and word boundaries are Python's), any other request by
``tokens.phrases`` itself (Unicode word boundaries differ between the two engines, e.g.
next to a combining accent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from chorus.core import tokens

_SHIFT = np.int64(32)  # pair key = group << 32 | item


def block_terms(texts: Sequence[str], ngram_max: int,
                keep_stop_words: bool = False) -> pl.DataFrame:
    """The distinct phrases (``tokens.phrases(text, ngram_max, keep_stop_words)``) of each
    text: a frame of ``doc`` (UInt32, the text's position) and ``term`` (Utf8), one row per
    (doc, term)."""
    schema = {"doc": pl.UInt32, "term": pl.Utf8}
    try:
        series = pl.Series("t", list(texts), dtype=pl.Utf8)
    except (Exception, pl.exceptions.PanicException):  # noqa: BLE001 - e.g. a lone surrogate
        series = None
    fast = (~series.str.contains(r"[^\x00-\x7F]")).fill_null(False) if series is not None \
        else pl.Series([False] * len(texts))
    parts = []
    if fast.any():
        assert series is not None
        stop = sorted(tokens.stop_words())
        words = (series.filter(fast).str.replace_all(tokens.PLACEHOLDER.pattern, " ")
                 .str.to_lowercase().str.extract_all(tokens.WORD.pattern))
        if not keep_stop_words:
            words = words.list.eval(pl.element().filter(~pl.element().is_in(stop)))
        grams = [pl.col("w")]
        for n in range(2, ngram_max + 1):
            gram = pl.element()
            for k in range(1, n):
                gram = gram + " " + pl.element().shift(-k)
            grams.append(pl.col("w").list.eval(gram.drop_nulls()))
        docs = pl.Series("doc", np.flatnonzero(fast.to_numpy()), dtype=pl.UInt32)
        parts.append(pl.DataFrame({"w": words}).select(
            docs, pl.concat_list(grams).list.unique().alias("term"))
            .explode("term").drop_nulls("term"))
    slow = np.flatnonzero(~fast.to_numpy())
    if slow.size:
        rows = [(int(i), t) for i in slow.tolist()
                for t in set(tokens.phrases(texts[i], ngram_max, keep_stop_words))]
        parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def user_hashes(users: Sequence[str]) -> np.ndarray:
    """64-bit hash of each user id (int64 view); equal ids hash equal within a run."""
    return pl.Series(list(users), dtype=pl.Utf8).hash(seed=0).to_numpy().view(np.int64)


class PairCounter:
    """Occurrences and capped distinct-user support per (group, item) pair.

    ``add`` takes one entry per (request, item) — a request counts an item once — and
    folds it into sorted key arrays; ``compact`` merges the pending entries.
    """

    def __init__(self, cap: int, compact_every: int = 1_000_000) -> None:
        self.cap = cap
        self.compact_every = compact_every  # pending entries that trigger a merge
        self.keys = np.zeros(0, np.int64)      # sorted unique pair keys
        self.counts = np.zeros(0, np.int64)    # occurrences per key
        self.sup_keys = np.zeros(0, np.int64)  # (sup_keys, sup_users): capped user sets,
        self.sup_users = np.zeros(0, np.int64)  # sorted by key, then user
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending_size = 0

    def add(self, groups: np.ndarray, items: np.ndarray, users: np.ndarray) -> None:
        keys = (groups.astype(np.int64) << _SHIFT) | items.astype(np.int64)
        self._pending.append((keys, users.astype(np.int64)))
        self._pending_size += keys.size
        # merge once the pending entries are comparable to what is held (amortized)
        held = min(self.keys.size, 10 * self.compact_every)
        if self._pending_size >= max(self.compact_every, held):
            self.compact()

    def compact(self) -> None:
        if not self._pending:
            return
        new_keys = np.concatenate([k for k, _ in self._pending])
        new_users = np.concatenate([u for _, u in self._pending])
        self._pending, self._pending_size = [], 0
        keys, inverse = np.unique(np.concatenate([self.keys, new_keys]), return_inverse=True)
        weights = np.concatenate([self.counts, np.ones(new_keys.size, np.int64)])
        self.counts = np.bincount(inverse, weights=weights, minlength=keys.size).astype(np.int64)
        self.keys = keys
        self.sup_keys, self.sup_users = capped_sets(
            np.concatenate([self.sup_keys, new_keys]),
            np.concatenate([self.sup_users, new_users]), self.cap)


def capped_sets(keys: np.ndarray, users: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (key, user) pairs, at most ``cap`` users per key (the smallest hashes),
    sorted by key then user."""
    if keys.size == 0:
        return keys, users
    order = np.lexsort((users, keys))
    keys, users = keys[order], users[order]
    distinct = np.ones(keys.size, bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (users[1:] != users[:-1])
    keys, users = keys[distinct], users[distinct]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    rank = np.arange(keys.size) - np.repeat(starts, np.diff(np.r_[starts, keys.size]))
    keep = rank < cap
    return keys[keep], users[keep]


@dataclass(frozen=True)
class LevelStats:
    """One level's clusters 0..n_classes-1 over the vocabulary (alphabetical, as a
    CountVectorizer orders it).

    Attributes:
        vocab: (V,) terms that pass ``min_term_docs``.
        rows, cols: (nnz,) class and term of every (class, term) pair that occurs,
            sorted by class then term.
        occurrences: (nnz,) requests of the class holding the term.
        support: (nnz,) distinct users of the class who wrote it, capped at ``cap``.
        sizes: (n_classes,) requests per class.
        centroid_sums: (n_classes, d) float64 embedding sums, or None.
        facets: facet name -> (n_classes) lists of (value, items, capped users) per value.
    """

    n_classes: int
    vocab: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    occurrences: np.ndarray
    support: np.ndarray
    sizes: np.ndarray
    centroid_sums: np.ndarray | None
    facets: dict[str, list[list[tuple[str, int, int]]]]

    def class_slice(self, c: int) -> slice:
        """Positions of class c's pairs in ``rows``/``cols``/... (contiguous)."""
        lo, hi = np.searchsorted(self.rows, [c, c + 1])
        return slice(int(lo), int(hi))


class TermCounter:
    """Accumulates ``Block``s (see the module docstring); ``level`` reads the result."""

    FACETS = ("languages", "turns_bucket")
    TOKENIZE_ROWS = 8192  # requests tokenized at once (the result does not depend on it)

    def __init__(self, n_levels: int, ngram_max: int, min_term_docs: int, cap: int,
                 keep_stop_words: bool = False) -> None:
        self.n_levels, self.ngram_max = n_levels, ngram_max
        self.keep_stop_words = keep_stop_words  # terms of all words (``block_terms``)
        self.min_term_docs, self.cap = min_term_docs, cap
        self.vocab = pl.DataFrame(schema={"term": pl.Utf8, "id": pl.Int64})  # id = row
        self.df = np.zeros(0, np.int64)
        self.groups: dict[tuple[int, ...], int] = {}
        self.sizes = np.zeros(0, np.int64)
        self.sums: np.ndarray | None = None
        self.terms = PairCounter(cap)
        self.facet_values: dict[str, dict[str, int]] = {f: {} for f in self.FACETS}
        self.facet_counts = {f: PairCounter(cap) for f in self.FACETS}
        self.n_rows = 0

    def _group_ids(self, labels: np.ndarray) -> np.ndarray:
        """Group id per row (-1 where the row is noise at every level)."""
        uniq, inverse = np.unique(labels.T, axis=0, return_inverse=True)
        ids = np.array([-1 if (row < 0).all() else
                        self.groups.setdefault(tuple(int(x) for x in row), len(self.groups))
                        for row in uniq], dtype=np.int64)
        return ids[inverse.reshape(-1)]

    def add(self, block) -> None:
        """Fold one ``Block`` in."""
        if block.labels.shape[0] != self.n_levels:
            raise ValueError(f"block has {block.labels.shape[0]} levels, expected {self.n_levels}")
        m = len(block.texts)
        self.n_rows += m
        groups = self._group_ids(np.asarray(block.labels))
        self.sizes = _grow(self.sizes, len(self.groups))
        clustered = groups >= 0
        self.sizes += np.bincount(groups[clustered], minlength=len(self.groups))
        users = user_hashes(block.users)
        for start in range(0, m, self.TOKENIZE_ROWS):  # bounds the (request, term) entries
            rows = slice(start, min(start + self.TOKENIZE_ROWS, m))
            self._add_terms(block.texts[rows], groups[rows], users[rows])
        if block.embeddings is not None:
            emb = np.asarray(block.embeddings, dtype=np.float64)
            if self.sums is None:
                self.sums = np.zeros((0, emb.shape[1]))
            self.sums = _grow(self.sums, len(self.groups))
            np.add.at(self.sums, groups[clustered], emb[clustered])
        for facet in self.FACETS:
            values = getattr(block, facet)
            if values is None:
                continue
            index = self.facet_values[facet]
            ids_ = np.array([index.setdefault(v, len(index)) for v in values], np.int64)
            self.facet_counts[facet].add(groups[clustered], ids_[clustered], users[clustered])

    def _add_terms(self, texts: Sequence[str], groups: np.ndarray, users: np.ndarray) -> None:
        """Fold the distinct phrases of ``texts`` (rows of one block) into the document
        frequencies and the (group, term) counter."""
        pairs = block_terms(texts, self.ngram_max, self.keep_stop_words)
        new = (pairs.select(pl.col("term").unique()).join(self.vocab, on="term", how="anti")
               .with_row_index("id", offset=self.vocab.height)
               .select("term", pl.col("id").cast(pl.Int64)))
        self.vocab = pl.concat([self.vocab, new], rechunk=False)
        pairs = pairs.join(self.vocab, on="term", how="inner")
        docs = pairs["doc"].to_numpy().astype(np.int64)
        terms = pairs["id"].to_numpy()
        del pairs
        n_terms = self.vocab.height
        self.df = _grow(self.df, n_terms)
        self.df += np.bincount(terms, minlength=n_terms)
        in_group = groups[docs] >= 0
        self.terms.add(groups[docs][in_group], terms[in_group], users[docs][in_group])

    def level(self, level: int) -> LevelStats:
        """Level ``level``'s statistics over the vocabulary that passes ``min_term_docs``."""
        self.terms.compact()
        labels = np.array([g[level] for g in self.groups], dtype=np.int64).reshape(-1)
        n_classes = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
        kept = np.flatnonzero(self.df >= self.min_term_docs)
        by_id = self.vocab.sort("id")["term"].to_numpy().astype(object)
        vocab = by_id[kept]
        order = np.argsort(vocab.astype(str), kind="stable")
        vocab = vocab[order]
        new_id = np.full(self.df.size, -1, np.int64)
        new_id[kept[order]] = np.arange(kept.size)

        def to_class(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            cls = labels[(keys >> _SHIFT)] if keys.size else keys
            return cls, new_id[keys & 0xFFFFFFFF] if keys.size else keys

        cls, term = to_class(self.terms.keys)
        ok = (cls >= 0) & (term >= 0)
        lkeys, inv = np.unique((cls[ok] << _SHIFT) | term[ok], return_inverse=True)
        occ = np.bincount(inv, weights=self.terms.counts[ok], minlength=lkeys.size)
        scls, sterm = to_class(self.terms.sup_keys)
        sok = (scls >= 0) & (sterm >= 0)
        skeys, _ = capped_sets((scls[sok] << _SHIFT) | sterm[sok], self.terms.sup_users[sok],
                               self.cap)
        sup = _counts_at(lkeys, skeys)
        sizes = np.zeros(n_classes, np.int64)
        np.add.at(sizes, labels[labels >= 0], self.sizes[labels >= 0])
        sums = None
        if self.sums is not None:
            sums = np.zeros((n_classes, self.sums.shape[1]))
            np.add.at(sums, labels[labels >= 0], self.sums[labels >= 0])
        facets = {f: self._facet_level(f, labels, n_classes) for f in self.FACETS}
        return LevelStats(n_classes, vocab, (lkeys >> _SHIFT), lkeys & 0xFFFFFFFF,
                          occ.astype(np.int64), sup, sizes, sums, facets)

    def _facet_level(self, facet: str, labels: np.ndarray,
                     n_classes: int) -> list[list[tuple[str, int, int]]]:
        counter = self.facet_counts[facet]
        counter.compact()
        names = list(self.facet_values[facet])
        out: list[list[tuple[str, int, int]]] = [[] for _ in range(n_classes)]
        if counter.keys.size == 0:
            return out
        cls, value = labels[counter.keys >> _SHIFT], counter.keys & 0xFFFFFFFF
        ok = cls >= 0
        keys, inv = np.unique((cls[ok] << _SHIFT) | value[ok], return_inverse=True)
        items = np.bincount(inv, weights=counter.counts[ok], minlength=keys.size)
        scls = labels[counter.sup_keys >> _SHIFT]
        sok = scls >= 0
        skeys, _ = capped_sets((scls[sok] << _SHIFT) | (counter.sup_keys[sok] & 0xFFFFFFFF),
                               counter.sup_users[sok], self.cap)
        users = _counts_at(keys, skeys)
        for key, n_items, n_users in zip(keys, items, users, strict=True):
            out[int(key >> _SHIFT)].append((names[int(key & 0xFFFFFFFF)], int(n_items),
                                            int(n_users)))
        return out


def _counts_at(keys: np.ndarray, members: np.ndarray) -> np.ndarray:
    """For each of the sorted unique ``keys``, how many entries of the sorted ``members``
    equal it."""
    return (np.searchsorted(members, keys, side="right")
            - np.searchsorted(members, keys, side="left")).astype(np.int64)


def _grow(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` zero-padded along axis 0 to ``size`` rows."""
    if array.shape[0] >= size:
        return array
    pad = np.zeros((size - array.shape[0], *array.shape[1:]), array.dtype)
    return np.concatenate([array, pad])

"""Baselines run on the same texts and the same embeddings as Chorus.

* ``bertopic_labels``: BERTopic 0.17.4 with its defaults (UMAP 5-d, n_neighbors 15,
  min_dist 0, cosine; HDBSCAN min_cluster_size 10, eom; c-TF-IDF topic words). It is
  given the local SentenceTransformer object and the precomputed embeddings: a bare
  ``BERTopic()`` would try to reach the model hub. The one deviation from the defaults
  is ``random_state=42`` on an otherwise default UMAP, so runs repeat (BERTopic's own
  advice for reproducibility). Topic -1 is its noise/outlier topic.
  BERTopic is an optional dependency (``pip install '.[eval]'``).
* ``kmeans_labels``: scikit-learn k-means on the unit embeddings with k = the true number
  of classes (an oracle-k upper-bound-ish baseline), ``n_init=10``, seed 42.
"""

from __future__ import annotations

import importlib
import logging

import numpy as np

log = logging.getLogger(__name__)

SEED = 42


def bertopic_available() -> bool:
    try:
        importlib.import_module("bertopic")
    except ImportError:
        return False
    return True


def bertopic_labels(texts: list[str], embeddings: np.ndarray, embedding_model) -> np.ndarray:
    """BERTopic topics (n,) int, -1 outliers, for n texts with (n, d) embeddings."""
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      low_memory=False, random_state=SEED)  # BERTopic's default + a seed
    model = BERTopic(embedding_model=embedding_model, umap_model=umap_model)
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    return np.asarray(topics, dtype=np.int64)


def kmeans_labels(embeddings: np.ndarray, k: int) -> np.ndarray:
    """k-means cluster ids (n,) for (n, d) embeddings."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=SEED).fit_predict(embeddings)

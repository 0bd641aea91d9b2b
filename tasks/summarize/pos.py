"""Which candidate phrases read as noun phrases: a spaCy tagger on the phrases only.

A phrase is noun-shaped when its tags are adjectives, numbers or nouns and the last is a
noun ("date filter", "new neighbourhood"); "feedback sounding needy" or "stay bed sleep"
are not. Titles prefer noun-shaped phrases (``tasks.summarize.names``). The tagger reads
only k-backed candidate phrases (a few per cluster), never a request.
"""

from __future__ import annotations

from functools import lru_cache

NOUN = {"NOUN", "PROPN"}
MODIFIER = NOUN | {"ADJ", "NUM"}


@lru_cache(maxsize=2)
def _tagger(model: str):
    import spacy

    return spacy.load(model, exclude=["parser", "ner", "lemmatizer", "senter"])


def noun_shaped(phrases: list[str], model: str) -> dict[str, bool]:
    """phrase -> whether it is noun-shaped (all True when ``model`` is "": no tagger)."""
    if not model:
        return dict.fromkeys(phrases, True)
    out = {}
    for phrase, doc in zip(phrases, _tagger(model).pipe(phrases, batch_size=256), strict=True):
        tags = [t.pos_ for t in doc]
        out[phrase] = bool(tags) and tags[-1] in NOUN and all(t in MODIFIER for t in tags)
    return out

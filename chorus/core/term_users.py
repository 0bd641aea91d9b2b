"""How many distinct users wrote a term: ``tokens.user_support``'s count, for asked terms.

``tokens.user_support(texts, users, max_n)`` builds every 1..max_n-gram of every text to
answer any term; the release gate and its audit ask a few terms per cluster (its phrases
and the words of its name and description), of clusters that hold every row at every
level. ``TermUsers(texts, users, max_n).count(term, cap)`` answers one term, equal to
``min(cap, len(user_support(texts, users, max_n).get(term, ())))``:

* a term counts for a text when it is one of its ``words`` (one word), or a run of 2 to
  ``max_n`` consecutive ``content_words`` joined by single spaces; any other string
  (other spacing, upper case, more words) is no text's term;
* a text is read only when every word of the term is a substring of its
  ``tokens.searchable`` form (lower case, placeholders blanked): every word the tokenizer
  finds is such a substring, so the filter never drops a text that holds the term;
* counting stops at ``cap`` distinct users (the gate asks "at least k?").

Memory: one lower-cased copy of the texts, and the answers asked so far.
"""

from __future__ import annotations

from collections.abc import Sequence

from chorus.core import tokens


def _has_run(seq: list[str], run: list[str]) -> bool:
    """Whether ``run`` occurs in ``seq`` as consecutive items."""
    n = len(run)
    first = run[0]
    return any(seq[i] == first and seq[i:i + n] == run for i in range(len(seq) - n + 1))


class TermUsers:
    """Distinct users per asked term over aligned ``texts`` and ``users`` (see the module
    docstring); ``max_n`` is ``user_support``'s longest phrase."""

    def __init__(self, texts: Sequence[str], users: Sequence[str], max_n: int) -> None:
        if len(texts) != len(users):
            raise ValueError(f"{len(texts)} texts but {len(users)} users")
        self.texts, self.users, self.max_n = texts, users, max_n
        self._low: list[str] | None = None
        self._answers: dict[tuple[str, int], int] = {}

    def _lowered(self) -> list[str]:
        if self._low is None:
            self._low = [tokens.searchable(t) for t in self.texts]
        return self._low

    def count(self, term: str, cap: int) -> int:
        """Distinct users whose text holds ``term``, counted up to ``cap`` (>= 1)."""
        key = (term, cap)
        if key not in self._answers:
            self._answers[key] = self._count(term, cap)
        return self._answers[key]

    def _count(self, term: str, cap: int) -> int:
        parts = term.split(" ")
        if not term or "" in parts or (len(parts) > 1 and len(parts) > self.max_n):
            return 0
        stop = tokens.stop_words()
        if len(parts) > 1 and any(p in stop for p in parts):
            return 0  # a phrase is a run of content words only
        seen: set[str] = set()
        for i, low in enumerate(self._lowered()):
            if not all(p in low for p in parts):
                continue
            found = tokens.WORD.findall(low)
            if len(parts) == 1:
                hit = parts[0] in found
            else:
                hit = _has_run([w for w in found if w not in stop], parts)
            if hit:
                seen.add(self.users[i])
                if len(seen) >= cap:
                    break
        return len(seen)

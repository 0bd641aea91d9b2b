"""The demo's topics: which exist, how often each comes up, and which class each belongs to.

Main topics carry Zipf-like relative weights (~percent of main-topic traffic): 8 task-oriented
ones (~65%) then 12 affective ones (~35%). Tail topics are held by a handful of users each
(their count at n=2,000, scaled by ``sqrt(n / 2000)``); the heavy user's topic is one of them.
Every topic named here has a phrase bank in ``banks/topics_*.json``. Dict order is part of the
generator's output (it fixes the order of ``random.choices``), so never reorder these.
"""

from __future__ import annotations

__all__ = ["AFFECTIVE_TOPICS", "AFFECTIVE_WEIGHTS", "HEAVY_TOPIC", "MAIN_TOPICS", "MAIN_WEIGHTS",
           "REFERRAL_TOPICS", "RELIANCE_GROUPS", "TAIL_TOPICS", "TAIL_USERS_AT_2000", "TASK_SET",
           "TASK_TOPICS", "TASK_WEIGHTS"]

TASK_WEIGHTS: dict[str, float] = {
    "python debugging": 13.0, "spreadsheet formulas": 10.5, "cover letters": 9.0,
    "formal emails": 8.5, "trip planning": 8.0, "meal planning": 7.0, "maths homework": 6.0,
    "sql queries": 5.5,
}
AFFECTIVE_WEIGHTS: dict[str, float] = {
    "parenting": 5.5, "workplace communication": 4.5, "career planning": 4.0,
    "relationships": 3.5, "grief": 3.0, "sleep": 2.5, "exam stress": 2.5, "loneliness": 2.5,
    "money worries": 2.0, "health anxiety": 2.0, "moving home": 2.0, "friendship conflict": 2.0,
}
MAIN_WEIGHTS: dict[str, float] = {**TASK_WEIGHTS, **AFFECTIVE_WEIGHTS}
MAIN_TOPICS: tuple[str, ...] = tuple(MAIN_WEIGHTS)
TASK_TOPICS: tuple[str, ...] = tuple(TASK_WEIGHTS)
TASK_SET: frozenset[str] = frozenset(TASK_TOPICS)
# Users whose home is each tail topic at n=2000 (scaled by sqrt(n / 2000), at least 1).
TAIL_USERS_AT_2000: dict[str, int] = {
    "pet loss": 4, "hobby burnout": 3, "visa paperwork": 2, "neighbour noise": 2,
}
TAIL_TOPICS: tuple[str, ...] = tuple(TAIL_USERS_AT_2000)
AFFECTIVE_TOPICS: tuple[str, ...] = tuple(AFFECTIVE_WEIGHTS) + TAIL_TOPICS
# Affective topics where the assistant often points to professional or human help.
REFERRAL_TOPICS: tuple[str, ...] = ("grief", "sleep", "health anxiety", "loneliness",
                                    "relationships")
HEAVY_TOPIC = "visa paperwork"
# The heavy-reliance group: users whose conversations are all affective (home topic and the
# rest drawn from the main affective topics), as (fewest, most conversations, users at
# n=2000, scaled by n / 2000): the 4-9 and 10+ buckets of affective conversations per user.
RELIANCE_GROUPS: tuple[tuple[int, int, int], ...] = ((4, 9, 8), (10, 24, 10))

"""Synthetic AI-assistant conversations with planted PII and a ground-truth file.

``generate(n, seed)`` builds ``n`` conversations between people and an AI assistant in the
project's input contract, plus one truth record per conversation naming its topic, whether it
is affective, whether it carries concern language, an assistant referral or an assistant
boundary statement, and every PII string planted in it (verbatim). The data is shaped to
exercise the whole pipeline and the emotional-support lens (tasks.lens):

* 20 main topics with a Zipf-like skew: 8 task-oriented ones (debugging Python, spreadsheet
  formulas, SQL, cover letters, formal emails, trip planning, meal planning, maths homework;
  ~65% of main-topic traffic, largest ~12.5%) and 12 affective ones (parenting, workplace
  communication, career planning, relationships, grief, ...; ~35%, smallest ~2%). With the
  tail topics, the heavy user and the heavy-reliance group below, ~56% of conversations are
  task-oriented and ~44% affective. Real traffic is far less affective (one published
  analysis found ~3%); the demo over-represents affective use on purpose so that its topics
  are visible as clusters at n=2,000 with a k-anonymity threshold of 10 users.
* 4 affective long-tail topics held by a handful of users (their user count grows with
  ``sqrt(n / 2000)``), so some clusters fall below a k-anonymity threshold of 10 users.
* one heavy user with ``max(5, n // 50)`` conversations, all on ``"visa paperwork"``: a topic
  with many conversations but few users.
* a heavy-reliance group whose conversations are all affective (home topic ~60%, the rest
  other main affective topics; ``RELIANCE_GROUPS``): at n=2,000, 8 users with 4-9 and 10 with
  10-24 conversations (scaled by ``n / 2000``), so the per-user buckets of affective
  conversations (1, 2-3, 4-9, 10+) each hold at least 10 users.
* users with 1-8 conversations (truncated geometric, mean ~2.7), ~60% on a "home" topic.
* 2-4 user turns per conversation (10-40 words each, 40-120 in all), varied phrasing, shared
  filler, cross-topic asides and casual lowercase/typo styles (task and affective topics have
  their own filler and asides).
* lens signal: in affective conversations the last user turn often ends calmer (~55%: "thanks,
  I feel a bit better") and sometimes worse (~15%); ~3% of main affective conversations
  carry user language of acute distress (``tasks.lens.CONCERN_PATTERNS``), most of them
  (~80%) answered with a helpline or professional referral; assistant turns in grief, sleep,
  health anxiety, loneliness and relationships conversations often (~40%) point to human or
  professional help (``tasks.lens.REFERRAL_PATTERNS``), other affective topics rarely (~6%),
  task topics never. Boundary statements (``tasks.scrub.BOUNDARY_PATTERNS``: "I'm an AI, not a
  therapist", "please don't rely only on me", pushback on a harmful plan) in ~8% of ordinary
  users' affective conversations and ~35% of the heavy-reliance group's, task topics never;
  near-miss hedges ("I can't find that function", "as an AI language model, I can help")
  in ~15% of task and ~10% of affective conversations match neither lexicon.
* PII (names, emails, phones, street addresses, Luhn-valid cards, IPs, URLs) planted in user
  turns of ~35% of conversations. Phones use fictional ranges (555-01xx, Ofcom drama numbers).

Output is a pure function of ``(n, seed)``: one ``random.Random(seed)`` drives everything.

Modules: ``topics`` (topics, weights, classes), ``banks`` (the phrase banks, loaded from
``banks/*.json``), ``pii`` (personas and PII values), ``user_turns`` and ``replies`` (the two
sides of a conversation), ``generator`` (plan, truth, JSONL). Standard library and
``chorus.core`` only (an import contract).
"""

from __future__ import annotations

from chorus.demo.generator import generate, iter_generate, write_demo_data
from chorus.demo.pii import PII_TYPES
from chorus.demo.topics import (
    AFFECTIVE_TOPICS,
    HEAVY_TOPIC,
    MAIN_TOPICS,
    REFERRAL_TOPICS,
    RELIANCE_GROUPS,
    TAIL_TOPICS,
    TASK_TOPICS,
)

__all__ = ["AFFECTIVE_TOPICS", "HEAVY_TOPIC", "MAIN_TOPICS", "PII_TYPES", "REFERRAL_TOPICS",
           "RELIANCE_GROUPS", "TAIL_TOPICS", "TASK_TOPICS", "generate", "iter_generate",
           "write_demo_data"]

"""Synthetic AI-assistant conversations with planted PII and a ground-truth file.

``generate(n, seed)`` builds ``n`` conversations between people and an AI assistant in the
project's input contract, plus one truth record per conversation naming its topic, whether it
is affective, whether it carries concern language or an assistant referral, and every PII
string planted in it (verbatim). The data is shaped to exercise the whole pipeline and the
emotional-support lens (tasks.lens):

* 20 main topics with a Zipf-like skew: 8 task-oriented ones (debugging Python, spreadsheet
  formulas, SQL, cover letters, formal emails, trip planning, meal planning, maths homework;
  ~65% of main-topic traffic, largest ~12.5%) and 12 affective ones (parenting, workplace
  communication, career planning, relationships, grief, ...; ~35%, smallest ~2%). With the
  tail topics and the heavy user below, ~63% of conversations are task-oriented and ~37%
  affective. Real traffic is far less affective (one published analysis found ~3%); the demo
  over-represents affective use on purpose so that its topics are visible as clusters at
  n=2,000 with a k-anonymity threshold of 10 users.
* 4 affective long-tail topics held by a handful of users (their user count grows with
  ``sqrt(n / 2000)``), so some clusters fall below a k-anonymity threshold of 10 users.
* one heavy user with ``max(5, n // 50)`` conversations, all on ``"visa paperwork"``: a topic
  with many conversations but few users.
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
  task topics never.
* PII (names, emails, phones, street addresses, Luhn-valid cards, IPs, URLs) planted in user
  turns of ~35% of conversations. Phones use fictional ranges (555-01xx, Ofcom drama numbers).

Output is a pure function of ``(n, seed)``: one ``random.Random(seed)`` drives everything.

Modules: ``topics`` (topics, weights, classes), ``banks`` (the phrase banks, loaded from
``banks/*.json``), ``pii`` (personas and PII values), ``user_turns`` and ``replies`` (the two
sides of a conversation), ``generator`` (plan, truth, JSONL). Standard library and
``chorus.core`` only (an import contract).
"""

from __future__ import annotations

from chorus.demo.generator import generate, write_demo_data
from chorus.demo.pii import PII_TYPES
from chorus.demo.topics import (
    AFFECTIVE_TOPICS,
    HEAVY_TOPIC,
    MAIN_TOPICS,
    REFERRAL_TOPICS,
    TAIL_TOPICS,
    TASK_TOPICS,
)

__all__ = ["AFFECTIVE_TOPICS", "HEAVY_TOPIC", "MAIN_TOPICS", "PII_TYPES", "REFERRAL_TOPICS",
           "TAIL_TOPICS", "TASK_TOPICS", "generate", "write_demo_data"]

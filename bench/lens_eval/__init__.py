"""Evaluate the emotional-support lens (tasks.lens) on public data, offline.

    python -m bench.lens_eval [--n 2000] [--seed 0] [--seeds 5] [--cache-dir DIR]
                              [--no-demo] [--only boundary|reliance|held_out]

Data and splits: ``bench/lens_data.py`` (read in place from ``../shared/data``, never
copied). The affective model is fit on the ``training`` split and its threshold chosen on
the ``calibration`` split by ``python -m bench.lens_fit``; this package reads only the
``evaluation`` split (ESConv test, SGD second half, BANKING77 test) and the held-out
checks. One module per part:

* ``mixes``: affective share 3%, 10% and 30%; ``--n`` conversations per mix, but never
  more affective ones than the 195 ESConv test chats (so 10% uses 195 of 1,950 and 30%
  195 of 650); task items half SGD, half BANKING77; seeded samples. Each mix goes through
  ``tasks.lens.lens_facets`` with the pool's precomputed request vectors. Per mix: true
  share, estimated share (the share flagged), adjusted share (``adjusted_share``),
  precision, recall, concern and referral shares; the spread of the same over
  ``--seeds`` resamples; seconds per part of the lens on one mix.
* ``held_out``: sets nothing was fit on: DailyDialog test (everyday chit-chat; flagged
  share, by topic), CLINC150 test (task queries; its train split is in training) and the
  Chorus demo data (``chorus.demo.generate(2000, 0)``; precision/recall against its
  truth's ``affective``, and the flagged share per demo topic).
* ``sentiment``: Spearman correlation, over all ESConv chats with a seeker survey
  (nothing is fit on it), between the lens's sentiment shift and the seeker's own
  improvement, ``survey_score.seeker.initial_emotion_intensity -
  final_emotion_intensity`` (1-5 scale, strings in the file); also per ESConv split and
  for the first-vs-last-turn variant.
* ``boundary``: the boundary flag (``tasks.scrub.boundary_flags``, regex on the
  assistant turns; nothing is fit): precision and recall against the demo truth's
  ``boundary`` (``generate(2000, s)`` for s in ``DEMO_SEEDS``), and the false-positive
  rate, per assistant turn and per conversation, on ESConv supporter turns and SGD
  system turns, where boundary statements should be near zero (with the count of each
  pattern that fired; names, never text). Reported separately for the part looked at
  while writing the patterns (``dev``: ESConv train, SGD first half) and the rest
  (``eval``: ESConv valid + test, SGD second half).
* ``reliance``: per user, the number of affective conversations, in the buckets of
  ``chorus.core.release.RELIANCE_BUCKETS`` (1, 2-3, 4-9, 10+; users with none skipped),
  from the lens's predicted ``affective`` flags vs the demo truth, on the same demo
  seeds: users per bucket and each bucket's relative error.
* ``demo``: the demo seeds and what the parts above read of them; ``cli``: the options,
  the results files and the printout.

``--only boundary`` / ``--only reliance`` / ``--only held_out`` runs just those parts and
merges them into the existing ``bench/results/lens.json`` (other keys kept, ``latest.json``
untouched).

Writes ``bench/results/lens.json`` (everything) and merges ``{"mixes": [{mix, true_share,
estimated_share, precision, recall}], "sentiment": {n, spearman}}`` into
``bench/results/latest.json`` under ``lens`` (other keys kept). Prints counts and
scores only, never text.
"""

from bench.lens_eval.boundary import false_positive_rates, flag_scores
from bench.lens_eval.cli import LATEST, RESULTS, main
from bench.lens_eval.demo import DEMO_SEEDS, HELD_OUT_DEMO_SEED
from bench.lens_eval.mixes import MIXES, share_errors
from bench.lens_eval.reliance import relative_errors, reliance_bucket, reliance_counts
from bench.lens_eval.sentiment import spearman

__all__ = ["DEMO_SEEDS", "HELD_OUT_DEMO_SEED", "LATEST", "MIXES", "RESULTS",
           "false_positive_rates", "flag_scores", "main", "relative_errors",
           "reliance_bucket", "reliance_counts", "share_errors", "spearman"]

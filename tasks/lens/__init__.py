"""The emotional-support lens: affective use, sentiment trajectory, concern, referral.

Four per-conversation facets, all computed offline and in memory (issue 5):

* **affective** (``affective.py``, ``model.py``, ``prototypes.py``): the person engages
  for emotional or psychological needs (interpersonal advice, coaching, counselling,
  companionship) rather than to get a task done. The request's embedding (the embed
  stage's vector: nothing is embedded twice) is scored by a small fitted model shipped
  as JSON (``LensSettings.affective_model``, written by ``python -m bench.lens_fit``): a
  logistic regression on the embedding plus a fixed weight times the zero-shot prototype
  margin, (mean cosine to the k nearest hand-written affective prototypes) - (the same
  for the task prototypes). It was fit on a training split only (ESConv train, SGD,
  BANKING77 and CLINC150 training parts, the prototype sentences) and its threshold
  chosen on a separate calibration split (``bench/lens_data.py``). With another embedder
  the prototype margin scores alone. ``affective = affective_score >=
  LensSettings.threshold``.
* **sentiment** (``sentiment.py``): VADER compound score (-1..1) at the start and at the
  end (mean of the first / last two substantive user turns: pure greetings and thanks
  are skipped), and the shift (end - start).
* **concern** (``concern.py``): signs of acute distress or crisis (self-harm, suicidal
  language) in the user's turns; a conservative regex lexicon (``CONCERN_PATTERNS``)
  that leaves idioms such as "this bug is killing me" or "I could kill for a coffee"
  alone.
* **referral**: the assistant's turns point the person to professional or human help
  (therapist, counsellor, doctor/GP, helpline, crisis line, trusted friends or family);
  a regex lexicon (``tasks.scrub.REFERRAL_PATTERNS``) over assistant messages, computed
  by the scrub stage and only carried through here.

Input of ``lens_facets`` (``frame.py``; the facets stage's frame; any extra columns are
kept)::

    user_turns List(Utf8)          the user's scrubbed messages in order (required)
    request Utf8                   what the embed stage embedded (required; built by
                                   tasks.facets)
    referral Boolean               computed by tasks.scrub from the raw assistant turns,
                                   which never leave the scrub stage (optional: without it
                                   ``referral`` is null)

Output adds::

    affective_score Float32   the fitted model's logit (or the shifted prototype margin
                              where no model applies; see affective_scores)
    affective Boolean         affective_score >= settings.threshold
    sentiment_start Float32   mean VADER compound of the first 2 substantive user turns
    sentiment_end Float32     the same of the last 2 (0, 0 when no user turn)
    sentiment_shift Float32   sentiment_end - sentiment_start
    concern Boolean           a CONCERN_PATTERNS match in any user turn
    referral Boolean          kept from the input: a REFERRAL_PATTERNS match in any
                              assistant turn (tasks.scrub); null when the input lacks it

The stage (``stage.py``) keeps ``LENS_COLUMNS`` of that frame as ``RunData.lens``,
row-aligned with ``RunData.facets``.

Privacy: these functions read text and return numbers and booleans only. They never
log, store or raise with text (errors pass through ``text_safe_errors``); logs carry
counts only.
"""

# chorus (offline environment defaults) must load before Prefect: the modules above
# stage import chorus.core first; stage, sorted last, imports Prefect.
from tasks.lens.affective import (
    affective_scores,
    clear_prototype_cache,
    model_scores_from_vectors,
    prototype_vectors,
    scores_from_vectors,
)
from tasks.lens.concern import CONCERN_PATTERNS, concern_flags
from tasks.lens.frame import LENS_COLUMNS, lens_counts, lens_facets
from tasks.lens.model import MODEL_FORMAT, AffectiveModel, applicable_model, load_affective_model
from tasks.lens.prototypes import AFFECTIVE_PROTOTYPES, TASK_PROTOTYPES, prototype_fingerprint
from tasks.lens.sentiment import SENTIMENT_WINDOW, compound, sentiment_trajectory
from tasks.lens.stage import lens_stage, lens_task

__all__ = [
    "AFFECTIVE_PROTOTYPES", "CONCERN_PATTERNS", "LENS_COLUMNS", "MODEL_FORMAT",
    "SENTIMENT_WINDOW", "TASK_PROTOTYPES", "AffectiveModel", "affective_scores",
    "applicable_model", "clear_prototype_cache", "compound", "concern_flags",
    "lens_counts", "lens_facets", "lens_stage", "lens_task", "load_affective_model",
    "model_scores_from_vectors", "prototype_fingerprint", "prototype_vectors",
    "scores_from_vectors", "sentiment_trajectory",
]

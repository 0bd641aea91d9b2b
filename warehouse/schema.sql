-- Chorus analyst warehouse (DuckDB). Created and migrated by the flow (tasks/store.py).
--
-- What an analyst may read. It holds no conversation id, no user id and no conversation
-- text: only aggregates that passed the release gate (tasks/release/), where every
-- published cluster, facet row and PII-type count is backed by at least
-- runs.min_users distinct users and runs.min_conversations conversations.
-- Per-conversation data (cluster assignments, embeddings) lives in the private store,
-- warehouse/private/chorus_private.duckdb, which analysts do not get.
--
-- Keys (documented, not declared: a run is replaced by DELETE + INSERT in one
-- transaction): runs(run_id); clusters(run_id, cluster_id); cluster_phrases(run_id,
-- cluster_id, rank); cluster_facets(run_id, cluster_id, facet, value);
-- run_facets(run_id, facet, value); pii_counts(run_id, entity_type).
--
-- Every write builds a new copy of this file and swaps it in atomically (tasks/store.py,
-- chorus/core/duckdb_files.py): open it read-only; a connection sees the snapshot it
-- opened, never half a run, and sees later runs once every connection to the file in
-- its process is closed and a new one opened.
--
-- runs.status, a run's life:
--   'running'    written when the flow starts (counts NULL); its process holds the run's
--                liveness lock (warehouse/chorus.duckdb.runs/) until the final row
--   'succeeded'  published
--   'blocked'    the release audit found a blocking problem: nothing but runs,
--                quarantine and release_findings is written
--   'failed'     a stage raised; error names the exception type
--   'abandoned'  was 'running' when its process died (killed, crashed, power loss):
--                the next run's start finds nobody holding its lock, sets this status
--                and finished_at, and deletes its private assignments

CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR NOT NULL,   -- given by the operator or generated (UTC time + suffix)
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,   -- 'running' | 'succeeded' | 'blocked' | 'failed'
                                            -- | 'abandoned' (see above)
    error               VARCHAR,            -- exception type and a text-free message, on failure
    config_hash         VARCHAR,            -- sha256 of the effective config (JSON, sorted keys)
    chorus_version      VARCHAR,
    embed_model         VARCHAR,            -- the embedding model; 'backend:model' unless sentence-transformers
    min_users           INTEGER,            -- k: distinct users behind every published row
    min_conversations   INTEGER,
    n_read              BIGINT,             -- records read = accepted + quarantined
    n_accepted          BIGINT,
    n_quarantined       BIGINT,
    n_noise             BIGINT,             -- accepted conversations in no base cluster (HDBSCAN -1)
    n_noise_reassigned  BIGINT,             -- noise moved to a cluster by the configured rule
    n_published         INTEGER,            -- clusters published, all levels, 'other' rows excluded
    n_suppressed        INTEGER,            -- clusters withheld, all levels
    seconds             DOUBLE,
    dp_epsilon          DOUBLE,             -- DP budget spent by this run; NULL: DP off
    dp_delta            DOUBLE,
    -- The emotional-support lens (tasks/lens.py). The run's conversations split into
    -- affective and task-oriented; published only when BOTH groups have >= min_users users
    -- and >= min_conversations conversations, else NULL (also NULL: lens off, DP on,
    -- blocked run).
    n_affective              BIGINT,    -- affective conversations (affective_score >= lens.threshold)
    n_affective_users        BIGINT,    -- distinct users with an affective conversation
    affective_share          DOUBLE,    -- n_affective / n_accepted (the facet's raw share)
    affective_share_adjusted DOUBLE     -- the share corrected for the facet's calibrated
                                        -- error rates: (share - fpr) / (tpr - fpr), in [0, 1]
);
-- Databases created before the DP and lens columns existed get them here.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS dp_epsilon DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS dp_delta DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS n_affective BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS n_affective_users BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS affective_share DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS affective_share_adjusted DOUBLE;
-- The optional LLM backend's accounting (tasks/llm/, [llm]); NULL when it is off.
--   llm_model, llm_mode      the model name sent; 'published' | 'scrubbed_samples'
--   llm_calls                HTTP requests sent, retries included (naming + auditing)
--   llm_prompt_tokens, llm_completion_tokens   the server's usage, or a conservative
--                            estimate (3 bytes per token) where it reported none
--   llm_seconds              wall time of the LLM requests
--   llm_failures             failed calls: 429, 5xx, timeouts, malformed answers, ...
--   llm_fallbacks            clusters that kept their offline name (no valid answer,
--                            budget exhausted, or the LLM's name failed the word rule or
--                            the PII check)
--   llm_named                clusters named by the LLM (before the gate)
--   llm_audited              published strings the privacy auditor rated
--   llm_budget_exhausted     the run's token budget refused a request
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_model VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_mode VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_calls BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_prompt_tokens BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_completion_tokens BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_seconds DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_failures BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_fallbacks BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_named BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_audited BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS llm_budget_exhausted BOOLEAN;
-- The period this run covers (cluster.period, e.g. '2026-11'; an operator's label, never
-- data), NULL for a run in no period. Periods never overlap: a run is refused when
-- another published period run counted any of its conversations or has the same label
-- (PRIVACY.md, item 9). Only runs with a period appear in cluster_trends.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS period VARCHAR;

CREATE TABLE IF NOT EXISTS clusters (
    run_id          VARCHAR NOT NULL,
    cluster_id      INTEGER NOT NULL,   -- dense per run: by level (top first), then size
    level           INTEGER NOT NULL,   -- 0 = base clusters; higher = coarser parents
    parent_id       INTEGER,            -- NULL at the top level
    kind            VARCHAR NOT NULL,   -- 'cluster' | 'other' (suppressed clusters counted together)
    name            VARCHAR,            -- NULL when no phrase met the k-user rule
    description     VARCHAR,
    n_conversations BIGINT,             -- NULL only under DP without a conversation budget
    n_users         BIGINT NOT NULL,    -- distinct users; under DP a noisy count
    share           DOUBLE,             -- n_conversations / runs.n_accepted (NULL with it)
    mean_sentiment_shift DOUBLE         -- lens: mean over the row's conversations (the
                                        -- 'other' rows too) of the user's sentiment at
                                        -- the end minus at the start (VADER compound,
                                        -- -2..2; 0 for one user turn); NULL: lens off or DP
);
ALTER TABLE clusters ADD COLUMN IF NOT EXISTS mean_sentiment_shift DOUBLE;
-- The map position of a published cluster (tasks/release/layout.py, `chorus explore`):
-- PCA to 2-D of the published clusters' centroids (unit mean embedding of the members),
-- fit on the published clusters of this run only, scaled to [-1, 1]; stable for a run,
-- not comparable across runs. NULL for 'other' rows and under DP.
ALTER TABLE clusters ADD COLUMN IF NOT EXISTS x DOUBLE;
ALTER TABLE clusters ADD COLUMN IF NOT EXISTS y DOUBLE;
-- A published cluster's topic across runs (tasks/cluster/topics.py): the same key in
-- two runs means the later run's cluster was matched to the earlier one (centroid
-- cosine, one-to-one per level, against the previous full run) or assigned to it
-- (chorus run --assign-to). An opaque hash; NULL for 'other' rows and runs that kept no
-- topic state.
ALTER TABLE clusters ADD COLUMN IF NOT EXISTS topic_key VARCHAR;
-- Databases created when DP always published conversation counts.
ALTER TABLE clusters ALTER COLUMN n_conversations DROP NOT NULL;
ALTER TABLE clusters ALTER COLUMN share DROP NOT NULL;

CREATE TABLE IF NOT EXISTS cluster_phrases (
    run_id     VARCHAR NOT NULL,
    cluster_id INTEGER NOT NULL,
    rank       INTEGER NOT NULL,        -- 1 = most representative (MMR order)
    phrase     VARCHAR NOT NULL,        -- used by >= min_users distinct users of the cluster
    score      DOUBLE NOT NULL          -- class-based TF-IDF weight
);

-- Facet rows of every published row ('other' rows too). Within a row they partition its
-- conversations; across levels a parent shows a value only when every child shows it
-- or has none (affective: see tasks/release/facet_rows.py), so parent minus children is 0.
CREATE TABLE IF NOT EXISTS cluster_facets (
    run_id          VARCHAR NOT NULL,
    cluster_id      INTEGER NOT NULL,
    facet           VARCHAR NOT NULL,   -- 'language' | 'turns_bucket' | lens facets:
                                        -- 'affective' | 'outcome' | 'support_path' |
                                        -- 'boundary' | 'boundary_concern' | 'reliance'
    value           VARCHAR NOT NULL,   -- e.g. 'en', '2-3'; 'other' = values too small to show.
                                        -- affective: 'affective' | 'task'
                                        -- outcome: 'better' | 'same' | 'worse' (sentiment
                                        --   shift beyond +/- lens.outcome_margin), over the
                                        --   cluster's conversations with >= 2 user turns
                                        --   (they sum to n_conversations minus the
                                        --   turns_bucket '1' row)
                                        -- support_path: 'no concern' | 'concern, referred' |
                                        --   'concern, not referred' (concern: signs of acute
                                        --   distress; referred: the assistant pointed to
                                        --   professional or human help), only at levels
                                        --   >= lens.concern_min_level
                                        -- boundary: 'boundary' | 'no boundary' over the
                                        --   cluster's affective conversations (the
                                        --   assistant set a boundary; tasks/scrub), levels
                                        --   >= lens.concern_min_level, only with the
                                        --   'affective' row; boundary_concern: the same over
                                        --   its affective conversations with concern
                                        -- reliance (top level only): a range of buckets
                                        --   of a user's affective conversations in the
                                        --   cluster ('1', '2-3', '4-9', '10+', or merged:
                                        --   '2-9', '4+', ...); n_users = affective users
                                        --   in the range, n_conversations = their
                                        --   affective conversations in the cluster; a
                                        --   partition of the 'affective' row
    n_conversations BIGINT NOT NULL,
    n_users         BIGINT NOT NULL,
    median_user_turns DOUBLE,           -- 'affective' facet, 'affective' / 'task' rows only:
                                        -- the median over the group's users of each user's
                                        -- median user turns (each user counts once; to 0.5)
    median_user_chars DOUBLE            -- the same of user characters (to the nearest 10)
);
ALTER TABLE cluster_facets ADD COLUMN IF NOT EXISTS median_user_turns DOUBLE;
ALTER TABLE cluster_facets ADD COLUMN IF NOT EXISTS median_user_chars DOUBLE;

-- The run's own rows (no cluster), written only when runs.n_affective is published:
-- facet 'affective' ('affective' | 'task': the run's two groups, with medians as in
-- cluster_facets) and 'reliance' (the run's histogram: every affective user of the run
-- in exactly one range, by their affective conversations in the run; the ranges sum to
-- runs.n_affective_users and runs.n_affective). Every row >= k users and conversations.
CREATE TABLE IF NOT EXISTS run_facets (
    run_id            VARCHAR NOT NULL,
    facet             VARCHAR NOT NULL,
    value             VARCHAR NOT NULL,
    n_conversations   BIGINT NOT NULL,
    n_users           BIGINT NOT NULL,
    median_user_turns DOUBLE,
    median_user_chars DOUBLE
);

CREATE TABLE IF NOT EXISTS pii_counts (
    run_id          VARCHAR NOT NULL,
    entity_type     VARCHAR NOT NULL,   -- Presidio entity type replaced by the scrubber
    n_entities      BIGINT NOT NULL,
    n_conversations BIGINT NOT NULL,
    n_users         BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id  VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,           -- input file
    record  BIGINT NOT NULL,            -- 1-based line (JSONL) or 0-based row (Parquet)
    reason  VARCHAR NOT NULL            -- names fields and types, never values
);

-- Seconds and items per stage of a run (flows/pipeline.py; counts only). Key: (run_id,
-- stage). phase 'map': a map stage (ingest, scrub, facets, embed, lens) summed over the
-- chunks this run computed (chunks), so seconds add up across worker processes; phase
-- 'wall': stage 'map', the map phase's wall time (plan to the last chunk stored), items
-- = records read by the chunks computed now, chunks = all the run's chunks,
-- chunks_reused = those found in the chunk store, workers = local processes (NULL on
-- Dask); phase 'global': gather and each global stage, items = accepted conversations.
-- The store stage writes this table and is not in it.
CREATE TABLE IF NOT EXISTS run_stages (
    run_id        VARCHAR NOT NULL,
    stage         VARCHAR NOT NULL,
    phase         VARCHAR NOT NULL,     -- 'map' | 'wall' | 'global'
    seconds       DOUBLE,
    items         BIGINT,
    chunks        INTEGER,
    chunks_reused INTEGER,
    workers       INTEGER
);

-- What the release audit (tasks/release/audit.py) found in a run's published strings. A blocking
-- finding marks the run 'blocked' and nothing of it is written to the tables above.
CREATE TABLE IF NOT EXISTS release_findings (
    run_id      VARCHAR NOT NULL,
    location    VARCHAR NOT NULL,       -- e.g. 'clusters[12].name', 'cluster_phrases[12#3]'
    "check"     VARCHAR NOT NULL,       -- 'pii' | 'k_support' | 'llm_privacy' (the LLM auditor)
    entity_type VARCHAR,                -- for 'pii': the analyzer's type; never the value
                                        -- for 'llm_privacy': 'RATING_<1-5>' (below
                                        -- llm.audit_threshold) or 'UNRATED'
    blocking    BOOLEAN NOT NULL
);

CREATE OR REPLACE VIEW latest_run AS
    SELECT * FROM runs WHERE status = 'succeeded'
    ORDER BY finished_at DESC, run_id DESC LIMIT 1;

CREATE OR REPLACE VIEW latest_clusters AS
    SELECT c.* FROM clusters c JOIN latest_run r USING (run_id);

-- One row per published cluster with its path from the top, e.g.
-- 'Work, manager, boss > Manager, meetings > Feedback, review'. sort_key orders a
-- depth-first walk (children by size, the 'other' row last).
CREATE OR REPLACE VIEW cluster_tree AS
WITH RECURSIVE tree AS (
    SELECT run_id, cluster_id, parent_id, level, kind, name, n_conversations, n_users, share,
           0 AS depth,
           coalesce(name, '(unnamed)') AS path,
           lpad(cluster_id::VARCHAR, 6, '0') AS sort_key
    FROM clusters WHERE parent_id IS NULL
    UNION ALL
    SELECT c.run_id, c.cluster_id, c.parent_id, c.level, c.kind, c.name, c.n_conversations,
           c.n_users, c.share, t.depth + 1,
           t.path || ' > ' || coalesce(c.name, '(unnamed)'),
           t.sort_key || '.' || lpad(c.cluster_id::VARCHAR, 6, '0')
    FROM clusters c JOIN tree t ON c.run_id = t.run_id AND c.parent_id = t.cluster_id
)
SELECT * FROM tree;

-- The emotional-support lens per published cluster of every run (kind = 'cluster'), from
-- the lens's cluster_facets rows. A share is NULL when the gate withheld the rows it
-- needs (a value folded into 'other'), when the lens was off or DP was on.
--   n_affective                  affective conversations of the cluster ('affective' row)
--   affective_share              n_affective / n_conversations
--   share_better, share_worse    'better' / 'worse' rows over the outcome rows' total
--                                (the cluster's conversations with >= 2 user turns)
--   concern_rate                 1 - 'no concern' / support_path total
--   referral_rate_among_concern  'concern, referred' / concern-flagged conversations
--   run_affective_share, run_affective_share_adjusted   the run's, on every row
CREATE OR REPLACE VIEW cluster_support AS
WITH f AS (
    SELECT run_id, cluster_id,
        sum(n_conversations) FILTER (WHERE facet = 'affective') AS aff_total,
        max(n_conversations) FILTER (WHERE facet = 'affective' AND value = 'affective') AS aff,
        bool_or(facet = 'affective' AND value = 'other') AS aff_other,
        sum(n_conversations) FILTER (WHERE facet = 'outcome') AS out_total,
        max(n_conversations) FILTER (WHERE facet = 'outcome' AND value = 'better') AS better,
        max(n_conversations) FILTER (WHERE facet = 'outcome' AND value = 'worse') AS worse,
        bool_or(facet = 'outcome' AND value = 'other') AS out_other,
        sum(n_conversations) FILTER (WHERE facet = 'support_path') AS sp_total,
        max(n_conversations) FILTER (WHERE facet = 'support_path' AND value = 'no concern')
            AS no_concern,
        max(n_conversations) FILTER (WHERE facet = 'support_path'
                                     AND value = 'concern, referred') AS referred,
        bool_or(facet = 'support_path' AND value = 'other') AS sp_other
    FROM cluster_facets
    WHERE facet IN ('affective', 'outcome', 'support_path')
    GROUP BY run_id, cluster_id
), g AS (
    SELECT *,
        -- a value absent from a partition with no 'other' row is exactly 0
        CASE WHEN aff IS NOT NULL THEN aff WHEN aff_total IS NOT NULL AND NOT aff_other
             THEN 0 END AS n_aff,
        CASE WHEN no_concern IS NOT NULL THEN sp_total - no_concern
             WHEN sp_total IS NOT NULL AND NOT sp_other THEN sp_total END AS n_concern
    FROM f
)
SELECT c.run_id, c.level, c.cluster_id, c.parent_id, c.name, c.n_conversations, c.n_users,
       g.n_aff AS n_affective,
       g.n_aff / c.n_conversations AS affective_share,
       c.mean_sentiment_shift,
       CASE WHEN g.better IS NOT NULL THEN g.better / g.out_total
            WHEN g.out_total IS NOT NULL AND NOT g.out_other THEN 0.0 END AS share_better,
       CASE WHEN g.worse IS NOT NULL THEN g.worse / g.out_total
            WHEN g.out_total IS NOT NULL AND NOT g.out_other THEN 0.0 END AS share_worse,
       g.n_concern / g.sp_total AS concern_rate,
       CASE WHEN g.n_concern > 0 AND g.referred IS NOT NULL THEN g.referred / g.n_concern
            WHEN g.n_concern > 0 AND NOT g.sp_other THEN 0.0 END
           AS referral_rate_among_concern,
       r.affective_share AS run_affective_share,
       r.affective_share_adjusted AS run_affective_share_adjusted
FROM clusters c
JOIN runs r USING (run_id)
LEFT JOIN g USING (run_id, cluster_id)
WHERE c.kind = 'cluster';

-- The article's questions for the latest succeeded run, one row per published cluster
-- (columns as in cluster_support; see README "The warehouse").
CREATE OR REPLACE VIEW support_overview AS
    SELECT s.* FROM cluster_support s JOIN latest_run l USING (run_id);

-- Reliance, depth and boundaries per published cluster of every run (kind = 'cluster'),
-- from the gate's rows (cluster_facets, run_facets); NULL where the gate withheld them,
-- the lens was off or DP was on (see README "The warehouse", PRIVACY.md "Reliance").
--   n_affective_users            distinct users of the cluster's 'affective' row
--   reliance                     the top-level cluster's histogram, 'range: users' in
--                                order, e.g. '1: 40, 2-3: 12, 4+: 10'
--   median_turns_affective, median_turns_task, median_chars_affective, median_chars_task
--                                median user turns / user characters of the cluster's
--                                affective and task conversations (each user counts once)
--   boundary_rate                'boundary' over the boundary rows' total (the cluster's
--                                affective conversations), levels >= lens.concern_min_level
--   boundary_rate_among_concern  the same over its affective conversations with concern
--   run_reliance, run_median_turns_affective, run_median_turns_task,
--   run_median_chars_affective, run_median_chars_task   the run's, on every row
CREATE OR REPLACE VIEW cluster_reliance AS
WITH f AS (
    SELECT run_id, cluster_id,
        max(n_users) FILTER (WHERE facet = 'affective' AND value = 'affective') AS aff_users,
        max(median_user_turns) FILTER (WHERE facet = 'affective' AND value = 'affective')
            AS turns_aff,
        max(median_user_turns) FILTER (WHERE facet = 'affective' AND value = 'task')
            AS turns_task,
        max(median_user_chars) FILTER (WHERE facet = 'affective' AND value = 'affective')
            AS chars_aff,
        max(median_user_chars) FILTER (WHERE facet = 'affective' AND value = 'task')
            AS chars_task,
        string_agg(value || ': ' || n_users, ', '
                   ORDER BY try_cast(regexp_extract(value, '^[0-9]+') AS INTEGER))
            FILTER (WHERE facet = 'reliance') AS reliance,
        sum(n_conversations) FILTER (WHERE facet = 'boundary') AS b_total,
        max(n_conversations) FILTER (WHERE facet = 'boundary' AND value = 'boundary') AS b_yes,
        bool_or(facet = 'boundary' AND value = 'other') AS b_other,
        sum(n_conversations) FILTER (WHERE facet = 'boundary_concern') AS bc_total,
        max(n_conversations) FILTER (WHERE facet = 'boundary_concern' AND value = 'boundary')
            AS bc_yes,
        bool_or(facet = 'boundary_concern' AND value = 'other') AS bc_other
    FROM cluster_facets
    WHERE facet IN ('affective', 'reliance', 'boundary', 'boundary_concern')
    GROUP BY run_id, cluster_id
), r AS (
    SELECT run_id,
        string_agg(value || ': ' || n_users, ', '
                   ORDER BY try_cast(regexp_extract(value, '^[0-9]+') AS INTEGER))
            FILTER (WHERE facet = 'reliance') AS run_reliance,
        max(median_user_turns) FILTER (WHERE facet = 'affective' AND value = 'affective')
            AS run_median_turns_affective,
        max(median_user_turns) FILTER (WHERE facet = 'affective' AND value = 'task')
            AS run_median_turns_task,
        max(median_user_chars) FILTER (WHERE facet = 'affective' AND value = 'affective')
            AS run_median_chars_affective,
        max(median_user_chars) FILTER (WHERE facet = 'affective' AND value = 'task')
            AS run_median_chars_task
    FROM run_facets
    GROUP BY run_id
)
SELECT c.run_id, c.level, c.cluster_id, c.parent_id, c.name, c.n_conversations, c.n_users,
       f.aff_users AS n_affective_users, f.reliance,
       f.turns_aff AS median_turns_affective, f.turns_task AS median_turns_task,
       f.chars_aff AS median_chars_affective, f.chars_task AS median_chars_task,
       -- a value absent from a partition with no 'other' row is exactly 0
       CASE WHEN f.b_yes IS NOT NULL THEN f.b_yes / f.b_total
            WHEN f.b_total IS NOT NULL AND NOT f.b_other THEN 0.0 END AS boundary_rate,
       CASE WHEN f.bc_yes IS NOT NULL THEN f.bc_yes / f.bc_total
            WHEN f.bc_total IS NOT NULL AND NOT f.bc_other THEN 0.0 END
           AS boundary_rate_among_concern,
       r.run_reliance, r.run_median_turns_affective, r.run_median_turns_task,
       r.run_median_chars_affective, r.run_median_chars_task
FROM clusters c
LEFT JOIN f USING (run_id, cluster_id)
LEFT JOIN r USING (run_id)
WHERE c.kind = 'cluster';

-- Reliance, depth and boundaries for the latest succeeded run, one row per published
-- cluster (columns as in cluster_reliance).
CREATE OR REPLACE VIEW reliance_overview AS
    SELECT s.* FROM cluster_reliance s JOIN latest_run l USING (run_id);

-- Each topic's published numbers per run period: one row per published cluster (kind =
-- 'cluster') with a topic_key of a succeeded run with a period. Only published rows
-- count: a topic suppressed in a period has no row there (not a zero). Periods are
-- disjoint sets of conversations, so no difference of two rows is a group the gate did
-- not check (PRIVACY.md, item 9). n_users is distinct within a period only: summing it
-- over periods counts a returning user once per period.
--   period              runs.period, the period's label
--   period_started_at   runs.started_at: the periods' order
--   period_conversations  runs.n_accepted: the period's conversations
--   share               n_conversations / period_conversations (as clusters.share)
CREATE OR REPLACE VIEW cluster_trends AS
    SELECT c.topic_key, c.level, r.period, c.run_id, r.started_at AS period_started_at,
           c.cluster_id, c.name, c.n_users, c.n_conversations,
           r.n_accepted AS period_conversations, c.share
    FROM clusters c JOIN runs r USING (run_id)
    WHERE r.status = 'succeeded' AND r.period IS NOT NULL AND c.kind = 'cluster'
      AND c.topic_key IS NOT NULL;

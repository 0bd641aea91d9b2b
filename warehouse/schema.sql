-- Chorus analyst warehouse (DuckDB). Created and migrated by the flow (tasks/store.py).
--
-- What an analyst may read. It holds no conversation id, no user id and no conversation
-- text: only aggregates that passed the release gate (tasks/suppress.py), where every
-- published cluster, facet row and PII-type count is backed by at least
-- runs.min_users distinct users and runs.min_conversations conversations.
-- Per-conversation data (cluster assignments, embeddings) lives in the private store,
-- warehouse/private/chorus_private.duckdb, which analysts do not get.
--
-- Keys (documented, not declared: a run is replaced by DELETE + INSERT in one
-- transaction): runs(run_id); clusters(run_id, cluster_id); cluster_phrases(run_id,
-- cluster_id, rank); cluster_facets(run_id, cluster_id, facet, value);
-- pii_counts(run_id, entity_type).

CREATE TABLE IF NOT EXISTS runs (
    run_id              VARCHAR NOT NULL,   -- given by the operator or generated (UTC time + suffix)
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    status              VARCHAR NOT NULL,   -- 'succeeded' | 'blocked' (audit) | 'failed'
    error               VARCHAR,            -- exception type and a text-free message, on failure
    config_hash         VARCHAR,            -- sha256 of the effective config (JSON, sorted keys)
    chorus_version      VARCHAR,
    embed_model         VARCHAR,
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
    dp_delta            DOUBLE
);
-- Databases created before the DP columns existed get them here.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS dp_epsilon DOUBLE;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS dp_delta DOUBLE;

CREATE TABLE IF NOT EXISTS clusters (
    run_id          VARCHAR NOT NULL,
    cluster_id      INTEGER NOT NULL,   -- dense per run: by level (top first), then size
    level           INTEGER NOT NULL,   -- 0 = base clusters; higher = coarser parents
    parent_id       INTEGER,            -- NULL at the top level
    kind            VARCHAR NOT NULL,   -- 'cluster' | 'other' (suppressed clusters counted together)
    name            VARCHAR,            -- NULL when no phrase met the k-user rule
    description     VARCHAR,
    n_conversations BIGINT NOT NULL,
    n_users         BIGINT NOT NULL,
    share           DOUBLE NOT NULL     -- n_conversations / runs.n_accepted
);

CREATE TABLE IF NOT EXISTS cluster_phrases (
    run_id     VARCHAR NOT NULL,
    cluster_id INTEGER NOT NULL,
    rank       INTEGER NOT NULL,        -- 1 = most representative (MMR order)
    phrase     VARCHAR NOT NULL,        -- used by >= min_users distinct users of the cluster
    score      DOUBLE NOT NULL          -- class-based TF-IDF weight
);

CREATE TABLE IF NOT EXISTS cluster_facets (
    run_id          VARCHAR NOT NULL,
    cluster_id      INTEGER NOT NULL,
    facet           VARCHAR NOT NULL,   -- 'language' | 'turns_bucket'
    value           VARCHAR NOT NULL,   -- e.g. 'en', '2-3'; 'other' = values too small to show
    n_conversations BIGINT NOT NULL,
    n_users         BIGINT NOT NULL
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

-- What the release audit (tasks/audit.py) found in a run's published strings. A blocking
-- finding marks the run 'blocked' and nothing of it is written to the tables above.
CREATE TABLE IF NOT EXISTS release_findings (
    run_id      VARCHAR NOT NULL,
    location    VARCHAR NOT NULL,       -- e.g. 'clusters[12].name', 'cluster_phrases[12#3]'
    "check"     VARCHAR NOT NULL,       -- 'pii' | 'k_support'
    entity_type VARCHAR,                -- for 'pii': the analyzer's type; never the value
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

-- memory-router records on PostgreSQL (fleet backend, io.memroos.memory.fleet.PgMemoryStore / PgGraphStore).
-- The same tables as the SQLite schema (db/migration/V1__memory.sql). Times are epoch milliseconds (BIGINT);
-- '' stands for "no user/session" in keys; metadata and properties are JSONB.
-- This folder is deliberately NOT under db/migration: Flyway scans locations recursively, and the SQLite
-- migrations live directly in db/migration.

CREATE TABLE facts (
    n              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    agent_id       TEXT    NOT NULL,
    user_id        TEXT    NOT NULL DEFAULT '',
    session_id     TEXT    NOT NULL DEFAULT '',
    text           TEXT    NOT NULL,
    norm_hash      TEXT    NOT NULL,
    metadata       JSONB   NOT NULL DEFAULT '{}',
    embedding      BYTEA,
    version        INTEGER NOT NULL,
    active         BOOLEAN NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    invalidated_at BIGINT,
    seq            BIGINT  NOT NULL
);
-- exact duplicates fold: one active fact per normalized text per scope
CREATE UNIQUE INDEX facts_dedupe ON facts (agent_id, user_id, session_id, norm_hash) WHERE active;
CREATE INDEX facts_seq ON facts (seq);
CREATE INDEX facts_scope ON facts (agent_id, user_id, n);
-- the change counter: drawn under a transaction advisory lock, so seq order is commit order
CREATE SEQUENCE fact_seq;

CREATE TABLE fact_versions (
    fact_id  TEXT    NOT NULL REFERENCES facts (id),
    version  INTEGER NOT NULL,
    change   TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    metadata JSONB   NOT NULL,
    actor    TEXT    NOT NULL,
    reason   TEXT,
    at       BIGINT  NOT NULL,
    valid_to BIGINT,
    PRIMARY KEY (fact_id, version, change)
);

CREATE TABLE episodes (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         TEXT   NOT NULL UNIQUE,
    agent_id   TEXT   NOT NULL,
    user_id    TEXT   NOT NULL DEFAULT '',
    session_id TEXT   NOT NULL DEFAULT '',
    role       TEXT   NOT NULL,
    content    TEXT   NOT NULL,
    metadata   JSONB  NOT NULL DEFAULT '{}',
    at         BIGINT NOT NULL,
    fact_id    TEXT,
    tsv        tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
);
CREATE INDEX episodes_scope ON episodes (agent_id, user_id, session_id, seq);
CREATE INDEX episodes_fact ON episodes (fact_id);
CREATE INDEX episodes_tsv ON episodes USING GIN (tsv);

CREATE TABLE entities (
    id             TEXT   PRIMARY KEY,
    agent_id       TEXT   NOT NULL,
    user_id        TEXT   NOT NULL DEFAULT '',
    name           TEXT   NOT NULL,
    name_norm      TEXT   NOT NULL,
    type           TEXT,
    properties     JSONB  NOT NULL DEFAULT '{}',
    created_at     BIGINT NOT NULL,
    invalidated_at BIGINT,
    UNIQUE (agent_id, user_id, name_norm)
);

CREATE TABLE relations (
    id             TEXT   PRIMARY KEY,
    agent_id       TEXT   NOT NULL,
    user_id        TEXT   NOT NULL DEFAULT '',
    from_id        TEXT   NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    type           TEXT   NOT NULL,
    to_id          TEXT   NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    valid_from     BIGINT,
    valid_to       BIGINT,
    recorded_at    BIGINT NOT NULL,
    invalidated_at BIGINT,
    properties     JSONB  NOT NULL DEFAULT '{}'
);
CREATE INDEX relations_from ON relations (agent_id, user_id, from_id);
CREATE INDEX relations_to ON relations (agent_id, user_id, to_id);

CREATE TABLE jobs (
    id          TEXT    PRIMARY KEY,
    agent_id    TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    items       INTEGER NOT NULL,
    ids         JSONB   NOT NULL DEFAULT '[]',
    error       TEXT,
    created_at  BIGINT  NOT NULL,
    finished_at BIGINT
);

-- the transactional outbox of memory receipts (shape of io.memroos.contract.outbox.Dialect.POSTGRESQL)
CREATE TABLE IF NOT EXISTS outbox (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     TEXT   NOT NULL UNIQUE,
    payload      TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    delivered_at BIGINT,
    parked_at    BIGINT,
    error        TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_at IS NULL AND parked_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;

-- memory-router records (SQLite). Times are epoch milliseconds. '' stands for "no user/session" in keys.

CREATE TABLE facts (
    n              INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    agent_id       TEXT    NOT NULL,
    user_id        TEXT    NOT NULL DEFAULT '',
    session_id     TEXT    NOT NULL DEFAULT '',
    text           TEXT    NOT NULL,
    norm_hash      TEXT    NOT NULL,
    metadata       TEXT    NOT NULL DEFAULT '{}',
    embedding      BLOB,
    version        INTEGER NOT NULL,
    active         INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    invalidated_at INTEGER,
    seq            INTEGER NOT NULL
);
-- exact duplicates fold: one active fact per normalized text per scope
CREATE UNIQUE INDEX facts_dedupe ON facts (agent_id, user_id, session_id, norm_hash) WHERE active = 1;
CREATE INDEX facts_seq ON facts (seq);
CREATE INDEX facts_scope ON facts (agent_id, user_id, n);

CREATE TABLE fact_versions (
    fact_id  TEXT    NOT NULL REFERENCES facts (id),
    version  INTEGER NOT NULL,
    change   TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    metadata TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    reason   TEXT,
    at       INTEGER NOT NULL,
    valid_to INTEGER,
    PRIMARY KEY (fact_id, version, change)
);

CREATE TABLE episodes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    agent_id   TEXT    NOT NULL,
    user_id    TEXT    NOT NULL DEFAULT '',
    session_id TEXT    NOT NULL DEFAULT '',
    role       TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    metadata   TEXT    NOT NULL DEFAULT '{}',
    at         INTEGER NOT NULL,
    fact_id    TEXT
);
CREATE INDEX episodes_scope ON episodes (agent_id, user_id, session_id, seq);
CREATE INDEX episodes_fact ON episodes (fact_id);
CREATE VIRTUAL TABLE episodes_fts USING fts5 (content, tokenize = 'porter unicode61');

CREATE TABLE entities (
    id             TEXT    PRIMARY KEY,
    agent_id       TEXT    NOT NULL,
    user_id        TEXT    NOT NULL DEFAULT '',
    name           TEXT    NOT NULL,
    name_norm      TEXT    NOT NULL,
    type           TEXT,
    properties     TEXT    NOT NULL DEFAULT '{}',
    created_at     INTEGER NOT NULL,
    invalidated_at INTEGER,
    UNIQUE (agent_id, user_id, name_norm)
);

CREATE TABLE relations (
    id             TEXT    PRIMARY KEY,
    agent_id       TEXT    NOT NULL,
    user_id        TEXT    NOT NULL DEFAULT '',
    from_id        TEXT    NOT NULL REFERENCES entities (id),
    type           TEXT    NOT NULL,
    to_id          TEXT    NOT NULL REFERENCES entities (id),
    valid_from     INTEGER,
    valid_to       INTEGER,
    recorded_at    INTEGER NOT NULL,
    invalidated_at INTEGER,
    properties     TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX relations_from ON relations (agent_id, user_id, from_id);
CREATE INDEX relations_to ON relations (agent_id, user_id, to_id);

CREATE TABLE jobs (
    id          TEXT    PRIMARY KEY,
    agent_id    TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    items       INTEGER NOT NULL,
    ids         TEXT    NOT NULL DEFAULT '[]',
    error       TEXT,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
);

-- the transactional outbox of memory receipts (shape of io.memroos.contract.outbox.Dialect.SQLITE)
CREATE TABLE IF NOT EXISTS outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT    NOT NULL UNIQUE,
    payload      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    delivered_at INTEGER,
    parked_at    INTEGER,
    error        TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_at IS NULL AND parked_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;

-- The audit chain: one row per event, seq contiguous from 1; hash = SHA-256 of the canonical event (docs/governance.md).
CREATE TABLE audit_events (
    seq         BIGINT PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    type        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    asset_type  TEXT,
    asset_id    TEXT,
    purpose     TEXT,
    label       TEXT,
    data        TEXT NOT NULL,
    prev_hash   TEXT,
    hash        TEXT NOT NULL,
    agent_id    TEXT,
    task_id     TEXT
);
CREATE INDEX audit_actor ON audit_events (actor, seq);
CREATE INDEX audit_agent ON audit_events (agent_id, seq);
CREATE INDEX audit_task ON audit_events (task_id, seq);
CREATE INDEX audit_type ON audit_events (type, seq);
CREATE INDEX audit_asset ON audit_events (asset_type, asset_id, seq);
CREATE INDEX audit_time ON audit_events (recorded_at);

CREATE TABLE checkpoints (
    seq         BIGINT PRIMARY KEY,
    from_seq    BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    merkle_root TEXT NOT NULL,
    time        TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    signature   TEXT NOT NULL
);

CREATE TABLE records (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    agent_id      TEXT,
    task_id       TEXT,
    at            TEXT NOT NULL,
    day           TEXT NOT NULL,
    event_seq     BIGINT NOT NULL,
    model         TEXT,
    provider      TEXT,
    tool          TEXT,
    outcome       TEXT,
    input_tokens  BIGINT,
    output_tokens BIGINT,
    latency_ms    BIGINT,
    cost          DOUBLE PRECISION,
    data          TEXT NOT NULL
);
CREATE INDEX records_kind ON records (kind, event_seq);
CREATE INDEX records_agent ON records (kind, agent_id, event_seq);
CREATE INDEX records_day ON records (kind, day);

CREATE TABLE policy_versions (
    version    BIGINT PRIMARY KEY,
    policies   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    comment    TEXT
);

CREATE TABLE asset_labels (
    asset_type     TEXT NOT NULL,
    asset_id       TEXT NOT NULL,
    explicit_label TEXT,
    label          TEXT,
    derived_from   TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL,
    PRIMARY KEY (asset_type, asset_id)
);
CREATE TABLE asset_sources (
    asset_type  TEXT NOT NULL,
    asset_id    TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source_id   TEXT NOT NULL,
    PRIMARY KEY (asset_type, asset_id, source_type, source_id)
);
CREATE INDEX asset_sources_by_source ON asset_sources (source_type, source_id);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

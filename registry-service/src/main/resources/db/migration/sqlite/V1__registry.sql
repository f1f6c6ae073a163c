-- Registry schema for the embedded SQLite store. Times are epoch milliseconds.
CREATE TABLE agents (
    id                TEXT    NOT NULL PRIMARY KEY,
    name              TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    owner             TEXT    NOT NULL,
    capabilities      TEXT    NOT NULL,
    skills            TEXT    NOT NULL,
    endpoint_kind     TEXT    NOT NULL,
    endpoint_url      TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    source            TEXT    NOT NULL,
    card_url          TEXT,
    last_heartbeat_at INTEGER,
    last_seen_at      INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX agents_active_name ON agents (name) WHERE status = 'active';

CREATE TABLE agent_capabilities (
    agent_id   TEXT NOT NULL REFERENCES agents (id),
    capability TEXT NOT NULL,
    PRIMARY KEY (agent_id, capability)
);
CREATE INDEX agent_capabilities_capability ON agent_capabilities (capability);

CREATE TABLE agent_keys (
    id           TEXT    NOT NULL PRIMARY KEY,
    agent_id     TEXT    NOT NULL REFERENCES agents (id),
    prefix       TEXT    NOT NULL UNIQUE,
    key_hash     TEXT    NOT NULL,
    label        TEXT,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at   INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX agent_keys_agent ON agent_keys (agent_id);

CREATE TABLE heartbeats (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agent_id    TEXT    NOT NULL REFERENCES agents (id),
    received_at INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    load_factor REAL,
    version     TEXT,
    metrics     TEXT    NOT NULL
);
CREATE INDEX heartbeats_agent ON heartbeats (agent_id, id);

CREATE TABLE remote_agents (
    agent_id              TEXT    NOT NULL PRIMARY KEY REFERENCES agents (id),
    card_url              TEXT    NOT NULL,
    poll_interval_seconds INTEGER NOT NULL,
    enabled               INTEGER NOT NULL,
    etag                  TEXT,
    last_fetched_at       INTEGER,
    last_success_at       INTEGER,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    last_error            TEXT,
    card_json             TEXT
);
CREATE INDEX remote_agents_card_url ON remote_agents (card_url);

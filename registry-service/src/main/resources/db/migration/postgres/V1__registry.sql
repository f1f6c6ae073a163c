-- Registry schema for the PostgreSQL store. Times are epoch milliseconds.
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
    last_heartbeat_at BIGINT,
    last_seen_at      BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT  NOT NULL
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
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX agent_keys_agent ON agent_keys (agent_id);

CREATE TABLE heartbeats (
    id          BIGSERIAL PRIMARY KEY,
    agent_id    TEXT    NOT NULL REFERENCES agents (id),
    received_at BIGINT NOT NULL,
    status      TEXT    NOT NULL,
    load_factor DOUBLE PRECISION,
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
    last_fetched_at       BIGINT,
    last_success_at       BIGINT,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    last_error            TEXT,
    card_json             TEXT
);
CREATE INDEX remote_agents_card_url ON remote_agents (card_url);

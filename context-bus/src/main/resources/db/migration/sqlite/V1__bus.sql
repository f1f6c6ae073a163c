-- context-bus store (SQLite, WAL). Times are epoch milliseconds.
CREATE TABLE messages (
    pos             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    sender          TEXT    NOT NULL,
    recipients      TEXT    NOT NULL,           -- space-separated agent ids
    thread_id       TEXT    NOT NULL,
    reply_to        TEXT,
    subject         TEXT,
    body_kind       TEXT    NOT NULL,           -- text | json
    body            TEXT    NOT NULL,
    priority        INTEGER NOT NULL,
    label           TEXT    NOT NULL,
    idempotency_key TEXT,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT,
    UNIQUE (sender, idempotency_key)
);
CREATE INDEX messages_thread ON messages (thread_id, pos);

-- One row per recipient of a message. state: 0 pending (ready or in flight), 1 acked, 2 dead.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,                -- the dead-letter id shown to operators
    message_id   TEXT    NOT NULL REFERENCES messages (id),
    recipient    TEXT    NOT NULL,
    seq          BIGINT  NOT NULL,
    priority     INTEGER NOT NULL,
    state        INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    visible_at   BIGINT  NOT NULL,
    expires_at   BIGINT,
    receipt      TEXT,
    created_at   BIGINT  NOT NULL,
    delivered_at BIGINT,
    acked_at     BIGINT,
    dead_at      BIGINT,
    reason       TEXT,
    UNIQUE (recipient, message_id)
);
CREATE INDEX deliveries_claim ON deliveries (recipient, state, priority DESC, seq);
CREATE INDEX deliveries_retry ON deliveries (visible_at) WHERE state = 0 AND attempts > 0;
CREATE INDEX deliveries_expiry ON deliveries (expires_at) WHERE state = 0 AND expires_at IS NOT NULL;
CREATE INDEX deliveries_dead ON deliveries (dead_at, id) WHERE state = 2;

-- Per-agent counters: the sequence of the last enqueued delivery, unacknowledged and dead counts.
CREATE TABLE inboxes (
    agent_id TEXT   PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    pending  BIGINT NOT NULL,
    dead     BIGINT NOT NULL
);

CREATE TABLE subscriptions (
    agent_id   TEXT    PRIMARY KEY,
    url        TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);

-- Transactional outbox: written with the change it reports; published_at set by the relay.
CREATE TABLE outbox (
    position     INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL,                  -- random event id (evt_...)
    type         TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    asset        TEXT    NOT NULL,
    occurred_at  BIGINT  NOT NULL,
    payload      TEXT    NOT NULL,
    published_at BIGINT
);

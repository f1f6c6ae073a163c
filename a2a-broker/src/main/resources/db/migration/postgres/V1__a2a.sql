CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    context_id      TEXT NOT NULL,
    caller          TEXT NOT NULL,
    target_agent    TEXT NOT NULL,
    target_kind     TEXT NOT NULL,
    remote_task_id  TEXT,
    state           TEXT NOT NULL,
    task_json       TEXT NOT NULL,
    last_seq        BIGINT NOT NULL,
    pending_json    TEXT,
    pending_mode    TEXT,
    next_attempt_at BIGINT,
    deliver_by      BIGINT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX tasks_list ON tasks (created_at, id);
CREATE INDEX tasks_context ON tasks (context_id);
CREATE INDEX tasks_pending ON tasks (next_attempt_at);

CREATE TABLE task_events (
    task_id     TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    event_json  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE push_configs (
    task_id     TEXT NOT NULL,
    id          TEXT NOT NULL,
    config_json TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (task_id, id)
);

CREATE TABLE push_outbox (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL,
    config_id   TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT NOT NULL,
    last_error  TEXT
);
CREATE INDEX push_outbox_due ON push_outbox (next_at);

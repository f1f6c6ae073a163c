-- The governance outbox (docs/outbox.md): audit events written in the same transaction as the task change
-- they report; the relay sends them to governance (POST /internal/events) and marks them delivered.
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

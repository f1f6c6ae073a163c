-- The transactional outbox (docs/outbox.md): events for governance, written in the same transaction as
-- the registry write they describe, sent by the relay. Same DDL as io.memroos.contract.outbox.Dialect.POSTGRESQL.
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

-- The outbox is relayed to governance (docs/outbox.md, docs/context-bus.md "Governance events"):
-- published_at is the delivery mark; parked_at/error set aside an event governance refused on its own.
ALTER TABLE outbox ADD COLUMN parked_at BIGINT;
ALTER TABLE outbox ADD COLUMN error TEXT;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (position) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Operator console sessions. Only the SHA-256 of the session id is stored.
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

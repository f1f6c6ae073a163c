package io.memroos.contract.outbox;

import java.util.List;

/** The databases the outbox table is defined for. */
public enum Dialect {

    SQLITE(List.of(
            """
            CREATE TABLE IF NOT EXISTS outbox (
                seq          INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id     TEXT    NOT NULL UNIQUE,
                payload      TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                delivered_at INTEGER,
                parked_at    INTEGER,
                error        TEXT
            )""",
            "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_at IS NULL AND parked_at IS NULL",
            "CREATE INDEX IF NOT EXISTS outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL")),

    POSTGRESQL(List.of(
            """
            CREATE TABLE IF NOT EXISTS outbox (
                seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                event_id     TEXT   NOT NULL UNIQUE,
                payload      TEXT   NOT NULL,
                created_at   BIGINT NOT NULL,
                delivered_at BIGINT,
                parked_at    BIGINT,
                error        TEXT
            )""",
            "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE delivered_at IS NULL AND parked_at IS NULL",
            "CREATE INDEX IF NOT EXISTS outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL"));

    private final List<String> ddl;

    Dialect(List<String> ddl) {
        this.ddl = ddl;
    }

    /** The statements that create the table and its indexes (idempotent), to run or to copy into a migration. */
    public List<String> ddl() {
        return ddl;
    }

    /** The DDL as one script, statements ended by {@code ;}. */
    public String script() {
        return String.join(";\n", ddl) + ";\n";
    }
}

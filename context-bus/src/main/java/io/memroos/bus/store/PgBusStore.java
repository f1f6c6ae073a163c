package io.memroos.bus.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.memroos.contract.sql.Tx;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The fleet store: PostgreSQL. Each unit of work is its own transaction; concurrent claimers of one inbox
 * skip each other's rows ({@code FOR UPDATE SKIP LOCKED}), and the per-inbox counter row serialises the
 * sequence numbers of one recipient.
 */
public final class PgBusStore extends SqlBusStore implements AutoCloseable {

    private final AgroalDataSource dataSource;

    PgBusStore(AgroalDataSource dataSource, ObjectMapper json) {
        super(json);
        this.dataSource = dataSource;
    }

    @Override
    <T> T write(Function<Tx, T> work) {
        try (Connection c = dataSource.getConnection(); Tx tx = new Tx(c, true)) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(tx);
                c.commit();
                return result;
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL store failed: " + e.getMessage(), e);
        }
    }

    @Override
    <T> T read(Function<Tx, T> work) {
        try (Connection c = dataSource.getConnection(); Tx tx = new Tx(c, true)) {
            return work.apply(tx);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL store failed: " + e.getMessage(), e);
        }
    }

    @Override
    String claimLock() {
        return " FOR UPDATE OF d SKIP LOCKED";
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

package io.memroos.governance.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.memroos.contract.sql.Tx;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/** The PostgreSQL store: pooled connections, one transaction per write. */
public final class PgGovernanceStore extends SqlGovernanceStore implements AutoCloseable {

    private final AgroalDataSource dataSource;

    PgGovernanceStore(AgroalDataSource dataSource, ObjectMapper json) {
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
            } catch (RuntimeException e) {
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
    public void close() {
        dataSource.close();
    }
}

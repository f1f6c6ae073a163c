package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The fleet store: PostgreSQL through the reactive client. Calls block the (worker) thread until the
 * database answers, so the domain stays synchronous.
 */
public final class PgTaskStore extends SqlTaskStore {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final Duration timeout;

    public PgTaskStore(Pool pool, ObjectMapper json, Duration timeout) {
        super(json);
        this.pool = pool;
        this.timeout = timeout;
    }

    @Override
    Sql sql() {
        return on(pool);
    }

    @Override
    String lockClause() {
        return " FOR UPDATE";
    }

    @Override
    <T> T transaction(Function<Sql, T> work) {
        SqlConnection connection = await(pool.getConnection());
        try {
            Transaction tx = await(connection.begin());
            try {
                T result = work.apply(on(connection));
                await(tx.commit());
                return result;
            } catch (RuntimeException e) {
                try {
                    await(tx.rollback());
                } catch (RuntimeException ignored) {
                    // the original failure matters more
                }
                throw e;
            }
        } finally {
            connection.close();
        }
    }

    private Sql on(SqlClient client) {
        return new Sql() {
            @Override
            public List<Map<String, Object>> query(String sql, Object... params) {
                RowSet<Row> rows = await(client.preparedQuery(dollars(sql)).execute(Tuple.wrap(list(params))));
                List<Map<String, Object>> out = new ArrayList<>();
                for (Row row : rows) {
                    Map<String, Object> map = new HashMap<>();
                    for (int i = 0; i < row.size(); i++) {
                        map.put(row.getColumnName(i).toLowerCase(Locale.ROOT), row.getValue(i));
                    }
                    out.add(map);
                }
                return out;
            }

            @Override
            public int update(String sql, Object... params) {
                return await(client.preparedQuery(dollars(sql)).execute(Tuple.wrap(list(params)))).rowCount();
            }
        };
    }

    private static List<Object> list(Object... params) {
        List<Object> out = new ArrayList<>(params.length);
        for (Object p : params) {
            out.add(p);
        }
        return out;
    }

    /** Rewrites positional {@code ?} to PostgreSQL's {@code $n}; our SQL has no {@code ?} inside literals. */
    static String dollars(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '?') {
                out.append('$').append(++n);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for PostgreSQL", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("PostgreSQL did not answer within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                throw new Sql.UniqueViolation(pg.getMessage(), pg);
            }
            if (cause instanceof RuntimeException re && cause instanceof io.memroos.a2a.domain.A2aException) {
                throw re;
            }
            throw new IllegalStateException("PostgreSQL store failed: " + cause.getMessage(), cause);
        }
    }

    public void close() {
        await(pool.close());
    }
}

package io.memroos.a2a.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.a2a.domain.Caller;
import io.memroos.a2a.domain.Change;
import io.memroos.a2a.domain.TaskRecord;
import io.memroos.a2a.domain.TaskState;
import io.memroos.a2a.store.SqliteTaskStore;
import io.memroos.contract.outbox.OutboxEvent;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Not a test: what the audit events cost the blocking SendMessage path in the SQLite store, run by hand. Each
 * iteration is the path's two write transactions (task + first event; the agent's answer: row + events + state
 * change), without and with their audit events (one outbox INSERT in each), in alternating rounds on one file.
 *
 * <pre>
 * mvn -o -q -pl a2a-broker test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp a2a-broker/target/test-classes:a2a-broker/target/classes:$(cat a2a-broker/target/cp.txt) \
 *     io.memroos.a2a.broker.AuditCostProbe 3000 6
 * </pre>
 */
public final class AuditCostProbe {

    /** {@code -Dprobe.one-transaction=true}: the path as a blocking send to a new task runs it now (one create). */
    private static final boolean ONE_TRANSACTION = Boolean.getBoolean("probe.one-transaction");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path dir = Path.of("a2a-broker", "target", "probe");
        Files.createDirectories(dir);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("audit-" + System.nanoTime() + ".db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
        SqliteTaskStore store = new SqliteTaskStore(ds, new ObjectMapper());
        Caller caller = Caller.agent("agt_bench_caller");
        String taskJson = "{\"id\":\"x\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"},\"history\":[{\"parts\":[{\"text\":"
                + "\"echo bench\"}]}]}";
        String event = "{\"statusUpdate\":{\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}";
        run(store, caller, taskJson, event, Math.max(200, n / 5), false); // warm-up, both paths
        run(store, caller, taskJson, event, Math.max(200, n / 5), true);
        double[] sum = new double[2];
        for (int r = 0; r < rounds; r++) {
            boolean audited = r % 2 == 1;
            double perSec = run(store, caller, taskJson, event, n, audited);
            sum[audited ? 1 : 0] += perSec;
            System.out.printf("round %d %-13s %7.0f sends/s (2 write transactions each)%n", r + 1,
                    audited ? "with audit" : "without audit", perSec);
        }
        double without = sum[0] / ((rounds + 1) / 2);
        double with = sum[1] / (rounds / 2);
        System.out.printf("mean: without %.0f/s, with audit %.0f/s: %.1f%% of the store throughput (%.1f us per send "
                + "added)%n", without, with, 100 * with / without, 1e6 / with - 1e6 / without);
        System.out.printf("outbox rows pending: %d%n", store.outbox().countPending());
    }

    private static double run(SqliteTaskStore store, Caller caller, String taskJson, String event, int n,
                              boolean audited) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Instant now = Instant.now();
            String id = UUID.randomUUID().toString();
            TaskRecord t = new TaskRecord(id, "ctx-" + id, caller.id(), "agt_bench", "a2a", null,
                    TaskState.SUBMITTED, taskJson, 0, "{\"message\":{}}", "send", now.plusSeconds(60),
                    now.plusSeconds(600), 0, now, now);
            List<OutboxEvent> created = audited ? List.of(Audit.created(caller, t, "agent", new Via("JSONRPC", "1.0")))
                    : List.of();
            if (ONE_TRANSACTION) { // the blocking send of a new task today: one create with the answer applied
                Change c = new Change(t.with(TaskState.COMPLETED, taskJson, Instant.now()).withRemoteTaskId("r-" + id)
                        .delivered(), List.of(event, event));
                List<OutboxEvent> all = new java.util.ArrayList<>(created);
                if (audited) {
                    all.add(Audit.state("agent:agt_bench", t, TaskState.COMPLETED, Instant.now()));
                }
                store.create(c.next(), List.of("{\"task\":" + taskJson + "}", event, event), all);
                continue;
            }
            store.create(t, List.of("{\"task\":" + taskJson + "}"), created);
            store.update(id, cur -> {
                Change c = new Change(cur.with(TaskState.COMPLETED, taskJson, Instant.now()).withRemoteTaskId("r-" + id)
                        .delivered(), List.of(event, event));
                return audited ? c.withAudit(Audit.state("agent:agt_bench", cur, TaskState.COMPLETED, Instant.now()))
                        : c;
            });
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}

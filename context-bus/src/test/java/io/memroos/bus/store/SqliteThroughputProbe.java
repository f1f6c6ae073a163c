package io.memroos.bus.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.Delivery;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Not a test: a quick probe of the SQLite store alone (send, claim, ack). Run by hand. */
public class SqliteThroughputProbe {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of("target", "probe");
        Files.createDirectories(dir);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("p-" + System.nanoTime() + ".db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
        SqliteBusStore store = new SqliteBusStore(ds, new ObjectMapper(), 256);
        BusStoreContractTest.class.getName();
        int n = Integer.parseInt(a.length > 0 ? a[0] : "5000");
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.send(BusStoreContractTest.message("a", List.of("b"), "m" + i, 5, null, java.time.Instant.now()), 1_000_000, "a");
                List<Delivery> d = store.claim("b", 10, BusStoreContractTest.POLICY, Long.MAX_VALUE, java.time.Instant.now(), "b");
                store.ack("b", d.stream().map(x -> new BusStore.AckRequest(x.message().id(), x.receipt())).collect(Collectors.toList()),
                        java.time.Instant.now(), "b");
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d send+claim+ack in %.2fs = %.0f msg/s%n", n, s, n / s);
        }
        store.close();
    }
}

package io.memroos.governance.api;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.memroos.governance.api.Api.agentRegistered;
import static io.memroos.governance.api.Api.asOperator;
import static io.memroos.governance.api.Api.asService;
import static io.memroos.governance.api.Api.batch;
import static org.hamcrest.Matchers.equalTo;

/**
 * The running service's own SQLite file is edited with plain JDBC between two calls; GET /api/audit/verify names
 * the edited event; the row is put back and the chain verifies again.
 */
@QuarkusTest
class LiveTamperTest {

    @ConfigProperty(name = "memroos.data-dir")
    String dataDir;

    @Test
    void verifyNamesARowEditedInTheStoreFile() throws Exception {
        String agent = Api.agent();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(agentRegistered(agent));
        }
        asService().body(batch(events)).post("/internal/events").then().statusCode(200);
        asOperator().get("/api/audit/verify").then().statusCode(200).body("ok", equalTo(true));
        int seq = asOperator().queryParam("assetId", agent).get("/api/audit").then().statusCode(200)
                .extract().path("items[4].seq");
        String id = asOperator().queryParam("assetId", agent).get("/api/audit").then().extract().path("items[4].id");
        String url = "jdbc:sqlite:" + Path.of(dataDir, "governance.db");
        String original;
        try (Connection c = DriverManager.getConnection(url)) {
            try (PreparedStatement st = c.prepareStatement("SELECT actor FROM audit_events WHERE seq = ?")) {
                st.setInt(1, seq);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    original = rs.getString(1);
                }
            }
            update(c, "agent:intruder", seq);
        }
        try {
            asOperator().get("/api/audit/verify").then().statusCode(200)
                    .body("ok", equalTo(false))
                    .body("failure", equalTo("hash-mismatch"))
                    .body("seq", equalTo(seq))
                    .body("eventId", equalTo(id));
            asOperator().get("/api/audit/status").then().statusCode(200)
                    .body("lastVerify", org.hamcrest.Matchers.startsWith("failed:hash-mismatch:" + seq));
        } finally {
            try (Connection c = DriverManager.getConnection(url)) {
                update(c, original, seq);
            }
        }
        asOperator().get("/api/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    private static void update(Connection c, String actor, int seq) throws Exception {
        try (PreparedStatement st = c.prepareStatement("UPDATE audit_events SET actor = ? WHERE seq = ?")) {
            st.setString(1, actor);
            st.setInt(2, seq);
            st.executeUpdate();
        }
    }
}

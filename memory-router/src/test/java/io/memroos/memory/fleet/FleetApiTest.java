package io.memroos.memory.fleet;

import io.memroos.memory.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole router on the fleet backends, selected by configuration only: records (and receipts) in a fresh
 * PostgreSQL schema, the graph in a real Neo4j (in-process, reached over Bolt), vectors and keywords in Lucene
 * (Qdrant needs a server this machine cannot run: its suite runs when QDRANT_URL is set). Driven through the
 * HTTP API; the rows and nodes are then looked up in PostgreSQL and Neo4j themselves.
 */
@QuarkusTest
@TestProfile(FleetApiTest.Fleet.class)
class FleetApiTest {

    static final String SCHEMA = "memapi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    public static class Fleet implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Servers.class));
        }
    }

    /** PostgreSQL schema + in-process Neo4j for the app; both gone afterwards. */
    public static class Servers implements QuarkusTestResourceLifecycleManager {
        static volatile String boltUri;
        private IsolatedNeo4j neo4j;

        @Override
        public Map<String, String> start() {
            try {
                neo4j = IsolatedNeo4j.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            boltUri = neo4j.boltUri().toString();
            return Map.of("memroos.memory.store", "postgres",
                    "memroos.memory.postgres.url", PgFixture.URL,
                    "memroos.memory.postgres.user", PgFixture.USER,
                    "memroos.memory.postgres.schema", SCHEMA,
                    "memroos.memory.postgres.pool-size", "4",
                    "memroos.memory.graph", "neo4j",
                    "memroos.memory.neo4j.uri", boltUri);
        }

        @Override
        public void stop() {
            try {
                if (neo4j != null) {
                    neo4j.close();
                }
                try (Connection c = DriverManager.getConnection("jdbc:" + PgFixture.URL, PgFixture.USER, null);
                     Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static RequestSpecification asAgent(String id) {
        return RestAssured.given().auth().oauth2(TestTokens.agent(id)).contentType(ContentType.JSON);
    }

    private static long pgCount(String sql, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:" + PgFixture.URL + "?currentSchema=" + SCHEMA,
                PgFixture.USER, null); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void memoriesGraphAndRecallRunOnPostgresAndNeo4j() throws Exception {
        String a = "agt_" + TestTokens.unique();
        String id = asAgent(a).body(Map.of("userId", "u1", "text", "Maria Lopez moved to Lyon for her new job."))
                .post("/api/memory").then().statusCode(200).extract().path("results[0].id");
        assertEquals(1, pgCount("SELECT COUNT(*) FROM facts WHERE agent_id = ?", a), "the fact is a PostgreSQL row");
        assertEquals(1, pgCount("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%' || ? || '%'", id),
                "its receipt is in the PostgreSQL outbox");

        asAgent(a).body(Map.of("userId", "u1", "name", "Maria Lopez", "type", "person")).post("/api/memory/graph/entities")
                .then().statusCode(200);
        asAgent(a).body(Map.of("userId", "u1", "name", "Lyon", "type", "city")).post("/api/memory/graph/entities")
                .then().statusCode(200);
        asAgent(a).body(Map.of("userId", "u1", "from", "Maria Lopez", "type", "lives_in", "to", "Lyon"))
                .post("/api/memory/graph/relations").then().statusCode(201).body("type", equalTo("lives_in"));
        try (Driver driver = GraphDatabase.driver(Servers.boltUri, AuthTokens.none()); Session s = driver.session()) {
            assertEquals(2, s.run("MATCH (e:MemEntity {agentId: $a, userId: 'u1'}) RETURN count(e) AS n",
                    Map.of("a", a)).single().get("n").asLong(), "entities are Neo4j nodes");
            assertEquals(1, s.run("MATCH (:MemEntity)-[r:MEM_RELATES {agentId: $a}]->(:MemEntity) RETURN count(r) AS n",
                    Map.of("a", a)).single().get("n").asLong(), "the relation is a Neo4j relationship");
        }
        assertEquals(0, pgCount("SELECT COUNT(*) FROM entities WHERE agent_id = ?", a), "not in PostgreSQL");

        asAgent(a).body(Map.of("userId", "u1", "query", "Where does Maria Lopez live?", "explain", true))
                .post("/api/recall").then().statusCode(200).body("results.id", hasItem(id));
        // another agent's recall never sees it
        asAgent("agt_" + TestTokens.unique()).body(Map.of("query", "Where does Maria Lopez live?"))
                .post("/api/recall").then().statusCode(200).body("results.size()", equalTo(0));
    }
}

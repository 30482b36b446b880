package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import dev.patchbay.billing.Ledger;
import dev.patchbay.config.ConfigLoader;
import dev.patchbay.sip.SipEdge;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A node killed mid-call (SIGKILL, no shutdown of any kind) and started again on the same
 * PostgreSQL database: the call's open segment is closed at its last heartbeat, charged once, and
 * a second restart charges nothing more. The node runs as a child JVM so that the kill is real.
 */
class NodeKillTest {

    private static final String NODE_ID = "node-that-dies";

    @Test
    void a_node_killed_mid_call_loses_no_usage_and_bills_none_twice() throws Exception {
        String dbUrl = TestStore.POSTGRES.freshUrl();
        Path dataDir = Files.createTempDirectory("patchbay-kill");
        Map<String, String> settings = new HashMap<>(Map.of(
                "PATCHBAY_DB_URL", dbUrl, "PATCHBAY_DB_USER", TestStore.POSTGRES.user(), "PATCHBAY_NODE_ID", NODE_ID,
                "PATCHBAY_DATA_DIR", dataDir.toString(), "PATCHBAY_PLAN_APPLICATION", "{\"price\": \"0.60\"}",
                "PATCHBAY_BILLING_HEARTBEAT_SECONDS", "1"));
        Account acme;
        try (AppServer app = new AppServer(); TestPhone phone = new TestPhone()) {
            app.twiml("/voice", "<Response><Say>Hold on.</Say><Pause length=\"600\"/></Response>");
            try (Patchbay setup = Patchbay.open(ConfigLoader.load(Optional.empty(), settings), Clock.systemUTC())) {
                acme = setup.accounts().create("Acme");
                setup.numbers().create(acme, "+14155550100", n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/voice")))));
            }
            Process node = startNodeProcess(settings, dataDir);
            try {
                phone.call("+14155550100", Integer.parseInt(settings.get("PATCHBAY_SIP_PORT"))).awaitAnswered();
                String callSid = app.next("/voice").param("CallSid");
                awaitHeartbeatAfter(dbUrl, callSid, 2_000);   // two seconds of usage known to the store
            } finally {
                node.destroyForcibly();   // SIGKILL: no BYE, no segment close, no rating
                node.waitFor();
            }
        }

        long heartbeat;
        long started;
        String callSid;
        try (Connection c = DriverManager.getConnection(dbUrl, TestStore.POSTGRES.user(), "");
             ResultSet rs = c.createStatement().executeQuery("SELECT s.call_sid, s.started_at, n.heartbeat_at, s.ended_at FROM call_segments s "
                     + "JOIN node_heartbeats n ON n.node_id = s.node_id")) {
            assertThat(rs.next()).isTrue();
            callSid = rs.getString(1);
            started = rs.getLong(2);
            heartbeat = rs.getLong(3);
            rs.getLong(4);
            assertThat(rs.wasNull()).as("the segment is still open after the kill").isTrue();
        }

        Map<String, String> restart = new HashMap<>(settings);
        restart.put("PATCHBAY_SIP_PORT", "0");
        restart.put("PATCHBAY_HTTP_PORT", "0");
        for (int run = 1; run <= 2; run++) {
            try (TestNode again = TestNode.start(TestStore.POSTGRES, restart)) {
                Segment segment = new Segments(again.node().db(), NODE_ID, Clock.systemUTC()).list(acme.sid(), callSid).getFirst();
                assertThat(segment.endedAt()).contains(Instant.ofEpochMilli(heartbeat));
                assertThat(segment.endReason()).contains("node-restart");
                CallRecord call = again.node().calls().find(acme.sid(), callSid).orElseThrow();
                assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(call.endTime()).contains(Instant.ofEpochMilli(heartbeat));
                // $0.60 a minute is a cent a second: the price is the seconds up to the last heartbeat, rounded up
                BigDecimal expected = BigDecimal.valueOf((heartbeat - started + 999) / 1000, 2);
                assertThat(call.price()).contains(expected.negate().setScale(6));
                assertThat(charges(dbUrl, callSid)).as("charged once, restart %d", run).isEqualTo(1);
                assertThat(again.node().ledger().balance(Ledger.customer(acme.sid()))).isEqualByComparingTo(expected.negate());
                assertThat(again.node().ledger().verify().problems()).isEmpty();
            }
        }
    }

    private static Process startNodeProcess(Map<String, String> settings, Path dataDir) throws IOException {
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        settings.put("PATCHBAY_HTTP_PORT", Integer.toString(httpPort));
        settings.put("PATCHBAY_HTTP_HOST", "127.0.0.1");
        settings.put("PATCHBAY_SIP_HOST", "127.0.0.1");
        settings.put("PATCHBAY_SIP_PORT", Integer.toString(SipEdge.freePort("127.0.0.1")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.patchbay.cli.Main", "serve")
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("node.log").toFile());
        pb.environment().putAll(settings);
        Process process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                assertThat(process.isAlive()).as("the node died on start; see %s", dataDir.resolve("node.log")).isTrue();
                return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("the node did not start within 60 s; see " + dataDir.resolve("node.log"));
        }
        return process;
    }

    /** Waits until the node of the call's open segment has a heartbeat at least {@code millis} after the segment's start. */
    private static void awaitHeartbeatAfter(String dbUrl, String callSid, long millis) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, TestStore.POSTGRES.user(), "")) {
            await("a heartbeat " + millis + " ms into call " + callSid).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try (ResultSet rs = c.createStatement().executeQuery("SELECT s.started_at, n.heartbeat_at FROM call_segments s "
                                + "JOIN node_heartbeats n ON n.node_id = s.node_id WHERE s.call_sid = '" + callSid + "' AND s.ended_at IS NULL")) {
                            return rs.next() && rs.getLong(2) >= rs.getLong(1) + millis;
                        }
                    });
        }
    }

    private static long charges(String dbUrl, String callSid) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, TestStore.POSTGRES.user(), "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM segment_charges WHERE call_sid = '" + callSid + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one store: a REST change sent to the node that does not own the call reaches the
 * owner over NATS. Needs a NATS server at 127.0.0.1:4222 (skipped without one, unless
 * PATCHBAY_TEST_REQUIRE_NATS=1).
 */
class ClusterTest extends CallTestBase {

    @BeforeAll
    static void requireNats() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 4222), 500);
        } catch (IOException e) {
            String message = "no NATS server at 127.0.0.1:4222: cluster tests SKIPPED";
            if ("1".equals(System.getenv("PATCHBAY_TEST_REQUIRE_NATS"))) {
                throw new IllegalStateException(message);
            }
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_NATS_URL", "nats://127.0.0.1:4222");
    }

    private TestNode secondNode(boolean linked) {
        var settings = new HashMap<>(Map.of("PATCHBAY_DB_URL", node.node().config().dbUrl()));
        if (linked) {
            settings.put("PATCHBAY_NATS_URL", "nats://127.0.0.1:4222");
        }
        return TestNode.start(TestStore.H2, settings);
    }

    @Test
    void a_redirect_sent_to_another_node_reaches_the_node_that_owns_the_call() {
        app.twiml("/voice", "<Response><Pause length=\"30\"/></Response>");
        app.twiml("/moved", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        String sid = app.next("/voice").param("CallSid");
        try (TestNode other = secondNode(true)) {
            RestClient rest = other.client(account);
            String path = "/2010-04-01/Accounts/" + account.sid() + "/Calls/" + sid + ".json";

            RestClient.Response redirected = rest.post(path, "Url", app.url("/moved"));

            assertThat(redirected.status()).isEqualTo(200);
            app.next("/moved");
            assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> rest.get(path).text("status").equals("completed"));
            assertThat(rest.post(path, "Url", app.url("/moved")).json().path("code").asInt()).isEqualTo(21220);
        }
    }

    @Test
    void a_hang_up_sent_to_another_node_ends_the_call_there() {
        app.twiml("/voice", "<Response><Pause length=\"30\"/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        String sid = app.next("/voice").param("CallSid");
        try (TestNode other = secondNode(true)) {
            RestClient.Response ended = other.client(account).post("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + sid + ".json",
                    "Status", "completed");

            assertThat(ended.text("status")).isEqualTo("completed");
            assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void without_a_cluster_link_the_owner_is_named() {
        app.twiml("/voice", "<Response><Pause length=\"30\"/></Response>");
        dial(numberFor("/voice")).awaitAnswered();
        String sid = app.next("/voice").param("CallSid");
        try (TestNode other = secondNode(false)) {
            RestClient.Response refused = other.client(account).post("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + sid + ".json",
                    "Status", "completed");

            assertThat(refused.json().path("code").asInt()).isEqualTo(20409);
            assertThat(refused.json().path("message").asText()).contains("node 127.0.0.1:" + node.sipPort());
        }
    }
}

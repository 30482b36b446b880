package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.account.Account;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Overload control at the SIP edge: past {@code sip.max.routing} new INVITEs in routing at once,
 * the node answers 503 at once instead of making every call later. The store is made to stall
 * (a table lock held by the test), as a slow or overloaded database would.
 */
class OverloadTest {

    @Test
    void past_the_routing_limit_a_new_call_gets_503_and_the_admitted_one_still_connects() throws Exception {
        String url = TestStore.POSTGRES.freshUrl();
        try (TestNode node = TestNode.start(TestStore.POSTGRES, Map.of("PATCHBAY_DB_URL", url, "PATCHBAY_SIP_MAX_ROUTING", "1"));
             AppServer app = new AppServer();
             TestPhone phone = new TestPhone();
             Connection db = DriverManager.getConnection(url, TestStore.POSTGRES.user(), "")) {
            Account account = node.newAccount("Acme");
            node.number(account, "+14155550100", app.url("/voice"));
            app.twiml("/voice", "<Response><Hangup/></Response>");

            db.setAutoCommit(false);
            db.createStatement().execute("LOCK TABLE calls IN SHARE MODE");   // no call row can be written until we commit
            TestPhone.Call first = phone.call("+14155550100", node.sipPort());
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLocks(url) > 0);   // the first INVITE is stuck in routing, on our lock

            TestPhone.Call second = phone.call("+14155550100", node.sipPort());
            assertThat(second.awaitFinalStatus()).isEqualTo(503);

            db.commit();
            first.awaitAnswered();
            assertThat(first.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
            TestPhone.Call third = phone.call("+14155550100", node.sipPort()).awaitAnswered();
            assertThat(third.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();

            assertThat(app.requests("/voice")).hasSize(2);
            var calls = node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls.json").json().path("calls");
            assertThat(calls.size()).as("the refused call never began: no record of it").isEqualTo(2);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("(?m)^patchbay_sip_invites_shed 1\\.0$");
        }
    }

    private static int waitingForLocks(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestStore.POSTGRES.user(), "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT l.granted AND c.relname = 'calls' AND n.nspname = current_schema()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

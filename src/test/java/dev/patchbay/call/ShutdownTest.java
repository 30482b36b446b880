package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import java.time.Clock;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void stopping_a_node_hangs_up_its_calls_with_bye_and_records_their_end() {
        try (AppServer app = new AppServer(); TestPhone phone = new TestPhone()) {
            app.twiml("/voice", "<Response><Pause length=\"60\"/></Response>");
            TestNode node = TestNode.start(TestStore.H2);
            Account account = node.newAccount("Acme");
            node.number(account, "+14155550100", app.url("/voice"));
            TestPhone.Call call = phone.call("+14155550100", node.sipPort()).awaitAnswered();
            String sid = app.next("/voice").param("CallSid");
            String dbUrl = node.node().config().dbUrl();   // an in-memory H2 that outlives the node's pool

            node.close();

            assertThat(call.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
            try (Database db = Database.open(dbUrl, "", "")) {
                CallRecord record = new Calls(db, Clock.systemUTC()).find(account.sid(), sid).orElseThrow();
                assertThat(record.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(record.endTime()).isPresent();
            }
        }
    }
}

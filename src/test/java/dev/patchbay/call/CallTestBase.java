package dev.patchbay.call;

import dev.patchbay.account.Account;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A node on H2, a TwiML app server and a test phone, fresh for each test. */
abstract class CallTestBase {

    protected TestNode node;
    protected AppServer app;
    protected TestPhone phone;
    protected Account account;

    protected Map<String, String> settings() {
        return Map.of();
    }

    @BeforeEach
    void startAll() {
        node = TestNode.start(TestStore.H2, settings());
        app = new AppServer();
        phone = new TestPhone();
        account = node.newAccount("Acme");
    }

    @AfterEach
    void stopAll() {
        phone.close();
        app.close();
        node.close();
    }

    /** A number answered by {@code path} on the app server; returns the number. */
    protected String numberFor(String path) {
        node.number(account, "+14155550100", app.url(path));
        return "+14155550100";
    }

    protected TestPhone.Call dial(String number) {
        return phone.call(number, node.sipPort());
    }
}

package dev.patchbay;

import dev.patchbay.account.Account;
import dev.patchbay.config.Config;
import java.util.Optional;

/**
 * First start: an empty store gets a demo account (or the account fixed by
 * {@code PATCHBAY_ACCOUNT_SID}/{@code PATCHBAY_AUTH_TOKEN}) and a demo number answered by the
 * built-in demo application.
 */
public final class Bootstrap {

    public static final String DEMO_NUMBER = "+15005550100";

    private Bootstrap() {
    }

    /** The account created now, if one was; credentials for the operator to see once. */
    public static Optional<Account> ensureDemoAccount(Patchbay node, int httpPort) {
        Config config = node.config();
        Optional<Account> created = Optional.empty();
        if (config.accountSid().isPresent()) {
            String sid = config.accountSid().get();
            if (node.accounts().find(sid).isEmpty()) {
                String token = config.authToken().orElseThrow(() -> new dev.patchbay.config.ConfigException(
                        "PATCHBAY_ACCOUNT_SID is set but PATCHBAY_AUTH_TOKEN is not"));
                created = Optional.of(node.accounts().createWithCredentials(sid, token, "Demo account"));
            }
        } else if (node.accounts().isEmpty()) {
            created = Optional.of(node.accounts().create("Demo account"));
        }
        created.ifPresent(account -> node.numbers().create(account, DEMO_NUMBER, n -> n.withFriendlyName("Patchbay demo")
                .withVoice(n.voice().withUrl(Optional.of("http://127.0.0.1:" + httpPort + "/demo/voice")))));
        return created;
    }
}

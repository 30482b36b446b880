package dev.patchbay.testing;

import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import dev.patchbay.config.Config;
import dev.patchbay.config.ConfigLoader;
import dev.patchbay.number.IncomingNumber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real node on port 0 with a fresh store and data folder, for end-to-end tests. */
public final class TestNode implements AutoCloseable {

    private final Patchbay node;
    private final Path dataDir;

    private TestNode(Patchbay node, Path dataDir) {
        this.node = node;
        this.dataDir = dataDir;
    }

    public static TestNode start(TestStore store) {
        return start(store, Map.of());
    }

    /** {@code settings} are environment-style overrides, e.g. {@code PATCHBAY_WEBHOOK_TIMEOUT=2}. */
    public static TestNode start(TestStore store, Map<String, String> settings) {
        return start(store, settings, Clock.systemUTC());
    }

    /** A node whose clock is {@code clock} (a {@link FakeClock} the test moves). */
    public static TestNode start(TestStore store, Map<String, String> settings, Clock clock) {
        try {
            Path dataDir = Files.createTempDirectory("patchbay-test");
            Map<String, String> env = new HashMap<>(Map.of(
                    "PATCHBAY_HTTP_PORT", "0", "PATCHBAY_HTTP_HOST", "127.0.0.1",
                    "PATCHBAY_SIP_PORT", "0", "PATCHBAY_SIP_HOST", "127.0.0.1",
                    "PATCHBAY_DATA_DIR", dataDir.toString(),
                    "PATCHBAY_DB_URL", store.freshUrl(), "PATCHBAY_DB_USER", store.user()));
            env.putAll(settings);
            Config config = ConfigLoader.load(Optional.empty(), env);
            return new TestNode(Patchbay.open(config, clock).start(), dataDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Patchbay node() {
        return node;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + node.httpPort();
    }

    public Account newAccount(String name) {
        return node.accounts().create(name);
    }

    /** A REST client authenticated as the account. */
    public RestClient client(Account account) {
        return new RestClient(baseUrl(), account.sid(), account.authToken());
    }

    public RestClient client(String user, String password) {
        return new RestClient(baseUrl(), user, password);
    }

    public int sipPort() {
        return node.sipPort();
    }

    /** Adds a number answered by the application at {@code voiceUrl}. */
    public IncomingNumber number(Account owner, String phoneNumber, String voiceUrl) {
        return node.numbers().create(owner, phoneNumber, n -> n.withVoice(n.voice().withUrl(Optional.of(voiceUrl))));
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        node.close();
    }
}

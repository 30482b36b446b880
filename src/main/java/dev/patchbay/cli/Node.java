package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.config.Config;
import dev.patchbay.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** What every command needs: the configuration from this environment, and the node's store. */
final class Node {

    private final Map<String, String> env;

    Node(Map<String, String> env) {
        this.env = env;
    }

    Config config() {
        Path file = Path.of(env.getOrDefault("PATCHBAY_CONFIG", "patchbay.properties"));
        return ConfigLoader.load(Files.isRegularFile(file) ? Optional.of(file) : Optional.empty(), env);
    }

    /** Opens the store (migrating it) without starting the network edges. */
    Patchbay open() {
        return Patchbay.open(config(), Clock.systemUTC());
    }

    static Account account(Patchbay node, String sid) {
        return node.accounts().find(sid).orElseThrow(() -> new PatchbayException.NotFound("/Accounts/" + sid));
    }
}

package dev.patchbay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.config.ConfigLoader;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {

    @Test
    void first_start_creates_a_demo_account_with_a_demo_number_and_only_once() {
        try (TestNode node = TestNode.start(TestStore.H2)) {
            Account demo = Bootstrap.ensureDemoAccount(node.node(), node.node().httpPort()).orElseThrow();
            assertThat(Bootstrap.ensureDemoAccount(node.node(), node.node().httpPort())).isEmpty();

            RestClient.Response numbers = node.client(demo).get("/2010-04-01/Accounts/" + demo.sid() + "/IncomingPhoneNumbers.json");
            assertThat(numbers.json().path("incoming_phone_numbers").findValuesAsText("phone_number"))
                    .containsExactlyInAnyOrder(Bootstrap.DEMO_NUMBER, Bootstrap.CONTACT_CENTER_NUMBER);
        }
    }

    @Test
    void fixed_credentials_from_the_environment_are_used_for_the_demo_account() {
        String sid = "AC" + "0123456789abcdef".repeat(2);
        String token = "fedcba9876543210fedcba9876543210";
        try (TestNode node = TestNode.start(TestStore.H2, Map.of("PATCHBAY_ACCOUNT_SID", sid, "PATCHBAY_AUTH_TOKEN", token))) {
            Bootstrap.ensureDemoAccount(node.node(), node.node().httpPort()).orElseThrow();
            assertThat(node.client(sid, token).get("/2010-04-01/Accounts/" + sid + ".json").status()).isEqualTo(200);
        }
    }

    @Test
    void two_instances_with_their_own_ports_and_data_folders_run_side_by_side(@TempDir Path a, @TempDir Path b) {
        Map<String, String> common = Map.of("PATCHBAY_HTTP_PORT", "0", "PATCHBAY_HTTP_HOST", "127.0.0.1",
                "PATCHBAY_SIP_PORT", "0", "PATCHBAY_SIP_HOST", "127.0.0.1");
        try (Patchbay first = Patchbay.open(ConfigLoader.load(Optional.empty(), with(common, a)), Clock.systemUTC()).start();
             Patchbay second = Patchbay.open(ConfigLoader.load(Optional.empty(), with(common, b)), Clock.systemUTC()).start()) {
            Account one = Bootstrap.ensureDemoAccount(first, first.httpPort()).orElseThrow();
            Account two = Bootstrap.ensureDemoAccount(second, second.httpPort()).orElseThrow();
            assertThat(first.httpPort()).isNotEqualTo(second.httpPort());
            assertThat(first.sipPort()).isNotEqualTo(second.sipPort());
            assertThat(one.sid()).isNotEqualTo(two.sid());
            assertThat(a.resolve("patchbay.mv.db")).exists();
            assertThat(b.resolve("patchbay.mv.db")).exists();
            assertThat(first.accounts().find(two.sid())).isEmpty();
        }
    }

    private static Map<String, String> with(Map<String, String> common, Path dataDir) {
        Map<String, String> env = new HashMap<>(common);
        env.put("PATCHBAY_DATA_DIR", dataDir.toString());
        return env;
    }
}

package dev.patchbay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(env, args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void accounts_and_numbers_are_managed_from_the_command_line(@TempDir Path data) {
        Map<String, String> env = Map.of("PATCHBAY_DATA_DIR", data.toString());

        Run created = run(env, "accounts", "create", "--name", "Acme");
        assertThat(created.exit()).isZero();
        String sid = created.out().lines().filter(l -> l.startsWith("sid=")).findFirst().orElseThrow().substring(4);
        assertThat(sid).matches("AC[0-9a-f]{32}");

        Run listed = run(env, "accounts", "list");
        assertThat(listed.out()).contains(sid).contains("Acme").doesNotContain("auth_token");

        Run added = run(env, "numbers", "add", "--account", sid, "+14155550100", "--voice-url", "https://app.example.com/voice");
        assertThat(added.exit()).isZero();
        String numberSid = added.out().trim().split("\t")[0];

        assertThat(run(env, "numbers", "list", "--account", sid).out()).contains("+14155550100").contains("https://app.example.com/voice");
        assertThat(run(env, "numbers", "remove", "--account", sid, numberSid).exit()).isZero();
        assertThat(run(env, "numbers", "list", "--account", sid).out()).doesNotContain("+14155550100");
    }

    @Test
    void bad_input_is_reported_with_a_clear_error_and_exit_code(@TempDir Path data) {
        Map<String, String> env = Map.of("PATCHBAY_DATA_DIR", data.toString());
        String sid = run(env, "accounts", "create").out().lines().filter(l -> l.startsWith("sid=")).findFirst().orElseThrow().substring(4);

        Run bad = run(env, "numbers", "add", "--account", sid, "not-a-number");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("PhoneNumber is invalid");

        Run badConfig = run(Map.of("PATCHBAY_DATA_DIR", data.toString(), "PATCHBAY_HTTP_PORT", "x"), "migrate");
        assertThat(badConfig.exit()).isEqualTo(2);
        assertThat(badConfig.err()).contains("PATCHBAY_HTTP_PORT");
    }

    @Test
    void every_command_explains_itself_with_help() {
        for (String[] cmd : new String[][] {{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"accounts", "create", "--help"},
                {"accounts", "list", "--help"}, {"numbers", "add", "--help"}, {"numbers", "list", "--help"}, {"numbers", "remove", "--help"}}) {
            Run help = run(Map.of(), cmd);
            assertThat(help.exit()).as(String.join(" ", cmd)).isZero();
            assertThat(help.out()).contains("Usage:");
        }
    }

    @Test
    void modules_and_flows_are_managed_from_the_command_line(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("PATCHBAY_DATA_DIR", data.toString());
        String dev = run(env, "accounts", "create", "--name", "Ring Co").out().lines().filter(l -> l.startsWith("sid=")).findFirst().orElseThrow().substring(4);
        String acme = run(env, "accounts", "create", "--name", "Acme").out().lines().filter(l -> l.startsWith("sid=")).findFirst().orElseThrow().substring(4);

        Run created = run(env, "modules", "create", "--account", dev, "--unique-name", "ringco/simulring", "--inlet-url", "https://ring.example.com/",
                "--outlets", "done", "--visibility", "published", "--parameters", "[{\"name\":\"PhoneNumbers\",\"type\":\"list\"}]");
        assertThat(created.exit()).as(created.err()).isZero();
        String module = created.out().trim().split("\t")[0];
        assertThat(run(env, "modules", "search", "simulring").out()).contains(module);
        assertThat(run(env, "modules", "install", "--account", acme, "ringco/simulring").exit()).isZero();

        Path flow = data.resolve("flow.json");
        Files.writeString(flow, "{\"entry\": \"ring\", \"nodes\": {\"ring\": {\"module\": \"ringco/simulring\", \"outlets\": {\"done\": \"ring\"}}}}");
        Run saved = run(env, "flows", "create", "--account", acme, "--definition", "file:" + flow);
        assertThat(saved.exit()).as(saved.err()).isZero();
        String flowSid = saved.out().trim().split("\t")[0];
        assertThat(run(env, "flows", "show", "--account", acme, flowSid).out()).contains("ringco/simulring");
        Run invalid = run(env, "flows", "update", "--account", acme, flowSid, "--definition", "{\"entry\": \"x\", \"nodes\": {\"x\": {\"module\": \"no/such\"}}}");
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.err()).contains("nodes.x.module");
        assertThat(run(env, "flows", "list", "--account", acme).out()).contains("version 1");

        assertThat(run(env, "modules", "ban", module).out()).contains("banned");
        assertThat(run(env, "modules", "list", "--account", dev).out()).contains("BANNED");
        assertThat(run(env, "modules", "delete", "--account", dev, module).exit()).isNotZero();   // installed and in a flow

        assertThat(run(env, "billing", "terms", "--account", acme, "--prepaid").out()).contains("prepaid");
        assertThat(run(env, "billing", "top-up", "--account", acme, "--amount", "12.50", "--reference", "pay-1").out()).contains("balance 12.500000");
        assertThat(run(env, "billing", "top-up", "--account", acme, "--amount", "12.50", "--reference", "pay-1").out()).contains("already posted");
        Run verified = run(env, "billing", "verify");
        assertThat(verified.exit()).isZero();
        assertThat(verified.out()).contains("the books balance");
        assertThat(run(env, "billing", "commission", "--subject", module, "--rate", "0.15").out()).contains("commission 0.15");
        assertThat(run(env, "billing", "commission", "--subject", module, "--rate", "1.5").exit()).isNotZero();
        assertThat(run(env, "billing", "close-period", "2026-10").out()).contains("2026-10 closed");
        assertThat(run(env, "billing", "close-period", "2026-10").out()).contains("was already closed");
        assertThat(run(env, "billing", "close-period", "2099-01").exit()).isNotZero();   // not over yet
    }
}

package dev.patchbay.testing;

import dev.patchbay.sip.SipEdge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's sipp ({@code sip-tester}) with a scenario from {@code src/test/sipp}. Without
 * sipp the test is skipped with a message, unless {@code PATCHBAY_TEST_REQUIRE_SIPP=1} (CI).
 */
public final class Sipp {

    public record Result(int exitCode, String output) {
    }

    private Sipp() {
    }

    public static Result run(String scenario, int sipPort, String service, int calls, int rate, String... extraArgs) {
        Path sipp = Path.of("/usr/bin/sipp");
        if (!Files.isExecutable(sipp)) {
            String message = "sipp is not installed (apt-get install sip-tester): sipp tests SKIPPED";
            if ("1".equals(System.getenv("PATCHBAY_TEST_REQUIRE_SIPP"))) {
                throw new IllegalStateException(message);
            }
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
        try {
            Path dir = Files.createTempDirectory("sipp");
            Files.createSymbolicLink(dir.resolve("pcap"), Path.of("/usr/share/sip-tester"));
            Path scenarioFile = Path.of("src/test/sipp", scenario).toAbsolutePath();
            List<String> command = new ArrayList<>(List.of(sipp.toString(), "-sf", scenarioFile.toString(), "127.0.0.1:" + sipPort,
                    "-s", service, "-i", "127.0.0.1", "-p", Integer.toString(SipEdge.freePort("127.0.0.1")),
                    "-cp", Integer.toString(SipEdge.freePort("127.0.0.1")),
                    "-mi", "127.0.0.1", "-mp", Integer.toString(30000 + (int) (Math.random() * 5000) * 2),
                    "-m", Integer.toString(calls), "-r", Integer.toString(rate), "-timeout", "60s", "-nostdin",
                    "-trace_err", "-error_file", dir.resolve("errors.log").toString()));
            command.addAll(List.of(extraArgs));
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            String errors = Files.exists(dir.resolve("errors.log")) ? Files.readString(dir.resolve("errors.log")) : "";
            return new Result(p.exitValue(), new String(out) + errors);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

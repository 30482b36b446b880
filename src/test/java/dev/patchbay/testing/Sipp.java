package dev.patchbay.testing;

import dev.patchbay.sip.SipEdge;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
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

    /** A sipp callee (UAS) listening on {@link #port()} for {@code calls} calls. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final int port;

        Server(Process process, Path dir, int port) {
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        public int port() {
            return port;
        }

        public String uri(String user) {
            return "sip:" + user + "@127.0.0.1:" + port;
        }

        /** Waits for sipp to finish its calls and returns how it went. */
        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
                String out;
                try {
                    out = new String(process.getInputStream().readAllBytes());
                } catch (IOException closed) {
                    out = "";
                }
                String errors = Files.exists(dir.resolve("errors.log")) ? Files.readString(dir.resolve("errors.log")) : "";
                String messages = Files.exists(dir.resolve("messages.log")) ? Files.readString(dir.resolve("messages.log")) : "";
                return new Result(process.exitValue(), out + errors + messages);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts sipp as a callee with a scenario from {@code src/test/sipp}; it exits after {@code calls} calls. */
    public static Server serve(String scenario, int calls) {
        Path sipp = sippPath();
        try {
            Path dir = Files.createTempDirectory("sipp");
            int port = SipEdge.freePort("127.0.0.1");
            Path scenarioFile = Path.of("src/test/sipp", scenario).toAbsolutePath();
            List<String> command = List.of(sipp.toString(), "-sf", scenarioFile.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                    "-cp", Integer.toString(SipEdge.freePort("127.0.0.1")),
                    "-mi", "127.0.0.1", "-mp", Integer.toString(freeMediaPort()),
                    "-m", Integer.toString(calls), "-timeout", "60s", "-nostdin", "-trace_err", "-error_file", dir.resolve("errors.log").toString(),
                    "-trace_msg", "-message_file", dir.resolve("messages.log").toString());
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            Awaitility.await("sipp binding port " + port).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).until(() -> !p.isAlive() || udpBound(port));   // bound before anyone calls it
            return new Server(p, dir, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether some process has a UDP socket bound to {@code port}, read from the kernel's table (binding to test would race sipp's own bind). */
    private static boolean udpBound(int port) throws IOException {
        String local = String.format(":%04X", port);   // local_address is IP:PORT in hexadecimal, the second column
        return Files.readAllLines(Path.of("/proc/net/udp")).stream().skip(1).anyMatch(line -> line.trim().split("\\s+")[1].endsWith(local));
    }

    /**
     * A port for sipp's media: sipp binds audio RTP there and video RTP two above it, so all four
     * ports from it must be free. They are taken from 30000-32767, above the platform's default RTP
     * range (20000-29999) and below the kernel's ephemeral range (32768 and up), where sockets bound
     * to port 0 (ours, the test phone's, other JVMs') land; each candidate is probed before use.
     */
    static int freeMediaPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 30000 + ThreadLocalRandom.current().nextInt(0, 690) * 4;
            if (udpFree(base, 4)) {
                return base;
            }
        }
        throw new IllegalStateException("no four free UDP ports for sipp's media in 30000-32767");
    }

    private static boolean udpFree(int base, int count) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int port = base; port < base + count; port++) {
                held.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", port)));
            }
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    private static Path sippPath() {
        Path sipp = Path.of("/usr/bin/sipp");
        if (!Files.isExecutable(sipp)) {
            String message = "sipp is not installed (apt-get install sip-tester): sipp tests SKIPPED";
            if ("1".equals(System.getenv("PATCHBAY_TEST_REQUIRE_SIPP"))) {
                throw new IllegalStateException(message);
            }
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
        return sipp;
    }

    public static Result run(String scenario, int sipPort, String service, int calls, int rate, String... extraArgs) {
        Path sipp = sippPath();
        try {
            Path dir = Files.createTempDirectory("sipp");
            Files.createSymbolicLink(dir.resolve("pcap"), Path.of("/usr/share/sip-tester"));
            Path scenarioFile = Path.of("src/test/sipp", scenario).toAbsolutePath();
            List<String> command = new ArrayList<>(List.of(sipp.toString(), "-sf", scenarioFile.toString(), "127.0.0.1:" + sipPort,
                    "-s", service, "-i", "127.0.0.1", "-p", Integer.toString(SipEdge.freePort("127.0.0.1")),
                    "-cp", Integer.toString(SipEdge.freePort("127.0.0.1")),
                    "-mi", "127.0.0.1", "-mp", Integer.toString(freeMediaPort()),
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

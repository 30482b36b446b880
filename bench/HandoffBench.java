import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import dev.patchbay.config.Config;
import dev.patchbay.config.ConfigLoader;
import dev.patchbay.linking.Module;
import dev.patchbay.number.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Hand-off latency between modules, beside the raw fetch turnaround, in the same calls.
 *
 * A node (H2 in a temporary folder, or PATCHBAY_DB_URL) runs a flow of two modules, A then B,
 * served by one loopback HTTP server. Each call (from sipp) is answered in A, then:
 *   /a/r1 answers <Redirect>/a/r2</Redirect>        raw: from that answer to the request for /a/r2
 *   /a/r2 answers <Redirect>outlet:done</Redirect>  hand-off: from that answer to the request at B's inlet
 * The hand-off includes the dispatcher (module and installation lookups), the policy chain (with the
 * concurrent-call count), the segment transition write, and the state read for State_ parameters.
 *
 * A warm-up round (6,000 calls at 200 calls/s, then 5 s of quiet) runs first and is not measured: at
 * low rates the JIT otherwise still compiles the call path during the measured calls.
 *
 * Usage: java -cp target/patchbay.jar bench/HandoffBench.java RATE SECONDS SIPP_SCENARIO
 */
public class HandoffBench {

    static final int WARMUP_CALLS = Integer.getInteger("warmup.calls", 6000);
    static final int WARMUP_RATE = Integer.getInteger("warmup.rate", 200);
    static String number;
    static final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    static final List<Long> raw = java.util.Collections.synchronizedList(new ArrayList<>());
    static final List<Long> handoff = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        String scenario = args[2];
        Path data = Files.createTempDirectory("patchbay-handoff");
        Map<String, String> env = new HashMap<>(Map.of("PATCHBAY_HTTP_PORT", "0", "PATCHBAY_HTTP_HOST", "127.0.0.1",
                "PATCHBAY_SIP_PORT", "0", "PATCHBAY_SIP_HOST", "127.0.0.1", "PATCHBAY_DATA_DIR", data.toString(),
                "PATCHBAY_RTP_PORTS", "40000-49999"));
        Optional.ofNullable(System.getenv("PATCHBAY_DB_URL")).ifPresent(u -> env.put("PATCHBAY_DB_URL", u));
        Optional.ofNullable(System.getenv("PATCHBAY_DB_USER")).ifPresent(u -> env.put("PATCHBAY_DB_USER", u));
        Config config = ConfigLoader.load(Optional.empty(), env);
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        app.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        app.createContext("/", HandoffBench::serve);
        app.start();
        String base = "http://127.0.0.1:" + app.getAddress().getPort();
        try (Patchbay node = Patchbay.open(config, Clock.systemUTC()).start()) {
            Account dev = node.accounts().create("Module developer");
            Account customer = node.accounts().create("Customer");
            String ns = "bench" + Long.toHexString(System.nanoTime());   // a store may be reused between runs
            node.modules().create(dev, spec(ns + "/a", base + "/a"));
            node.modules().create(dev, spec(ns + "/b", base + "/b"));
            node.installations().install(customer, ns + "/a", "{}");
            node.installations().install(customer, ns + "/b", "{}");
            var flow = node.flows().create(customer, "bench", "{\"entry\": \"a\", \"nodes\": {\"a\": {\"module\": \"" + ns + "/a\", "
                    + "\"outlets\": {\"done\": \"b\"}}, \"b\": {\"module\": \"" + ns + "/b\"}}}");
            number = "+1415" + (1_000_000 + (System.nanoTime() / 1000) % 9_000_000);
            node.numbers().create(customer, number, n -> new dev.patchbay.number.IncomingNumber(n.sid(), n.accountSid(),
                    n.phoneNumber(), n.friendlyName(), n.voice(), n.voiceApplicationSid(), Optional.empty(), Optional.of(flow.sid()),
                    Optional.empty(), Optional.empty(), Optional.empty(), n.dateCreated(), n.dateUpdated()));
            // warm-up, not measured: JIT (C2 still compiles the call path for a minute at 20 calls/s), pools, caches
            sipp(node, scenario, WARMUP_RATE, WARMUP_CALLS, data);
            Thread.sleep(5000);
            if (node.db().isPostgres()) {   // tables grown from empty in seconds: give the planner the statistics a running store has
                node.db().write(h -> {   // this run's own tables (a bare ANALYZE would do every schema of a shared database)
                    h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").mapTo(String.class).list()
                            .forEach(table -> h.execute("ANALYZE \"" + table + "\""));
                    return null;
                });
            }
            raw.clear();
            handoff.clear();
            int calls = rate * seconds;
            int exit = sipp(node, scenario, rate, calls, data);
            Thread.sleep(1000);
            System.out.printf("calls=%d sipp_exit=%d samples raw=%d handoff=%d%n", calls, exit, raw.size(), handoff.size());
            System.out.printf("raw_ms p50=%.2f p99=%.2f max=%.2f%n", pct(raw, 50), pct(raw, 99), pct(raw, 100));
            System.out.printf("handoff_ms p50=%.2f p99=%.2f max=%.2f%n", pct(handoff, 50), pct(handoff, 99), pct(handoff, 100));
        } finally {
            app.stop(0);
        }
        System.exit(0);
    }

    static int sipp(Patchbay node, String scenario, int rate, int calls, Path data) throws Exception {
        Process sipp = new ProcessBuilder("sipp", "-sf", scenario, "127.0.0.1:" + node.sipPort(), "-s", number,
                "-r", Integer.toString(rate), "-m", Integer.toString(calls), "-l", Integer.toString(rate * 10), "-d", "3000",
                "-i", "127.0.0.1", "-p", "0", "-mp", "36000", "-nostdin", "-trace_err", "-error_file", data.resolve("sipp.err").toString())
                .redirectOutput(data.resolve("sipp.out").toFile()).redirectErrorStream(true).start();
        return sipp.waitFor();
    }

    static Module.Spec spec(String alias, String inlet) {
        return new Module.Spec(alias, alias, "", Module.Kind.APPLICATION, Optional.of(inlet), HttpMethod.POST, Optional.empty(),
                Optional.empty(), List.of(), List.of("done"), Optional.empty(), Module.Visibility.UNLISTED);
    }

    static double pct(List<Long> nanos, int p) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        sorted.sort(null);
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    static void serve(HttpExchange ex) throws IOException {
        long arrived = System.nanoTime();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String call = param(body, "CallSid");
        String path = ex.getRequestURI().getPath();
        String twiml = switch (path) {
            case "/a" -> "<Response><Pause length=\"1\"/><Redirect>/a/r1</Redirect></Response>";
            case "/a/r1" -> "<Response><Redirect>/a/r2</Redirect></Response>";
            case "/a/r2" -> {
                Long sent = answeredAt.remove(call + "/r1");
                if (sent != null) {
                    raw.add(arrived - sent);
                }
                yield "<Response><Redirect>outlet:done</Redirect></Response>";
            }
            case "/b" -> {
                Long sent = answeredAt.remove(call + "/r2");
                if (sent != null) {
                    handoff.add(arrived - sent);
                }
                yield "<Response><Pause length=\"10\"/></Response>";
            }
            default -> "<Response><Hangup/></Response>";
        };
        byte[] bytes = twiml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(200, bytes.length);
        if (path.equals("/a/r1") || path.equals("/a/r2")) {
            answeredAt.put(call + path.substring(2), System.nanoTime());
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String param(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}

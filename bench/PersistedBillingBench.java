import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import dev.patchbay.billing.Meter;
import dev.patchbay.call.CallRecord;
import dev.patchbay.call.CallStatus;
import dev.patchbay.call.Mode;
import dev.patchbay.call.Segments;
import dev.patchbay.config.ConfigLoader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segments persisted per second end to end: each call's two segments are written as control
 * changes hands (Segments.transition, close), then rated and posted to the ledger (Meter.meter:
 * charge rows, period counters, ledger transactions, the call's price), by THREADS workers over
 * ACCOUNTS accounts. The store is the one the environment selects (PATCHBAY_DB_URL; H2 by default).
 * Prints: segments=<n> seconds=<s> per_second=<r>. Run by bench/billing.sh.
 * Usage: java -cp target/patchbay.jar bench/PersistedBillingBench.java <seconds> <threads>
 */
public class PersistedBillingBench {

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("PATCHBAY_DATA_DIR", java.nio.file.Files.createTempDirectory("billing-bench").toString());
        try (Patchbay node = Patchbay.open(ConfigLoader.load(Optional.empty(), env), Clock.systemUTC())) {
            List<Account> accounts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                accounts.add(node.accounts().create("Bench " + i));
            }
            Segments segments = new Segments(node.db(), "bench-node", Clock.systemUTC());
            Meter meter = new Meter(node.db(), node.usagePlans(), node.config().modePlans(), node.ledger(), Clock.systemUTC());
            AtomicLong rated = new AtomicLong();
            AtomicLong sequence = new AtomicLong();
            long warmupEnd = System.nanoTime() + 5_000_000_000L;
            long[] window = new long[2];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> workers = new ArrayList<>();
            long stop = warmupEnd + seconds * 1_000_000_000L;
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < stop) {
                        long i = sequence.incrementAndGet();
                        Account account = accounts.get((int) (i % accounts.size()));
                        String sid = String.format("CA%032x", i);
                        Instant start = Instant.now();
                        node.calls().insert(new CallRecord(sid, account.sid(), Optional.empty(), Optional.empty(), "+14155550100",
                                "+14155550199", "inbound", CallStatus.IN_PROGRESS, Optional.of(start), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.empty(), "bench-node", start, start));
                        segments.transition(sid, account.sid(), Mode.APPLICATION, "https://app.example.com/voice", "answer", start);
                        segments.transition(sid, account.sid(), Mode.BASIC, "bridge:sip:agent@example.com", "verb:Dial", start.plusSeconds(42));
                        segments.close(sid, "hangup:caller", start.plusSeconds(42 + 95));
                        meter.meter(sid);
                        if (System.nanoTime() > warmupEnd) {
                            rated.addAndGet(2);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            var verification = node.ledger().verify();
            System.out.printf("segments=%d seconds=%d per_second=%.0f books=%s%n", rated.get(), seconds, rated.get() / (double) seconds,
                    verification.problems().isEmpty() ? "balanced" : verification.problems().size() + "-problems");
        }
    }
}

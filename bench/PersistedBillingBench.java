import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.RatingQueue;
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
 * changes hands (Segments.transition, close), then rated and posted to the ledger (charge rows,
 * period counters, ledger transactions, the call's price), by THREADS workers over 50 accounts.
 * MODE "one-by-one": each worker rates its call itself right after the close (Meter.meter, one
 * transaction per call, the way calls were rated before batching); MODE "batched": each worker
 * hands the call to a RatingQueue, whose worker rates whatever is waiting in one transaction
 * (the node's path); MODE "drain": the workers only write and close segments, then one thread
 * rates everything they closed in batches of 200 (the rating stage alone, timed on its own).
 * Each worker keeps its call's segment count, as a node does, so nothing is read before a hand-off.
 * Counted from the store over the measured window: segments closed and segments rated. The store is the one the environment selects (PATCHBAY_DB_URL; H2 by default).
 * Prints: mode=<m> closed_per_second=<c> rated_per_second=<r> backlog=<calls left at the end> books=<...>.
 * Run by bench/billing.sh.
 * Usage: java -cp target/patchbay.jar bench/PersistedBillingBench.java <seconds> <threads> <one-by-one|batched|drain>
 */
public class PersistedBillingBench {

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "one-by-one";
        boolean batched = mode.equals("batched");
        boolean drain = mode.equals("drain");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("PATCHBAY_DATA_DIR", java.nio.file.Files.createTempDirectory("billing-bench").toString());
        try (Patchbay node = Patchbay.open(ConfigLoader.load(Optional.empty(), env), Clock.systemUTC())) {
            List<Account> accounts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                accounts.add(node.accounts().create("Bench " + i));
            }
            Segments segments = new Segments(node.db(), "bench-node", Clock.systemUTC());
            Meter meter = new Meter(node.db(), node.usagePlans(), node.config().modePlans(), node.ledger(), Clock.systemUTC());
            RatingQueue queue = new RatingQueue(meter, 200);
            AtomicLong sequence = new AtomicLong();
            long warmupEnd = System.nanoTime() + 5_000_000_000L;
            long stop = warmupEnd + seconds * 1_000_000_000L;
            long[] closedAt = new long[2];
            long[] ratedAt = new long[2];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> workers = new ArrayList<>();
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
                        segments.transition(sid, account.sid(), 1, Mode.APPLICATION, "https://app.example.com/voice", "answer", start);
                        segments.transition(sid, account.sid(), 2, Mode.BASIC, "bridge:sip:agent@example.com", "verb:Dial", start.plusSeconds(42));
                        segments.close(sid, "hangup:caller", start.plusSeconds(42 + 95));
                        if (batched || drain && System.nanoTime() < warmupEnd) {   // drain: rated during the warm-up only
                            queue.add(sid);
                        } else if (!drain) {
                            meter.meter(sid);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
            analyze(node);   // tables grown from empty in seconds: give the planner the statistics a running store has
            long windowStart = System.nanoTime();   // the window is timed, not assumed: ANALYZE above takes a while
            closedAt[0] = count(node, "SELECT count(*) FROM call_segments WHERE ended_at IS NOT NULL");
            ratedAt[0] = count(node, "SELECT count(*) FROM segment_charges");
            long cpuStart = processCpuNanos();
            Thread.sleep(Math.max(0, (stop - System.nanoTime()) / 1_000_000));
            closedAt[1] = count(node, "SELECT count(*) FROM call_segments WHERE ended_at IS NOT NULL");
            ratedAt[1] = count(node, "SELECT count(*) FROM segment_charges");
            double window = (System.nanoTime() - windowStart) / 1e9;
            double cpuPerSegment = (processCpuNanos() - cpuStart) / 1e3 / Math.max(1, closedAt[1] - closedAt[0] + ratedAt[1] - ratedAt[0]);
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            if (drain) {   // the rating stage alone: every call closed after the warm-up, rated in batches of 200 by one thread
                queue.close();
                analyze(node);
                long before = count(node, "SELECT count(*) FROM segment_charges");
                List<String> calls = node.db().read(h -> h.createQuery("SELECT DISTINCT s.call_sid FROM call_segments s WHERE NOT EXISTS "
                        + "(SELECT 1 FROM segment_charges c WHERE c.segment_sid = s.sid) ORDER BY s.call_sid").mapTo(String.class).list());
                long began = System.nanoTime();
                long cpuBegan = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                for (int from = 0; from < calls.size(); from += 200) {
                    meter.meterAll(calls.subList(from, Math.min(calls.size(), from + 200)));
                }
                double took = (System.nanoTime() - began) / 1e9;
                long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBegan;
                long rated = count(node, "SELECT count(*) FROM segment_charges") - before;
                System.out.printf("mode=drain closed_per_second=%.0f rated_per_second=%.0f (%d segments in %.1f s, one thread, batches of 200, "
                        + "its CPU %.1f µs per segment) books=%s%n", (closedAt[1] - closedAt[0]) / window, rated / took, rated, took, cpu / 1e3 / rated,
                        node.ledger().verify().problems().isEmpty() ? "balanced" : "unbalanced");
                return;
            }
            long backlog = (count(node, "SELECT count(*) FROM call_segments WHERE ended_at IS NOT NULL")
                    - count(node, "SELECT count(*) FROM segment_charges")) / 2;
            queue.close();   // rates what is left, so the books can be checked whole
            var verification = node.ledger().verify();
            System.out.printf("mode=%s closed_per_second=%.0f rated_per_second=%.0f cpu_us_per_segment_closed_or_rated=%.1f backlog=%d books=%s%n",
                    batched ? "batched" : "one-by-one", (closedAt[1] - closedAt[0]) / window, (ratedAt[1] - ratedAt[0]) / window, cpuPerSegment, backlog,
                    verification.problems().isEmpty() ? "balanced" : verification.problems().size() + "-problems");
        }
    }

    /** The CPU time of this process so far (every thread: writers, the group commit, rating, the store, GC). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** ANALYZE of this run's own tables (a bare ANALYZE would do every schema of a shared database). */
    private static void analyze(Patchbay node) {
        if (node.db().isPostgres()) {
            node.db().write(h -> {
                h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").mapTo(String.class).list()
                        .forEach(table -> h.execute("ANALYZE \"" + table + "\""));
                return null;
            });
        }
    }

    private static long count(Patchbay node, String sql) {
        return node.db().read(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}

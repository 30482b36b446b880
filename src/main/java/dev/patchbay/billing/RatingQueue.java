package dev.patchbay.billing;

import dev.patchbay.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls whose segments closed, waiting to be rated: one worker takes whatever is waiting, up to
 * {@code batchSize} calls, and rates them in one transaction ({@link Meter#meterAll}). After the
 * first call of a batch arrives the worker waits {@code linger} for others to join it (a call's
 * charges are final that much later), so under load the store sees one commit for many calls
 * instead of one per segment. A call that ended is settled once its last segment is charged
 * ({@code onSettled}, told of a batch's settled calls at once: their reservations are given back
 * then, not before). A batch
 * that cannot be rated is logged and left to the call's next close or the node's start
 * ({@link Meter#meterUnrated}). The worker rates on a connection of its own ({@link Database#pin}).
 * Closing rates what is still waiting. Thread-safe.
 */
public final class RatingQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RatingQueue.class);
    private static final Duration IDLE = Duration.ofMillis(200);

    private final Meter meter;
    private final int batchSize;
    private final Duration linger;
    private final LinkedBlockingQueue<String> waiting = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final Consumer<Set<String>> onSettled;
    private volatile boolean closed;

    public RatingQueue(Meter meter, int batchSize) {
        this(meter, batchSize, Duration.ZERO, calls -> { });
    }

    /** {@code onSettled}: told of the calls whose segments are all closed and charged, a batch at a time. */
    public RatingQueue(Meter meter, int batchSize, Duration linger, Consumer<Set<String>> onSettled) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, not " + linger);
        }
        this.meter = meter;
        this.batchSize = batchSize;
        this.linger = linger;
        this.onSettled = onSettled;
        // a platform thread: a batch on the embedded store is CPU work that never blocks, and on a
        // virtual thread it would hold one of the few carriers the calls' threads run on
        this.worker = Thread.ofPlatform().name("rating").daemon().start(this::run);
    }

    /** The call's segments closed (one or more): its unrated ones will be charged. */
    public void add(String callSid) {
        waiting.add(callSid);
    }

    private void run() {
        try (Database.Pinned pinned = meter.pinConnection()) {
            run(pinned);
        }
    }

    private void run(Database.Pinned pinned) {
        while (!closed) {
            try {
                String first = waiting.poll(IDLE.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    if (linger.isPositive() && waiting.size() < batchSize - 1) {
                        Thread.sleep(linger);
                    }
                    rate(first, batch -> meter.meterAll(batch, pinned));
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void rate(String first, Function<List<String>, Set<String>> meterAll) {
        List<String> batch = new ArrayList<>(batchSize);
        batch.add(first);
        waiting.drainTo(batch, batchSize - 1);
        try {
            Set<String> settled = meterAll.apply(batch);
            if (!settled.isEmpty()) {
                onSettled.accept(settled);
            }
        } catch (RuntimeException e) {
            log.warn("{} call(s) not rated yet ({}); rated at their next close or the node's next start", batch.size(), e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            worker.join(IDLE.multipliedBy(5).toMillis());   // never interrupted: an interrupt inside JDBC breaks the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String first; (first = waiting.poll()) != null; ) {
            rate(first, meter::meterAll);   // on the pool: the worker may still hold its own connection
        }
    }
}

package dev.patchbay.billing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls whose segments closed, waiting to be rated: one worker takes whatever is waiting, up to
 * {@code batchSize} calls, and rates them in one transaction ({@link Meter#meterAll}). When calls
 * close one at a time each is rated at once; under load the batches grow, so the store sees one
 * commit for many calls instead of one per segment. A call that ended is settled once its last
 * segment is charged ({@code onSettled}: its reservation is given back then, not before). A batch
 * that cannot be rated is logged and left to the call's next close or the node's start
 * ({@link Meter#meterUnrated}). Closing rates what is still waiting. Thread-safe.
 */
public final class RatingQueue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RatingQueue.class);
    private static final Duration IDLE = Duration.ofMillis(200);

    private final Meter meter;
    private final int batchSize;
    private final LinkedBlockingQueue<String> waiting = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final java.util.function.Consumer<String> onSettled;
    private volatile boolean closed;

    public RatingQueue(Meter meter, int batchSize) {
        this(meter, batchSize, call -> { });
    }

    /** {@code onSettled}: told of each call whose segments are all closed and charged. */
    public RatingQueue(Meter meter, int batchSize, java.util.function.Consumer<String> onSettled) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        this.meter = meter;
        this.batchSize = batchSize;
        this.onSettled = onSettled;
        this.worker = Thread.ofVirtual().name("rating").start(this::run);
    }

    /** The call's segments closed (one or more): its unrated ones will be charged. */
    public void add(String callSid) {
        waiting.add(callSid);
    }

    private void run() {
        while (!closed) {
            try {
                String first = waiting.poll(IDLE.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    rate(first);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void rate(String first) {
        List<String> batch = new ArrayList<>(batchSize);
        batch.add(first);
        waiting.drainTo(batch, batchSize - 1);
        try {
            meter.meterAll(batch).forEach(onSettled);
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
            rate(first);
        }
    }
}

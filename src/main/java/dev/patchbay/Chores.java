package dev.patchbay;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's periodic chores (the heartbeat, counted usage's flush, the cost guard) on one platform
 * thread, {@code billing-ticker}. A chore that fails is logged and runs again at its next turn.
 */
final class Chores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Chores.class);

    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("billing-ticker").daemon().factory());

    /** Runs {@code task} every {@code interval}, the first time one interval from now. */
    Chores every(Duration interval, String what, Runnable task) {
        ticker.scheduleWithFixedDelay(() -> safely(what, task), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Runs {@code task}, logging instead of throwing when it fails. */
    static void safely(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", what, e.toString());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}

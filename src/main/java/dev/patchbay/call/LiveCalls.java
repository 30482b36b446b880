package dev.patchbay.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The calls (and dialed legs) this node owns right now, by SID. Thread-safe. */
public final class LiveCalls {

    private final Map<String, LiveCall> live = new ConcurrentHashMap<>();

    void add(LiveCall call) {
        live.put(call.sid(), call);
    }

    /** The call left this node, its end written: whoever waits for it (REST, shutdown) goes on. */
    void remove(LiveCall call) {
        live.remove(call.sid(), call);
        call.finished().complete(null);
    }

    public Optional<LiveCall> find(String sid) {
        return Optional.ofNullable(live.get(sid));
    }

    /** The calls live now (a snapshot). */
    List<LiveCall> all() {
        return List.copyOf(live.values());
    }

    public int size() {
        return live.size();
    }

    /** Ends every live call (node shutdown), waiting up to {@code wait} for them to finish. */
    void terminateAll(Duration wait) {
        List<LiveCall> calls = all();
        calls.forEach(LiveCall::terminate);
        awaitFinished(CompletableFuture.allOf(calls.stream().map(LiveCall::finished).toArray(CompletableFuture[]::new)), wait);
    }

    /** Waits up to {@code wait} for {@code finished}; a call that takes longer is left to finish on its own. */
    static void awaitFinished(CompletableFuture<?> finished, Duration wait) {
        try {
            finished.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not written in time: the answer or the shutdown goes on without it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.patchbay.call;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The calls (and dialed legs) this node owns right now, by SID. Thread-safe. */
public final class LiveCalls {

    private final Map<String, LiveCall> live = new ConcurrentHashMap<>();

    void add(LiveCall call) {
        live.put(call.sid(), call);
    }

    void remove(String sid) {
        live.remove(sid);
    }

    public Optional<LiveCall> find(String sid) {
        return Optional.ofNullable(live.get(sid));
    }

    /** The calls live now (a snapshot). */
    java.util.List<LiveCall> all() {
        return java.util.List.copyOf(live.values());
    }

    public int size() {
        return live.size();
    }

    /** Ends every live call (node shutdown), waiting up to {@code wait} for them to finish. */
    void terminateAll(Duration wait) {
        live.values().forEach(LiveCall::terminate);
        long deadline = System.nanoTime() + wait.toNanos();
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

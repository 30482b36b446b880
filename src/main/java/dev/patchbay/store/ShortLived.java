package dev.patchbay.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers read from the store, each kept for a fixed time so a burst of the same question costs
 * one read: the INVITE path's number directory and the dispatcher's module answers. Bounded:
 * when full, expired answers go, and if none had, all of them. Times are the caller's clock, in
 * milliseconds. Thread-safe.
 */
public final class ShortLived<K, V> {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long expiresAt) {
    }

    private final long ttlMillis;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public ShortLived(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    /** The answer kept for {@code key}, unless it expired by {@code now}. */
    public Optional<V> get(K key, long now) {
        Entry<V> e = entries.get(key);
        return e != null && e.expiresAt() > now ? Optional.of(e.value()) : Optional.empty();
    }

    /** Keeps {@code value}, read at {@code now}, until the time to live has passed. */
    public void put(K key, V value, long now) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> e.expiresAt() <= now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now + ttlMillis));
    }

    public void remove(K key) {
        entries.remove(key);
    }

    public void clear() {
        entries.clear();
    }
}

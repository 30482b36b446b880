package dev.patchbay.linking;

import dev.patchbay.store.ShortLived;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatcher's answers to "what is module X to account A" ({@link Modules.Candidate}: the
 * module, its developer's signing token, A's installation, A's status and payment terms), each
 * kept for {@link #TTL_MILLIS}, so a module handed to on every call costs one read a second per
 * account instead of one per hand-off. A change made through this node (a module edited, banned
 * or deleted, an installation made or removed, an account's status or payment terms changed)
 * empties it at once ({@link #forget}); a change made on another node is seen within
 * {@link #TTL_MILLIS}, as numbers are by the INVITE path's directory. A prepaid balance is not
 * part of an answer: the balance policy reads it at every hand-off. Misses are never kept.
 * Thread-safe.
 */
final class Candidates {

    static final long TTL_MILLIS = 1000;

    private record Key(String accountSid, String reference) {
    }

    private final Modules modules;
    private final Clock clock;
    private final ShortLived<Key, Modules.Candidate> kept = new ShortLived<>(TTL_MILLIS);
    /** Bumped by {@link #forget}: an answer read while a change was being made is not kept past it. */
    private final AtomicLong generation = new AtomicLong();

    Candidates(Modules modules, Clock clock) {
        this.modules = modules;
        this.clock = clock;
    }

    Optional<Modules.Candidate> find(String accountSid, String reference) {
        Key key = new Key(accountSid, reference);
        long now = clock.millis();
        Optional<Modules.Candidate> cached = kept.get(key, now);
        if (cached.isPresent()) {
            return cached;
        }
        long readAt = generation.get();
        Optional<Modules.Candidate> found = modules.candidate(accountSid, reference);
        if (found.isEmpty()) {
            kept.remove(key);
            return found;
        }
        kept.put(key, found.get(), now);
        if (generation.get() != readAt) {   // a change landed while we read: what we read may predate it
            kept.remove(key);
        }
        return found;
    }

    /** Something a hand-off depends on changed through this node: every answer is read again. */
    void forget() {
        generation.incrementAndGet();
        kept.clear();
    }
}

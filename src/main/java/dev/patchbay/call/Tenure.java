package dev.patchbay.call;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who has a live call now, as its segments record it: the mode it is in, the controller
 * (application, module, bridge or room) and since when that module has it, and the number of its
 * open segment. Written by {@link Segments} on the call's thread; read from any thread (the cost
 * guard, REST, the linking system). All empty, and segment 0, before the call's first segment.
 */
final class Tenure {

    private final AtomicInteger segment = new AtomicInteger();
    private volatile Mode mode;
    private volatile Controller controller;
    private volatile Instant since;

    Optional<Mode> mode() {
        return Optional.ofNullable(mode);
    }

    /** The mode the call's instructions run in (application or service): where it goes back to after a bridge or a room. */
    Mode instructionsMode() {
        return mode().filter(m -> m != Mode.BASIC).orElse(Mode.APPLICATION);
    }

    Optional<Controller> controller() {
        return Optional.ofNullable(controller);
    }

    /** When the module (or application) in control took the call; a hand-off within one module keeps it. */
    Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** The number of the open segment (0 before the first). */
    int segment() {
        return segment.get();
    }

    /** The number of the call's next segment (its node writes all of them while it owns the call). */
    int nextSegment() {
        return segment.incrementAndGet();
    }

    /** The call is now in {@code m} under {@code c}, which has had it since {@code from}. */
    void enter(Mode m, Controller c, Instant from) {
        this.mode = m;
        this.controller = c;
        this.since = from;
    }
}

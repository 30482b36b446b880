package dev.patchbay.sip;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Overload control for new calls: how many INVITEs may be in routing at once (number lookup,
 * policy, the call row, an RTP port: the work before a call has its own thread). Under normal
 * load only a handful are; when the node cannot keep up they pile up, and each new one would only
 * make every call in progress later. Beyond the limit the edge answers 503 with Retry-After at
 * once, so a caller (or Kamailio's dispatcher, which fails over on 503) goes elsewhere and the
 * calls already admitted keep their pace. A limit of 0 admits everything. Thread-safe.
 */
final class Admission {

    private final int limit;
    private final AtomicInteger routing = new AtomicInteger();
    private final LongAdder shed = new LongAdder();

    Admission(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("the limit of INVITEs in routing must not be negative, not " + limit);
        }
        this.limit = limit;
    }

    /** True when the INVITE may be routed (then {@link #leave} once it is); false when it must be refused as overload. */
    boolean enter() {
        if (routing.incrementAndGet() <= limit || limit == 0) {
            return true;
        }
        routing.decrementAndGet();
        shed.increment();
        return false;
    }

    void leave() {
        routing.decrementAndGet();
    }

    /** INVITEs refused as overload so far. */
    long shed() {
        return shed.sum();
    }
}

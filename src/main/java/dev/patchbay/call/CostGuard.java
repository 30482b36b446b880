package dev.patchbay.call;

import dev.patchbay.billing.Spending;
import dev.patchbay.media.Tts;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's live calls that have a cost limit (a prepaid balance, a credit limit, a
 * MaxPrice). Each check, a call whose review is due (a debit interval has passed, or its segment
 * changed) reserves ahead and learns when it must end; a call within the warning margin of its end
 * gets its warning (a status callback and a module event, and the operator's spoken notice if one
 * is set) once; a call at its end is ended with
 * reason {@code cost-limit}. The node runs {@link #check} on a timer; it reads the injected
 * clock, so tests step it. Calls without any limit are looked at once per segment.
 */
public final class CostGuard {

    private static final Logger log = LoggerFactory.getLogger(CostGuard.class);

    private final LiveCalls live;
    private final Spending spending;
    private final CallProgress progress;
    private final Clock clock;
    private final Duration debitInterval;
    private final Duration warningMargin;
    private final Map<String, Watch> watches = new HashMap<>();
    private final boolean modeCaps;
    private final Tts tts;
    private final String notice;

    /** What the guard knows of one call: the segment it reviewed, when to review again, when the call ends. */
    private static final class Watch {
        int segment = -1;
        Instant reviewAt = Instant.MIN;
        boolean limited = true;
        Optional<Instant> endAt = Optional.empty();
        boolean warned;
    }

    /** {@code notice}: spoken to the caller with the warning (empty: the status callback only). */
    public CostGuard(LiveCalls live, Spending spending, CallServices services, Duration debitInterval, Duration warningMargin, String notice) {
        this.live = live;
        this.tts = services.tts();
        this.notice = notice;
        this.spending = spending;
        this.progress = new CallProgress(services);
        this.clock = services.clock();
        this.debitInterval = debitInterval;
        this.warningMargin = warningMargin;
        this.modeCaps = Stream.of("basic", "application", "service")
                .anyMatch(mode -> services.meter().modePlan(mode).capSeconds().isPresent());
    }

    /** One pass over the live calls. */
    public synchronized void check() {
        Instant now = clock.instant();
        watches.keySet().removeIf(sid -> live.find(sid).isEmpty());
        Map<String, Boolean> floors = new HashMap<>();   // per pass: does the account have a balance floor?
        for (LiveCall call : live.all()) {
            if (call.mode().isEmpty() || call.isEnded()) {
                continue;   // not answered yet, or a dialed leg (its parent's segments carry it)
            }
            try {
                boolean mayBeLimited = call.maxPrice().isPresent() || call.tenure().controller().flatMap(Controller::module).isPresent()
                        || modeCaps || floors.computeIfAbsent(call.account().sid(), spending::hasFloor);
                if (!mayBeLimited) {
                    continue;   // the common case costs one read per account per pass, not a review per call
                }
                guard(call, now);
            } catch (RuntimeException e) {
                log.warn("call {}: cost limit not checked: {}", call.sid(), e.toString());
            }
        }
    }

    private void guard(LiveCall call, Instant now) {
        Watch w = watches.computeIfAbsent(call.sid(), sid -> new Watch());
        int segment = call.tenure().segment();
        boolean newSegment = segment != w.segment;
        if (!newSegment && !w.limited) {
            return;
        }
        if (newSegment || !now.isBefore(w.reviewAt)) {
            Spending.Limit limit = spending.review(call.account().sid(), call.sid(), call.maxPrice(), debitInterval.plus(warningMargin));
            w.segment = segment;
            w.limited = limit.limited();
            w.reviewAt = now.plus(debitInterval);
            w.endAt = limit.endAt();
            if (warningDue(w, now)) {
                warn(call, w, limit, now);
            }
        } else if (warningDue(w, now)) {
            warn(call, w, spending.review(call.account().sid(), call.sid(), call.maxPrice(), debitInterval.plus(warningMargin)), now);
        }
        if (w.endAt.isPresent() && !now.isBefore(w.endAt.get())) {
            log.info("call {} reached its cost limit", call.sid());
            call.terminate("cost-limit");
        }
    }

    private boolean warningDue(Watch w, Instant now) {
        return w.endAt.isPresent() && !w.warned && !now.isBefore(w.endAt.get().minus(warningMargin));
    }

    private void warn(LiveCall call, Watch w, Spending.Limit limit, Instant now) {
        w.warned = true;
        long secondsLeft = Math.max(0, Duration.between(now, w.endAt.orElse(now)).toSeconds());
        BigDecimal ceiling = limit.ceiling().orElse(limit.cost());
        call.callbacks().ifPresent(target -> progress.costWarning(call, target, limit.cost(), ceiling, secondsLeft));
        if (!notice.isEmpty()) {   // synthesized off the guard's thread: it serves every call
            Thread.ofVirtual().name("cost-notice-" + call.sid()).start(() -> {
                try {
                    call.announce(tts.synthesize(notice, "woman", "en-US"));
                } catch (RuntimeException e) {
                    log.warn("call {}: the cost notice could not be spoken: {}", call.sid(), e.toString());
                }
            });
        }
    }
}

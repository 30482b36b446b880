package dev.patchbay.billing;

import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What a live call may still spend, and the money it sets aside to spend it. A call is limited by
 * its cost limit ({@code MaxPrice}) and by its account's terms: a prepaid balance, or a postpaid
 * credit limit. Such a call reserves, a debit interval at a time, what its open segment will cost
 * from the balance its account has left after every other live call's reservation, under the
 * segment's own plan; when the reservation cannot grow, the call's end is the moment its cost
 * reaches what it could reserve. A charged segment gives back its part of the reservation, and an
 * ended call all of it. So concurrent calls on one balance never spend more than it holds, and
 * a call ends within one increment of its limit. A plan's hard cap of seconds per period ends a
 * segment too (counted against the usage charged so far). Thread-safe.
 */
public final class Spending {

    private final Database db;
    private final Meter meter;
    private final Clock clock;
    private final String nodeId;

    public Spending(Database db, Meter meter, Clock clock, String nodeId) {
        this.db = db;
        this.meter = meter;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /**
     * A live call's spending as it stands: its cost so far, and when it must end (empty: not
     * within the look-ahead, or it has no limit). {@code limited} is false for a call that has
     * none at all (postpaid without a credit limit, no cost limit).
     */
    public record Limit(BigDecimal cost, Optional<Instant> endAt, Optional<BigDecimal> ceiling, boolean limited) {
    }

    /**
     * Reviews a live call now: reserves what its open segment will cost over {@code lookAhead}
     * (within what the account has left), and says when the call must end.
     */
    public Limit review(String accountSid, String callSid, Optional<BigDecimal> maxPrice, Duration lookAhead) {
        Instant now = clock.instant();
        return db.inTransaction(h -> {
            List<Meter.Usage> segments = Meter.segments(h, callSid);
            Optional<Meter.Usage> open = segments.isEmpty() || segments.getLast().endedAt().isPresent()
                    ? Optional.empty() : Optional.of(segments.getLast());
            BigDecimal settled = h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM segment_charges WHERE call_sid = ?").bind(0, callSid)
                    .mapTo(BigDecimal.class).one();
            Set<String> charged = new HashSet<>(h.createQuery("SELECT segment_sid FROM segment_charges WHERE call_sid = ?")
                    .bind(0, callSid).mapTo(String.class).list());
            BigDecimal unsettled = BigDecimal.ZERO;   // closed a moment ago, not charged yet: still the reservation's to cover
            Map<String, Rating.PeriodUsage> pending = new HashMap<>();
            for (Meter.Usage u : segments) {
                if (u.endedAt().isPresent() && !charged.contains(u.segmentSid())) {
                    unsettled = unsettled.add(meter.provisional(h, u, pending).amount());
                }
            }
            Optional<Floor> floor = floor(h, accountSid);
            if (open.isEmpty()) {
                return new Limit(settled.add(unsettled), Optional.empty(), Optional.empty(), floor.isPresent() || maxPrice.isPresent());
            }
            Meter.Usage segment = open.get();
            Meter.Priced priced = meter.price(h, segment);
            Rating.PeriodUsage counted = meter.periodUsage(h, segment.accountSid(), priced.key(), now);
            Rating.PeriodUsage earlier = pending.getOrDefault(priced.key(), Rating.PeriodUsage.NONE);
            Rating.PeriodUsage before = counted.plus(earlier);
            long elapsed = Math.max(0, now.toEpochMilli() - segment.startedAt().toEpochMilli());
            long horizon = elapsed + lookAhead.toMillis();
            BigDecimal cost = settled.add(unsettled).add(Rating.rate(priced.plan(), elapsed, before).amount());
            Optional<Long> capMillis = Rating.secondsLeft(priced.plan(), before).map(s -> s * 1000);   // the plan's hard cap of seconds
            if (floor.isEmpty() && maxPrice.isEmpty() && capMillis.isEmpty()) {
                return new Limit(cost, Optional.empty(), Optional.empty(), false);
            }
            long lasts = horizon;
            boolean ends = false;
            if (floor.isPresent() || maxPrice.isPresent()) {
                BigDecimal wanted = Rating.rate(priced.plan(), horizon, before).amount();
                BigDecimal money = null;   // what the open segment may cost at most
                if (maxPrice.isPresent()) {
                    money = maxPrice.get().subtract(settled).subtract(unsettled);
                }
                if (floor.isPresent()) {
                    BigDecimal reserved = reserve(h, accountSid, callSid, floor.get(), unsettled.add(wanted), now);
                    BigDecimal forSegment = reserved.subtract(unsettled);
                    money = money == null ? forSegment : money.min(forSegment);
                }
                if (wanted.compareTo(money) > 0) {
                    lasts = longestWithin(priced.plan(), before, money, horizon);
                    ends = true;
                }
            }
            if (capMillis.isPresent() && capMillis.get() < lasts) {
                lasts = capMillis.get();
                ends = true;
            }
            if (!ends) {
                return new Limit(cost, Optional.empty(), Optional.empty(), true);
            }
            BigDecimal ceiling = settled.add(unsettled).add(Rating.rate(priced.plan(), lasts, before).amount());
            return new Limit(cost, Optional.of(segment.startedAt().plusMillis(lasts)), Optional.of(ceiling), true);
        });
    }

    /**
     * Before a hand-off: whether the account can pay for at least one increment of {@code plan}
     * (counting the period's usage of it so far) from what its terms and other calls leave.
     * Accounts without a floor always can.
     */
    public boolean affords(String accountSid, String planKey, UsagePlan plan) {
        return db.read(h -> affords(h, accountSid, floor(h, accountSid), planKey, plan));
    }

    /** As {@link #affords(String, String, UsagePlan)}, by {@code terms} already read (an account without a floor reads nothing). */
    public boolean affords(String accountSid, PaymentTerms.Terms terms, String planKey, UsagePlan plan) {
        Optional<Floor> floor = floor(terms);
        return floor.isEmpty() || db.read(h -> affords(h, accountSid, floor, planKey, plan));
    }

    private boolean affords(Handle h, String accountSid, Optional<Floor> floor, String planKey, UsagePlan plan) {
        if (floor.isEmpty()) {
            return true;
        }
        Rating.PeriodUsage before = meter.periodUsage(h, accountSid, planKey, clock.instant());
        BigDecimal available = available(h, accountSid, Optional.empty(), floor.get(), false);
        long first = Math.max(plan.incrementSeconds(), plan.minimumSeconds()) * 1000;
        return Rating.rate(plan, first, before).amount().compareTo(available) <= 0 && available.signum() > 0;
    }

    /** Whether the account has used up the plan's hard cap of seconds this period (charged usage so far). */
    public boolean capReached(String accountSid, String planKey, UsagePlan plan) {
        if (plan.capSeconds().isEmpty()) {
            return false;
        }
        return db.read(h -> Rating.secondsLeft(plan, meter.periodUsage(h, accountSid, planKey, clock.instant())).orElse(1L) == 0);
    }

    /** Whether the account's terms put a floor under its balance (prepaid, or postpaid with a credit limit). */
    public boolean hasFloor(String accountSid) {
        return db.read(h -> floor(h, accountSid)).isPresent();
    }

    /** The calls ended and were settled: their reservations go back to the balance, in one statement. */
    public void release(Collection<String> callSids) {
        if (!callSids.isEmpty()) {
            db.write(h -> h.createUpdate("DELETE FROM call_reservations WHERE call_sid = ANY(:calls)").bind("calls", callSids.toArray(String[]::new))
                    .execute());
        }
    }

    /** On start: the reservations of calls this node's previous run left (they ended with it). */
    public int releaseOrphans() {
        return db.write(h -> h.createUpdate("DELETE FROM call_reservations WHERE node_id = ?").bind(0, nodeId).execute());
    }

    /** The lowest the account's balance may go: zero for prepaid, minus the credit limit for postpaid with one. */
    private record Floor(BigDecimal value) {
    }

    private static Optional<Floor> floor(Handle h, String accountSid) {
        return floor(PaymentTerms.read(h, accountSid));
    }

    private static Optional<Floor> floor(PaymentTerms.Terms terms) {
        return switch (terms.kind()) {
            case PREPAID -> Optional.of(new Floor(BigDecimal.ZERO));
            case POSTPAID -> terms.creditLimit().map(limit -> new Floor(limit.negate()));
        };
    }

    /**
     * Sets the call's reservation to {@code wanted}, or to what the account has left when that is
     * less, and returns it. The account's balance row is locked first, so reservations of one
     * account are made one at a time, on every node.
     */
    private BigDecimal reserve(Handle h, String accountSid, String callSid, Floor floor, BigDecimal wanted, Instant now) {
        BigDecimal available = available(h, accountSid, Optional.of(callSid), floor, true);
        BigDecimal reservation = wanted.min(available.max(BigDecimal.ZERO)).setScale(Rating.SCALE, RoundingMode.DOWN);
        int updated = h.createUpdate("UPDATE call_reservations SET amount = ?, updated_at = ? WHERE call_sid = ?")
                .bind(0, reservation).bind(1, now.toEpochMilli()).bind(2, callSid).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO call_reservations (call_sid, account_sid, amount, node_id, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .bind(0, callSid).bind(1, accountSid).bind(2, reservation).bind(3, nodeId).bind(4, now.toEpochMilli()).execute();
        }
        return reservation;
    }

    /** The balance above the floor, less what the account's other live calls have reserved ({@code lock}: locks the balance row). */
    private static BigDecimal available(Handle h, String accountSid, Optional<String> exceptCall, Floor floor, boolean lock) {
        String book = Ledger.customer(accountSid);
        Optional<BigDecimal> balance = h.createQuery("SELECT balance FROM book_balances WHERE book = ?" + (lock ? " FOR UPDATE" : ""))
                .bind(0, book).mapTo(BigDecimal.class).findOne();
        if (balance.isEmpty() && lock) {   // the row every reservation of the account locks
            h.createUpdate("INSERT INTO book_balances (book, balance) VALUES (?, 0)").bind(0, book).execute();
        }
        BigDecimal reserved = h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM call_reservations WHERE account_sid = ? AND call_sid <> ?")
                .bind(0, accountSid).bind(1, exceptCall.orElse("")).mapTo(BigDecimal.class).one();
        return balance.orElse(BigDecimal.ZERO).subtract(floor.value()).subtract(reserved);
    }

    /** The longest a stretch under {@code plan} may last, up to {@code horizon} ms, costing at most {@code money} from a fresh period. */
    public static long longestAffordable(UsagePlan plan, BigDecimal money, long horizon) {
        return longestWithin(plan, Rating.PeriodUsage.NONE, money, horizon);
    }

    /** The longest a segment may last, up to {@code horizon} ms, and cost at most {@code cap} (0 when even its start costs more). */
    static long longestWithin(UsagePlan plan, Rating.PeriodUsage before, BigDecimal cap, long horizon) {
        if (Rating.rate(plan, 0, before).amount().compareTo(cap) > 0) {
            return 0;
        }
        long low = 0;   // costs at most cap
        long high = horizon;   // costs more
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (Rating.rate(plan, mid, before).amount().compareTo(cap) <= 0) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }
}

package dev.patchbay.billing;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import dev.patchbay.store.Transactions;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Metering: turns a call's closed segments into charges, each rated by its plan in the context of
 * the account's usage of that plan in the period. A basic-mode segment is rated by the operator's
 * basic plan; an application or service segment by its module's plan (the version the account's
 * installation agreed to), else by the operator's plan for its mode; a developer's own modules are
 * rated by the mode plans. A segment is charged once (its SID is the idempotency key) and posted
 * to the ledger in the same transaction; the call's price is the sum of its charges. Thread-safe.
 */
public final class Meter {

    private static final String SEGMENT_COLUMNS = "s.sid, s.call_sid, s.account_sid, s.seq, s.mode, s.module, s.module_sid, s.module_owner_sid, "
            + "s.started_at, s.ended_at";

    private final Database db;
    private final UsagePlans plans;
    private final Map<String, UsagePlan> modePlans;
    private final Ledger ledger;
    private final Clock clock;
    private volatile Consumer<Charged> onCharged = c -> { };
    private volatile Consumer<String> onMetered = account -> { };

    /** {@code modePlans}: the operator's plan for each mode ({@code basic}, {@code application}, {@code service}). */
    public Meter(Database db, UsagePlans plans, Map<String, UsagePlan> modePlans, Ledger ledger, Clock clock) {
        this.db = db;
        this.plans = plans;
        this.ledger = ledger;
        this.modePlans = Map.copyOf(modePlans);
        this.clock = clock;
    }

    /** A segment charged under another developer's module plan: what its developer is told (a billing event). */
    public record Charged(String callSid, String accountSid, String moduleSid, String developerSid, String planSid, int planVersion,
                          long billedSeconds, BigDecimal amount, Ledger.Split split) {
    }

    /** A connection of its own for a thread that rates all the time (the rating worker). */
    public Database.Pinned pinConnection() {
        return db.pin();
    }

    /** The operator's plan for an operational mode ({@code basic}, {@code application}, {@code service}). */
    public UsagePlan modePlan(String mode) {
        return modePlans.getOrDefault(mode, UsagePlan.FREE);
    }

    /** Who hears of module charges once they are committed (the notification engine). */
    public void onCharged(Consumer<Charged> listener) {
        this.onCharged = listener;
    }

    /** Who hears that an account's usage grew (usage triggers), after the commit. */
    public void onMetered(Consumer<String> listener) {
        this.onMetered = listener;
    }

    /** A segment as the meter reads it. */
    record Usage(String segmentSid, String callSid, String accountSid, int seq, String mode, String module, Optional<String> moduleSid,
                 Optional<String> moduleOwnerSid, Instant startedAt, Optional<Instant> endedAt) {
    }

    /**
     * Which plan rates a segment: the plan's key for counters ({@code UP...} or {@code mode:basic}),
     * its version, the plan, and the developer paid from it (a module's, when its plan rated the segment).
     */
    record Priced(String key, Optional<Integer> version, UsagePlan plan, Optional<String> developer) {
    }

    /** One line of a call's charges (the seed's FIG. 17B); {@code settled} is false for a segment still open or not yet rated. */
    public record Line(int sequence, String mode, String module, Optional<String> moduleSid, String planKey, Optional<Integer> planVersion,
                       BigDecimal unitPrice, long unitSeconds, long durationMs, long billedSeconds, long includedSeconds, BigDecimal amount,
                       boolean settled) {
    }

    /** A call's charges: its lines and their total, which is always their exact sum; settled once the call ended and every line is charged. */
    public record Statement(String callSid, List<Line> lines, BigDecimal total, String currency, boolean settled) {
    }

    /**
     * Charges the call's closed segments that have no charge yet and sets the call's price; running
     * it again changes nothing. Retried when a concurrent rating created the same period counter first.
     */
    public void meter(String callSid) {
        meterAll(List.of(callSid));
    }

    /**
     * Charges the closed, uncharged segments of many calls in one transaction (calls in the order
     * given, each call's segments in order) and sets their prices: one commit for all of them, the
     * rows written as JDBC batches. A batch that fails three times (a segment charged meanwhile by
     * another node, a counter made first by another batch, a deadlock) is rated call by call.
     * Returns the calls now settled: every segment closed (the call ended) and charged.
     */
    public Set<String> meterAll(Collection<String> callSids) {
        return meterAll(callSids, db);
    }

    /** As {@link #meterAll(Collection)}, in transactions of {@code transactions} (the rating worker's own connection). */
    public Set<String> meterAll(Collection<String> callSids, Transactions transactions) {
        List<String> calls = List.copyOf(new LinkedHashSet<>(callSids));
        for (int attempt = 1; ; attempt++) {
            try {
                return meterOnce(calls, transactions);
            } catch (RuntimeException e) {
                if (attempt == 3 && calls.size() == 1) {
                    throw e;
                }
                if (attempt == 3) {
                    Set<String> settled = new LinkedHashSet<>();
                    calls.forEach(call -> settled.addAll(meterAll(List.of(call), transactions)));
                    return settled;
                }
            }
        }
    }

    /** A segment about to be charged: its plan, period and billed seconds. */
    private record Pending(Usage usage, Priced priced, String period, long millis, long billed) {
        String counter() {
            return usage.accountSid() + "/" + priced.key() + "/" + period;
        }
    }

    private Set<String> meterOnce(List<String> callSids, Transactions transactions) {
        Lock shared = db.periodLock().readLock();
        if (!db.isPostgres()) {
            shared.lock();
        }
        try {
            return meterLocked(callSids, transactions);
        } finally {
            if (!db.isPostgres()) {
                shared.unlock();
            }
        }
    }

    private Set<String> meterLocked(List<String> callSids, Transactions transactions) {
        List<Charged> charged = new ArrayList<>();
        Set<String> metered = new LinkedHashSet<>();
        Set<String> settled = new LinkedHashSet<>();
        transactions.inTransaction(h -> {
            record Earlier(String segmentSid, String callSid, BigDecimal amount) {
            }
            Set<String> done = new HashSet<>();
            Map<String, BigDecimal> prices = new HashMap<>();   // each call's charges so far, then with this batch's
            for (Earlier e : h.createQuery("SELECT segment_sid, call_sid, amount FROM segment_charges WHERE call_sid = ANY(:calls)")
                    .bind("calls", callSids.toArray(String[]::new)).map((rs, ctx) -> new Earlier(rs.getString(1), rs.getString(2), rs.getBigDecimal(3))).list()) {
                done.add(e.segmentSid());
                prices.merge(e.callSid(), e.amount(), BigDecimal::add);
            }
            Map<String, String> periods = new HashMap<>();
            Map<String, Priced> plans = new HashMap<>();
            List<Pending> pending = new ArrayList<>();
            List<Usage> all = segments(h, callSids);
            Set<String> open = new HashSet<>();
            all.forEach(u -> {
                settled.add(u.callSid());
                if (u.endedAt().isEmpty()) {
                    open.add(u.callSid());
                }
            });
            settled.removeAll(open);   // a call with an open segment is still going
            for (Usage u : all) {
                if (u.endedAt().isEmpty() || done.contains(u.segmentSid())) {
                    continue;
                }
                Priced priced = plans.computeIfAbsent(u.accountSid() + "/" + u.mode() + "/" + u.moduleSid().orElse("") + "/" + u.module(),
                        k -> price(h, u));
                Instant ended = u.endedAt().get();
                String period = periods.computeIfAbsent(Rating.period(ended), p -> Periods.openFor(h, db.isPostgres(), ended));
                long millis = Math.max(0, ended.toEpochMilli() - u.startedAt().toEpochMilli());
                pending.add(new Pending(u, priced, period, millis, Rating.billedSeconds(priced.plan(), millis)));
            }
            if (pending.isEmpty()) {
                return null;
            }
            Map<String, Rating.PeriodUsage> running = count(h, pending);
            Ledger.Postings postings = ledger.postings(h);
            List<Object[]> charges = new ArrayList<>();
            Map<String, BigDecimal> covered = new TreeMap<>();
            for (Pending p : pending) {
                Usage u = p.usage();
                Rating.PeriodUsage before = running.get(p.counter());
                Rating.Charge c = Rating.rate(p.priced().plan(), p.millis(), before);
                running.put(p.counter(), before.plus(c));
                charges.add(new Object[] {u.segmentSid(), u.callSid(), u.accountSid(), u.seq(), u.mode(), u.module(), u.moduleSid().orElse(null),
                        u.moduleOwnerSid().orElse(null), p.priced().key(), p.priced().version().orElse(null), p.period(), p.millis(), c.billedSeconds(),
                        c.includedSeconds(), c.unitPrice(), p.priced().plan().unitSeconds(), c.amount(), p.priced().plan().currency(), clock.millis()});
                covered.merge(u.callSid(), c.amount(), BigDecimal::add);   // the charge now covers what the call had reserved
                prices.merge(u.callSid(), c.amount(), BigDecimal::add);
                postings.post("charge", u.segmentSid(), u.accountSid(), u.callSid(), p.priced().developer().flatMap(d -> u.moduleSid()),
                                p.priced().developer(), p.period(), c.amount(), p.priced().plan().currency())
                        .ifPresent(split -> charged.add(new Charged(u.callSid(), u.accountSid(), u.moduleSid().orElseThrow(),
                                p.priced().developer().orElseThrow(), p.priced().key(), p.priced().version().orElse(0), c.billedSeconds(), c.amount(),
                                split)));
                metered.add(u.accountSid());
            }
            Database.batch(h, "INSERT INTO segment_charges (segment_sid, call_sid, account_sid, seq, mode, module, module_sid, module_owner_sid, plan_key, "
                    + "plan_version, period, duration_ms, billed_seconds, included_seconds, unit_price, unit_seconds, amount, currency, date_created) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", charges);
            Set<String> reserving = new HashSet<>(h.createQuery("SELECT call_sid FROM call_reservations WHERE call_sid = ANY(:calls)")
                    .bind("calls", covered.keySet().toArray(String[]::new)).mapTo(String.class).list());   // most calls have no limit, so no reservation
            Database.batch(h, "UPDATE call_reservations SET amount = CASE WHEN amount > ? THEN amount - ? ELSE 0 END WHERE call_sid = ?",
                    covered.entrySet().stream().filter(e -> reserving.contains(e.getKey()))
                            .map(e -> new Object[] {e.getValue(), e.getValue(), e.getKey()}).toList());
            postings.write();
            // the call's price is the sum of all its charges: those read above (this transaction's view) and this batch's
            Database.batch(h, "UPDATE calls SET price = ? WHERE sid = ?",
                    covered.keySet().stream().map(call -> new Object[] {prices.get(call).negate(), call}).toList());
            return null;
        });
        charged.forEach(c -> onCharged.accept(c));   // after the commit: nobody hears of a charge that was rolled back
        metered.forEach(account -> onMetered.accept(account));
        return settled;
    }

    /**
     * Adds the pending segments to their period counters, each counter once by its total and in
     * key order (its row lock orders concurrent ratings), and returns each counter's usage before them.
     */
    private static Map<String, Rating.PeriodUsage> count(Handle h, List<Pending> pending) {
        Map<String, long[]> totals = new TreeMap<>();
        Map<String, Pending> any = new HashMap<>();
        for (Pending p : pending) {
            long[] t = totals.computeIfAbsent(p.counter(), k -> new long[2]);
            t[0] += p.billed();
            t[1]++;
            any.putIfAbsent(p.counter(), p);
        }
        Map<String, Rating.PeriodUsage> before = new HashMap<>();
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (var e : totals.entrySet()) {
            Pending p = any.get(e.getKey());
            Optional<Rating.PeriodUsage> row = h.createQuery("SELECT seconds, uses FROM usage_counters WHERE account_sid = ? AND plan_key = ? "
                            + "AND period = ? FOR UPDATE").bind(0, p.usage().accountSid()).bind(1, p.priced().key()).bind(2, p.period())
                    .map((rs, ctx) -> new Rating.PeriodUsage(rs.getLong(1), rs.getLong(2))).findOne();
            before.put(e.getKey(), row.orElse(Rating.PeriodUsage.NONE));
            Object[] values = {e.getValue()[0], e.getValue()[1], p.usage().accountSid(), p.priced().key(), p.period()};
            (row.isPresent() ? updates : inserts).add(values);
        }
        Database.batch(h, "UPDATE usage_counters SET seconds = seconds + ?, uses = uses + ? WHERE account_sid = ? AND plan_key = ? AND period = ?", updates);
        Database.batch(h, "INSERT INTO usage_counters (seconds, uses, account_sid, plan_key, period) VALUES (?, ?, ?, ?, ?)", inserts);
        return before;
    }


    /** Meters the calls whose closed segments this node left unrated (after a restart closed them). */
    public int meterUnrated(String nodeId) {
        List<String> calls = db.read(h -> h.createQuery("SELECT DISTINCT s.call_sid FROM call_segments s WHERE s.node_id = ? AND s.ended_at IS NOT NULL "
                + "AND NOT EXISTS (SELECT 1 FROM segment_charges c WHERE c.segment_sid = s.sid)").bind(0, nodeId).mapTo(String.class).list());
        for (int from = 0; from < calls.size(); from += 200) {
            meterAll(calls.subList(from, Math.min(calls.size(), from + 200)));
        }
        return calls.size();
    }

    /**
     * The call's charges as they stand: settled lines for rated segments, and for the rest (a
     * segment still open, or closed a moment ago) the cost so far, rated against the period's usage now.
     */
    public Statement statement(String accountSid, String callSid) {
        return db.read(h -> {
            String status = h.createQuery("SELECT status FROM calls WHERE sid = ? AND account_sid = ?").bind(0, callSid).bind(1, accountSid)
                    .mapTo(String.class).findOne().orElseThrow(() -> new PatchbayException.NotFound("/Calls/" + callSid + "/Charges"));
            boolean live = List.of("queued", "ringing", "in-progress").contains(status);
            Map<String, Line> settled = new HashMap<>();
            h.createQuery("SELECT segment_sid, seq, mode, module, module_sid, plan_key, plan_version, unit_price, unit_seconds, duration_ms, "
                            + "billed_seconds, included_seconds, amount FROM segment_charges WHERE call_sid = ?").bind(0, callSid)
                    .map((rs, ctx) -> {
                        int version = rs.getInt(7);
                        Optional<Integer> planVersion = rs.wasNull() ? Optional.empty() : Optional.of(version);
                        return Map.entry(rs.getString(1), new Line(rs.getInt(2), rs.getString(3), rs.getString(4), Optional.ofNullable(rs.getString(5)),
                                rs.getString(6), planVersion, rs.getBigDecimal(8).stripTrailingZeros(), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                                rs.getLong(12), rs.getBigDecimal(13).setScale(Rating.SCALE), true));
                    }).list().forEach(e -> settled.put(e.getKey(), e.getValue()));
            List<Line> lines = new ArrayList<>();
            boolean allSettled = !live;
            Map<String, Rating.PeriodUsage> pending = new HashMap<>();
            for (Usage u : segments(h, callSid)) {
                Line line = settled.get(u.segmentSid());
                if (line == null) {
                    allSettled = false;
                    line = provisional(h, u, pending);
                }
                lines.add(line);
            }
            BigDecimal total = lines.stream().map(Line::amount).reduce(BigDecimal.ZERO.setScale(Rating.SCALE), BigDecimal::add);
            return new Statement(callSid, List.copyOf(lines), total, "USD", allSettled);
        });
    }

    /**
     * What a segment not charged yet costs as things stand, in the period's context as rated so far
     * plus {@code pending}: the call's earlier uncharged segments, per plan, which this one's adds to
     * (so a call's running cost equals what it is charged when nothing else happens meanwhile).
     */
    Line provisional(Handle h, Usage u, Map<String, Rating.PeriodUsage> pending) {
        Priced priced = price(h, u);
        long millis = Math.max(0, u.endedAt().orElse(clock.instant()).toEpochMilli() - u.startedAt().toEpochMilli());
        Rating.PeriodUsage counted = periodUsage(h, u.accountSid(), priced.key(), u.endedAt().orElse(clock.instant()));
        Rating.PeriodUsage earlier = pending.getOrDefault(priced.key(), Rating.PeriodUsage.NONE);
        Rating.PeriodUsage before = counted.plus(earlier);
        Rating.Charge c = Rating.rate(priced.plan(), millis, before);
        pending.put(priced.key(), earlier.plus(c));
        return new Line(u.seq(), u.mode(), u.module(), u.moduleSid(), priced.key(), priced.version(), c.unitPrice().stripTrailingZeros(),
                priced.plan().unitSeconds(), millis, c.billedSeconds(), c.includedSeconds(), c.amount(), false);
    }

    /** The account's usage of a plan in the period {@code at} falls in, as rated so far. */
    Rating.PeriodUsage periodUsage(Handle h, String accountSid, String planKey, Instant at) {
        return h.createQuery("SELECT seconds, uses FROM usage_counters WHERE account_sid = ? AND plan_key = ? AND period = ?")
                .bind(0, accountSid).bind(1, planKey).bind(2, Rating.period(at))
                .map((rs, ctx) -> new Rating.PeriodUsage(rs.getLong(1), rs.getLong(2))).findOne().orElse(Rating.PeriodUsage.NONE);
    }

    /** The plan version an installation agreed to, and the developer it pays. */
    private record Agreed(String plan, int version, String developer) {
    }

    Priced price(Handle h, Usage u) {
        if (u.module().startsWith("denied:")) {   // the platform's own "cannot be connected" after a refused hand-off
            return new Priced("free:denied", Optional.empty(), UsagePlan.FREE, Optional.empty());
        }
        if (!u.mode().equals("basic") && u.moduleSid().isPresent()) {
            Optional<Priced> modulePlan = agreedPlan(h, plans, u.accountSid(), u.moduleSid().get());
            if (modulePlan.isPresent()) {
                return modulePlan.get();
            }
        }
        return new Priced("mode:" + u.mode(), Optional.empty(), modePlans.getOrDefault(u.mode(), UsagePlan.FREE), Optional.empty());
    }

    /**
     * The plan another developer's module is rated by for an account: the version the account's
     * latest installation agreed to (none: the installation has no plan, or the module is the account's own).
     */
    static Optional<Priced> agreedPlan(Handle h, UsagePlans plans, String accountSid, String moduleSid) {
        return h.createQuery("SELECT i.usage_plan_sid, i.usage_plan_version, m.account_sid FROM modules m "
                        + "JOIN installations i ON i.module_sid = m.sid AND i.account_sid = ? WHERE m.sid = ? AND m.account_sid <> ? "
                        + "ORDER BY i.date_created DESC")
                .bind(0, accountSid).bind(1, moduleSid).bind(2, accountSid)
                .map((rs, ctx) -> {   // the latest installation decides; one without a plan means the mode plan
                    String plan = rs.getString(1);
                    int version = rs.getInt(2);
                    return plan == null || rs.wasNull() ? Optional.<Agreed>empty() : Optional.of(new Agreed(plan, version, rs.getString(3)));
                }).findFirst().flatMap(agreed -> agreed)
                .flatMap(a -> plans.version(a.plan(), a.version())
                        .map(v -> new Priced(v.sid(), Optional.of(v.version()), v.plan(), Optional.of(a.developer()))));
    }

    static List<Usage> segments(Handle h, String callSid) {
        return segments(h, List.of(callSid));
    }

    /** The segments of the calls, call by call in the order given, each call's in order. */
    static List<Usage> segments(Handle h, List<String> callSids) {
        Map<String, Integer> order = new HashMap<>();
        callSids.forEach(c -> order.putIfAbsent(c, order.size()));
        List<Usage> all = new ArrayList<>(h.createQuery("SELECT " + SEGMENT_COLUMNS + " FROM call_segments s WHERE s.call_sid = ANY(:calls)")
                .bind("calls", callSids.toArray(String[]::new))
                .map((rs, ctx) -> {
                    long ended = rs.getLong(10);
                    Optional<Instant> endedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
                    return new Usage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6),
                            Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)), Instant.ofEpochMilli(rs.getLong(9)), endedAt);
                }).list());
        all.sort(Comparator.<Usage>comparingInt(u -> order.get(u.callSid())).thenComparingInt(Usage::seq));
        return all;
    }
}

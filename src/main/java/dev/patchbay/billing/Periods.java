package dev.patchbay.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import org.jdbi.v3.core.Handle;

/**
 * Billing periods (calendar months in UTC) and their closing. A charge goes to the period its
 * usage ended in while that period is open, else to the next open one, so usage that arrives
 * after a close (a call that spanned the month's end, a node that came back) lands in the next
 * invoice and a closed invoice never changes. A charge holds the period's row in share mode until
 * it commits and closing takes it exclusively, so no charge slips into a period while it closes.
 * Closing is idempotent: it rates the counted usage (API requests, recording and TTS) at the
 * operator's prices, writes one invoice per account and one payout per developer the first time,
 * and returns what it wrote every time after. Thread-safe.
 */
public final class Periods {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database db;
    private final Statements statements;
    private final Ledger ledger;
    private final CountedUsage.Prices prices;
    private final UsagePlans plans;
    private final Clock clock;

    /** {@code prices}: the operator's prices for counted usage, rated when a period closes (unless a module's plan prices it). */
    public Periods(Database db, Statements statements, Ledger ledger, CountedUsage.Prices prices, UsagePlans plans, Clock clock) {
        this.db = db;
        this.plans = plans;
        this.statements = statements;
        this.ledger = ledger;
        this.prices = prices;
        this.clock = clock;
    }

    /** What closing a period produced: its invoices and payouts and their totals; {@code now} is false when it was closed before. */
    public record Closed(String period, boolean now, Instant closedAt, int invoices, BigDecimal invoiced, int payouts, BigDecimal paidOut,
                         BigDecimal commission) {
    }

    /**
     * Inside a charge's transaction: the open period for usage that ended at {@code at} (its row
     * held shared until the commit on PostgreSQL; on H2 the caller holds {@link Database#periodLock}'s read side).
     */
    static String openFor(Handle h, boolean postgres, Instant at) {
        String period = Rating.period(at);
        String select = "SELECT status FROM billing_periods WHERE period = ?" + (postgres ? " FOR SHARE" : "");
        while (true) {
            String p = period;
            // read first: the month's row exists for all but its first charge, and an insert that
            // conflicts costs the embedded store a constraint-violation exception it throws and catches
            String status = h.createQuery(select).bind(0, p).mapTo(String.class).findOne().orElseGet(() -> {
                ensure(h, p);
                return h.createQuery(select).bind(0, p).mapTo(String.class).one();
            });
            if (status.equals("open")) {
                return period;
            }
            period = YearMonth.parse(period).plusMonths(1).toString();
        }
    }

    public boolean isClosed(String period) {
        return db.read(h -> h.createQuery("SELECT status FROM billing_periods WHERE period = ?").bind(0, Statements.period(period))
                .mapTo(String.class).findOne()).map("closed"::equals).orElse(false);
    }

    /**
     * Closes a period that has ended: marks it closed (waiting for charges in flight), then writes
     * the invoice of every account charged in it and the payout of every developer paid in it.
     */
    public Closed close(String period) {
        YearMonth month = YearMonth.parse(Statements.period(period));
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant now = clock.instant();
        if (now.isBefore(end)) {
            throw PatchbayException.InvalidParameter.invalid("Period", period, "a month that has ended (it ends " + end + ")");
        }
        Lock exclusive = db.periodLock().writeLock();
        if (!db.isPostgres()) {
            exclusive.lock();
        }
        try {
            return closeLocked(period, end, now);
        } finally {
            if (!db.isPostgres()) {
                exclusive.unlock();
            }
        }
    }

    private Closed closeLocked(String period, Instant end, Instant now) {
        return db.inTransaction(h -> {
            ensure(h, period);
            int closing = h.createUpdate("UPDATE billing_periods SET status = 'closed', closed_at = ? WHERE period = ? AND status = 'open'")
                    .bind(0, now.toEpochMilli()).bind(1, period).execute();
            if (closing == 1) {
                rateCountedUsage(h, period, end);
                write(h, period, now);
            }
            return summary(h, period, closing == 1);
        });
    }

    /**
     * Prices the period's counted usage: in another developer's module whose agreed plan prices the
     * meter, at that price (split with the developer like time); otherwise at the operator's price.
     */
    private void rateCountedUsage(Handle h, String period, Instant end) {
        for (CountedUsage.Used used : CountedUsage.claim(h, period, end)) {
            Optional<Meter.Priced> modulePlan = used.moduleSid().flatMap(m -> Meter.agreedPlan(h, plans, used.accountSid(), m))
                    .filter(p -> p.plan().meters().containsKey(used.meter()));
            BigDecimal amount = modulePlan.map(p -> CountedUsage.amount(used.meter(), used.quantity(), p.plan().meters().get(used.meter())))
                    .orElseGet(() -> prices.amount(used.meter(), used.quantity()));
            if (amount.signum() > 0) {
                String reference = "usage:" + used.meter().wire() + ":" + used.accountSid() + ":" + period
                        + modulePlan.map(p -> ":" + used.moduleSid().orElseThrow()).orElse("");
                ledger.postUsage(h, reference, used.accountSid(), modulePlan.flatMap(p -> used.moduleSid()), modulePlan.flatMap(Meter.Priced::developer),
                        period, amount);
            }
        }
    }

    private void write(Handle h, String period, Instant now) {
        List<String> customers = h.createQuery("SELECT DISTINCT account_sid FROM ledger_transactions WHERE period = ? AND kind IN ('charge', 'subscription') "
                + "ORDER BY account_sid").bind(0, period).mapTo(String.class).list();
        for (String account : customers) {
            Statements.Invoice invoice = statements.invoice(h, account, period);
            List<Map<String, Object>> lines = invoice.lines().stream().map(l -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("mode", l.mode());
                line.put("module_sid", l.moduleSid().orElse(null));
                line.put("plan", l.plan());
                line.put("plan_version", l.planVersion().orElse(null));
                line.put("segments", l.segments());
                line.put("billed_seconds", l.billedSeconds());
                line.put("amount", l.amount().toPlainString());
                return line;
            }).toList();
            h.createUpdate("INSERT INTO invoices (account_sid, period, total, lines, closed_at) VALUES (?, ?, ?, ?, ?)")
                    .bind(0, account).bind(1, period).bind(2, invoice.total()).bind(3, json(lines)).bind(4, now.toEpochMilli()).execute();
        }
        List<String> developers = h.createQuery("SELECT DISTINCT e.book FROM ledger_entries e JOIN ledger_transactions t ON t.sid = e.transaction_sid "
                + "WHERE t.period = ? AND e.book LIKE 'developer:%' ORDER BY e.book").bind(0, period).mapTo(String.class).list();
        for (String book : developers) {
            Statements.Payout payout = statements.payout(h, book.substring("developer:".length()), period);
            List<Map<String, Object>> lines = payout.lines().stream().map(l -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("module_sid", l.moduleSid());
                line.put("customers", l.customers());
                line.put("gross", l.gross().toPlainString());
                line.put("commission", l.commission().toPlainString());
                line.put("net", l.net().toPlainString());
                return line;
            }).toList();
            h.createUpdate("INSERT INTO payouts (developer_sid, period, gross, commission, net, lines, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, payout.developerSid()).bind(1, period).bind(2, payout.gross()).bind(3, payout.commission()).bind(4, payout.net())
                    .bind(5, json(lines)).bind(6, now.toEpochMilli()).execute();
        }
    }

    private static Closed summary(Handle h, String period, boolean now) {
        long closedAt = h.createQuery("SELECT closed_at FROM billing_periods WHERE period = ?").bind(0, period).mapTo(Long.class).one();
        return h.createQuery("SELECT (SELECT count(*) FROM invoices WHERE period = ?), (SELECT COALESCE(SUM(total), 0) FROM invoices WHERE period = ?), "
                        + "(SELECT count(*) FROM payouts WHERE period = ?), (SELECT COALESCE(SUM(net), 0) FROM payouts WHERE period = ?), "
                        + "(SELECT COALESCE(SUM(commission), 0) FROM payouts WHERE period = ?)")
                .bind(0, period).bind(1, period).bind(2, period).bind(3, period).bind(4, period)
                .map((rs, ctx) -> new Closed(period, now, Instant.ofEpochMilli(closedAt), rs.getInt(1), rs.getBigDecimal(2).setScale(Rating.SCALE),
                        rs.getInt(3), rs.getBigDecimal(4).setScale(Rating.SCALE), rs.getBigDecimal(5).setScale(Rating.SCALE))).one();
    }

    /** Makes sure the period has its row (open), whoever gets there first. */
    private static void ensure(Handle h, String period) {
        h.createUpdate("INSERT INTO billing_periods (period, status) VALUES (?, 'open') ON CONFLICT DO NOTHING").bind(0, period).execute();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

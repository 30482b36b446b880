package dev.patchbay.billing;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Consolidated statements for a period (a calendar month, {@code 2026-11}), read from the charges
 * and the ledger: one invoice per account (every module's and mode's usage under its own plan, and
 * the subscriptions paid)
 * and one payout per developer (across all customers, net of the platform's commission). Lines
 * add up exactly to totals. A closed period's statements never change ({@link Periods}: late usage
 * goes to the next open period); {@code status} says whether the period is still open. Thread-safe.
 */
public final class Statements {

    private final Database db;

    public Statements(Database db) {
        this.db = db;
    }

    /**
     * One invoice line: a mode or a module under one plan version; a module's subscription
     * ({@code mode} subscription); or counted usage at the operator's prices ({@code mode} usage,
     * {@code plan} the meter: api-requests, recording-seconds, tts-characters).
     */
    public record InvoiceLine(String mode, Optional<String> moduleSid, String plan, Optional<Integer> planVersion, long segments,
                              long billedSeconds, BigDecimal amount) {
    }

    public record Invoice(String accountSid, String period, String status, List<InvoiceLine> lines, BigDecimal total) {
    }

    /** One payout line: a module's earnings from all its customers. */
    public record PayoutLine(String moduleSid, long customers, BigDecimal gross, BigDecimal commission, BigDecimal net) {
    }

    public record Payout(String developerSid, String period, String status, List<PayoutLine> lines, BigDecimal gross, BigDecimal commission,
                         BigDecimal net) {
    }

    public static String period(String value) {
        if (!value.matches("[0-9]{4}-(0[1-9]|1[0-2])")) {
            throw PatchbayException.InvalidParameter.invalid("Period", value, "a month as YYYY-MM");
        }
        return value;
    }

    public Invoice invoice(String accountSid, String period) {
        return db.read(h -> invoice(h, accountSid, period));
    }

    Invoice invoice(Handle h, String accountSid, String period) {
        List<InvoiceLine> lines = h.createQuery("SELECT mode, module_sid, plan_key, plan_version, COUNT(*), SUM(billed_seconds), SUM(amount) "
                        + "FROM segment_charges WHERE account_sid = ? AND period = ? GROUP BY mode, module_sid, plan_key, plan_version "
                        + "ORDER BY mode, plan_key, plan_version")
                .bind(0, accountSid).bind(1, period(period))
                .map((rs, ctx) -> {
                    int v = rs.getInt(4);
                    Optional<Integer> version = rs.wasNull() ? Optional.empty() : Optional.of(v);
                    return new InvoiceLine(rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getString(3), version, rs.getLong(5),
                            rs.getLong(6), rs.getBigDecimal(7).setScale(Rating.SCALE));
                }).list();
        List<InvoiceLine> all = new ArrayList<>(lines);
        h.createQuery("SELECT t.module_sid, -SUM(e.amount) FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_sid = t.sid "
                        + "AND e.book = ? WHERE t.kind = 'subscription' AND t.account_sid = ? AND t.period = ? GROUP BY t.module_sid ORDER BY t.module_sid")
                .bind(0, Ledger.customer(accountSid)).bind(1, accountSid).bind(2, period)
                .map((rs, ctx) -> new InvoiceLine("subscription", Optional.ofNullable(rs.getString(1)), "subscription", Optional.empty(), 0, 0,
                        rs.getBigDecimal(2).setScale(Rating.SCALE))).list().forEach(all::add);
        h.createQuery("SELECT t.reference, t.module_sid, -SUM(e.amount) FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_sid = t.sid "
                        + "AND e.book = ? WHERE t.kind = 'charge' AND t.reference LIKE 'usage:%' AND t.account_sid = ? AND t.period = ? "
                        + "GROUP BY t.reference, t.module_sid ORDER BY t.reference")
                .bind(0, Ledger.customer(accountSid)).bind(1, accountSid).bind(2, period)
                .map((rs, ctx) -> new InvoiceLine("usage", Optional.ofNullable(rs.getString(2)), rs.getString(1).split(":")[1], Optional.empty(), 0, 0,
                        rs.getBigDecimal(3).setScale(Rating.SCALE))).list().forEach(all::add);
        return new Invoice(accountSid, period, status(h, period), List.copyOf(all),
                all.stream().map(InvoiceLine::amount).reduce(zero(), BigDecimal::add));
    }

    public Payout payout(String developerSid, String period) {
        return db.read(h -> payout(h, developerSid, period));
    }

    Payout payout(Handle h, String developerSid, String period) {
        List<PayoutLine> lines = h.createQuery("SELECT t.module_sid, COUNT(DISTINCT t.account_sid), SUM(d.amount), SUM(p.amount) "
                        + "FROM ledger_transactions t JOIN ledger_entries d ON d.transaction_sid = t.sid AND d.book = ? "
                        + "JOIN ledger_entries p ON p.transaction_sid = t.sid AND p.book = ? WHERE t.period = ? GROUP BY t.module_sid ORDER BY t.module_sid")
                .bind(0, Ledger.developer(developerSid)).bind(1, Ledger.PLATFORM).bind(2, period(period))
                .map((rs, ctx) -> {
                    BigDecimal net = rs.getBigDecimal(3).setScale(Rating.SCALE);
                    BigDecimal commission = rs.getBigDecimal(4).setScale(Rating.SCALE);
                    return new PayoutLine(rs.getString(1), rs.getLong(2), net.add(commission), commission, net);
                }).list();
        return new Payout(developerSid, period, status(h, period), lines, lines.stream().map(PayoutLine::gross).reduce(zero(), BigDecimal::add),
                lines.stream().map(PayoutLine::commission).reduce(zero(), BigDecimal::add),
                lines.stream().map(PayoutLine::net).reduce(zero(), BigDecimal::add));
    }

    private static String status(Handle h, String period) {
        return h.createQuery("SELECT status FROM billing_periods WHERE period = ?").bind(0, period).mapTo(String.class).findOne().orElse("open");
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(Rating.SCALE);
    }
}

package dev.patchbay.billing;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto-recharge of prepaid balances: when an account's balance falls below its threshold, the
 * payment provider is charged what brings it back to the target (rounded up to the cent) and the
 * payment is put on the balance. Each shortfall has one idempotency key ({@code recharge:<account>:<n>},
 * n one past the account's top-ups so far), used with the provider and as the ledger reference, so
 * checks racing on any node charge the card once and book it once. A declined payment is not
 * retried for the same shortfall: the next top-up (any kind) opens a new one. Thread-safe.
 */
public final class AutoRecharge {

    private static final Logger log = LoggerFactory.getLogger(AutoRecharge.class);

    private final Database db;
    private final Ledger ledger;
    private final Optional<PaymentProvider> provider;

    public AutoRecharge(Database db, Ledger ledger, Optional<PaymentProvider> provider) {
        this.db = db;
        this.ledger = ledger;
        this.provider = provider;
    }

    /** Below {@code threshold}, top up to {@code target}. */
    public record Settings(BigDecimal threshold, BigDecimal target) {
    }

    /** A recharge that was made (or declined). */
    public record Recharge(String reference, PaymentProvider.Payment payment, boolean booked) {
    }

    /** Turns auto-recharge on (a prepaid account, a payment provider configured) or off (empty). */
    public void configure(String accountSid, Optional<Settings> settings) {
        settings.ifPresent(s -> {
            if (provider.isEmpty()) {
                throw new PatchbayException.InvalidParameter(20001, "Auto-recharge needs a payment provider; this platform has none configured");
            }
            if (s.threshold().signum() < 0 || s.target().compareTo(s.threshold()) <= 0) {
                throw PatchbayException.InvalidParameter.invalid("Target", s.target().toPlainString(), "an amount above the Threshold ("
                        + s.threshold().toPlainString() + "), which must not be negative");
            }
        });
        int updated = db.write(h -> h.createUpdate("UPDATE account_billing SET recharge_threshold = ?, recharge_target = ? WHERE account_sid = ? "
                        + "AND kind = 'prepaid'")
                .bind(0, settings.map(Settings::threshold).orElse(null)).bind(1, settings.map(Settings::target).orElse(null)).bind(2, accountSid)
                .execute());
        if (updated == 0 && settings.isPresent()) {
            throw new PatchbayException.InvalidParameter(20001, "Auto-recharge is for prepaid accounts; account " + accountSid + " is postpaid");
        }
    }

    public Optional<Settings> settings(String accountSid) {
        return db.read(h -> h.createQuery("SELECT recharge_threshold, recharge_target FROM account_billing WHERE account_sid = ? "
                        + "AND recharge_threshold IS NOT NULL")
                .bind(0, accountSid).map((rs, ctx) -> new Settings(rs.getBigDecimal(1), rs.getBigDecimal(2))).findOne());
    }

    /** Recharges the account if its balance is below its threshold; empty when nothing was needed or possible. */
    public Optional<Recharge> check(String accountSid) {
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        Optional<Settings> settings = settings(accountSid);
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        // the balance and the top-ups so far from one snapshot: a check that sees a recharge's top-up sees its money too
        record Standing(BigDecimal balance, long topUps) {
        }
        Standing standing = db.read(h -> h.createQuery("SELECT (SELECT balance FROM book_balances WHERE book = ?), "
                        + "(SELECT count(*) FROM ledger_transactions WHERE account_sid = ? AND kind = 'topup')")
                .bind(0, Ledger.customer(accountSid)).bind(1, accountSid)
                .map((rs, ctx) -> new Standing(Optional.ofNullable(rs.getBigDecimal(1)).orElse(BigDecimal.ZERO), rs.getLong(2))).one());
        BigDecimal balance = standing.balance();
        if (balance.compareTo(settings.get().threshold()) >= 0) {
            return Optional.empty();
        }
        String reference = "recharge:" + accountSid + ":" + (standing.topUps() + 1);
        BigDecimal amount = settings.get().target().subtract(balance).setScale(2, RoundingMode.CEILING);
        PaymentProvider.Payment payment = provider.get().charge(accountSid, amount, "USD", reference);
        if (!payment.succeeded()) {
            log.warn("auto-recharge of {} declined: {}", accountSid, payment.declineReason().orElse("no reason given"));
            return Optional.of(new Recharge(reference, payment, false));
        }
        boolean booked = ledger.topUp(accountSid, payment.amount(), reference);
        return Optional.of(new Recharge(reference, payment, booked));
    }
}

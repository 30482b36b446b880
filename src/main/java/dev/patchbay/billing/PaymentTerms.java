package dev.patchbay.billing;

import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * How an account pays: postpaid (the default; with an optional credit limit) or prepaid (it spends
 * a balance that top-ups fill). The policy engine asks {@link #allows} before every hand-off.
 * Thread-safe.
 */
public final class PaymentTerms {

    public enum Kind {
        PREPAID, POSTPAID
    }

    public record Terms(Kind kind, Optional<BigDecimal> creditLimit) {
        public static final Terms POSTPAID_UNLIMITED = new Terms(Kind.POSTPAID, Optional.empty());
    }

    private final Database db;

    public PaymentTerms(Database db) {
        this.db = db;
    }

    public void set(String accountSid, Terms terms) {
        db.inTransaction(h -> {
            h.createUpdate("DELETE FROM account_billing WHERE account_sid = ?").bind(0, accountSid).execute();
            h.createUpdate("INSERT INTO account_billing (account_sid, kind, credit_limit) VALUES (?, ?, ?)")
                    .bind(0, accountSid).bind(1, terms.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .bind(2, terms.creditLimit().orElse(null)).execute();
            return null;
        });
    }

    public Terms terms(String accountSid) {
        return db.read(h -> h.createQuery("SELECT kind, credit_limit FROM account_billing WHERE account_sid = ?").bind(0, accountSid)
                .map((rs, ctx) -> new Terms(Kind.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), Optional.ofNullable(rs.getBigDecimal(2))))
                .findOne()).orElse(Terms.POSTPAID_UNLIMITED);
    }

    /**
     * Whether the account may start more usage now: a prepaid account needs a balance above zero, a
     * postpaid one with a credit limit a balance above minus the limit. One read. Empty when allowed,
     * else the balance and what it must exceed.
     */
    public Optional<String> refusal(String accountSid) {
        return db.read(h -> h.createQuery("SELECT t.kind, t.credit_limit, b.balance FROM account_billing t "
                        + "LEFT JOIN book_balances b ON b.book = ? WHERE t.account_sid = ?")
                .bind(0, Ledger.customer(accountSid)).bind(1, accountSid)
                .map((rs, ctx) -> {
                    boolean prepaid = rs.getString(1).equals("prepaid");
                    BigDecimal limit = rs.getBigDecimal(2);
                    BigDecimal balance = Optional.ofNullable(rs.getBigDecimal(3)).orElse(BigDecimal.ZERO);
                    BigDecimal floor = prepaid ? BigDecimal.ZERO : limit == null ? null : limit.negate();
                    if (floor == null || balance.compareTo(floor) > 0) {
                        return Optional.<String>empty();
                    }
                    return Optional.of("balance " + balance.setScale(Rating.SCALE).toPlainString() + " is not above "
                            + floor.setScale(Rating.SCALE).toPlainString() + (prepaid ? " (prepaid)" : " (credit limit)"));
                }).findOne()).flatMap(o -> o);
    }
}

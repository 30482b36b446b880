package dev.patchbay.billing;

import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * How an account pays: postpaid (the default; with an optional credit limit) or prepaid (it spends
 * a balance that top-ups fill). {@link Spending} limits what live calls spend by these terms.
 * Thread-safe.
 */
public final class PaymentTerms {

    public enum Kind {
        PREPAID, POSTPAID
    }

    public record Terms(Kind kind, Optional<BigDecimal> creditLimit) {
        public static final Terms POSTPAID_UNLIMITED = new Terms(Kind.POSTPAID, Optional.empty());

        /** The terms an {@code account_billing} row holds ({@code kind} null: the account has no row, the default terms). */
        public static Terms stored(String kind, BigDecimal creditLimit) {
            return kind == null ? POSTPAID_UNLIMITED
                    : new Terms(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), Optional.ofNullable(creditLimit));
        }
    }

    private final Database db;
    private volatile Runnable changed = () -> { };

    public PaymentTerms(Database db) {
        this.db = db;
    }

    /** Who hears, after the commit, that a change here may alter a hand-off (the dispatcher's answers are read again). */
    public void onChange(Runnable listener) {
        this.changed = listener;
    }

    public void set(String accountSid, Terms terms) {
        db.inTransaction(h -> {
            h.createUpdate("DELETE FROM account_billing WHERE account_sid = ?").bind(0, accountSid).execute();
            h.createUpdate("INSERT INTO account_billing (account_sid, kind, credit_limit) VALUES (?, ?, ?)")
                    .bind(0, accountSid).bind(1, terms.kind().name().toLowerCase(Locale.ROOT))
                    .bind(2, terms.creditLimit().orElse(null)).execute();
            return null;
        });
        changed.run();
    }

    public Terms terms(String accountSid) {
        return db.read(h -> read(h, accountSid));
    }

    static Terms read(Handle h, String accountSid) {
        return h.createQuery("SELECT kind, credit_limit FROM account_billing WHERE account_sid = ?").bind(0, accountSid)
                .map((rs, ctx) -> Terms.stored(rs.getString(1), rs.getBigDecimal(2)))
                .findOne().orElse(Terms.POSTPAID_UNLIMITED);
    }
}

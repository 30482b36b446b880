package dev.patchbay.billing;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The double-entry ledger. Each charged segment posts one transaction: the customer's book is
 * debited the amount, and the amount is split between the module's developer and the platform's
 * commission (or goes wholly to the platform when no other developer's module was in control).
 * The commission is the module's rate, else its developer's, else the platform default; the split
 * rounds the commission half-up to {@link Rating#SCALE} decimals and gives the developer the rest,
 * so the parts always add up. Entries are never changed; balances are their sums.
 * Thread-safe.
 */
public final class Ledger {

    public static final String PLATFORM = "platform:revenue";
    /** The money customers paid in (top-ups): the other side of their prepaid balances. */
    public static final String CASH = "platform:cash";

    private final Database db;
    private final BigDecimal commission;
    private final Clock clock;

    /** {@code commission}: the platform's share of module charges, 0 to 1 (0.30 is 30%). */
    public Ledger(Database db, BigDecimal commission, Clock clock) {
        if (commission.signum() < 0 || commission.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("commission must be between 0 and 1, not " + commission);
        }
        this.db = db;
        this.commission = commission;
        this.clock = clock;
    }

    public static String customer(String accountSid) {
        return "customer:" + accountSid;
    }

    public static String developer(String accountSid) {
        return "developer:" + accountSid;
    }

    /** The two parts of a module charge: the developer's and the platform's. They add up to {@code amount}. */
    public record Split(BigDecimal developer, BigDecimal platform) {
    }

    /** The split at the platform's default commission. */
    public Split split(BigDecimal amount) {
        return split(amount, commission);
    }

    static Split split(BigDecimal amount, BigDecimal rate) {
        BigDecimal platform = amount.multiply(rate).setScale(Rating.SCALE, RoundingMode.HALF_UP);
        return new Split(amount.setScale(Rating.SCALE).subtract(platform), platform);
    }

    /**
     * Sets the platform's commission for a module ({@code MD...}) or a developer ({@code AC...}):
     * a module's rate wins over its developer's, which wins over the default. Applies to charges
     * posted from now on; posted ones never change.
     */
    public void setCommission(String subject, BigDecimal rate) {
        if (!subject.matches("(MD|AC)[0-9a-f]{32}")) {
            throw PatchbayException.InvalidParameter.invalid("Subject", subject, "a module SID (MD...) or an account SID (AC...)");
        }
        if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0 || rate.scale() > 6) {
            throw PatchbayException.InvalidParameter.invalid("Rate", rate.toPlainString(), "a decimal from 0 to 1 such as 0.20");
        }
        db.inTransaction(h -> {
            h.createUpdate("DELETE FROM commission_rates WHERE subject = ?").bind(0, subject).execute();
            h.createUpdate("INSERT INTO commission_rates (subject, rate) VALUES (?, ?)").bind(0, subject).bind(1, rate).execute();
            return null;
        });
    }

    /** The commission on a module's charges: the module's own rate, else its developer's, else the default. */
    BigDecimal commission(Handle h, Optional<String> moduleSid, String developerSid) {
        Map<String, BigDecimal> rates = new HashMap<>();
        h.createQuery("SELECT subject, rate FROM commission_rates WHERE subject IN (?, ?)").bind(0, moduleSid.orElse(developerSid)).bind(1, developerSid)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2))).list().forEach(e -> rates.put(e.getKey(), e.getValue()));
        return moduleSid.map(rates::get).or(() -> Optional.ofNullable(rates.get(developerSid))).orElse(commission);
    }

    /**
     * Posts a period's counted usage charge inside the closing transaction: the platform's revenue,
     * or split with the developer whose module's plan priced it.
     */
    void postUsage(Handle h, String reference, String accountSid, Optional<String> moduleSid, Optional<String> developerSid, String period,
                   BigDecimal amount) {
        post(h, "charge", reference, accountSid, null, moduleSid, developerSid, period, amount, "USD");
    }

    /** One charge posted and written at once, inside the caller's transaction. */
    private Optional<Split> post(Handle h, String kind, String reference, String accountSid, String callSid, Optional<String> moduleSid,
                                 Optional<String> developerSid, String period, BigDecimal amount, String currency) {
        Postings postings = postings(h);
        Optional<Split> split = postings.post(kind, reference, accountSid, callSid, moduleSid, developerSid, period, amount, currency);
        postings.write();
        return split;
    }

    /** Charges posted together inside one transaction (a rating batch), written as JDBC batches by {@link Postings#write}. */
    Postings postings(Handle h) {
        return new Postings(h);
    }

    /**
     * Charges for one transaction: each is a ledger transaction whose entries debit the customer and
     * credit the developer's share and the platform's commission (or the platform alone); the rows
     * go out as three batches and each customer's or developer's kept balance moves once by the sum
     * of its entries (books in order, so concurrent batches take their balance rows in one order).
     */
    final class Postings {
        private final Handle h;
        private final List<Object[]> transactions = new ArrayList<>();
        private final List<Object[]> entries = new ArrayList<>();
        private final Map<String, BigDecimal> moved = new TreeMap<>();
        private final Map<String, BigDecimal> commissions = new HashMap<>();

        private Postings(Handle h) {
            this.h = h;
        }

        /** Posts a charge of {@code kind}; returns the developer's and platform's parts when another developer's module earned it. */
        Optional<Split> post(String kind, String reference, String accountSid, String callSid, Optional<String> moduleSid,
                             Optional<String> developerSid, String period, BigDecimal amount, String currency) {
            String sid = Sids.next("LT");
            transactions.add(new Object[] {sid, kind, reference, accountSid, callSid, moduleSid.orElse(null), period, clock.millis()});
            add(sid, customer(accountSid), amount.negate(), currency);
            if (developerSid.isPresent() && !developerSid.get().equals(accountSid)) {
                BigDecimal rate = commissions.computeIfAbsent(moduleSid.orElse("") + "/" + developerSid.get(),
                        k -> commission(h, moduleSid, developerSid.get()));
                Split split = split(amount, rate);
                add(sid, developer(developerSid.get()), split.developer(), currency);
                add(sid, PLATFORM, split.platform(), currency);
                return Optional.of(split);
            }
            add(sid, PLATFORM, amount, currency);
            return Optional.empty();
        }

        private void add(String transaction, String book, BigDecimal amount, String currency) {
            BigDecimal value = amount.setScale(Rating.SCALE);
            entries.add(new Object[] {transaction, book, value, currency});
            if (!book.startsWith("platform:")) {
                moved.merge(book, value, BigDecimal::add);
            }
        }

        /** Writes everything posted, in the caller's transaction. */
        void write() {
            if (transactions.isEmpty()) {
                return;
            }
            Database.batch(h, "INSERT INTO ledger_transactions (sid, kind, reference, account_sid, call_sid, module_sid, period, date_created) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", transactions);
            Database.batch(h, "INSERT INTO ledger_entries (transaction_sid, book, amount, currency) VALUES (?, ?, ?, ?)", entries);
            List<Object[]> balances = moved.entrySet().stream().map(e -> new Object[] {e.getValue(), e.getKey()}).toList();
            int[] updated = Database.batch(h, "UPDATE book_balances SET balance = balance + ? WHERE book = ?", balances);
            List<Object[]> missing = new ArrayList<>();
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 0) {
                    missing.add(new Object[] {balances.get(i)[1], balances.get(i)[0]});
                }
            }
            Database.batch(h, "INSERT INTO book_balances (book, balance) VALUES (?, ?)", missing);
        }

    }

    /**
     * An entry, and the book's kept balance moved by it (in the same transaction). The platform's
     * books keep none: every charge touches them, and one hot row would order all calls' ratings;
     * their balances are summed when asked.
     */
    private static void entry(Handle h, String transaction, String book, BigDecimal amount, String currency) {
        BigDecimal value = amount.setScale(Rating.SCALE);
        h.createUpdate("INSERT INTO ledger_entries (transaction_sid, book, amount, currency) VALUES (?, ?, ?, ?)")
                .bind(0, transaction).bind(1, book).bind(2, value).bind(3, currency).execute();
        if (book.startsWith("platform:")) {
            return;
        }
        int moved = h.createUpdate("UPDATE book_balances SET balance = balance + ? WHERE book = ?").bind(0, value).bind(1, book).execute();
        if (moved == 0) {
            h.createUpdate("INSERT INTO book_balances (book, balance) VALUES (?, ?)").bind(0, book).bind(1, value).execute();
        }
    }

    /**
     * Charges a module's subscription for a period, once: the customer is debited the price and it
     * is split like a usage charge. Refused (false) when the account's terms do not allow the
     * debit (a prepaid balance below the price, a postpaid account that would pass its credit
     * limit); true when it is paid, now or before.
     */
    public boolean paySubscription(String accountSid, String moduleSid, String developerSid, String period, BigDecimal price, PaymentTerms.Terms terms) {
        String reference = "sub:" + accountSid + ":" + moduleSid + ":" + period;
        try {
            return paySubscriptionOnce(accountSid, moduleSid, developerSid, period, price, terms, reference);
        } catch (RuntimeException e) {
            if (Database.isDuplicateKey(e)) {
                return true;   // a concurrent hand-off paid it first
            }
            throw e;
        }
    }

    private boolean paySubscriptionOnce(String accountSid, String moduleSid, String developerSid, String period, BigDecimal price,
                                        PaymentTerms.Terms terms, String reference) {
        return db.inTransaction(h -> {
            if (h.createQuery("SELECT count(*) FROM ledger_transactions WHERE reference = ?").bind(0, reference).mapTo(Long.class).one() > 0) {
                return true;
            }
            BigDecimal balance = h.createQuery("SELECT balance FROM book_balances WHERE book = ?").bind(0, customer(accountSid))
                    .mapTo(BigDecimal.class).findOne().orElse(BigDecimal.ZERO);
            BigDecimal after = balance.subtract(price);
            boolean allowed = switch (terms.kind()) {
                case PREPAID -> after.signum() >= 0;
                case POSTPAID -> terms.creditLimit().map(limit -> after.compareTo(limit.negate()) >= 0).orElse(true);
            };
            if (!allowed) {
                return false;
            }
            post(h, "subscription", reference, accountSid, null, Optional.of(moduleSid), Optional.of(developerSid), period, price, "USD");
            return true;
        });
    }

    /**
     * Puts money on an account's prepaid balance (an operator's top-up, or a payment provider's):
     * the customer's book is credited and the platform's cash book debited. {@code reference}
     * makes it idempotent: a second top-up with the same reference changes nothing and returns false.
     */
    public boolean topUp(String accountSid, BigDecimal amount, String reference) {
        if (amount.signum() <= 0 || amount.scale() > Rating.SCALE) {
            throw PatchbayException.InvalidParameter.invalid("Amount", amount.toPlainString(), "a positive amount with at most 6 decimals");
        }
        try {
            return db.inTransaction(h -> {
                if (h.createQuery("SELECT count(*) FROM ledger_transactions WHERE reference = ?").bind(0, reference).mapTo(Long.class).one() > 0) {
                    return false;
                }
                String sid = Sids.next("LT");
                h.createUpdate("INSERT INTO ledger_transactions (sid, kind, reference, account_sid, period, date_created) VALUES (?, 'topup', ?, ?, ?, ?)")
                        .bind(0, sid).bind(1, reference).bind(2, accountSid)
                        .bind(3, Rating.period(clock.instant()))
                        .bind(4, clock.millis()).execute();
                entry(h, sid, customer(accountSid), amount, "USD");
                entry(h, sid, CASH, amount.negate(), "USD");
                return true;
            });
        } catch (RuntimeException e) {
            if (Database.isDuplicateKey(e)) {
                return false;   // a concurrent top-up with the same reference committed first
            }
            throw e;
        }
    }


    /** One entry as an account sees it. */
    public record Entry(String transactionSid, String kind, String book, BigDecimal amount, String currency, Optional<String> callSid,
                        Optional<String> moduleSid, String period, Instant dateCreated) {
    }

    /** The entries of the account's own books (as a customer and as a developer), newest first; never another account's. */
    public List<Entry> entries(String accountSid, int limit) {
        return db.read(h -> h.createQuery("SELECT t.sid, t.kind, e.book, e.amount, e.currency, t.call_sid, t.module_sid, t.period, t.date_created "
                        + "FROM ledger_entries e JOIN ledger_transactions t ON t.sid = e.transaction_sid WHERE e.book IN (?, ?) "
                        + "ORDER BY t.date_created DESC, t.sid, e.book LIMIT ?")
                .bind(0, customer(accountSid)).bind(1, developer(accountSid)).bind(2, limit)
                .map((rs, ctx) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4).setScale(Rating.SCALE),
                        rs.getString(5), Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)), rs.getString(8),
                        Instant.ofEpochMilli(rs.getLong(9)))).list());
    }

    /** A book's balance: the sum of its entries (kept with them; {@link #verify} checks they agree). */
    public BigDecimal balance(String book) {
        if (book.startsWith("platform:")) {
            return db.read(h -> h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE book = ?").bind(0, book)
                    .mapTo(BigDecimal.class).one()).setScale(Rating.SCALE);
        }
        return db.read(h -> h.createQuery("SELECT balance FROM book_balances WHERE book = ?").bind(0, book)
                .mapTo(BigDecimal.class).findOne()).orElse(BigDecimal.ZERO).setScale(Rating.SCALE);
    }

    /** What {@code billing verify} found: problems, each naming what is wrong (empty when the books balance). */
    public record Verification(long transactions, long entries, List<String> problems) {
    }

    /**
     * Checks the books: every transaction sums to zero, every charged segment has its transaction,
     * the customers' debits for charges equal the charges, every kept balance equals its entries,
     * and every closed invoice still equals what its account was charged in its period.
     */
    public Verification verify() {
        return db.read(h -> {
            long transactions = h.createQuery("SELECT count(*) FROM ledger_transactions").mapTo(Long.class).one();
            long entries = h.createQuery("SELECT count(*) FROM ledger_entries").mapTo(Long.class).one();
            List<String> problems = new ArrayList<>();
            h.createQuery("SELECT transaction_sid, SUM(amount) FROM ledger_entries GROUP BY transaction_sid HAVING SUM(amount) <> 0")
                    .map((rs, ctx) -> "transaction " + rs.getString(1) + " sums to " + rs.getBigDecimal(2).toPlainString()).list().forEach(problems::add);
            h.createQuery("SELECT c.segment_sid FROM segment_charges c WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.reference = c.segment_sid)")
                    .map((rs, ctx) -> "charged segment " + rs.getString(1) + " has no ledger transaction").list().forEach(problems::add);
            BigDecimal charged = h.createQuery("SELECT COALESCE(SUM(amount), 0) FROM segment_charges").mapTo(BigDecimal.class).one();
            BigDecimal debited = h.createQuery("SELECT COALESCE(-SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_transactions t "
                    + "ON t.sid = e.transaction_sid WHERE t.kind = 'charge' AND t.reference NOT LIKE 'usage:%' AND e.book LIKE 'customer:%'")
                    .mapTo(BigDecimal.class).one();
            if (charged.compareTo(debited) != 0) {
                problems.add("charges total " + charged.toPlainString() + " but customers were debited " + debited.toPlainString());
            }
            h.createQuery("SELECT b.book, b.balance, COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.book = b.book), 0) FROM book_balances b "
                            + "WHERE b.balance <> COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e.book = b.book), 0)")
                    .map((rs, ctx) -> "book " + rs.getString(1) + " shows " + rs.getBigDecimal(2).toPlainString() + " but its entries sum to "
                            + rs.getBigDecimal(3).toPlainString()).list().forEach(problems::add);
            // a closed period's invoices never change: late usage went to the next open period
            h.createQuery("SELECT i.account_sid, i.period, i.total, (SELECT COALESCE(-SUM(e.amount), 0) FROM ledger_entries e "
                            + "JOIN ledger_transactions t ON t.sid = e.transaction_sid WHERE t.account_sid = i.account_sid AND t.period = i.period "
                            + "AND t.kind IN ('charge', 'subscription') AND e.book = CONCAT('customer:', i.account_sid)) FROM invoices i")
                    .map((rs, ctx) -> rs.getBigDecimal(3).compareTo(rs.getBigDecimal(4)) == 0 ? null
                            : "closed invoice of " + rs.getString(1) + " for " + rs.getString(2) + " shows " + rs.getBigDecimal(3).toPlainString()
                            + " but its charges now sum to " + rs.getBigDecimal(4).toPlainString())
                    .list().stream().filter(Objects::nonNull).forEach(problems::add);
            return new Verification(transactions, entries, List.copyOf(problems));
        });
    }
}

package dev.patchbay.service;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;

/**
 * The verification code service (a Verify-like API): start a verification to a number (the code
 * is spoken to it by a voice call; SMS when messaging lands), then check a submitted code. A code
 * lives 10 minutes and allows 5 checks; a number gets at most 5 verifications in 10 minutes. Only
 * a SHA-256 of each code (salted with its verification's SID) is kept, and codes are never logged.
 * Thread-safe.
 */
public final class Verifications {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final int MAX_CHECKS = 5;
    static final int MAX_STARTS = 5;

    private final Database db;
    private final Clock clock;
    private final RandomGenerator random;
    private final Delivery delivery;

    /** How a new code reaches its number: a voice call from {@code from} (the platform's), or a test's recorder. */
    @FunctionalInterface
    public interface Delivery {
        void send(Verification verification, String from, String code);
    }

    /** {@code random} draws the codes (a SecureRandom on the platform). */
    public Verifications(Database db, Clock clock, RandomGenerator random, Delivery delivery) {
        this.db = db;
        this.clock = clock;
        this.random = random;
        this.delivery = delivery;
    }

    /** A verification as REST shows it: {@code status} pending, approved, canceled, expired or max_attempts_reached. */
    public record Verification(String sid, String accountSid, String to, String channel, String status, int attempts, Instant expiresAt,
                               Instant dateCreated, Instant dateUpdated) {
        public boolean valid() {
            return status.equals("approved");
        }
    }

    /**
     * Starts a verification: a new code of {@code codeLength} digits (4 to 10) is delivered to
     * {@code to}; an earlier pending verification to the same number is canceled. Refused (60203)
     * after 5 starts to one number in 10 minutes.
     */
    public Verification start(String accountSid, String to, String from, String channel, int codeLength) {
        if (!channel.equals("call")) {
            throw PatchbayException.InvalidParameter.invalid("Channel", channel, "call (sms when messaging lands)");
        }
        if (codeLength < 4 || codeLength > 10) {
            throw PatchbayException.InvalidParameter.invalid("CodeLength", Integer.toString(codeLength), "from 4 to 10");
        }
        Instant now = clock.instant();
        String sid = Sids.next("VE");
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < codeLength; i++) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        db.inTransaction(h -> {
            long recent = h.createQuery("SELECT count(*) FROM verifications WHERE account_sid = ? AND to_address = ? AND date_created > ?")
                    .bind(0, accountSid).bind(1, to).bind(2, now.minus(LIFETIME).toEpochMilli()).mapTo(Long.class).one();
            if (recent >= MAX_STARTS) {
                throw new PatchbayException.Conflict(60203, "Max send attempts reached: " + MAX_STARTS + " verifications to " + to
                        + " in 10 minutes");
            }
            h.createUpdate("UPDATE verifications SET status = 'canceled', date_updated = ? WHERE account_sid = ? AND to_address = ? AND status = 'pending'")
                    .bind(0, now.toEpochMilli()).bind(1, accountSid).bind(2, to).execute();
            h.createUpdate("INSERT INTO verifications (sid, account_sid, to_address, channel, code_hash, status, attempts, expires_at, date_created, "
                            + "date_updated) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)")
                    .bind(0, sid).bind(1, accountSid).bind(2, to).bind(3, channel).bind(4, Secrets.hash(sid, code.toString()))
                    .bind(5, now.plus(LIFETIME).toEpochMilli()).bind(6, now.toEpochMilli()).bind(7, now.toEpochMilli()).execute();
            return null;
        });
        Verification v = find(accountSid, sid).orElseThrow();
        delivery.send(v, from, code.toString());
        return v;
    }

    /**
     * Checks a code against the number's pending verification: approved when it matches; a wrong
     * code stays pending until the fifth check, which ends it (max_attempts_reached, 60202). No
     * pending verification (never started, approved, expired): 404 (20404), as Verify answers.
     */
    public Verification check(String accountSid, String to, String code) {
        Instant now = clock.instant();
        Optional<Verification> checked = db.inTransaction(h -> {
            Optional<Verification> pending = h.createQuery("SELECT sid FROM verifications WHERE account_sid = ? AND to_address = ? "
                            + "AND status = 'pending' ORDER BY date_created DESC FOR UPDATE")
                    .bind(0, accountSid).bind(1, to).mapTo(String.class).findFirst().flatMap(sid -> read(h, accountSid, sid));
            if (pending.isEmpty()) {
                return Optional.<Verification>empty();
            }
            Verification v = pending.get();
            if (!now.isBefore(v.expiresAt())) {
                update(h, v.sid(), "expired", v.attempts(), now);   // kept: the 404 is answered after the commit
                return Optional.<Verification>empty();
            }
            String stored = h.createQuery("SELECT code_hash FROM verifications WHERE sid = ?").bind(0, v.sid()).mapTo(String.class).one();
            int attempts = v.attempts() + 1;
            boolean right = Secrets.same(stored, Secrets.hash(v.sid(), code.trim()));
            String status = right ? "approved" : attempts >= MAX_CHECKS ? "max_attempts_reached" : "pending";
            update(h, v.sid(), status, attempts, now);
            return read(h, accountSid, v.sid());
        });
        return checked.orElseThrow(() -> new PatchbayException.NotFound("/Verifications for " + to));
    }

    public Optional<Verification> find(String accountSid, String sid) {
        return db.read(h -> read(h, accountSid, sid));
    }

    private static void update(Handle h, String sid, String status, int attempts, Instant now) {
        h.createUpdate("UPDATE verifications SET status = ?, attempts = ?, date_updated = ? WHERE sid = ?")
                .bind(0, status).bind(1, attempts).bind(2, now.toEpochMilli()).bind(3, sid).execute();
    }

    private static Optional<Verification> read(Handle h, String accountSid, String sid) {
        return h.createQuery("SELECT sid, account_sid, to_address, channel, status, attempts, expires_at, date_created, date_updated "
                        + "FROM verifications WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, accountSid)
                .map((rs, ctx) -> new Verification(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9))))
                .findOne();
    }

    /** The words a voice call says for {@code code}: each digit apart, twice. */
    public static String spoken(String code) {
        String digits = String.join(", ", code.split(""));
        return "Your verification code is " + digits + ". Again, your code is " + digits + ".";
    }
}

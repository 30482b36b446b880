package dev.patchbay.service;

import dev.patchbay.PatchbayException;
import dev.patchbay.billing.Rating;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A calling-card module's cards: a PIN (only its salted hash is kept) and the balance left. Thread-safe. */
public final class CallingCards {

    private final Database db;
    private final Clock clock;

    public CallingCards(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public record Card(String sid, String moduleSid, BigDecimal balance, Instant dateCreated, Instant dateUpdated) {
    }

    /** Issues a card with {@code pin} (4 to 8 digits, unique in the module) and {@code balance}. */
    public Card issue(String moduleSid, String pin, BigDecimal balance) {
        if (!pin.matches("[0-9]{4,8}")) {
            throw PatchbayException.InvalidParameter.invalid("Pin", "****", "4 to 8 digits");
        }
        String sid = Sids.next("CC");
        Instant now = clock.instant();
        try {
            db.write(h -> h.createUpdate("INSERT INTO calling_cards (sid, module_sid, pin_hash, balance, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(0, sid).bind(1, moduleSid).bind(2, Secrets.hash(moduleSid, pin)).bind(3, balance).bind(4, now.toEpochMilli())
                    .bind(5, now.toEpochMilli()).execute());
        } catch (RuntimeException e) {
            if (Database.isDuplicateKey(e)) {
                throw new PatchbayException.Conflict(20409, "Pin: another card of this module has it");
            }
            throw e;
        }
        return find(moduleSid, sid).orElseThrow();
    }

    public List<Card> list(String moduleSid) {
        return db.read(h -> h.createQuery("SELECT sid, module_sid, balance, date_created, date_updated FROM calling_cards WHERE module_sid = ? "
                + "ORDER BY date_created, sid").bind(0, moduleSid).map((rs, ctx) -> card(rs)).list());
    }

    public Optional<Card> find(String moduleSid, String sid) {
        return db.read(h -> h.createQuery("SELECT sid, module_sid, balance, date_created, date_updated FROM calling_cards WHERE module_sid = ? AND sid = ?")
                .bind(0, moduleSid).bind(1, sid).map((rs, ctx) -> card(rs)).findOne());
    }

    /** The card a caller's PIN opens. */
    Optional<Card> byPin(String moduleSid, String pin) {
        return db.read(h -> h.createQuery("SELECT sid, module_sid, balance, date_created, date_updated FROM calling_cards WHERE module_sid = ? "
                + "AND pin_hash = ?").bind(0, moduleSid).bind(1, Secrets.hash(moduleSid, pin)).map((rs, ctx) -> card(rs)).findOne());
    }

    /** Takes what a call cost off the card, never below zero. */
    void spend(String moduleSid, String sid, BigDecimal amount) {
        db.write(h -> h.createUpdate("UPDATE calling_cards SET balance = CASE WHEN balance > ? THEN balance - ? ELSE 0 END, date_updated = ? "
                        + "WHERE module_sid = ? AND sid = ?")
                .bind(0, amount).bind(1, amount).bind(2, clock.millis()).bind(3, moduleSid).bind(4, sid).execute());
    }

    private static Card card(ResultSet rs) throws SQLException {
        return new Card(rs.getString(1), rs.getString(2), rs.getBigDecimal(3).setScale(Rating.SCALE),
                Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)));
    }
}

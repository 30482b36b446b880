package dev.patchbay.endpoint;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Outbound trunks per account, plus the platform-wide one; picks a trunk for a number by longest prefix. Thread-safe. */
public final class Trunks {

    private static final String COLUMNS = "sid, account_sid, friendly_name, prefix, termination_uri, username, password, date_created, date_updated";

    private final Database db;
    private final Clock clock;
    private final Optional<Trunk> platform;

    public Trunks(Database db, Clock clock, Optional<Trunk> platform) {
        this.db = db;
        this.clock = clock;
        this.platform = platform;
    }

    public Trunk create(Account owner, String friendlyName, String prefix, String terminationUri, Optional<String> username,
                        Optional<String> password) {
        if (!prefix.matches("\\+[0-9]{0,15}")) {
            throw PatchbayException.InvalidParameter.invalid("Prefix", prefix, "'+' followed by up to 15 digits");
        }
        validateUri(terminationUri);
        if (username.isPresent() != password.isPresent()) {
            throw new PatchbayException.InvalidParameter(20001, "Username and Password go together");
        }
        Instant now = clock.instant();
        Trunk t = new Trunk(Sids.next("TK"), Optional.of(owner.sid()), friendlyName, prefix, terminationUri, username, password, now, now);
        db.write(h -> h.createUpdate("INSERT INTO outbound_trunks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, t.sid()).bind(1, owner.sid()).bind(2, friendlyName).bind(3, prefix).bind(4, terminationUri)
                .bind(5, username.orElse(null)).bind(6, password.orElse(null)).bind(7, now.toEpochMilli()).bind(8, now.toEpochMilli())
                .execute());
        return t;
    }

    public static void validateUri(String uri) {
        if (!uri.matches("(?i)sips?:[^\\s@]*@?[A-Za-z0-9.\\-\\[\\]:]+(;[^\\s]*)?")) {
            throw PatchbayException.InvalidParameter.invalid("TerminationUri", uri, "a SIP URI such as sip:gateway.example.com:5060");
        }
    }

    public List<Trunk> list(Account owner) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbound_trunks WHERE account_sid = ? ORDER BY date_created, sid")
                .bind(0, owner.sid()).map((rs, ctx) -> map(rs)).list());
    }

    public Trunk require(Account owner, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbound_trunks WHERE sid = ? AND account_sid = ?")
                        .bind(0, sid).bind(1, owner.sid()).map((rs, ctx) -> map(rs)).findOne())
                .orElseThrow(() -> new PatchbayException.NotFound("/Trunks/" + sid));
    }

    public void delete(Account owner, String sid) {
        int n = db.write(h -> h.createUpdate("DELETE FROM outbound_trunks WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, owner.sid()).execute());
        if (n == 0) {
            throw new PatchbayException.NotFound("/Trunks/" + sid);
        }
    }

    /** The account's trunk with the longest prefix of {@code number}, else the platform's. */
    public Optional<Trunk> forNumber(String accountSid, String number) {
        List<Trunk> own = db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbound_trunks WHERE account_sid = ?")
                .bind(0, accountSid).map((rs, ctx) -> map(rs)).list());
        return own.stream().filter(t -> number.startsWith(t.prefix()))
                .max(Comparator.comparingInt(t -> t.prefix().length()))
                .or(() -> platform.filter(t -> number.startsWith(t.prefix())));
    }

    /** The SIP URI that reaches {@code number} through {@code trunk}: the number as the user part of the trunk's URI. */
    public static String uriFor(Trunk trunk, String number) {
        String uri = trunk.terminationUri();
        int colon = uri.indexOf(':');
        String rest = uri.substring(colon + 1);
        int at = rest.indexOf('@');
        String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
        return uri.substring(0, colon + 1) + number + "@" + hostPart;
    }

    private static Trunk map(ResultSet rs) throws SQLException {
        return new Trunk(rs.getString(1), Optional.of(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)),
                Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)));
    }
}

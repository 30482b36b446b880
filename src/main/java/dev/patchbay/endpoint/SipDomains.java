package dev.patchbay.endpoint;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registrar's data: SIP domains, their credentials (as digest HA1 with the domain name as
 * realm), and live registrations. Registrations are rows in the shared store, so a user agent
 * registered through one node is reachable from every node. Thread-safe.
 */
public final class SipDomains {

    private static final String DOMAIN_COLUMNS = "sid, account_sid, domain_name, friendly_name, date_created, date_updated";
    private static final String CREDENTIAL_COLUMNS = "sid, account_sid, domain_sid, username, date_created, date_updated";

    private final Database db;
    private final Clock clock;

    public SipDomains(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public SipDomain create(Account owner, String domainName, String friendlyName) {
        String name = domainName.toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw PatchbayException.InvalidParameter.invalid("DomainName", domainName, "a host name such as acme.sip.example.com");
        }
        Instant now = clock.instant();
        SipDomain d = new SipDomain(Sids.next("SD"), owner.sid(), name, friendlyName, now, now);
        boolean taken = db.read(h -> h.createQuery("SELECT COUNT(*) FROM sip_domains WHERE domain_name = ?").bind(0, name).mapTo(Integer.class).one()) > 0;
        if (taken) {
            throw new PatchbayException.Conflict(21232, "The domain name " + name + " is already in use");
        }
        db.write(h -> h.createUpdate("INSERT INTO sip_domains (" + DOMAIN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, d.sid()).bind(1, owner.sid()).bind(2, name).bind(3, friendlyName).bind(4, now.toEpochMilli()).bind(5, now.toEpochMilli())
                .execute());
        return d;
    }

    public List<SipDomain> list(Account owner) {
        return db.read(h -> h.createQuery("SELECT " + DOMAIN_COLUMNS + " FROM sip_domains WHERE account_sid = ? ORDER BY date_created, sid")
                .bind(0, owner.sid()).map((rs, ctx) -> domain(rs)).list());
    }

    public SipDomain require(Account owner, String sid) {
        return db.read(h -> h.createQuery("SELECT " + DOMAIN_COLUMNS + " FROM sip_domains WHERE sid = ? AND account_sid = ?")
                        .bind(0, sid).bind(1, owner.sid()).map((rs, ctx) -> domain(rs)).findOne())
                .orElseThrow(() -> new PatchbayException.NotFound("/SIP/Domains/" + sid));
    }

    public Optional<SipDomain> byName(String domainName) {
        return db.read(h -> h.createQuery("SELECT " + DOMAIN_COLUMNS + " FROM sip_domains WHERE domain_name = ?")
                .bind(0, domainName.toLowerCase(Locale.ROOT)).map((rs, ctx) -> domain(rs)).findOne());
    }

    public SipCredential addCredential(SipDomain domain, String username, String password) {
        if (!username.matches("[A-Za-z0-9_.@+-]{1,128}")) {
            throw PatchbayException.InvalidParameter.invalid("Username", username, "1 to 128 letters, digits or _ . @ + -");
        }
        if (password.length() < 12 || !password.matches(".*[0-9].*") || !password.matches(".*[a-z].*") || !password.matches(".*[A-Z].*")) {
            throw new PatchbayException.InvalidParameter(21204,
                    "Password must be at least 12 characters with a digit, a lowercase and an uppercase letter");
        }
        Instant now = clock.instant();
        SipCredential c = new SipCredential(Sids.next("CR"), domain.accountSid(), domain.sid(), username, now, now);
        boolean taken = db.read(h -> h.createQuery("SELECT COUNT(*) FROM sip_credentials WHERE domain_sid = ? AND username = ?")
                .bind(0, domain.sid()).bind(1, username).mapTo(Integer.class).one()) > 0;
        if (taken) {
            throw new PatchbayException.Conflict(21202, "The user name " + username + " already exists in " + domain.domainName());
        }
        db.write(h -> h.createUpdate("INSERT INTO sip_credentials (sid, account_sid, domain_sid, username, ha1, date_created, date_updated) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, c.sid()).bind(1, c.accountSid()).bind(2, domain.sid()).bind(3, username)
                .bind(4, Digest.ha1(username, domain.domainName(), password)).bind(5, now.toEpochMilli()).bind(6, now.toEpochMilli()).execute());
        return c;
    }

    public List<SipCredential> credentials(SipDomain domain) {
        return db.read(h -> h.createQuery("SELECT " + CREDENTIAL_COLUMNS + " FROM sip_credentials WHERE domain_sid = ? ORDER BY username")
                .bind(0, domain.sid()).map((rs, ctx) -> new SipCredential(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)))).list());
    }

    public void removeCredential(SipDomain domain, String credentialSid) {
        db.inTransaction(h -> {
            Optional<String> user = h.createQuery("SELECT username FROM sip_credentials WHERE sid = ? AND domain_sid = ?")
                    .bind(0, credentialSid).bind(1, domain.sid()).mapTo(String.class).findOne();
            if (user.isEmpty()) {
                throw new PatchbayException.NotFound("/SIP/Domains/" + domain.sid() + "/Credentials/" + credentialSid);
            }
            h.createUpdate("DELETE FROM sip_registrations WHERE domain_sid = ? AND username = ?").bind(0, domain.sid()).bind(1, user.get()).execute();
            h.createUpdate("DELETE FROM sip_credentials WHERE sid = ?").bind(0, credentialSid).execute();
            return null;
        });
    }

    /** The HA1 to check a REGISTER's digest against, if the user exists in the domain. */
    public Optional<String> ha1(SipDomain domain, String username) {
        return db.read(h -> h.createQuery("SELECT ha1 FROM sip_credentials WHERE domain_sid = ? AND username = ?")
                .bind(0, domain.sid()).bind(1, username).mapTo(String.class).findOne());
    }

    /** Adds or refreshes a contact; {@code expiresSeconds} 0 removes it. */
    public void register(SipDomain domain, String username, String contact, int expiresSeconds, String nodeId) {
        long now = clock.millis();
        db.inTransaction(h -> {
            h.createUpdate("DELETE FROM sip_registrations WHERE domain_sid = ? AND username = ? AND contact = ?")
                    .bind(0, domain.sid()).bind(1, username).bind(2, contact).execute();
            if (expiresSeconds > 0) {
                h.createUpdate("INSERT INTO sip_registrations (domain_sid, account_sid, username, contact, expires_at, node_id) VALUES (?, ?, ?, ?, ?, ?)")
                        .bind(0, domain.sid()).bind(1, domain.accountSid()).bind(2, username).bind(3, contact)
                        .bind(4, now + expiresSeconds * 1000L).bind(5, nodeId).execute();
            }
            return null;
        });
    }

    /** Removes every contact of a user (REGISTER with {@code Contact: *} and Expires 0). */
    public void unregisterAll(SipDomain domain, String username) {
        db.write(h -> h.createUpdate("DELETE FROM sip_registrations WHERE domain_sid = ? AND username = ?")
                .bind(0, domain.sid()).bind(1, username).execute());
    }

    /** Live contacts of {@code username} in any of the account's domains. */
    public List<String> contacts(String accountSid, String username) {
        return db.read(h -> h.createQuery("SELECT contact FROM sip_registrations WHERE account_sid = ? AND username = ? AND expires_at > ? ORDER BY contact")
                .bind(0, accountSid).bind(1, username).bind(2, clock.millis()).mapTo(String.class).list());
    }

    /** Live contacts of {@code username} in one domain (what a REGISTER's 200 OK lists). */
    public List<String> contacts(SipDomain domain, String username) {
        return db.read(h -> h.createQuery("SELECT contact FROM sip_registrations WHERE domain_sid = ? AND username = ? AND expires_at > ? ORDER BY contact")
                .bind(0, domain.sid()).bind(1, username).bind(2, clock.millis()).mapTo(String.class).list());
    }

    private static SipDomain domain(ResultSet rs) throws SQLException {
        return new SipDomain(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)));
    }
}

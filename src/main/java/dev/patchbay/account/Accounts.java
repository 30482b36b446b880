package dev.patchbay.account;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Accounts, subaccounts and API keys: creation, lookup, credentials. Shared by the REST API and
 * the CLI. Thread-safe; all state is in the database.
 */
public final class Accounts {

    private static final String COLUMNS = "sid, parent_sid, friendly_name, auth_token, status, date_created, date_updated";

    private final Database db;
    private final Clock clock;
    private volatile Runnable changed = () -> { };

    public Accounts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Who hears, after the commit, that a change here may alter a hand-off (the dispatcher's answers are read again). */
    public void onChange(Runnable listener) {
        this.changed = listener;
    }

    /** Creates a top-level account (operators only: the CLI and first start). */
    public Account create(String friendlyName) {
        return insert(Sids.next("AC"), Optional.empty(), friendlyName, Sids.randomHex(16));
    }

    /** Creates a top-level account with a fixed SID and token, for scripted set-ups. */
    public Account createWithCredentials(String sid, String authToken, String friendlyName) {
        if (!Sids.looksLike("AC", sid)) {
            throw PatchbayException.InvalidParameter.invalid("AccountSid", sid, "AC followed by 32 lowercase hex digits");
        }
        if (authToken.length() < 16 || authToken.length() > 64) {
            throw PatchbayException.InvalidParameter.invalid("AuthToken", "(hidden)", "16 to 64 characters long");
        }
        return insert(sid, Optional.empty(), friendlyName, authToken);
    }

    public Account createSubaccount(Account parent, String friendlyName) {
        return insert(Sids.next("AC"), Optional.of(parent.sid()), friendlyName, Sids.randomHex(16));
    }

    private Account insert(String sid, Optional<String> parent, String friendlyName, String token) {
        Instant now = clock.instant();
        Account account = new Account(sid, parent, friendlyName, token, AccountStatus.ACTIVE, now, now);
        db.inTransaction(h -> h.createUpdate("INSERT INTO accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, sid).bind(1, parent.orElse(null)).bind(2, friendlyName).bind(3, token)
                .bind(4, account.status().wire()).bind(5, now.toEpochMilli()).bind(6, now.toEpochMilli())
                .execute());
        return account;
    }

    public Optional<Account> find(String sid) {
        return db.read(h -> find(h, sid));
    }

    static Optional<Account> find(Handle h, String sid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE sid = ?")
                .bind(0, sid).map((rs, ctx) -> map(rs)).findOne();
    }

    /** The account itself when {@code viewer} may see it (itself or a subaccount), else nothing. */
    public Optional<Account> findVisible(Account viewer, String sid) {
        return find(sid).filter(a -> a.sid().equals(viewer.sid()) || a.parentSid().equals(Optional.of(viewer.sid())));
    }

    public Account require(Account viewer, String sid) {
        return findVisible(viewer, sid).orElseThrow(() -> new PatchbayException.NotFound("/Accounts/" + sid));
    }

    public boolean isEmpty() {
        return db.read(h -> h.createQuery("SELECT count(*) FROM accounts").mapTo(Long.class).one()) == 0;
    }

    /** Every top-level account, oldest first (operator view). */
    public List<Account> listTopLevel() {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM accounts WHERE parent_sid IS NULL ORDER BY date_created, sid")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** The viewer and its subaccounts, with optional filters, oldest first. */
    public Page<Account> listVisible(Account viewer, Optional<String> friendlyName, Optional<AccountStatus> status,
                                     int page, int pageSize) {
        String where = " FROM accounts WHERE (sid = :viewer OR parent_sid = :viewer)"
                + (friendlyName.isPresent() ? " AND friendly_name = :name" : "")
                + (status.isPresent() ? " AND status = :status" : "");
        return db.read(h -> {
            List<Account> items = h.createQuery("SELECT " + COLUMNS + where + " ORDER BY date_created, sid LIMIT :limit OFFSET :offset")
                    .bind("viewer", viewer.sid())
                    .bind("name", friendlyName.orElse(null))
                    .bind("status", status.map(AccountStatus::wire).orElse(null))
                    .bind("limit", pageSize + 1).bind("offset", (long) page * pageSize)
                    .map((rs, ctx) -> map(rs)).list();
            return Page.of(items, page, pageSize);
        });
    }

    /** Changes name and/or status; a closed account stays closed. */
    public Account update(Account account, Optional<String> friendlyName, Optional<AccountStatus> status) {
        if (account.status() == AccountStatus.CLOSED && status.isPresent() && status.get() != AccountStatus.CLOSED) {
            throw new PatchbayException.Conflict(20006, "Account " + account.sid() + " is closed and cannot be reopened");
        }
        Instant now = clock.instant();
        Account updated = new Account(account.sid(), account.parentSid(), friendlyName.orElse(account.friendlyName()),
                account.authToken(), status.orElse(account.status()), account.dateCreated(), now);
        db.inTransaction(h -> h.createUpdate("UPDATE accounts SET friendly_name = ?, status = ?, date_updated = ? WHERE sid = ?")
                .bind(0, updated.friendlyName()).bind(1, updated.status().wire()).bind(2, now.toEpochMilli())
                .bind(3, account.sid()).execute());
        changed.run();
        return updated;
    }

    /**
     * The account whose credentials these are: an AccountSid with its auth token, or an API key
     * SID with its secret. Comparison is constant-time. Closed accounts never authenticate.
     */
    public Optional<Account> authenticate(String user, String password) {
        Optional<Account> account;
        if (user.startsWith("SK")) {
            account = db.read(h -> h.createQuery("SELECT account_sid, secret_sha256 FROM api_keys WHERE sid = ?")
                    .bind(0, user)
                    .map((rs, ctx) -> constantTimeEquals(rs.getString(2), sha256(password)) ? rs.getString(1) : null)
                    .findOne()
                    .flatMap(Optional::ofNullable)
                    .flatMap(sid -> find(h, sid)));
        } else {
            account = find(user).filter(a -> constantTimeEquals(a.authToken(), password));
        }
        return account.filter(a -> a.status() != AccountStatus.CLOSED);
    }

    /** Creates an API key; the secret is returned this once and only its hash is kept. */
    public CreatedKey createKey(Account account, String friendlyName) {
        Instant now = clock.instant();
        String secret = Sids.randomHex(16);
        ApiKey key = new ApiKey(Sids.next("SK"), account.sid(), friendlyName, now, now);
        db.inTransaction(h -> h.createUpdate("INSERT INTO api_keys (sid, account_sid, friendly_name, secret_sha256, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, key.sid()).bind(1, key.accountSid()).bind(2, friendlyName).bind(3, sha256(secret))
                .bind(4, now.toEpochMilli()).bind(5, now.toEpochMilli()).execute());
        return new CreatedKey(key, secret);
    }

    public List<ApiKey> keys(Account account) {
        return db.read(h -> h.createQuery("SELECT sid, account_sid, friendly_name, date_created, date_updated FROM api_keys WHERE account_sid = ? ORDER BY date_created, sid")
                .bind(0, account.sid())
                .map((rs, ctx) -> new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5))))
                .list());
    }

    public boolean deleteKey(Account account, String keySid) {
        return db.inTransaction(h -> h.createUpdate("DELETE FROM api_keys WHERE sid = ? AND account_sid = ?")
                .bind(0, keySid).bind(1, account.sid()).execute()) == 1;
    }

    /** An API key just created, with the secret that will not be shown again. */
    public record CreatedKey(ApiKey key, String secret) {
        @Override
        public String toString() {
            return "CreatedKey[" + key.sid() + "]";
        }
    }

    private static Account map(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getString(3), rs.getString(4),
                AccountStatus.parse(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

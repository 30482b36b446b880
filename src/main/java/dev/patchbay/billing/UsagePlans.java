package dev.patchbay.billing;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Usage plans and their versions. A developer (or the operator) owns a plan; saving a new
 * definition makes a new version and keeps the old ones, since an installation agreed to the
 * version in force when it was made. Definitions are validated on save ({@link PlanDocument}).
 * Thread-safe.
 */
public final class UsagePlans {

    private static final String SELECT = "SELECT p.sid, p.account_sid, p.friendly_name, v.version, v.definition, p.date_created, p.date_updated "
            + "FROM usage_plans p JOIN usage_plan_versions v ON v.plan_sid = p.sid ";

    private final Database db;
    private final Clock clock;
    /** Saved versions never change, so each is read and parsed once. */
    private final Map<String, Version> versions = new ConcurrentHashMap<>();

    public UsagePlans(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A plan version as stored: the definition as written and as parsed. */
    public record Version(String sid, String accountSid, String friendlyName, int version, String definition, UsagePlan plan,
                          Instant dateCreated, Instant dateUpdated) {
    }

    public Version create(Account owner, String friendlyName, String definition) {
        PlanDocument.parse(definition);
        String sid = Sids.next("UP");
        Instant now = clock.instant();
        db.inTransaction(h -> {
            h.createUpdate("INSERT INTO usage_plans (sid, account_sid, friendly_name, version, date_created, date_updated) VALUES (?, ?, ?, 1, ?, ?)")
                    .bind(0, sid).bind(1, owner.sid()).bind(2, friendlyName).bind(3, now.toEpochMilli()).bind(4, now.toEpochMilli()).execute();
            h.createUpdate("INSERT INTO usage_plan_versions (plan_sid, version, definition, date_created) VALUES (?, 1, ?, ?)")
                    .bind(0, sid).bind(1, definition).bind(2, now.toEpochMilli()).execute();
            return null;
        });
        return require(owner, sid);
    }

    /** Saves the next version; installations keep the version they agreed to. */
    public Version update(Account owner, String sid, Optional<String> friendlyName, Optional<String> definition) {
        Version current = require(owner, sid);
        definition.ifPresent(PlanDocument::parse);
        Instant now = clock.instant();
        db.inTransaction(h -> {
            int version = current.version() + (definition.isPresent() ? 1 : 0);
            int n = h.createUpdate("UPDATE usage_plans SET friendly_name = ?, version = ?, date_updated = ? WHERE sid = ? AND account_sid = ? AND version = ?")
                    .bind(0, friendlyName.orElse(current.friendlyName())).bind(1, version).bind(2, now.toEpochMilli()).bind(3, sid)
                    .bind(4, owner.sid()).bind(5, current.version()).execute();
            if (n == 0) {
                throw new PatchbayException.Conflict(20409, "Usage plan " + sid + " was changed by another request; read it again and retry");
            }
            definition.ifPresent(d -> h.createUpdate("INSERT INTO usage_plan_versions (plan_sid, version, definition, date_created) VALUES (?, ?, ?, ?)")
                    .bind(0, sid).bind(1, version).bind(2, d).bind(3, now.toEpochMilli()).execute());
            return null;
        });
        return require(owner, sid);
    }

    public Version require(Account owner, String sid) {
        return current(sid).filter(v -> v.accountSid().equals(owner.sid()))
                .orElseThrow(() -> new PatchbayException.NotFound("/UsagePlans/" + sid));
    }

    public List<Version> list(Account owner) {
        return db.read(h -> h.createQuery(SELECT + "AND v.version = p.version WHERE p.account_sid = ? ORDER BY p.date_created, p.sid")
                .bind(0, owner.sid()).map((rs, ctx) -> map(rs)).list());
    }

    /** The version in force, whoever owns it (what the marketplace shows and an installation agrees to). */
    public Optional<Version> current(String sid) {
        return db.read(h -> h.createQuery(SELECT + "AND v.version = p.version WHERE p.sid = ?").bind(0, sid)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    /** One saved version (what an installation agreed to); versions are immutable, so this is cached. */
    public Optional<Version> version(String sid, int version) {
        Version known = versions.get(sid + ":" + version);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Version> read = readVersion(sid, version);
        read.ifPresent(v -> versions.put(sid + ":" + version, v));
        return read;
    }

    private Optional<Version> readVersion(String sid, int version) {
        return db.read(h -> h.createQuery(SELECT + "WHERE p.sid = ? AND v.version = ?").bind(0, sid).bind(1, version)
                .map((rs, ctx) -> map(rs)).findOne());
    }

    private static Version map(ResultSet rs) throws SQLException {
        String definition = rs.getString(5);
        return new Version(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), definition, PlanDocument.parse(definition),
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }
}

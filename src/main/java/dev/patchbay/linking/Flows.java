package dev.patchbay.linking;

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
import org.jdbi.v3.core.Handle;

/**
 * Flows and their versions. Saving validates the definition against the modules it names and
 * the account's installations; every save is a new version and the old ones are kept, because a
 * live call keeps running the version it started with. Thread-safe.
 */
public final class Flows {

    private static final String SELECT = "SELECT f.sid, f.account_sid, f.friendly_name, v.version, v.definition, f.date_created, f.date_updated "
            + "FROM flows f JOIN flow_versions v ON v.flow_sid = f.sid ";

    private final Database db;
    private final Modules modules;
    private final Clock clock;

    public Flows(Database db, Modules modules, Clock clock) {
        this.db = db;
        this.modules = modules;
        this.clock = clock;
    }

    public Flow create(Account owner, String friendlyName, String definition) {
        Map<String, Module> used = validate(owner, definition);
        String sid = Sids.next("FW");
        Instant now = clock.instant();
        db.inTransaction(h -> {
            h.createUpdate("INSERT INTO flows (sid, account_sid, friendly_name, version, date_created, date_updated) VALUES (?, ?, ?, 1, ?, ?)")
                    .bind(0, sid).bind(1, owner.sid()).bind(2, friendlyName).bind(3, now.toEpochMilli()).bind(4, now.toEpochMilli()).execute();
            saveVersion(h, sid, 1, definition, used, now);
            return null;
        });
        return require(owner, sid);
    }

    /** A new version (when {@code definition} is given) and/or a new name; calls already running keep their version. */
    public Flow update(Account owner, String sid, Optional<String> friendlyName, Optional<String> definition) {
        Flow current = require(owner, sid);
        Optional<Map<String, Module>> used = definition.map(d -> validate(owner, d));
        Instant now = clock.instant();
        db.inTransaction(h -> {
            int version = current.version() + (definition.isPresent() ? 1 : 0);
            int n = h.createUpdate("UPDATE flows SET friendly_name = ?, version = ?, date_updated = ? WHERE sid = ? AND account_sid = ? AND version = ?")
                    .bind(0, friendlyName.orElse(current.friendlyName())).bind(1, version).bind(2, now.toEpochMilli())
                    .bind(3, sid).bind(4, owner.sid()).bind(5, current.version()).execute();
            if (n == 0) {
                throw new PatchbayException.Conflict(20409, "Flow " + sid + " was changed by another request; read it again and retry");
            }
            if (definition.isPresent()) {
                saveVersion(h, sid, version, definition.get(), used.get(), now);
            }
            return null;
        });
        return require(owner, sid);
    }

    /** Deletes a flow no number routes to (20409 otherwise). */
    public void delete(Account owner, String sid) {
        require(owner, sid);
        db.inTransaction(h -> {
            long numbers = h.createQuery("SELECT count(*) FROM incoming_phone_numbers WHERE voice_flow_sid = ?").bind(0, sid).mapTo(Long.class).one();
            if (numbers > 0) {
                throw new PatchbayException.Conflict(20409, "Flow " + sid + " is the voice target of " + numbers + " number(s); route them elsewhere first");
            }
            h.createUpdate("DELETE FROM flows WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, owner.sid()).execute();
            return null;
        });
    }

    public Flow require(Account owner, String sid) {
        return current(owner.sid(), sid).orElseThrow(() -> new PatchbayException.NotFound("/Flows/" + sid));
    }

    /** The version in force of one of the account's flows. */
    public Optional<Flow> current(String accountSid, String sid) {
        return db.read(h -> h.createQuery(SELECT + "AND v.version = f.version WHERE f.sid = ? AND f.account_sid = ?")
                .bind(0, sid).bind(1, accountSid).map((rs, ctx) -> map(rs)).findOne());
    }

    /** One saved version's definition (what a live call runs). */
    public Optional<FlowDefinition> definitionAt(String flowSid, int version) {
        return db.read(h -> h.createQuery("SELECT definition FROM flow_versions WHERE flow_sid = ? AND version = ?")
                .bind(0, flowSid).bind(1, version).mapTo(String.class).findOne()).map(FlowDefinition::parse);
    }

    public List<Flow> list(Account owner) {
        return db.read(h -> h.createQuery(SELECT + "AND v.version = f.version WHERE f.account_sid = ? ORDER BY f.date_created, f.sid")
                .bind(0, owner.sid()).map((rs, ctx) -> map(rs)).list());
    }

    private Map<String, Module> validate(Account owner, String definition) {
        return FlowDefinition.parse(definition).validate(owner.sid(), reference -> modules.candidate(owner.sid(), reference));
    }

    private static void saveVersion(Handle h, String sid, int version, String definition, Map<String, Module> used, Instant now) {
        h.createUpdate("INSERT INTO flow_versions (flow_sid, version, definition, date_created) VALUES (?, ?, ?, ?)")
                .bind(0, sid).bind(1, version).bind(2, definition).bind(3, now.toEpochMilli()).execute();
        h.createUpdate("DELETE FROM flow_modules WHERE flow_sid = ?").bind(0, sid).execute();
        used.values().stream().map(Module::sid).distinct().forEach(module ->
                h.createUpdate("INSERT INTO flow_modules (flow_sid, module_sid) VALUES (?, ?)").bind(0, sid).bind(1, module).execute());
    }

    private static Flow map(ResultSet rs) throws SQLException {
        String definition = rs.getString(5);
        return new Flow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), FlowDefinition.parse(definition), definition,
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }
}

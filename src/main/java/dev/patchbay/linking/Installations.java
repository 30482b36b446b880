package dev.patchbay.linking;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.billing.UsagePlans;
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
 * Which accounts may use which modules they do not own. Installing accepts the module's usage
 * plan in force and checks the configuration against the module's declared parameters (a service
 * module's: laid over the developer's configuration and checked by the service, so each installing
 * account runs the service with its own settings);
 * uninstalling stops future hand-offs (calls already inside the module go on). Thread-safe.
 */
public final class Installations {

    private static final String COLUMNS = "sid, account_sid, module_sid, usage_plan_sid, configuration, status, date_created, date_updated, "
            + "usage_plan_version";

    private final Database db;
    private final Modules modules;
    private final UsagePlans plans;
    private final Clock clock;
    private volatile Runnable changed = () -> { };

    public Installations(Database db, Modules modules, UsagePlans plans, Clock clock) {
        this.db = db;
        this.modules = modules;
        this.plans = plans;
        this.clock = clock;
    }

    /** Who hears, after the commit, that a change here may alter a hand-off (the dispatcher's answers are read again). */
    public void onChange(Runnable listener) {
        this.changed = listener;
    }

    public Installation install(Account account, String moduleReference, String configuration) {
        Module module = modules.visibleTo(account.sid(), moduleReference);
        var tree = Parameters.parse("Configuration", configuration);
        Dispatcher.checkTypes(module, Parameters.values("Configuration", tree), "Configuration");
        if (module.kind() == Module.Kind.SERVICE) {   // the account's own settings of the service, checked as the service sees them
            modules.instanceConfiguration(module, modules.configuration(module.sid()).orElse("{}"), tree);
        }
        Instant now = clock.instant();
        Optional<Integer> agreed = module.usagePlanSid().flatMap(plans::current).map(UsagePlans.Version::version);
        Installation i = new Installation(Sids.next("IN"), account.sid(), module.sid(), module.usagePlanSid(), agreed,
                tree.toString(), Installation.Status.ACTIVE, now, now);
        db.inTransaction(h -> {
            long active = h.createQuery("SELECT count(*) FROM installations WHERE account_sid = ? AND module_sid = ? AND status = 'active'")
                    .bind(0, account.sid()).bind(1, module.sid()).mapTo(Long.class).one();
            if (active > 0) {
                throw new PatchbayException.Conflict(20409, "Module " + module.uniqueName() + " is already installed");
            }
            h.createUpdate("INSERT INTO installations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, i.sid()).bind(1, i.accountSid()).bind(2, i.moduleSid()).bind(3, i.usagePlanSid().orElse(null))
                    .bind(4, i.configuration()).bind(5, "active").bind(6, now.toEpochMilli()).bind(7, now.toEpochMilli())
                    .bind(8, i.usagePlanVersion().orElse(null)).execute();
            return null;
        });
        changed.run();
        return i;
    }

    public void uninstall(Account account, String sid) {
        int n = db.write(h -> h.createUpdate("UPDATE installations SET status = 'uninstalled', date_updated = ? "
                        + "WHERE sid = ? AND account_sid = ? AND status = 'active'")
                .bind(0, clock.millis()).bind(1, sid).bind(2, account.sid()).execute());
        if (n == 0) {
            throw new PatchbayException.NotFound("/Installations/" + sid);
        }
        changed.run();
    }

    public Installation require(Account account, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM installations WHERE sid = ? AND account_sid = ?")
                        .bind(0, sid).bind(1, account.sid()).map((rs, ctx) -> map(rs)).findOne())
                .orElseThrow(() -> new PatchbayException.NotFound("/Installations/" + sid));
    }

    public List<Installation> list(Account account) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM installations WHERE account_sid = ? ORDER BY date_created, sid")
                .bind(0, account.sid()).map((rs, ctx) -> map(rs)).list());
    }

    /**
     * The configuration a service module runs with for {@code accountSid}: its developer's, with
     * the account's installation configuration laid over it when the account installed it.
     */
    public Optional<String> serviceConfiguration(String accountSid, String moduleSid) {
        Optional<String> base = modules.configuration(moduleSid);
        Optional<Installation> installed = active(accountSid, moduleSid);
        if (base.isEmpty() || installed.isEmpty()) {
            return base;
        }
        return Optional.of(Modules.overlaid(base.get(), Parameters.parse("Configuration", installed.get().configuration())));
    }

    /** The account's active installation of a module, if it has one. */
    public Optional<Installation> active(String accountSid, String moduleSid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM installations WHERE account_sid = ? AND module_sid = ? AND status = 'active'")
                .bind(0, accountSid).bind(1, moduleSid).map((rs, ctx) -> map(rs)).findFirst());
    }

    private static Installation map(ResultSet rs) throws SQLException {
        int version = rs.getInt(9);
        Optional<Integer> agreed = rs.wasNull() ? Optional.empty() : Optional.of(version);
        return new Installation(rs.getString(1), rs.getString(2), rs.getString(3), Optional.ofNullable(rs.getString(4)), agreed, rs.getString(5),
                Installation.Status.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)), Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8)));
    }
}

package dev.patchbay.linking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Modules and their rules: aliases are {@code namespace/name} and a namespace belongs to the
 * account that first used it; an application module needs an inlet URL; a module in use (installed
 * by another account, or named by a flow) cannot be deleted. Thread-safe.
 */
public final class Modules {

    private static final String COLUMNS = "sid, account_sid, unique_name, friendly_name, description, kind, inlet_url, inlet_method, "
            + "fallback_url, events_url, parameters, outlets, usage_plan_sid, visibility, banned, date_created, date_updated";
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}/[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern OUTLET = Pattern.compile("[A-Za-z0-9_*#-]{1,32}");

    /** A service module's inlet: {@code service:<name>}. */
    public static final String SERVICE = "service:";

    private final Database db;
    private final Clock clock;
    private final ServiceCatalog services;
    private volatile Runnable changed = () -> { };

    public Modules(Database db, Clock clock) {
        this(db, clock, ServiceCatalog.NONE);
    }

    public Modules(Database db, Clock clock, ServiceCatalog services) {
        this.services = services;
        this.db = db;
        this.clock = clock;
    }

    /** Who hears, after the commit, that a change here may alter a hand-off (the dispatcher's answers are read again). */
    public void onChange(Runnable listener) {
        this.changed = listener;
    }

    public Module create(Account owner, Module.Spec spec) {
        return create(owner, spec, Optional.empty());
    }

    /**
     * Creates a module; a service module ({@code Kind} service, inlet {@code service:<name>}) with
     * its configuration, which the service checks first (an error names the field).
     */
    public Module create(Account owner, Module.Spec spec, Optional<String> configuration) {
        validate(spec);
        String config = serviceConfiguration(spec, configuration, Optional.empty());
        Instant now = clock.instant();
        Module m = new Module(Sids.next("MD"), owner.sid(), spec.uniqueName(), spec.friendlyName(), spec.description(), spec.kind(),
                spec.inletUrl(), spec.inletMethod(), spec.fallbackUrl(), spec.eventsUrl(), spec.parameters(), spec.outlets(),
                spec.usagePlanSid(), spec.visibility(), false, now, now);
        db.inTransaction(h -> {
            checkPlan(h, owner.sid(), spec.usagePlanSid());
            claimNamespace(h, owner.sid(), m.namespace());
            if (h.createQuery("SELECT count(*) FROM modules WHERE unique_name = ?").bind(0, m.uniqueName()).mapTo(Long.class).one() > 0) {
                throw new PatchbayException.Conflict(20409, "A module named " + m.uniqueName() + " already exists");
            }
            h.createUpdate("INSERT INTO modules (" + COLUMNS + ", configuration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, m.sid()).bind(1, m.accountSid()).bind(2, m.uniqueName()).bind(3, m.friendlyName()).bind(4, m.description())
                    .bind(5, m.kind().wire()).bind(6, m.inletUrl().orElse(null)).bind(7, m.inletMethod().name())
                    .bind(8, m.fallbackUrl().orElse(null)).bind(9, m.eventsUrl().orElse(null)).bind(10, Parameters.render(m.parameters()))
                    .bind(11, String.join(",", m.outlets())).bind(12, m.usagePlanSid().orElse(null)).bind(13, m.visibility().wire())
                    .bind(14, false).bind(15, now.toEpochMilli()).bind(16, now.toEpochMilli()).bind(17, config).execute();
            return null;
        });
        return m;
    }

    /** Changes a module the caller owns; links keep working because they name its SID or alias, never its URL. */
    public Module update(Account owner, String sid, Module.Spec spec) {
        return update(owner, sid, spec, Optional.empty());
    }

    /** Changes a module; a service module's configuration (kept when not given) is checked again against the new outlets. */
    public Module update(Account owner, String sid, Module.Spec spec, Optional<String> configuration) {
        Module current = require(owner, sid);
        if (!spec.uniqueName().equals(current.uniqueName())) {
            throw new PatchbayException.InvalidParameter(20001, "UniqueName cannot change: flows and links name the module by it");
        }
        validate(spec);
        String config = serviceConfiguration(spec, configuration, configuration(sid));
        Instant now = clock.instant();
        db.inTransaction(h -> checkPlan(h, owner.sid(), spec.usagePlanSid()) + h.createUpdate("UPDATE modules SET friendly_name = ?, description = ?, kind = ?, inlet_url = ?, inlet_method = ?, "
                        + "fallback_url = ?, events_url = ?, parameters = ?, outlets = ?, usage_plan_sid = ?, visibility = ?, date_updated = ?, "
                        + "configuration = ? WHERE sid = ? AND account_sid = ?")
                .bind(0, spec.friendlyName()).bind(1, spec.description()).bind(2, spec.kind().wire()).bind(3, spec.inletUrl().orElse(null))
                .bind(4, spec.inletMethod().name()).bind(5, spec.fallbackUrl().orElse(null)).bind(6, spec.eventsUrl().orElse(null))
                .bind(7, Parameters.render(spec.parameters())).bind(8, String.join(",", spec.outlets()))
                .bind(9, spec.usagePlanSid().orElse(null)).bind(10, spec.visibility().wire()).bind(11, now.toEpochMilli())
                .bind(12, config).bind(13, sid).bind(14, owner.sid()).execute());
        changed.run();
        return require(owner, sid);
    }

    /** A service module's configuration (a JSON document); empty for other modules. */
    public Optional<String> configuration(String sid) {
        return db.read(h -> h.createQuery("SELECT configuration FROM modules WHERE sid = ?").bind(0, sid).mapTo(String.class).findOne());
    }

    /**
     * A service module's configuration as an installing account sees it: the developer's, with the
     * installation's {@code overlay} laid over it (objects merged key by key, anything else
     * replaced), checked by the service. Throws naming the field when the result is not valid.
     */
    public String instanceConfiguration(Module module, String base, JsonNode overlay) {
        String merged = overlaid(base, overlay);
        services.validate(serviceOf(module.spec()).orElseThrow(), merged, module.outlets());
        return merged;
    }

    /** The developer's configuration with an installation's laid over it (checked when the installation was made). */
    static String overlaid(String base, JsonNode overlay) {
        return overlay(Parameters.parse("Configuration", base), overlay).toString();
    }

    private static JsonNode overlay(JsonNode base,
                                                                  JsonNode over) {
        if (!base.isObject() || !over.isObject()) {
            return over.isMissingNode() || over.isNull() ? base : over;
        }
        ObjectNode out = ((ObjectNode) base).deepCopy();
        over.properties().forEach(e -> out.set(e.getKey(), out.has(e.getKey()) ? overlay(out.get(e.getKey()), e.getValue()) : e.getValue()));
        return out;
    }

    /** The service a module's inlet names ({@code service:phone-tree}), if it is a service module. */
    public static Optional<String> serviceOf(Module.Spec spec) {
        return spec.kind() == Module.Kind.SERVICE ? spec.inletUrl().filter(u -> u.startsWith(SERVICE)).map(u -> u.substring(SERVICE.length()))
                : Optional.empty();
    }

    /** Checks a service module's configuration with its service; null for other modules (nothing stored). */
    private String serviceConfiguration(Module.Spec spec, Optional<String> given, Optional<String> current) {
        if (spec.kind() != Module.Kind.SERVICE) {
            if (given.isPresent()) {
                throw new PatchbayException.InvalidParameter(20001, "Configuration: only service modules have one (Kind service)");
            }
            return null;
        }
        String service = serviceOf(spec).filter(services.names()::contains).orElseThrow(() -> PatchbayException.InvalidParameter.invalid("Service",
                spec.inletUrl().orElse(""), "one of the platform's services " + new TreeSet<>(services.names())));
        String config = given.or(() -> current).orElseThrow(() -> PatchbayException.InvalidParameter.missing("Configuration"));
        services.validate(service, config, spec.outlets());
        return config;
    }

    /** Deletes a module nobody else uses; 20409 while another account has it installed or a flow names it. */
    public void delete(Account owner, String sid) {
        require(owner, sid);
        db.inTransaction(h -> {
            long installs = h.createQuery("SELECT count(*) FROM installations WHERE module_sid = ? AND status = 'active'")
                    .bind(0, sid).mapTo(Long.class).one();
            long flows = h.createQuery("SELECT count(*) FROM flow_modules WHERE module_sid = ?").bind(0, sid).mapTo(Long.class).one();
            if (installs > 0 || flows > 0) {
                throw new PatchbayException.Conflict(20409, "Module " + sid + " is in use (" + installs + " installations, " + flows
                        + " flows); uninstall it and remove it from flows first");
            }
            h.createUpdate("DELETE FROM installations WHERE module_sid = ?").bind(0, sid).execute();
            h.createUpdate("DELETE FROM modules WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, owner.sid()).execute();
            return null;
        });
        changed.run();
    }

    /** Operators' switch: a banned module is refused at every hand-off. */
    public boolean ban(String sid, boolean banned) {
        boolean found = db.write(h -> h.createUpdate("UPDATE modules SET banned = ?, date_updated = ? WHERE sid = ?")
                .bind(0, banned).bind(1, clock.millis()).bind(2, sid).execute()) > 0;
        changed.run();
        return found;
    }

    public List<Module> list(Account owner) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM modules WHERE account_sid = ? ORDER BY unique_name")
                .bind(0, owner.sid()).map((rs, ctx) -> map(rs)).list());
    }

    /** A module the caller owns; 404 for anyone else's. */
    public Module require(Account owner, String sid) {
        return find(sid).filter(m -> m.ownedBy(owner.sid())).orElseThrow(() -> new PatchbayException.NotFound("/Modules/" + sid));
    }

    /** Published modules whose alias, name or description contains {@code query} (case-insensitive). */
    public List<Module> marketplace(String query, int limit) {
        String like = "%" + query.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM modules WHERE visibility = 'published' AND banned = FALSE AND "
                        + "(LOWER(unique_name) LIKE ? ESCAPE '!' OR LOWER(friendly_name) LIKE ? ESCAPE '!' OR LOWER(description) LIKE ? ESCAPE '!') "
                        + "ORDER BY unique_name LIMIT ?")
                .bind(0, like).bind(1, like).bind(2, like).bind(3, limit).map((rs, ctx) -> map(rs)).list());
    }

    /** A module by SID or alias, whoever owns it (the dispatcher's view; the policy engine decides who may use it). */
    public Optional<Module> resolve(String reference) {
        if (Sids.looksLike("MD", reference)) {
            return find(reference);
        }
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM modules WHERE unique_name = ?")
                .bind(0, reference.toLowerCase(Locale.ROOT)).map((rs, ctx) -> map(rs)).findOne());
    }

    /**
     * What one hand-off needs, read at once: the module, its developer's auth token, the account's active installation,
     * and the account's status and payment terms as they are now.
     */
    public record Candidate(Module module, String ownerAuthToken, Optional<Installation> installation, String callerStatus,
                            PaymentTerms.Terms callerTerms) {
        @Override
        public String toString() {
            return "Candidate[" + module.uniqueName() + ", installed=" + installation.isPresent() + "]";   // never the token
        }
    }

    /**
     * The dispatcher's one read per hand-off: the module by SID or alias, with its developer's
     * token, {@code accountSid}'s installation of it and that account's status and payment terms as they are now.
     */
    public Optional<Candidate> candidate(String accountSid, String reference) {
        String byColumn = Sids.looksLike("MD", reference) ? "m.sid" : "m.unique_name";
        String columns = "m." + COLUMNS.replace(", ", ", m.");
        return db.read(h -> h.createQuery("SELECT " + columns + ", a.auth_token, i.sid, i.usage_plan_sid, i.configuration, i.date_created, "
                        + "i.date_updated, c.status, i.usage_plan_version, b.kind, b.credit_limit FROM modules m JOIN accounts a ON a.sid = m.account_sid "
                        + "JOIN accounts c ON c.sid = ? LEFT JOIN installations i ON i.module_sid = m.sid AND i.account_sid = c.sid AND i.status = 'active' "
                        + "LEFT JOIN account_billing b ON b.account_sid = c.sid WHERE " + byColumn + " = ?")
                .bind(0, accountSid).bind(1, byColumn.equals("m.sid") ? reference : reference.toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> {
                    Module m = map(rs);
                    String installation = rs.getString(19);
                    int version = rs.getInt(25);
                    Optional<Integer> agreed = rs.wasNull() ? Optional.empty() : Optional.of(version);
                    Optional<Installation> i = installation == null ? Optional.empty() : Optional.of(new Installation(installation, accountSid,
                            m.sid(), Optional.ofNullable(rs.getString(20)), agreed, rs.getString(21), Installation.Status.ACTIVE,
                            Instant.ofEpochMilli(rs.getLong(22)), Instant.ofEpochMilli(rs.getLong(23))));
                    return new Candidate(m, rs.getString(18), i, rs.getString(24), PaymentTerms.Terms.stored(rs.getString(26), rs.getBigDecimal(27)));
                }).findFirst());
    }

    /** A module {@code account} may name (its own, or another's that is not private), by SID or alias; 404 otherwise. */
    public Module visibleTo(String accountSid, String reference) {
        return resolve(reference).filter(m -> m.visibleTo(accountSid))
                .orElseThrow(() -> new PatchbayException.NotFound("/Modules/" + reference));
    }

    Optional<Module> find(String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM modules WHERE sid = ?")
                .bind(0, sid).map((rs, ctx) -> map(rs)).findOne());
    }

    /** A module is priced by one of its developer's own usage plans. */
    private static int checkPlan(Handle h, String owner, Optional<String> plan) {
        if (plan.isPresent() && h.createQuery("SELECT count(*) FROM usage_plans WHERE sid = ? AND account_sid = ?")
                .bind(0, plan.get()).bind(1, owner).mapTo(Long.class).one() == 0) {
            throw new PatchbayException.InvalidParameter(20001, "UsagePlanSid " + plan.get() + " is not a usage plan of this account");
        }
        return 0;
    }

    private static void claimNamespace(Handle h, String account, String namespace) {
        Optional<String> holder = h.createQuery("SELECT account_sid FROM module_namespaces WHERE namespace = ?")
                .bind(0, namespace).mapTo(String.class).findOne();
        if (holder.isEmpty()) {
            h.createUpdate("INSERT INTO module_namespaces (namespace, account_sid) VALUES (?, ?)").bind(0, namespace).bind(1, account).execute();
        } else if (!holder.get().equals(account)) {
            throw new PatchbayException.Conflict(20409, "The namespace '" + namespace + "' belongs to another developer; choose another");
        }
    }

    static void validate(Module.Spec spec) {
        if (!ALIAS.matcher(spec.uniqueName()).matches()) {
            throw PatchbayException.InvalidParameter.invalid("UniqueName", spec.uniqueName(),
                    "an alias such as acme/simulring (lowercase letters, digits and - . _, namespace/name)");
        }
        if (spec.kind() == Module.Kind.APPLICATION && spec.inletUrl().isEmpty()) {
            throw PatchbayException.InvalidParameter.missing("InletUrl");
        }
        if (spec.kind() == Module.Kind.SERVICE && spec.inletUrl().filter(u -> u.startsWith(SERVICE)).isEmpty()) {
            throw PatchbayException.InvalidParameter.missing("Service");
        }
        for (String outlet : spec.outlets()) {
            if (!OUTLET.matcher(outlet).matches()) {
                throw PatchbayException.InvalidParameter.invalid("Outlets", outlet, "an outlet name (letters, digits, _ - * #, up to 32)");
            }
        }
        if (spec.outlets().size() != spec.outlets().stream().distinct().count()) {
            throw new PatchbayException.InvalidParameter(20001, "Outlets: a name is given twice");
        }
        spec.usagePlanSid().filter(s -> !Sids.looksLike("UP", s)).ifPresent(s -> {
            throw PatchbayException.InvalidParameter.invalid("UsagePlanSid", s, "a usage plan SID (UP + 32 hex digits)");
        });
    }

    /** {@code done, 1,2} as a list of outlet names. */
    public static List<String> outlets(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Module map(ResultSet rs) throws SQLException {
        return new Module(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Module.Kind.parse("Kind", rs.getString(6)), Optional.ofNullable(rs.getString(7)), HttpMethod.parse("InletMethod", rs.getString(8)),
                Optional.ofNullable(rs.getString(9)), Optional.ofNullable(rs.getString(10)), Parameters.declarations(rs.getString(11)),
                outlets(rs.getString(12)), Optional.ofNullable(rs.getString(13)), Module.Visibility.parse(rs.getString(14)),
                rs.getBoolean(15), Instant.ofEpochMilli(rs.getLong(16)), Instant.ofEpochMilli(rs.getLong(17)));
    }
}

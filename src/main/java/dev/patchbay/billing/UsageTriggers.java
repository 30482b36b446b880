package dev.patchbay.billing;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import dev.patchbay.webhook.Callbacks;
import dev.patchbay.webhook.WebhookRequest;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Twilio's usage triggers: when an account's usage in a category (count, usage or price, as
 * {@link UsageRecords} computes it) reaches a value within the recurring period, the callback URL
 * is told once for that period (once ever without {@code recurring}). Checked after each call's
 * charges, off the call's thread; firing is one conditional update, so two nodes never both fire.
 * Thread-safe.
 */
public final class UsageTriggers {

    private static final String COLUMNS = "sid, account_sid, friendly_name, usage_category, trigger_by, trigger_value, recurring, callback_url, "
            + "callback_method, current_value, fired_period, date_fired, date_created, date_updated";
    private static final Set<String> BY = Set.of("count", "usage", "price");
    private static final Set<String> RECURRING = Set.of("", "daily", "monthly", "yearly", "alltime");

    private final Database db;
    private final UsageRecords records;
    private final Callbacks callbacks;
    private final Clock clock;

    public UsageTriggers(Database db, UsageRecords records, Callbacks callbacks, Clock clock) {
        this.db = db;
        this.records = records;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    public record Trigger(String sid, String accountSid, String friendlyName, String usageCategory, String triggerBy, BigDecimal triggerValue,
                          String recurring, String callbackUrl, HttpMethod callbackMethod, Optional<BigDecimal> currentValue,
                          Optional<Instant> dateFired, Instant dateCreated, Instant dateUpdated) {
    }

    public Trigger create(Account owner, String friendlyName, String category, String triggerBy, BigDecimal value, String recurring,
                          String callbackUrl, HttpMethod method) {
        String by = triggerBy.toLowerCase(Locale.ROOT);
        String every = recurring.toLowerCase(Locale.ROOT);
        if (!BY.contains(by)) {
            throw PatchbayException.InvalidParameter.invalid("TriggerBy", triggerBy, "count, usage or price");
        }
        if (!RECURRING.contains(every)) {
            throw PatchbayException.InvalidParameter.invalid("Recurring", recurring, "daily, monthly, yearly or alltime");
        }
        if (!category.matches("[a-z0-9-]{1,64}")) {
            throw PatchbayException.InvalidParameter.invalid("UsageCategory", category, "a usage category such as calls or totalprice");
        }
        String sid = Sids.next("UT");
        long now = clock.millis();
        db.write(h -> h.createUpdate("INSERT INTO usage_triggers (sid, account_sid, friendly_name, usage_category, trigger_by, trigger_value, recurring, "
                        + "callback_url, callback_method, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, sid).bind(1, owner.sid()).bind(2, friendlyName).bind(3, category).bind(4, by).bind(5, value).bind(6, every)
                .bind(7, callbackUrl).bind(8, method.name()).bind(9, now).bind(10, now).execute());
        return require(owner, sid);
    }

    public List<Trigger> list(Account owner) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM usage_triggers WHERE account_sid = ? ORDER BY date_created, sid")
                .bind(0, owner.sid()).map((rs, ctx) -> map(rs)).list());
    }

    public Trigger require(Account owner, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM usage_triggers WHERE sid = ? AND account_sid = ?")
                        .bind(0, sid).bind(1, owner.sid()).map((rs, ctx) -> map(rs)).findOne())
                .orElseThrow(() -> new PatchbayException.NotFound("/Usage/Triggers/" + sid));
    }

    public void delete(Account owner, String sid) {
        if (db.write(h -> h.createUpdate("DELETE FROM usage_triggers WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, owner.sid()).execute()) == 0) {
            throw new PatchbayException.NotFound("/Usage/Triggers/" + sid);
        }
    }

    /** Checks the account's triggers against its usage now; fires those crossed in their period. */
    public void evaluate(Account account) {
        List<Trigger> triggers = list(account);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (Trigger t : triggers) {
            LocalDate start = switch (t.recurring()) {
                case "daily" -> today;
                case "monthly" -> today.withDayOfMonth(1);
                case "yearly" -> today.withDayOfYear(1);
                default -> LocalDate.of(2000, 1, 1);
            };
            String period = switch (t.recurring()) {
                case "daily" -> today.toString();
                case "monthly" -> today.toString().substring(0, 7);
                case "yearly" -> today.toString().substring(0, 4);
                default -> "once";
            };
            BigDecimal value = records.records(account.sid(), Optional.of(t.usageCategory()), start, today, UsageRecords.Granularity.ALL).stream()
                    .findFirst().map(r -> switch (t.triggerBy()) {
                        case "count" -> BigDecimal.valueOf(r.count());
                        case "price" -> r.price();
                        default -> new BigDecimal(r.usage());
                    }).orElse(BigDecimal.ZERO);
            db.write(h -> h.createUpdate("UPDATE usage_triggers SET current_value = ? WHERE sid = ?").bind(0, value).bind(1, t.sid()).execute());
            if (value.compareTo(t.triggerValue()) < 0) {
                continue;
            }
            long now = clock.millis();
            int claimed = db.write(h -> h.createUpdate("UPDATE usage_triggers SET fired_period = ?, date_fired = ?, date_updated = ? "
                            + "WHERE sid = ? AND (fired_period IS NULL OR fired_period <> ?)")
                    .bind(0, period).bind(1, now).bind(2, now).bind(3, t.sid()).bind(4, period).execute());
            if (claimed == 1) {
                callbacks.send("trigger:" + t.sid(), new WebhookRequest(t.callbackUrl(), t.callbackMethod(), List.of(
                        Map.entry("AccountSid", account.sid()),
                        Map.entry("UsageTriggerSid", t.sid()),
                        Map.entry("DateFired", Instant.ofEpochMilli(now).toString()),
                        Map.entry("Recurring", t.recurring()),
                        Map.entry("UsageCategory", t.usageCategory()),
                        Map.entry("TriggerBy", t.triggerBy()),
                        Map.entry("TriggerValue", t.triggerValue().stripTrailingZeros().toPlainString()),
                        Map.entry("CurrentValue", value.stripTrailingZeros().toPlainString()),
                        Map.entry("IdempotencyToken", t.sid() + "-" + period))), account.authToken());
            }
        }
    }

    private static Trigger map(ResultSet rs) throws SQLException {
        long fired = rs.getLong(12);
        Optional<Instant> dateFired = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(fired));
        return new Trigger(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBigDecimal(6),
                rs.getString(7), rs.getString(8), HttpMethod.parse("CallbackMethod", rs.getString(9)), Optional.ofNullable(rs.getBigDecimal(10)),
                dateFired, Instant.ofEpochMilli(rs.getLong(13)), Instant.ofEpochMilli(rs.getLong(14)));
    }
}

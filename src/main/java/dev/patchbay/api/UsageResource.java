package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.UsageRecords;
import dev.patchbay.billing.UsageTriggers;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.store.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's {@code .../Usage/Records.json} and its subresources (Daily, Monthly, Yearly, AllTime,
 * Today, Yesterday, ThisMonth, LastMonth), and {@code .../Balance.json}.
 */
final class UsageResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Usage/Records";
    private static final LocalDate EPOCH = LocalDate.of(2000, 1, 1);
    private static final List<String> SUBRESOURCES = List.of("Daily", "Monthly", "Yearly", "AllTime", "Today", "Yesterday", "ThisMonth", "LastMonth");

    private final AccountsResource accounts;
    private final UsageRecords records;
    private final Ledger ledger;
    private final UsageTriggers triggers;

    UsageResource(AccountsResource accounts, UsageRecords records, Ledger ledger, UsageTriggers triggers) {
        this.accounts = accounts;
        this.records = records;
        this.ledger = ledger;
        this.triggers = triggers;
    }

    void routes(RoutesConfig r) {
        String triggersPath = Renderers.BASE + "/{AccountSid}/Usage/Triggers";
        r.get(triggersPath + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Json.object().put("usage_triggers", triggers.list(owner).stream().map(UsageResource::trigger).toList()).map());
        });
        r.post(triggersPath + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            Form form = Form.of(ctx);
            String url = form.url("CallbackUrl").flatMap(u -> u).orElseThrow(() -> PatchbayException.InvalidParameter.missing("CallbackUrl"));
            BigDecimal value;
            try {
                value = new BigDecimal(form.required("TriggerValue").trim());
            } catch (NumberFormatException e) {
                throw PatchbayException.InvalidParameter.invalid("TriggerValue", form.required("TriggerValue"), "a number");
            }
            ctx.status(201).json(trigger(triggers.create(owner, form.text("FriendlyName", 64).orElse(""), form.required("UsageCategory").trim(),
                    form.optional("TriggerBy").orElse("usage"), value, form.optional("Recurring").orElse(""), url,
                    form.method("CallbackMethod").orElse(HttpMethod.POST))));
        });
        r.get(triggersPath + "/{file}", ctx -> ctx.json(trigger(triggers.require(accounts.owner(ctx), Resources.sid(ctx)))));
        r.delete(triggersPath + "/{file}", ctx -> {
            triggers.delete(accounts.owner(ctx), Resources.sid(ctx));
            ctx.status(204);
        });
        r.get(Renderers.BASE + "/{AccountSid}/Balance.json", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Json.object().put("account_sid", owner.sid())
                    .put("balance", ledger.balance(Ledger.customer(owner.sid())).toPlainString())
                    .put("currency", "USD").map());
        });
        r.get(PATH + ".json", ctx -> answer(ctx, "", UsageRecords.Granularity.ALL, EPOCH, today()));
        r.get(PATH + "/{file}", ctx -> {
            String sub = Resources.stripSuffix(ctx, ".json");
            LocalDate today = today();
            switch (sub) {
                case "Daily" -> answer(ctx, sub, UsageRecords.Granularity.DAILY, today.minusDays(30), today);
                case "Monthly" -> answer(ctx, sub, UsageRecords.Granularity.MONTHLY, EPOCH, today);
                case "Yearly" -> answer(ctx, sub, UsageRecords.Granularity.YEARLY, EPOCH, today);
                case "AllTime" -> answer(ctx, sub, UsageRecords.Granularity.ALL, EPOCH, today);
                case "Today" -> answer(ctx, sub, UsageRecords.Granularity.ALL, today, today);
                case "Yesterday" -> answer(ctx, sub, UsageRecords.Granularity.ALL, today.minusDays(1), today.minusDays(1));
                case "ThisMonth" -> answer(ctx, sub, UsageRecords.Granularity.ALL, today.withDayOfMonth(1), today);
                case "LastMonth" -> answer(ctx, sub, UsageRecords.Granularity.ALL, today.minusMonths(1).withDayOfMonth(1), today.withDayOfMonth(1).minusDays(1));
                default -> throw new PatchbayException.NotFound(ctx.path());
            }
        });
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private void answer(Context ctx, String sub, UsageRecords.Granularity granularity, LocalDate defaultStart, LocalDate defaultEnd) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        boolean fixed = List.of("Today", "Yesterday", "ThisMonth", "LastMonth").contains(sub);
        LocalDate start = fixed ? defaultStart : form.optional("StartDate").map(v -> date("StartDate", v)).orElse(defaultStart);
        LocalDate end = fixed ? defaultEnd : form.optional("EndDate").map(v -> date("EndDate", v)).orElse(defaultEnd);
        if (end.isBefore(start)) {
            throw new PatchbayException.InvalidParameter(20001, "EndDate " + end + " is before StartDate " + start);
        }
        Optional<String> category = form.optional("Category").filter(c -> !c.isBlank());
        String base = PATH.replace("{AccountSid}", owner.sid()) + (sub.isEmpty() ? "" : "/" + sub);
        Paging.Request paging = Paging.Request.from(form);
        List<UsageRecords.Record> all = records.records(owner.sid(), category, start, end, granularity);
        int from = Math.min(all.size(), paging.page() * paging.pageSize());
        List<UsageRecords.Record> fetched = all.subList(from, Math.min(all.size(), from + paging.pageSize() + 1));
        ctx.json(Paging.envelope("usage_records", Page.of(fetched, paging.page(), paging.pageSize()),
                rec -> render(owner, rec, base), base + ".json", form.query("Category", "StartDate", "EndDate")));
    }

    private static Map<String, Object> render(Account owner, UsageRecords.Record r, String base) {
        String root = PATH.replace("{AccountSid}", owner.sid());
        Json subresources = Json.object();
        SUBRESOURCES.forEach(s -> subresources.put(s.toLowerCase(Locale.ROOT).replace("alltime", "all_time")
                .replace("thismonth", "this_month").replace("lastmonth", "last_month"), root + "/" + s + ".json?Category=" + r.category()));
        return Json.object()
                .put("account_sid", owner.sid())
                .put("api_version", Renderers.API_VERSION)
                .put("as_of", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString())
                .put("category", r.category())
                .put("count", Long.toString(r.count()))
                .put("count_unit", r.countUnit())
                .put("description", r.description())
                .put("end_date", r.endDate().toString())
                .put("price", r.price().toPlainString())
                .put("price_unit", "usd")
                .put("start_date", r.startDate().toString())
                .put("subresource_uris", subresources.map())
                .put("uri", base + ".json?Category=" + r.category() + "&StartDate=" + r.startDate() + "&EndDate=" + r.endDate())
                .put("usage", r.usage())
                .put("usage_unit", r.usageUnit())
                .map();
    }

    private static Map<String, Object> trigger(UsageTriggers.Trigger t) {
        String uri = Renderers.BASE + "/" + t.accountSid() + "/Usage/Triggers/" + t.sid() + ".json";
        return Json.object()
                .put("sid", t.sid())
                .put("account_sid", t.accountSid())
                .put("api_version", Renderers.API_VERSION)
                .put("friendly_name", t.friendlyName())
                .put("usage_category", t.usageCategory())
                .put("trigger_by", t.triggerBy())
                .put("trigger_value", t.triggerValue().stripTrailingZeros().toPlainString())
                .put("recurring", t.recurring())
                .put("callback_url", t.callbackUrl())
                .put("callback_method", t.callbackMethod().name())
                .put("current_value", t.currentValue().map(v -> v.stripTrailingZeros().toPlainString()))
                .put("date_fired", Json.date(t.dateFired()))
                .put("date_created", Json.date(t.dateCreated()))
                .put("date_updated", Json.date(t.dateUpdated()))
                .put("uri", uri)
                .put("usage_record_uri", Renderers.BASE + "/" + t.accountSid() + "/Usage/Records.json?Category=" + t.usageCategory())
                .map();
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw PatchbayException.InvalidParameter.invalid(name, value, "a date as YYYY-MM-DD");
        }
    }
}

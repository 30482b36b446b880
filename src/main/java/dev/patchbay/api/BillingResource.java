package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.billing.AutoRecharge;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.Rating;
import dev.patchbay.billing.Statements;
import dev.patchbay.billing.UsagePlans;
import dev.patchbay.linking.Parameters;
import io.javalin.config.RoutesConfig;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/UsagePlans}: how modules are priced, versioned (an installation keeps the version it
 * agreed to); {@code /v1/Calls/{Sid}/Charges}: what a call cost, segment by segment, also while it
 * runs; {@code /v1/Ledger}: the entries of the caller's own books; {@code /v1/Invoices/{Period}} and
 * {@code /v1/Payouts/{Period}}: the caller's consolidated statements for a month (still open).
 */
final class BillingResource {

    private final UsagePlans plans;
    private final Meter meter;
    private final Ledger ledger;

    private final Statements statements;
    private final AutoRecharge autoRecharge;

    BillingResource(UsagePlans plans, Meter meter, Ledger ledger, Statements statements, AutoRecharge autoRecharge) {
        this.autoRecharge = autoRecharge;
        this.plans = plans;
        this.meter = meter;
        this.ledger = ledger;
        this.statements = statements;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/AutoRecharge", ctx -> ctx.json(autoRecharge(Auth.account(ctx).sid())));
        r.post("/v1/AutoRecharge", ctx -> {
            String account = Auth.account(ctx).sid();
            Form form = Form.of(ctx);
            Optional<BigDecimal> threshold = form.optional("Threshold").filter(v -> !v.isBlank())
                    .map(v -> v.trim().matches("0+(\\.0+)?") ? BigDecimal.ZERO : Form.money("Threshold", v));
            autoRecharge.configure(account, threshold.map(t -> new AutoRecharge.Settings(t,
                    form.money("Target").orElseThrow(() -> PatchbayException.InvalidParameter.missing("Target")))));
            ctx.json(autoRecharge(account));
        });
        r.get("/v1/Invoices/{Period}", ctx -> {
            Statements.Invoice invoice = statements.invoice(Auth.account(ctx).sid(), ctx.pathParam("Period"));
            ctx.json(Json.object()
                    .put("account_sid", invoice.accountSid())
                    .put("period", invoice.period())
                    .put("lines", invoice.lines().stream().map(l -> Json.object()
                            .put("mode", l.mode())
                            .put("module_sid", l.moduleSid())
                            .put("usage_plan", l.plan())
                            .put("usage_plan_version", l.planVersion())
                            .put("segments", l.segments())
                            .put("billed_seconds", l.billedSeconds())
                            .put("amount", l.amount().toPlainString())
                            .map()).toList())
                    .put("total", invoice.total().toPlainString())
                    .put("currency", "USD")
                    .put("status", invoice.status())
                    .map());
        });
        r.get("/v1/Payouts/{Period}", ctx -> {
            Statements.Payout payout = statements.payout(Auth.account(ctx).sid(), ctx.pathParam("Period"));
            ctx.json(Json.object()
                    .put("developer_sid", payout.developerSid())
                    .put("period", payout.period())
                    .put("lines", payout.lines().stream().map(l -> Json.object()
                            .put("module_sid", l.moduleSid())
                            .put("customers", l.customers())
                            .put("gross", l.gross().toPlainString())
                            .put("commission", l.commission().toPlainString())
                            .put("net", l.net().toPlainString())
                            .map()).toList())
                    .put("gross", payout.gross().toPlainString())
                    .put("commission", payout.commission().toPlainString())
                    .put("net", payout.net().toPlainString())
                    .put("currency", "USD")
                    .put("status", payout.status())
                    .map());
        });
        r.get("/v1/Ledger", ctx -> {
            String account = Auth.account(ctx).sid();
            int limit = Form.of(ctx).integer("PageSize", 50, 1, 1000);
            ctx.json(Json.object()
                    .put("entries", ledger.entries(account, limit).stream().map(e -> Json.object()
                            .put("transaction_sid", e.transactionSid())
                            .put("kind", e.kind())
                            .put("book", e.book())
                            .put("amount", e.amount().toPlainString())
                            .put("currency", e.currency())
                            .put("call_sid", e.callSid())
                            .put("module_sid", e.moduleSid())
                            .put("period", e.period())
                            .put("date_created", Json.date(e.dateCreated()))
                            .map()).toList())
                    .put("customer_balance", ledger.balance(Ledger.customer(account)).toPlainString())
                    .put("developer_balance", ledger.balance(Ledger.developer(account)).toPlainString())
                    .map());
        });
        r.get("/v1/Calls/{CallSid}/Charges", ctx -> ctx.json(statement(meter.statement(Auth.account(ctx).sid(), ctx.pathParam("CallSid")))));
        r.get("/v1/UsagePlans", ctx -> ctx.json(Json.object().put("usage_plans", plans.list(Auth.account(ctx)).stream()
                .map(BillingResource::plan).toList()).map()));
        r.post("/v1/UsagePlans", ctx -> {
            Form form = Form.of(ctx);
            ctx.status(201).json(plan(plans.create(Auth.account(ctx), form.text("FriendlyName", 256).orElse("plan"), form.required("Definition"))));
        });
        r.get("/v1/UsagePlans/{Sid}", ctx -> ctx.json(plan(plans.require(Auth.account(ctx), ctx.pathParam("Sid")))));
        r.post("/v1/UsagePlans/{Sid}", ctx -> {
            Form form = Form.of(ctx);
            ctx.json(plan(plans.update(Auth.account(ctx), ctx.pathParam("Sid"), form.text("FriendlyName", 256),
                    form.optional("Definition").filter(d -> !d.isBlank()))));
        });
    }

    static Map<String, Object> statement(Meter.Statement s) {
        return Json.object()
                .put("call_sid", s.callSid())
                .put("lines", s.lines().stream().map(l -> Json.object()
                        .put("sequence", l.sequence())
                        .put("mode", l.mode())
                        .put("module", l.module())
                        .put("module_sid", l.moduleSid())
                        .put("usage_plan", l.planKey())
                        .put("usage_plan_version", l.planVersion())
                        .put("rate", l.unitPrice().toPlainString())
                        .put("rate_unit_seconds", l.unitSeconds())
                        .put("duration_ms", l.durationMs())
                        .put("billed_seconds", l.billedSeconds())
                        .put("included_seconds", l.includedSeconds())
                        .put("subtotal", l.amount().toPlainString())
                        .put("settled", l.settled())
                        .map()).toList())
                .put("total", s.total().toPlainString())
                .put("price", s.total().negate().toPlainString())
                .put("price_unit", s.currency())
                .put("settled", s.settled())
                .put("url", "/v1/Calls/" + s.callSid() + "/Charges")
                .map();
    }

    static Map<String, Object> plan(UsagePlans.Version v) {
        return Json.object()
                .put("sid", v.sid())
                .put("account_sid", v.accountSid())
                .put("friendly_name", v.friendlyName())
                .put("version", v.version())
                .put("currency", v.plan().currency())
                .put("definition", Parameters.tree(v.definition()))
                .put("date_created", Json.date(v.dateCreated()))
                .put("date_updated", Json.date(v.dateUpdated()))
                .put("url", "/v1/UsagePlans/" + v.sid())
                .map();
    }

    private Map<String, Object> autoRecharge(String account) {
        var settings = autoRecharge.settings(account);
        return Json.object()
                .put("account_sid", account)
                .put("enabled", settings.isPresent())
                .put("threshold", settings.map(s -> s.threshold().setScale(Rating.SCALE).toPlainString()))
                .put("target", settings.map(s -> s.target().setScale(Rating.SCALE).toPlainString()))
                .map();
    }
}

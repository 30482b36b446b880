package dev.patchbay.api;

import dev.patchbay.billing.UsagePlans;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/** {@code /v1/UsagePlans}: how modules are priced, versioned (an installation keeps the version it agreed to). */
final class UsagePlansResource {

    private final UsagePlans plans;

    UsagePlansResource(UsagePlans plans) {
        this.plans = plans;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/UsagePlans", ctx -> ctx.json(Json.object().put("usage_plans", plans.list(Auth.account(ctx)).stream()
                .map(UsagePlansResource::plan).toList()).map()));
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

    static Map<String, Object> plan(UsagePlans.Version v) {
        return Json.object()
                .put("sid", v.sid())
                .put("account_sid", v.accountSid())
                .put("friendly_name", v.friendlyName())
                .put("version", v.version())
                .put("currency", v.plan().currency())
                .put("definition", dev.patchbay.linking.Parameters.tree(v.definition()))
                .put("date_created", Json.date(v.dateCreated()))
                .put("date_updated", Json.date(v.dateUpdated()))
                .put("url", "/v1/UsagePlans/" + v.sid())
                .map();
    }
}

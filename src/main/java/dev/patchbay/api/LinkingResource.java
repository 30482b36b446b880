package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.billing.UsagePlans;
import dev.patchbay.call.Segments;
import dev.patchbay.linking.Flow;
import dev.patchbay.linking.Installation;
import dev.patchbay.linking.Linking;
import dev.patchbay.linking.Module;
import dev.patchbay.linking.ModuleEvents;
import dev.patchbay.linking.Modules;
import dev.patchbay.linking.Parameters;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.service.CallCenterAgents;
import dev.patchbay.service.CallingCards;
import dev.patchbay.service.SurveyAnswers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Patchbay's own resources for the linking system, under {@code /v1} for the authenticated
 * account: Modules (with their Events and Segments), the Marketplace, Installations, Flows, and
 * a live call's shared State.
 */
final class LinkingResource {

    private final Linking linking;
    private final Segments segments;
    private final UsagePlans plans;
    private final SurveyAnswers surveyAnswers;
    private final CallCenterAgents agents;
    private final CallingCards cards;

    LinkingResource(Linking linking, Segments segments, UsagePlans plans, SurveyAnswers surveyAnswers,
                    CallCenterAgents agents, CallingCards cards) {
        this.cards = cards;
        this.surveyAnswers = surveyAnswers;
        this.agents = agents;
        this.linking = linking;
        this.segments = segments;
        this.plans = plans;
    }

    void routes(RoutesConfig r) {
        r.get("/v1/Modules", ctx -> ctx.json(Json.object().put("modules", linking.modules().list(Auth.account(ctx)).stream()
                .map(LinkingResource::module).toList()).map()));
        r.post("/v1/Modules", ctx -> {
            Form form = Form.of(ctx);
            Module created = linking.modules().create(Auth.account(ctx), spec(form, Optional.empty()), form.optional("Configuration"));
            ctx.status(201).json(module(created));
        });
        r.get("/v1/Modules/{Sid}", ctx -> ctx.json(module(linking.modules().require(Auth.account(ctx), ctx.pathParam("Sid")))));
        r.post("/v1/Modules/{Sid}", ctx -> {
            Account owner = Auth.account(ctx);
            Module current = linking.modules().require(owner, ctx.pathParam("Sid"));
            Form form = Form.of(ctx);
            ctx.json(module(linking.modules().update(owner, current.sid(), spec(form, Optional.of(current)), form.optional("Configuration"))));
        });
        r.delete("/v1/Modules/{Sid}", ctx -> {
            linking.modules().delete(Auth.account(ctx), ctx.pathParam("Sid"));
            ctx.status(204);
        });
        r.get("/v1/Modules/{Sid}/Events", ctx -> {
            Paging.Request paging = Paging.Request.from(Form.of(ctx));
            String sid = ctx.pathParam("Sid");
            ctx.json(Paging.envelope("events", linking.events().log(Auth.account(ctx), sid, paging.page(), paging.pageSize()),
                    LinkingResource::event, "/v1/Modules/" + sid + "/Events", ""));
        });
        r.get("/v1/Modules/{Sid}/Segments", ctx -> {
            Account owner = Auth.account(ctx);
            Module m = linking.modules().require(owner, ctx.pathParam("Sid"));
            Paging.Request paging = Paging.Request.from(Form.of(ctx));
            ctx.json(Paging.envelope("segments", segments.ofModule(owner.sid(), m.sid(), paging.page(), paging.pageSize()),
                    Renderers::segment, "/v1/Modules/" + m.sid() + "/Segments", ""));
        });
        r.get("/v1/Modules/{Sid}/SurveyResponses", ctx -> {   // the survey service's answers, for the module's developer
            Module m = linking.modules().require(Auth.account(ctx), ctx.pathParam("Sid"));
            var answers = surveyAnswers.of(m.sid(), Form.of(ctx).integer("PageSize", 200, 1, 1000));
            Map<String, Map<String, Long>> counts = new TreeMap<>();
            answers.forEach(a -> counts.computeIfAbsent(a.question(), q -> new TreeMap<>()).merge(a.answer(), 1L, Long::sum));
            ctx.json(Json.object()
                    .put("module_sid", m.sid())
                    .put("responses", answers.stream().map(a -> Json.object().put("call_sid", a.callSid()).put("account_sid", a.accountSid())
                            .put("question", a.question()).put("answer", a.answer()).put("date_answered", Json.date(a.answeredAt())).map()).toList())
                    .put("summary", counts)
                    .map());
        });
        r.get("/v1/Modules/{Sid}/Agents", ctx -> {   // a call-center module's agents, for its developer
            Module m = serviceModule(ctx, "call-center");
            ctx.json(Json.object().put("agents", agents.list(m.sid(), linking.modules().configuration(m.sid()).orElse("{}")).stream()
                    .map(LinkingResource::agent).toList()).map());
        });
        r.post("/v1/Modules/{Sid}/Agents/{Name}", ctx -> {
            Module m = serviceModule(ctx, "call-center");
            String available = Form.of(ctx).required("Available").trim().toLowerCase(Locale.ROOT);
            if (!available.equals("true") && !available.equals("false")) {
                throw PatchbayException.InvalidParameter.invalid("Available", available, "true or false");
            }
            ctx.json(agent(agents.setAvailable(m.sid(), linking.modules().configuration(m.sid()).orElse("{}"), ctx.pathParam("Name"),
                    available.equals("true"))));
        });
        r.get("/v1/Modules/{Sid}/Cards", ctx -> {   // a calling-card module's cards (never their PINs)
            Module m = serviceModule(ctx, "calling-card");
            ctx.json(Json.object().put("cards", cards.list(m.sid()).stream().map(LinkingResource::card).toList()).map());
        });
        r.post("/v1/Modules/{Sid}/Cards", ctx -> {
            Module m = serviceModule(ctx, "calling-card");
            Form form = Form.of(ctx);
            BigDecimal balance = form.money("Balance").orElseThrow(() -> PatchbayException.InvalidParameter.missing("Balance"));
            ctx.status(201).json(card(cards.issue(m.sid(), form.required("Pin").trim(), balance)));
        });
        r.get("/v1/Marketplace/Modules", ctx -> {
            String query = Form.of(ctx).optional("Query").orElse("").trim();
            ctx.json(Json.object().put("modules", linking.modules().marketplace(query, 200).stream()
                    .map(this::listing).toList()).map());
        });
        r.get("/v1/Installations", ctx -> ctx.json(Json.object().put("installations", linking.installations().list(Auth.account(ctx)).stream()
                .map(LinkingResource::installation).toList()).map()));
        r.post("/v1/Installations", ctx -> {
            Form form = Form.of(ctx);
            ctx.status(201).json(installation(linking.installations().install(Auth.account(ctx), form.required("ModuleSid").trim(),
                    form.optional("Configuration").filter(c -> !c.isBlank()).orElse("{}"))));
        });
        r.get("/v1/Installations/{Sid}", ctx -> ctx.json(installation(linking.installations().require(Auth.account(ctx), ctx.pathParam("Sid")))));
        r.delete("/v1/Installations/{Sid}", ctx -> {
            linking.installations().uninstall(Auth.account(ctx), ctx.pathParam("Sid"));
            ctx.status(204);
        });
        r.get("/v1/Flows", ctx -> ctx.json(Json.object().put("flows", linking.flows().list(Auth.account(ctx)).stream()
                .map(LinkingResource::flow).toList()).map()));
        r.post("/v1/Flows", ctx -> {
            Form form = Form.of(ctx);
            ctx.status(201).json(flow(linking.flows().create(Auth.account(ctx), form.text("FriendlyName", 256).orElse("flow"),
                    form.required("Definition"))));
        });
        r.get("/v1/Flows/{Sid}", ctx -> ctx.json(flow(linking.flows().require(Auth.account(ctx), ctx.pathParam("Sid")))));
        r.post("/v1/Flows/{Sid}", ctx -> {
            Form form = Form.of(ctx);
            ctx.json(flow(linking.flows().update(Auth.account(ctx), ctx.pathParam("Sid"), form.text("FriendlyName", 256),
                    form.optional("Definition").filter(d -> !d.isBlank()))));
        });
        r.delete("/v1/Flows/{Sid}", ctx -> {
            linking.flows().delete(Auth.account(ctx), ctx.pathParam("Sid"));
            ctx.status(204);
        });
        r.get("/v1/Calls/{CallSid}/State", this::readState);
        r.post("/v1/Calls/{CallSid}/State", ctx -> {
            String call = ctx.pathParam("CallSid");
            String account = linking.state().accessibleBy(Auth.account(ctx).sid(), call);
            Map<String, String> values = new LinkedHashMap<>();
            ctx.formParamMap().forEach((name, list) -> values.put(name, list.isEmpty() ? "" : list.getFirst()));
            if (values.isEmpty()) {
                throw new PatchbayException.InvalidParameter(20001, "Give at least one Name=Value to set");
            }
            linking.state().write(call, account, values);
            readState(ctx);
        });
        r.delete("/v1/Calls/{CallSid}/State/{Name}", ctx -> {
            String call = ctx.pathParam("CallSid");
            linking.state().accessibleBy(Auth.account(ctx).sid(), call);
            if (!linking.state().delete(call, ctx.pathParam("Name"))) {
                throw new PatchbayException.NotFound("/Calls/" + call + "/State/" + ctx.pathParam("Name"));
            }
            ctx.status(204);
        });
    }

    private void readState(Context ctx) {
        String call = ctx.pathParam("CallSid");
        linking.state().accessibleBy(Auth.account(ctx).sid(), call);
        ctx.json(Json.object().put("call_sid", call).put("state", linking.state().read(call)).put("url", "/v1/Calls/" + call + "/State").map());
    }

    /** The module's fields from the form, over {@code current} when changing one. */
    private static Module.Spec spec(Form form, Optional<Module> current) {
        Optional<Module.Spec> c = current.map(Module::spec);
        Module.Kind kind = form.optional("Kind").map(k -> Module.Kind.parse("Kind", k)).orElse(c.map(Module.Spec::kind).orElse(Module.Kind.APPLICATION));
        List<String> outlets = form.optional("Outlets").map(Modules::outlets).orElse(c.map(Module.Spec::outlets)
                .orElse(kind == Module.Kind.BRIDGE ? List.of("completed", "busy", "no-answer", "failed") : List.of()));
        return new Module.Spec(
                form.optional("UniqueName").map(String::trim).or(() -> c.map(Module.Spec::uniqueName))
                        .orElseThrow(() -> PatchbayException.InvalidParameter.missing("UniqueName")),
                form.text("FriendlyName", 256).or(() -> c.map(Module.Spec::friendlyName))
                        .orElse(form.optional("UniqueName").orElse("")),
                form.text("Description", 4000).or(() -> c.map(Module.Spec::description)).orElse(""),
                kind,
                kind == Module.Kind.SERVICE
                        ? form.optional("Service").map(s -> Optional.of(Modules.SERVICE + s.trim()))
                                .orElse(c.flatMap(Module.Spec::inletUrl).filter(u -> u.startsWith(Modules.SERVICE)))
                        : url(form, "InletUrl", c.flatMap(Module.Spec::inletUrl)),
                form.method("InletMethod").orElse(c.map(Module.Spec::inletMethod).orElse(HttpMethod.POST)),
                url(form, "FallbackUrl", c.flatMap(Module.Spec::fallbackUrl)),
                url(form, "EventsUrl", c.flatMap(Module.Spec::eventsUrl)),
                form.optional("Parameters").filter(p -> !p.isBlank()).map(Parameters::declare)
                        .orElse(c.map(Module.Spec::parameters).orElse(List.of())),
                outlets,
                form.optional("UsagePlanSid").map(String::trim).map(v -> v.isEmpty() ? Optional.<String>empty() : Optional.of(v))
                        .orElse(c.flatMap(Module.Spec::usagePlanSid)),
                form.optional("Visibility").map(Module.Visibility::parse).orElse(c.map(Module.Spec::visibility).orElse(Module.Visibility.PRIVATE)));
    }

    /** The caller's module {Sid}, which must run {@code service}; 404 otherwise. */
    private Module serviceModule(Context ctx, String service) {
        Module m = linking.modules().require(Auth.account(ctx), ctx.pathParam("Sid"));
        if (!m.inletUrl().orElse("").equals(Modules.SERVICE + service)) {
            throw new PatchbayException.NotFound(ctx.path());
        }
        return m;
    }

    private static Map<String, Object> card(CallingCards.Card c) {
        return Json.object().put("sid", c.sid()).put("module_sid", c.moduleSid()).put("balance", c.balance().toPlainString())
                .put("date_created", Json.date(c.dateCreated())).put("date_updated", Json.date(c.dateUpdated())).map();
    }

    private static Map<String, Object> agent(CallCenterAgents.Agent a) {
        return Json.object().put("name", a.name()).put("available", a.available()).put("call_sid", a.onCall())
                .put("idle_since", Json.date(a.idleSince())).map();
    }

    private static Optional<String> url(Form form, String name, Optional<String> current) {
        return form.url(name).orElse(current);
    }

    static Map<String, Object> module(Module m) {
        return Json.object()
                .put("sid", m.sid())
                .put("account_sid", m.accountSid())
                .put("unique_name", m.uniqueName())
                .put("friendly_name", m.friendlyName())
                .put("description", m.description())
                .put("kind", m.kind().wire())
                .put("inlet_url", m.inletUrl())
                .put("inlet_method", m.inletMethod().name())
                .put("fallback_url", m.fallbackUrl())
                .put("events_url", m.eventsUrl())
                .put("parameters", parameters(m))
                .put("outlets", m.outlets())
                .put("usage_plan_sid", m.usagePlanSid())
                .put("visibility", m.visibility().wire())
                .put("banned", m.banned())
                .put("date_created", Json.date(m.dateCreated()))
                .put("date_updated", Json.date(m.dateUpdated()))
                .put("url", "/v1/Modules/" + m.sid())
                .map();
    }

    /** What the marketplace shows of another developer's module: its pricing (the plan version in force), never its URLs. */
    Map<String, Object> listing(Module m) {
        var plan = m.usagePlanSid().flatMap(plans::current);
        return Json.object()
                .put("sid", m.sid())
                .put("account_sid", m.accountSid())
                .put("unique_name", m.uniqueName())
                .put("friendly_name", m.friendlyName())
                .put("description", m.description())
                .put("kind", m.kind().wire())
                .put("parameters", parameters(m))
                .put("outlets", m.outlets())
                .put("usage_plan_sid", m.usagePlanSid())
                .put("usage_plan_version", plan.map(UsagePlans.Version::version))
                .put("pricing", plan.map(p -> Parameters.tree(p.definition())).orElse(null))
                .map();
    }

    private static List<Map<String, Object>> parameters(Module m) {
        return m.parameters().stream().map(p -> Json.object().put("name", p.name()).put("type", p.type()).put("required", p.required())
                .put("default", p.defaultValue()).map()).toList();
    }

    static Map<String, Object> installation(Installation i) {
        return Json.object()
                .put("sid", i.sid())
                .put("account_sid", i.accountSid())
                .put("module_sid", i.moduleSid())
                .put("usage_plan_sid", i.usagePlanSid())
                .put("usage_plan_version", i.usagePlanVersion())
                .put("configuration", Parameters.tree(i.configuration()))
                .put("status", i.status().name().toLowerCase(Locale.ROOT))
                .put("date_created", Json.date(i.dateCreated()))
                .put("date_updated", Json.date(i.dateUpdated()))
                .put("url", "/v1/Installations/" + i.sid())
                .map();
    }

    static Map<String, Object> flow(Flow f) {
        return Json.object()
                .put("sid", f.sid())
                .put("account_sid", f.accountSid())
                .put("friendly_name", f.friendlyName())
                .put("version", f.version())
                .put("definition", Parameters.tree(f.source()))
                .put("date_created", Json.date(f.dateCreated()))
                .put("date_updated", Json.date(f.dateUpdated()))
                .put("url", "/v1/Flows/" + f.sid())
                .map();
    }

    static Map<String, Object> event(ModuleEvents.Logged e) {
        return Json.object()
                .put("sid", e.sid())
                .put("module_sid", e.moduleSid())
                .put("account_sid", e.accountSid())
                .put("call_sid", e.callSid())
                .put("event_type", e.eventType())
                .put("url", e.url())
                .put("status", e.status())
                .put("attempts", e.attempts())
                .put("response_code", e.responseCode())
                .put("date_created", Json.date(e.dateCreated()))
                .put("date_updated", Json.date(e.dateUpdated()))
                .map();
    }
}

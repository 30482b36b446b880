package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.call.CallControl;
import dev.patchbay.call.CallRecord;
import dev.patchbay.call.CallRouter;
import dev.patchbay.call.Outbound;
import dev.patchbay.call.Segment;
import dev.patchbay.call.Segments;
import dev.patchbay.linking.Linking;
import dev.patchbay.number.Applications;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.PhoneNumbers;
import dev.patchbay.number.VoiceSettings;
import dev.patchbay.twiml.TwimlException;
import dev.patchbay.twiml.TwimlParser;
import dev.patchbay.twiml.Verb;
import java.util.List;
import dev.patchbay.call.CallStatus;
import dev.patchbay.call.Calls;
import dev.patchbay.call.Notifications;
import dev.patchbay.call.Recordings;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code /Calls}: place a call, list with filters, fetch, modify a live call (new instructions or
 * its end); a call's Segments, Notifications and Recordings; the account's Notifications.
 */
final class CallsResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Calls";

    private final AccountsResource accounts;
    private final Calls calls;
    private final Notifications notifications;
    private final Recordings recordings;
    private final CallRouter router;
    private final CallControl control;
    private final Segments segments;
    private final Applications applications;
    private final Linking linking;

    CallsResource(AccountsResource accounts, Calls calls, Notifications notifications, Recordings recordings, CallRouter router,
                  CallControl control, Segments segments, Applications applications, Linking linking) {
        this.accounts = accounts;
        this.linking = linking;
        this.router = router;
        this.control = control;
        this.segments = segments;
        this.applications = applications;
        this.calls = calls;
        this.notifications = notifications;
        this.recordings = recordings;
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", this::list);
        r.post(PATH + ".json", this::create);
        r.get(PATH + "/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Renderers.call(require(owner, Resources.sid(ctx))));
        });
        r.post(PATH + "/{file}", this::modify);
        r.get(PATH + "/{CallSid}/Segments.json", ctx -> {
            Account owner = accounts.owner(ctx);
            CallRecord call = require(owner, ctx.pathParam("CallSid"));
            ctx.json(Json.object().put("segments", segments.list(owner.sid(), call.sid()).stream().map(Renderers::segment).toList())
                    .put("uri", PATH.replace("{AccountSid}", owner.sid()) + "/" + call.sid() + "/Segments.json").map());
        });
        r.get(PATH + "/{CallSid}/Notifications.json", ctx -> {
            Account owner = accounts.owner(ctx);
            CallRecord call = require(owner, ctx.pathParam("CallSid"));
            listNotifications(ctx, owner, Optional.of(call.sid()), PATH.replace("{AccountSid}", owner.sid()) + "/" + call.sid() + "/Notifications.json");
        });
        r.get(PATH + "/{CallSid}/Recordings.json", ctx -> {
            Account owner = accounts.owner(ctx);
            CallRecord call = require(owner, ctx.pathParam("CallSid"));
            Form form = Form.of(ctx);
            Paging.Request paging = Paging.Request.from(form);
            ctx.json(Paging.envelope("recordings", recordings.list(owner.sid(), Optional.of(call.sid()), paging.page(), paging.pageSize()),
                    Renderers::recording, PATH.replace("{AccountSid}", owner.sid()) + "/" + call.sid() + "/Recordings.json", ""));
        });
        r.get(Renderers.BASE + "/{AccountSid}/Notifications.json", ctx -> {
            Account owner = accounts.owner(ctx);
            listNotifications(ctx, owner, Optional.empty(), Renderers.BASE + "/" + owner.sid() + "/Notifications.json");
        });
        r.get(Renderers.BASE + "/{AccountSid}/Notifications/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            String sid = Resources.sid(ctx);
            ctx.json(Renderers.notification(notifications.find(owner.sid(), sid)
                    .orElseThrow(() -> new PatchbayException.NotFound("/Notifications/" + sid))));
        });
    }

    /** A required To or From: E.164, sip: or client:, else Twilio's {@code code} (21211 for To, 21212 for From). */
    static String address(Form form, String name, int code) {
        String value = form.required(name).trim();
        if (!value.regionMatches(true, 0, "sip:", 0, 4) && !value.regionMatches(true, 0, "client:", 0, 7) && !PhoneNumbers.isE164(value)) {
            throw new PatchbayException.InvalidParameter(code, "Invalid '" + name + "' Phone Number: '" + value + "' is not E.164, sip: or client:");
        }
        return value;
    }

    /** Twilio's create-call parameters: To, From, and one of Url, Twiml, ApplicationSid. */
    private void create(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        String to = address(form, "To", 21211);
        String from = address(form, "From", 21212);
        Optional<String> url = form.url("Url").flatMap(u -> u);
        Optional<List<Verb>> twiml = form.optional("Twiml").filter(t -> !t.isBlank()).map(CallsResource::twiml);
        Optional<String> appSid = form.optional("ApplicationSid").filter(a -> !a.isBlank());
        long given = Stream.of(url, twiml, appSid).filter(Optional::isPresent).count();
        if (given != 1) {
            throw new PatchbayException.InvalidParameter(21205, "Give exactly one of Url, Twiml and ApplicationSid");
        }
        VoiceSettings voice = form.voice(VoiceSettings.NONE);
        HttpMethod method = form.method("Method").orElse(HttpMethod.POST);
        Optional<String> fallback = form.url("FallbackUrl").flatMap(u -> u);
        HttpMethod fallbackMethod = form.method("FallbackMethod").orElse(HttpMethod.POST);
        if (appSid.isPresent()) {
            var app = applications.require(owner, appSid.get());
            voice = app.voice();
            url = Optional.of(app.voice().url().orElseThrow(() -> new PatchbayException.InvalidParameter(21205,
                    "Application " + app.sid() + " has no VoiceUrl")));
            method = app.voice().method();
            fallback = app.voice().fallbackUrl();
            fallbackMethod = app.voice().fallbackMethod();
        }
        Optional<String> sendDigits = form.optional("SendDigits").filter(d -> !d.isBlank());
        sendDigits.filter(d -> !d.matches("[0-9*#wW]+")).ifPresent(d -> {
            throw PatchbayException.InvalidParameter.invalid("SendDigits", d, "digits, *, # and w");
        });
        var request = Outbound.Request.of(to, from, url, method, twiml, fallback, fallbackMethod, voice.statusCallback(),
                voice.statusCallbackMethod(), voice.statusCallbackEvents(), form.integer("Timeout", 60, 5, 600),
                form.integer("TimeLimit", 14400, 1, 86400), sendDigits).withMaxPrice(form.money("MaxPrice"));
        var call = router.originate(owner, request);
        ctx.status(201).json(Renderers.call(require(owner, call.sid())));
    }

    /**
     * Url/Method or Twiml promote the call to application mode; ModuleSid (SID or alias) or
     * FlowNode (a node of the flow the call runs) move it into a module through the linking
     * system; Status=completed or canceled ends it.
     */
    private void modify(Context ctx) {
        Account owner = accounts.owner(ctx);
        String sid = Resources.sid(ctx);
        Form form = Form.of(ctx);
        Optional<String> url = form.url("Url").flatMap(u -> u);
        Optional<String> twiml = form.optional("Twiml").filter(t -> !t.isBlank());
        Optional<String> status = form.optional("Status").filter(t -> !t.isBlank());
        Optional<String> module = form.optional("ModuleSid").map(String::trim).filter(t -> !t.isEmpty());
        Optional<String> node = form.optional("FlowNode").map(String::trim).filter(t -> !t.isEmpty());
        if (Stream.of(url, twiml, module, node).filter(Optional::isPresent).count() > 1) {
            throw new PatchbayException.InvalidParameter(20001, "Give one of Url, Twiml, ModuleSid or FlowNode");
        }
        if (module.isPresent()) {
            linking.modules().visibleTo(owner.sid(), module.get());   // 404 for a module this account cannot name
            url = Optional.of("module:" + module.get());
        } else if (node.isPresent()) {
            require(owner, sid);
            Segment current = segments.list(owner.sid(), sid).stream().reduce((a, b) -> b)
                    .filter(s -> s.flowSid().isPresent() && s.flowVersion().isPresent())
                    .orElseThrow(() -> new PatchbayException.InvalidParameter(20001, "FlowNode: call " + sid + " is not running a flow"));
            boolean known = linking.flows().definitionAt(current.flowSid().get(), current.flowVersion().get())
                    .map(d -> d.node(node.get()).isPresent()).orElse(false);
            if (!known) {
                throw PatchbayException.InvalidParameter.invalid("FlowNode", node.get(), "a node of the flow this call runs");
            }
            url = Optional.of("node:" + node.get());
        }
        CallControl.Change change;
        if (status.isPresent()) {
            change = switch (status.get()) {
                case "completed" -> new CallControl.Change.Complete();
                case "canceled" -> new CallControl.Change.Cancel();
                default -> throw PatchbayException.InvalidParameter.invalid("Status", status.get(), "completed or canceled");
            };
        } else if (url.isPresent()) {
            change = new CallControl.Change.Redirect(url.get(), form.method("Method").orElse(HttpMethod.POST));
        } else if (twiml.isPresent()) {
            change = new CallControl.Change.Twiml(twiml(twiml.get()), twiml.get());
        } else {
            throw new PatchbayException.InvalidParameter(20001, "Give Url, Twiml or Status");
        }
        ctx.json(Renderers.call(control.modify(owner, sid, change)));
    }

    private static List<Verb> twiml(String text) {
        try {
            return TwimlParser.parse(text);
        } catch (TwimlException e) {
            throw new PatchbayException.InvalidParameter(e.code(), "Twiml is not valid: " + e.getMessage());
        }
    }

    private CallRecord require(Account owner, String sid) {
        return calls.find(owner.sid(), sid).orElseThrow(() -> new PatchbayException.NotFound("/Calls/" + sid));
    }

    private void list(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        Paging.Request paging = Paging.Request.from(form);
        Optional<CallStatus> status = form.optional("Status").map(s -> {
            try {
                return CallStatus.parse(s);
            } catch (IllegalArgumentException e) {
                throw PatchbayException.InvalidParameter.invalid("Status", s, "a call status such as in-progress or completed");
            }
        });
        Optional<Instant> after = form.optional("StartTime>").or(() -> form.optional("StartTime")).map(v -> day("StartTime", v));
        Optional<Instant> before = form.optional("StartTime<").map(v -> day("StartTime<", v));
        if (form.optional("StartTime").isPresent() && form.optional("StartTime>").isEmpty()) {
            before = after.map(a -> a.plusSeconds(86_400));   // StartTime=YYYY-MM-DD is that whole day
        }
        Calls.Filter filter = new Calls.Filter(form.optional("To"), form.optional("From"), status, after, before, form.optional("ParentCallSid"));
        ctx.json(Paging.envelope("calls", calls.list(owner.sid(), filter, paging.page(), paging.pageSize()), Renderers::call,
                Renderers.BASE + "/" + owner.sid() + "/Calls.json", form.query("To", "From", "Status", "StartTime", "StartTime>", "StartTime<", "ParentCallSid")));
    }

    private void listNotifications(Context ctx, Account owner, Optional<String> callSid, String path) {
        Form form = Form.of(ctx);
        Paging.Request paging = Paging.Request.from(form);
        var page = notifications.list(owner.sid(), callSid, paging.page(), paging.pageSize());
        ctx.json(Paging.envelope("notifications", page, Renderers::notification, path, ""));
    }

    private static Instant day(String name, String value) {
        try {
            return LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw PatchbayException.InvalidParameter.invalid(name, value, "a date as YYYY-MM-DD");
        }
    }

}

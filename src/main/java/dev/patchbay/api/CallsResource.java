package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.call.CallRecord;
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

/** {@code /Calls}: list with filters and fetch; a call's Notifications and Recordings; the account's Notifications. */
final class CallsResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Calls";

    private final AccountsResource accounts;
    private final Calls calls;
    private final Notifications notifications;
    private final Recordings recordings;

    CallsResource(AccountsResource accounts, Calls calls, Notifications notifications, Recordings recordings) {
        this.accounts = accounts;
        this.calls = calls;
        this.notifications = notifications;
        this.recordings = recordings;
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", this::list);
        r.get(PATH + "/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Renderers.call(require(owner, Resources.sid(ctx))));
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

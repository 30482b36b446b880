package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.call.Conferences;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's Conferences and Participants: list and fetch (any node); end a conference
 * ({@code Status=completed}), mute, hold and remove a participant (on the node holding the room).
 */
final class ConferencesResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Conferences";

    private final AccountsResource accounts;
    private final Conferences conferences;

    ConferencesResource(AccountsResource accounts, Conferences conferences) {
        this.accounts = accounts;
        this.conferences = conferences;
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            Form form = Form.of(ctx);
            ctx.json(Json.object().put("conferences", conferences.list(owner.sid(), form.optional("Status"), form.optional("FriendlyName")).stream()
                    .map(ConferencesResource::conference).toList()).put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Conferences.json").map());
        });
        r.get(PATH + "/{file}", ctx -> ctx.json(conference(conferences.require(accounts.owner(ctx).sid(), Resources.sid(ctx)))));
        r.post(PATH + "/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            String sid = Resources.sid(ctx);
            conferences.require(owner.sid(), sid);
            String status = Form.of(ctx).optional("Status").orElse("").trim();
            if (!status.equals("completed")) {
                throw PatchbayException.InvalidParameter.invalid("Status", status, "completed");
            }
            elsewhere(conferences.complete(owner.sid(), sid), sid);
            ctx.json(conference(conferences.require(owner.sid(), sid)));
        });
        r.get(PATH + "/{ConferenceSid}/Participants.json", ctx -> {
            Account owner = accounts.owner(ctx);
            String sid = ctx.pathParam("ConferenceSid");
            ctx.json(Json.object().put("participants", conferences.participants(owner.sid(), sid).stream().map(p -> participant(owner, p)).toList())
                    .put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Conferences/" + sid + "/Participants.json").map());
        });
        r.get(PATH + "/{ConferenceSid}/Participants/{file}", ctx -> ctx.json(participant(accounts.owner(ctx), find(ctx))));
        r.post(PATH + "/{ConferenceSid}/Participants/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            Conferences.Participant p = find(ctx);
            Form form = Form.of(ctx);
            Optional<Boolean> muted = flag(form, "Muted");
            Optional<Boolean> hold = flag(form, "Hold");
            elsewhere(conferences.modify(owner.sid(), p.conferenceSid(), p.callSid(), muted, hold, false), p.conferenceSid());
            ctx.json(participant(owner, find(ctx)));
        });
        r.delete(PATH + "/{ConferenceSid}/Participants/{file}", ctx -> {
            Conferences.Participant p = find(ctx);
            elsewhere(conferences.modify(accounts.owner(ctx).sid(), p.conferenceSid(), p.callSid(), Optional.empty(), Optional.empty(), true),
                    p.conferenceSid());
            ctx.status(204);
        });
    }

    private static void elsewhere(boolean done, String sid) {
        if (!done) {
            throw new PatchbayException.Conflict(20409, "Conference " + sid + " is not live on this node (ended, or held by another node)");
        }
    }

    private static Optional<Boolean> flag(Form form, String name) {
        return form.optional(name).map(v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw PatchbayException.InvalidParameter.invalid(name, v, "true or false");
        });
    }

    private Conferences.Participant find(Context ctx) {
        Account owner = accounts.owner(ctx);
        String conference = ctx.pathParam("ConferenceSid");
        String call = Resources.sid(ctx);
        return conferences.participants(owner.sid(), conference).stream().filter(p -> p.callSid().equals(call)).findFirst()
                .orElseThrow(() -> new PatchbayException.NotFound("/Conferences/" + conference + "/Participants/" + call));
    }

    private static Map<String, Object> conference(Conferences.Conference c) {
        String uri = "/2010-04-01/Accounts/" + c.accountSid() + "/Conferences/" + c.sid();
        return Json.object()
                .put("sid", c.sid())
                .put("account_sid", c.accountSid())
                .put("friendly_name", c.friendlyName())
                .put("status", c.status())
                .put("date_created", Json.date(c.dateCreated()))
                .put("date_updated", Json.date(c.dateUpdated()))
                .put("api_version", "2010-04-01")
                .put("uri", uri + ".json")
                .put("subresource_uris", Map.of("participants", uri + "/Participants.json"))
                .map();
    }

    private static Map<String, Object> participant(Account owner, Conferences.Participant p) {
        return Json.object()
                .put("call_sid", p.callSid())
                .put("conference_sid", p.conferenceSid())
                .put("account_sid", owner.sid())
                .put("muted", p.muted())
                .put("hold", p.hold())
                .put("start_conference_on_enter", p.startConferenceOnEnter())
                .put("end_conference_on_exit", p.endConferenceOnExit())
                .put("status", "connected")
                .put("date_created", Json.date(p.dateCreated()))
                .put("date_updated", Json.date(p.dateUpdated()))
                .put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Conferences/" + p.conferenceSid() + "/Participants/" + p.callSid() + ".json")
                .map();
    }
}

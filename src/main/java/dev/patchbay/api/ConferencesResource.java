package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.call.CallRouter;
import dev.patchbay.call.Conferences;
import dev.patchbay.call.Outbound;
import dev.patchbay.call.Recordings;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.VoiceSettings;
import dev.patchbay.twiml.TwimlException;
import dev.patchbay.twiml.TwimlParser;
import dev.patchbay.twiml.Verb;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Twilio's Conferences and Participants: list and fetch (any node); end a conference
 * ({@code Status=completed}), mute, hold and remove a participant (on the node holding the room);
 * add a participant by dialing out (the call, once answered, joins the room as {@code <Dial><Conference>}
 * would put it there); a conference's recordings.
 */
final class ConferencesResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Conferences";

    private static final Pattern CONFERENCE_SID = Pattern.compile("CF[0-9a-f]{32}");

    private final AccountsResource accounts;
    private final Conferences conferences;
    private final CallRouter router;
    private final Recordings recordings;

    ConferencesResource(AccountsResource accounts, Conferences conferences, CallRouter router, Recordings recordings) {
        this.accounts = accounts;
        this.conferences = conferences;
        this.router = router;
        this.recordings = recordings;
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
        r.post(PATH + "/{ConferenceSid}/Participants.json", this::dialOut);
        r.get(PATH + "/{ConferenceSid}/Recordings.json", ctx -> {
            Account owner = accounts.owner(ctx);
            String sid = ctx.pathParam("ConferenceSid");
            conferences.require(owner.sid(), sid);
            Paging.Request paging = Paging.Request.from(Form.of(ctx));
            ctx.json(Paging.envelope("recordings", recordings.list(owner.sid(), Optional.empty(), Optional.of(sid), paging.page(),
                    paging.pageSize()), Renderers::recording, PATH.replace("{AccountSid}", owner.sid()) + "/" + sid + "/Recordings.json", ""));
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

    /**
     * Twilio's create-participant: calls To from From and, once answered, puts the call in the
     * conference (a CF SID of a room live on this node, or a friendly name, whose room is made when
     * the call joins it) with the participant's and the conference's settings.
     */
    private void dialOut(Context ctx) {
        Account owner = accounts.owner(ctx);
        String named = ctx.pathParam("ConferenceSid");
        Form form = Form.of(ctx);
        String name = named;
        if (CONFERENCE_SID.matcher(named).matches()) {
            Conferences.Conference existing = conferences.require(owner.sid(), named);
            elsewhere(conferences.isLiveHere(owner.sid(), named), named);
            name = existing.friendlyName();
        }
        String to = CallsResource.address(form, "To", 21211);
        String from = CallsResource.address(form, "From", 21212);
        String xml = "<Response><Dial" + attribute("timeLimit", Integer.toString(form.integer("TimeLimit", 14400, 1, 86400))) + "><Conference"
                + flag(form, "Muted", "muted") + flag(form, "StartConferenceOnEnter", "startConferenceOnEnter")
                + flag(form, "EndConferenceOnExit", "endConferenceOnExit") + text(form, "Beep", "beep") + text(form, "WaitUrl", "waitUrl")
                + text(form, "WaitMethod", "waitMethod") + text(form, "MaxParticipants", "maxParticipants") + text(form, "ConferenceRecord", "record")
                + text(form, "ConferenceRecordingStatusCallback", "recordingStatusCallback")
                + text(form, "ConferenceRecordingStatusCallbackMethod", "recordingStatusCallbackMethod")
                + text(form, "ConferenceStatusCallback", "statusCallback") + text(form, "ConferenceStatusCallbackMethod", "statusCallbackMethod")
                + (form.has("ConferenceStatusCallbackEvent") ? attribute("statusCallbackEvent", String.join(" ", form.all("ConferenceStatusCallbackEvent"))) : "")
                + ">" + escape(name) + "</Conference></Dial></Response>";
        List<Verb> twiml;
        try {
            twiml = TwimlParser.parse(xml);
        } catch (TwimlException e) {   // a value the Conference noun does not take: the message names its attribute
            throw new PatchbayException.InvalidParameter(20001, "Invalid participant parameter: " + e.getMessage());
        }
        VoiceSettings voice = form.voice(VoiceSettings.NONE);
        var request = Outbound.Request.of(to, from, Optional.empty(), HttpMethod.POST, Optional.of(twiml), Optional.empty(), HttpMethod.POST,
                voice.statusCallback(), voice.statusCallbackMethod(), voice.statusCallbackEvents(), form.integer("Timeout", 60, 5, 600),
                form.integer("TimeLimit", 14400, 1, 86400), Optional.empty());
        var call = router.originate(owner, request);
        Verb.DialTarget.Conference noun = (Verb.DialTarget.Conference) ((Verb.Dial) twiml.getFirst()).targets().getFirst();
        ctx.status(201).json(Json.object()
                .put("call_sid", call.sid())
                .put("conference_sid", conferences.liveSid(owner.sid(), name).orElse(null))
                .put("account_sid", owner.sid())
                .put("muted", noun.muted())
                .put("hold", false)
                .put("start_conference_on_enter", noun.startConferenceOnEnter())
                .put("end_conference_on_exit", noun.endConferenceOnExit())
                .put("status", "queued")
                .put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Conferences/" + named + "/Participants/" + call.sid() + ".json")
                .map());
    }

    private static String flag(Form form, String param, String attribute) {
        return flag(form, param).map(v -> attribute(attribute, v.toString())).orElse("");
    }

    private static String text(Form form, String param, String attribute) {
        return form.optional(param).map(v -> attribute(attribute, v.trim())).orElse("");
    }

    private static String attribute(String name, String value) {
        return " " + name + "=\"" + escape(value) + "\"";
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void elsewhere(boolean done, String sid) {
        if (!done) {
            throw new PatchbayException.Conflict(20409, "Conference " + sid + " is not live on this node (ended, or held by another node)");
        }
    }

    private static Optional<Boolean> flag(Form form, String name) {
        return form.optional(name).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
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

package dev.patchbay.api;

import dev.patchbay.account.Account;
import dev.patchbay.account.ApiKey;
import dev.patchbay.billing.Rating;
import dev.patchbay.call.CallRecord;
import dev.patchbay.call.Notification;
import dev.patchbay.call.Recording;
import dev.patchbay.call.Segment;
import dev.patchbay.endpoint.SipCredential;
import dev.patchbay.endpoint.SipDomain;
import dev.patchbay.endpoint.Trunk;
import dev.patchbay.number.Application;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.number.VoiceSettings;
import java.time.Instant;
import java.util.Map;

/** Resources in Twilio's JSON field names. One static method per resource; no logic beyond naming. */
final class Renderers {

    static final String API_VERSION = "2010-04-01";
    static final String BASE = "/" + API_VERSION + "/Accounts";

    private Renderers() {
    }

    static Map<String, Object> account(Account a) {
        String uri = BASE + "/" + a.sid();
        return Json.object()
                .put("sid", a.sid())
                .put("owner_account_sid", a.parentSid().orElse(a.sid()))
                .put("friendly_name", a.friendlyName())
                .put("status", a.status().wire())
                .put("type", "Full")
                .put("auth_token", a.authToken())
                .put("date_created", Json.date(a.dateCreated()))
                .put("date_updated", Json.date(a.dateUpdated()))
                .put("uri", uri + ".json")
                .put("subresource_uris", Json.object()
                        .put("incoming_phone_numbers", uri + "/IncomingPhoneNumbers.json")
                        .put("applications", uri + "/Applications.json")
                        .put("calls", uri + "/Calls.json")
                        .put("recordings", uri + "/Recordings.json")
                        .put("notifications", uri + "/Notifications.json")
                        .put("keys", uri + "/Keys.json")
                        .map())
                .map();
    }

    static Map<String, Object> key(ApiKey k) {
        return Json.object()
                .put("sid", k.sid())
                .put("friendly_name", k.friendlyName())
                .put("date_created", Json.date(k.dateCreated()))
                .put("date_updated", Json.date(k.dateUpdated()))
                .map();
    }

    static Map<String, Object> number(IncomingNumber n) {
        String uri = BASE + "/" + n.accountSid() + "/IncomingPhoneNumbers/" + n.sid() + ".json";
        VoiceSettings v = n.voice();
        return Json.object()
                .put("sid", n.sid())
                .put("account_sid", n.accountSid())
                .put("friendly_name", n.friendlyName())
                .put("phone_number", n.phoneNumber())
                .put("voice_url", v.url())
                .put("voice_method", v.method().name())
                .put("voice_fallback_url", v.fallbackUrl())
                .put("voice_fallback_method", v.fallbackMethod().name())
                .put("voice_caller_id_lookup", false)
                .put("voice_application_sid", n.voiceApplicationSid())
                .put("status_callback", v.statusCallback())
                .put("status_callback_method", v.statusCallbackMethod().name())
                .put("status_callback_event", v.statusCallbackEvents().stream().sorted().map(VoiceSettings.CallEvent::wire).toList())
                .put("voice_module_sid", n.voiceModuleSid())
                .put("voice_flow_sid", n.voiceFlowSid())
                .put("voice_endpoint", n.voiceEndpoint())
                .put("voice_endpoint_hangup_url", n.voiceEndpointHangupUrl())
                .put("max_price", n.maxPrice().map(p -> p.setScale(Rating.SCALE).toPlainString()))
                .put("capabilities", Json.object().put("voice", true).put("sms", false).put("mms", false).put("fax", false).map())
                .put("status", "in-use")
                .put("origin", "patchbay")
                .put("api_version", API_VERSION)
                .put("date_created", Json.date(n.dateCreated()))
                .put("date_updated", Json.date(n.dateUpdated()))
                .put("uri", uri)
                .map();
    }

    static Map<String, Object> application(Application a) {
        VoiceSettings v = a.voice();
        return Json.object()
                .put("sid", a.sid())
                .put("account_sid", a.accountSid())
                .put("friendly_name", a.friendlyName())
                .put("voice_url", v.url())
                .put("voice_method", v.method().name())
                .put("voice_fallback_url", v.fallbackUrl())
                .put("voice_fallback_method", v.fallbackMethod().name())
                .put("voice_caller_id_lookup", false)
                .put("status_callback", v.statusCallback())
                .put("status_callback_method", v.statusCallbackMethod().name())
                .put("api_version", API_VERSION)
                .put("date_created", Json.date(a.dateCreated()))
                .put("date_updated", Json.date(a.dateUpdated()))
                .put("uri", BASE + "/" + a.accountSid() + "/Applications/" + a.sid() + ".json")
                .map();
    }

    static Map<String, Object> call(CallRecord c) {
        String uri = BASE + "/" + c.accountSid() + "/Calls/" + c.sid();
        return Json.object()
                .put("sid", c.sid())
                .put("parent_call_sid", c.parentCallSid())
                .put("account_sid", c.accountSid())
                .put("to", c.to())
                .put("to_formatted", c.to())
                .put("from", c.from())
                .put("from_formatted", c.from())
                .put("phone_number_sid", c.phoneNumberSid())
                .put("status", c.status().wire())
                .put("start_time", Json.date(c.startTime()))
                .put("end_time", Json.date(c.endTime()))
                .put("duration", c.duration().map(String::valueOf))
                .put("price", c.price().map(p -> p.setScale(Rating.SCALE).toPlainString()))
                .put("price_unit", "USD")
                .put("direction", c.direction())
                .put("answered_by", null)
                .put("api_version", API_VERSION)
                .put("forwarded_from", null)
                .put("caller_name", c.callerName())
                .put("queue_time", "0")
                .put("trunk_sid", null)
                .put("group_sid", null)
                .put("date_created", Json.date(c.dateCreated()))
                .put("date_updated", Json.date(c.dateUpdated()))
                .put("uri", uri + ".json")
                .put("subresource_uris", Json.object()
                        .put("notifications", uri + "/Notifications.json")
                        .put("recordings", uri + "/Recordings.json")
                        .put("segments", uri + "/Segments.json")
                        .map())
                .map();
    }

    static Map<String, Object> segment(Segment s) {
        return Json.object()
                .put("sid", s.sid())
                .put("call_sid", s.callSid())
                .put("account_sid", s.accountSid())
                .put("sequence", s.seq())
                .put("mode", s.mode().wire())
                .put("module", s.module())
                .put("module_sid", s.moduleSid())
                .put("module_owner_sid", s.moduleOwnerSid())
                .put("flow_sid", s.flowSid())
                .put("flow_version", s.flowVersion())
                .put("flow_node", s.flowNode())
                .put("reason", s.reason())
                .put("start_time", Json.date(s.startedAt()))
                .put("end_time", Json.date(s.endedAt()))
                .put("start_time_ms", s.startedAt().toEpochMilli())
                .put("end_time_ms", s.endedAt().map(Instant::toEpochMilli))
                .put("duration_ms", s.endedAt().map(e -> e.toEpochMilli() - s.startedAt().toEpochMilli()))
                .put("end_reason", s.endReason())
                .map();
    }

    static Map<String, Object> sipDomain(SipDomain d) {
        String uri = BASE + "/" + d.accountSid() + "/SIP/Domains/" + d.sid();
        return Json.object()
                .put("sid", d.sid())
                .put("account_sid", d.accountSid())
                .put("domain_name", d.domainName())
                .put("friendly_name", d.friendlyName())
                .put("sip_registration", true)
                .put("api_version", API_VERSION)
                .put("date_created", Json.date(d.dateCreated()))
                .put("date_updated", Json.date(d.dateUpdated()))
                .put("uri", uri + ".json")
                .put("subresource_uris", Json.object().put("credentials", uri + "/Credentials.json").map())
                .map();
    }

    static Map<String, Object> sipCredential(SipCredential c) {
        return Json.object()
                .put("sid", c.sid())
                .put("account_sid", c.accountSid())
                .put("domain_sid", c.domainSid())
                .put("username", c.username())
                .put("date_created", Json.date(c.dateCreated()))
                .put("date_updated", Json.date(c.dateUpdated()))
                .put("uri", BASE + "/" + c.accountSid() + "/SIP/Domains/" + c.domainSid() + "/Credentials/" + c.sid() + ".json")
                .map();
    }

    /** A trunk as its owner sees it: the password is never rendered. */
    static Map<String, Object> trunk(Trunk t) {
        return Json.object()
                .put("sid", t.sid())
                .put("account_sid", t.accountSid())
                .put("friendly_name", t.friendlyName())
                .put("prefix", t.prefix())
                .put("termination_uri", t.terminationUri())
                .put("username", t.username())
                .put("date_created", Json.date(t.dateCreated()))
                .put("date_updated", Json.date(t.dateUpdated()))
                .put("uri", BASE + "/" + t.accountSid().orElse("") + "/OutboundTrunks/" + t.sid() + ".json")
                .map();
    }

    static Map<String, Object> recording(Recording r) {
        return Json.object()
                .put("sid", r.sid())
                .put("account_sid", r.accountSid())
                .put("call_sid", r.callSid())
                .put("conference_sid", r.conferenceSid().orElse(null))
                .put("status", r.status())
                .put("duration", String.valueOf(r.duration()))
                .put("channels", r.channels())
                .put("source", r.source())
                .put("price", null)
                .put("price_unit", "USD")
                .put("start_time", Json.date(r.startTime()))
                .put("date_created", Json.date(r.dateCreated()))
                .put("date_updated", Json.date(r.dateUpdated()))
                .put("api_version", API_VERSION)
                .put("media_url", BASE + "/" + r.accountSid() + "/Recordings/" + r.sid() + ".wav")
                .put("uri", BASE + "/" + r.accountSid() + "/Recordings/" + r.sid() + ".json")
                .map();
    }

    static Map<String, Object> notification(Notification n) {
        return Json.object()
                .put("sid", n.sid())
                .put("account_sid", n.accountSid())
                .put("call_sid", n.callSid())
                .put("log", String.valueOf(n.log()))
                .put("error_code", String.valueOf(n.errorCode()))
                .put("more_info", "https://www.twilio.com/docs/errors/" + n.errorCode())
                .put("message_text", n.messageText())
                .put("message_date", Json.date(n.messageDate()))
                .put("request_url", n.requestUrl())
                .put("request_method", n.requestMethod())
                .put("api_version", API_VERSION)
                .put("date_created", Json.date(n.dateCreated()))
                .put("date_updated", Json.date(n.dateCreated()))
                .put("uri", BASE + "/" + n.accountSid() + "/Notifications/" + n.sid() + ".json")
                .map();
    }
}

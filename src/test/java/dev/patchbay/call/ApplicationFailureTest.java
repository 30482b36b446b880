package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every way an application can fail: each is a Notification with Twilio's code, a fallback or an error message, and a call that ends. */
class ApplicationFailureTest extends CallTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_WEBHOOK_TIMEOUT", "2");
    }

    private JsonNode notificationsOf(String callSid) {
        RestClient.Response r = node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + "/Notifications.json");
        assertThat(r.status()).isEqualTo(200);
        return r.json().path("notifications");
    }

    /** Calls the number, expects the spoken error message and a hang-up, returns the call SID. */
    private String callExpectingApplicationError() {
        TestPhone.Call call = dial("+14155550100").awaitAnswered();
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
        assertThat(Audio.rms(Audio.concat(call.heard().stream().map(TestPhone.Heard::frame).toList()))).isGreaterThan(300);
        var calls = node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls.json").json().path("calls");
        String sid = calls.get(0).path("sid").asText();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + sid + ".json").text("status"))
                        .isEqualTo("completed"));
        return sid;
    }

    private void expectError(String document, String contentType, int code) {
        app.route("/voice", r -> AppServer.Reply.of(200, contentType, document));
        numberFor("/voice");
        String sid = callExpectingApplicationError();
        JsonNode notifications = notificationsOf(sid);
        assertThat(notifications).hasSize(1);
        assertThat(notifications.get(0).path("error_code").asText()).isEqualTo(Integer.toString(code));
        assertThat(notifications.get(0).path("request_url").asText()).isEqualTo(app.url("/voice"));
    }

    @Test
    void a_document_that_is_not_xml_is_error_12100() {
        expectError("<Response><Say>unclosed", "text/xml", 12100);
    }

    @Test
    void an_unknown_verb_is_error_12200() {
        expectError("<Response><Dance/></Response>", "text/xml", 12200);
    }

    @Test
    void a_bad_attribute_is_error_12200() {
        expectError("<Response><Pause length=\"forever\"/></Response>", "text/xml", 12200);
    }

    @Test
    void a_dtd_is_refused_as_a_parse_failure_and_no_entity_is_expanded() {
        expectError("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response><Say>&x;</Say></Response>",
                "text/xml", 12100);
    }

    @Test
    void a_wrong_content_type_is_error_12300() {
        expectError("{\"say\": \"hi\"}", "application/json", 12300);
    }

    @Test
    void an_http_error_answer_is_error_11200() {
        app.route("/voice", r -> AppServer.Reply.of(500, "text/plain", "boom"));
        numberFor("/voice");
        assertThat(notificationsOf(callExpectingApplicationError()).get(0).path("error_code").asText()).isEqualTo("11200");
    }

    @Test
    void a_timeout_is_error_11200() {
        app.route("/voice", r -> AppServer.Reply.twiml("<Response/>").after(Duration.ofSeconds(4)));
        numberFor("/voice");
        JsonNode n = notificationsOf(callExpectingApplicationError());
        assertThat(n.get(0).path("error_code").asText()).isEqualTo("11200");
        assertThat(n.get(0).path("message_text").asText()).contains("within 2 s");
    }

    @Test
    void an_unreachable_server_is_error_11205() {
        node.number(account, "+14155550100", "http://127.0.0.1:9/voice");
        assertThat(notificationsOf(callExpectingApplicationError()).get(0).path("error_code").asText()).isEqualTo("11205");
    }

    @Test
    void the_fallback_url_takes_over_with_the_error_code() {
        app.route("/voice", r -> AppServer.Reply.of(503, "text/plain", "down"));
        app.twiml("/fallback", "<Response><Say>Fallback speaking.</Say></Response>");
        node.node().numbers().create(account, "+14155550100", n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/voice"))).withFallbackUrl(Optional.of(app.url("/fallback")))));

        TestPhone.Call call = dial("+14155550100").awaitAnswered();

        AppServer.Request fallback = app.next("/fallback");
        assertThat(fallback.param("ErrorCode")).isEqualTo("11200");
        assertThat(fallback.param("ErrorUrl")).isEqualTo(app.url("/voice"));
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void a_failing_action_url_mid_call_is_recorded_and_the_call_still_ends_cleanly() {
        app.twiml("/voice", "<Response><Redirect>/broken</Redirect></Response>");
        app.route("/broken", r -> AppServer.Reply.of(404, "text/plain", "nope"));
        numberFor("/voice");
        String sid = callExpectingApplicationError();
        assertThat(notificationsOf(sid).get(0).path("request_url").asText()).isEqualTo(app.url("/broken"));

        RestClient.Response all = node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Notifications.json");
        assertThat(all.json().path("notifications")).hasSize(1);
        String notificationSid = all.json().path("notifications").get(0).path("sid").asText();
        assertThat(node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Notifications/" + notificationSid + ".json")
                .text("call_sid")).isEqualTo(sid);
        var mallory = node.newAccount("Mallory");
        assertThat(node.client(mallory).get("/2010-04-01/Accounts/" + mallory.sid() + "/Notifications/" + notificationSid + ".json")
                .status()).isEqualTo(404);
    }

    @Test
    void other_callers_are_served_while_an_application_hangs() {
        app.route("/slow", r -> AppServer.Reply.twiml("<Response/>").after(Duration.ofSeconds(4)));
        node.number(account, "+14155550111", app.url("/slow"));
        app.twiml("/voice", "<Response><Say>Fast.</Say></Response>");
        numberFor("/voice");

        TestPhone.Call stuck = dial("+14155550111");
        TestPhone.Call fine = dial("+14155550100").awaitAnswered();

        assertThat(fine.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        assertThat(stuck.awaitFinalStatus()).isEqualTo(200);   // answered to say the application error
    }
}

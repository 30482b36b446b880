package dev.patchbay.call;

import static dev.patchbay.call.DialTest.hears;
import static dev.patchbay.call.DialTest.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.account.Account;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** REST on live calls: placing calls, redirecting (promotion to application mode), hanging up; direct routing. */
class LiveControlTest extends CallTestBase {

    private TestPhone callee;
    private RestClient rest;
    private String calls;

    @BeforeEach
    void startCallee() {
        callee = new TestPhone();
        rest = node.client(account);
        calls = "/2010-04-01/Accounts/" + account.sid() + "/Calls";
    }

    @AfterEach
    void stopCallee() {
        callee.close();
    }

    private JsonNode segments(String callSid) {
        return rest.get(calls + "/" + callSid + "/Segments.json").json().path("segments");
    }

    @Test
    void a_rest_call_rings_the_callee_and_runs_the_application_once_answered() {
        app.twiml("/outbound", "<Response><Play>" + node.baseUrl() + "/demo/tone.wav</Play><Hangup/></Response>");
        RestClient.Response created = rest.post(calls + ".json", "To", callee.uri("bob"), "From", "+14155550100",
                "Url", app.url("/outbound"), "StatusCallback", app.url("/status"), "StatusCallbackEvent", "initiated answered completed");

        assertThat(created.status()).isEqualTo(201);
        String sid = created.text("sid");
        assertThat(created.text("direction")).isEqualTo("outbound-api");
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        AppServer.Request fetched = app.next("/outbound");
        assertThat(fetched.param("CallSid")).isEqualTo(sid);
        assertThat(fetched.param("Direction")).isEqualTo("outbound-api");
        assertThat(fetched.param("CallStatus")).isEqualTo("in-progress");
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 10);
        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        assertThat(app.next("/status").param("CallStatus")).isEqualTo("initiated");
        assertThat(app.next("/status").param("CallStatus")).isEqualTo("in-progress");
        assertThat(app.next("/status").param("CallStatus")).isEqualTo("completed");
        assertThat(rest.get(calls + "/" + sid + ".json").text("status")).isEqualTo("completed");
    }

    @Test
    void a_rest_call_can_run_an_application_by_sid() {
        app.twiml("/app", "<Response><Hangup/></Response>");
        String appSid = rest.post("/2010-04-01/Accounts/" + account.sid() + "/Applications.json", "FriendlyName", "Out",
                "VoiceUrl", app.url("/app")).text("sid");

        RestClient.Response created = rest.post(calls + ".json", "To", callee.uri("bob"), "From", "+14155550100", "ApplicationSid", appSid);

        assertThat(created.status()).isEqualTo(201);
        assertThat(app.next("/app").param("CallSid")).isEqualTo(created.text("sid"));
        assertThat(callee.awaitIncoming(Duration.ofSeconds(5)).awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void a_rest_call_to_a_busy_callee_ends_busy() {
        callee.answering(TestPhone.Answering.reject(486));
        RestClient.Response created = rest.post(calls + ".json", "To", callee.uri("bob"), "From", "+14155550100",
                "Twiml", "<Response><Say>never</Say></Response>");
        String sid = created.text("sid");
        await().atMost(Duration.ofSeconds(10)).until(() -> rest.get(calls + "/" + sid + ".json").text("status").equals("busy"));
    }

    @Test
    void creating_a_call_checks_its_parameters() {
        assertThat(rest.post(calls + ".json", "To", "+14155550123", "From", "+14155550100").json().path("code").asInt()).isEqualTo(21205);
        assertThat(rest.post(calls + ".json", "To", "nobody", "From", "+14155550100", "Url", app.url("/x")).json().path("code").asInt())
                .isEqualTo(21211);
        RestClient.Response noTrunk = rest.post(calls + ".json", "To", "+14155550123", "From", "+14155550100", "Url", app.url("/x"));
        assertThat(noTrunk.status()).isEqualTo(400);
        assertThat(noTrunk.json().path("message").asText()).contains("no outbound trunk");
        assertThat(rest.post(calls + ".json", "To", callee.uri("bob"), "From", "+14155550100", "Twiml", "<Response><Nope/></Response>")
                .json().path("code").asInt()).isEqualTo(12200);
    }

    @Test
    void a_rest_redirect_promotes_a_bridged_call_and_releases_the_other_leg() {
        app.twiml("/voice", "<Response><Dial><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/promoted", "<Response><Play>" + node.baseUrl() + "/demo/tone.wav</Play><Pause length=\"30\"/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        bob.answeredAt();
        String sid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(sid).size() == 2);

        long redirectedAt = System.currentTimeMillis();
        RestClient.Response modified = rest.post(calls + "/" + sid + ".json", "Url", app.url("/promoted"));

        assertThat(modified.status()).isEqualTo(200);
        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        app.next("/promoted");
        int heardBefore = caller.heard().size();
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.heard().stream().skip(heardBefore)
                .filter(h -> Audio.rms(h.frame()) > 300).count() > 10);
        JsonNode s = segments(sid);
        assertThat(s).hasSize(3);
        assertThat(s.get(1).path("mode").asText()).isEqualTo("basic");
        assertThat(s.get(2).path("mode").asText()).isEqualTo("application");
        assertThat(s.get(2).path("reason").asText()).isEqualTo("rest:Url");
        assertThat(s.get(2).path("module").asText()).isEqualTo(app.url("/promoted"));
        assertThat(s.get(2).path("start_time_ms").asLong()).isCloseTo(redirectedAt, Offset.offset(50L));

        RestClient.Response ended = rest.post(calls + "/" + sid + ".json", "Status", "completed");
        assertThat(ended.text("status")).isEqualTo("completed");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        assertThat(segments(sid).get(2).path("end_reason").asText()).isEqualTo("rest:completed");
    }

    @Test
    void a_rest_hangup_of_a_bridged_call_ends_both_legs() {
        app.twiml("/voice", "<Response><Dial><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        bob.answeredAt();
        String sid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(sid).size() == 2);   // bridged

        assertThat(rest.post(calls + "/" + sid + ".json", "Status", "completed").text("status")).isEqualTo("completed");

        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> rest.get(calls + ".json?ParentCallSid=" + sid).json().path("calls").path(0)
                .path("status").asText().equals("completed"));
    }

    @Test
    void inline_twiml_replaces_what_the_call_is_doing() {
        app.twiml("/voice", "<Response><Pause length=\"30\"/></Response>");
        app.twiml("/next", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        String sid = app.next("/voice").param("CallSid");

        rest.post(calls + "/" + sid + ".json", "Twiml", "<Response><Redirect>" + app.url("/next") + "</Redirect></Response>");

        app.next("/next");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        assertThat(segments(sid).get(1).path("reason").asText()).isEqualTo("rest:Twiml");
    }

    @Test
    void a_redirect_stops_what_the_call_was_playing() {
        app.twiml("/voice", "<Response><Play loop=\"20\">" + node.baseUrl() + "/demo/tone.wav</Play></Response>");
        app.twiml("/quiet", "<Response><Pause length=\"10\"/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        String sid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(caller.heard(), 440));

        rest.post(calls + "/" + sid + ".json", "Url", app.url("/quiet"));
        app.next("/quiet");
        long quietFrom = System.nanoTime() + 300_000_000L;
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);

        assertThat(caller.heard().stream().filter(h -> h.nanos() > quietFrom)
                .filter(h -> Audio.rms(h.frame()) > 300).count()).isZero();
    }

    @Test
    void modifying_a_finished_or_foreign_call_is_refused() {
        app.twiml("/voice", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        String sid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> rest.get(calls + "/" + sid + ".json").text("status").equals("completed"));

        RestClient.Response late = rest.post(calls + "/" + sid + ".json", "Url", app.url("/later"));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.json().path("code").asInt()).isEqualTo(21220);

        Account other = node.newAccount("Other");
        RestClient.Response foreign = node.client(other).post("/2010-04-01/Accounts/" + other.sid() + "/Calls/" + sid + ".json", "Status", "completed");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(rest.post(calls + "/CA" + "0".repeat(32) + ".json", "Status", "completed").status()).isEqualTo(404);
    }

    @Test
    void direct_routing_bridges_to_the_endpoint_and_promotes_the_caller_when_it_hangs_up() {
        app.twiml("/survey", "<Response><Play>" + node.baseUrl() + "/demo/tone.wav</Play><Hangup/></Response>");
        var number = node.node().numbers().create(account, "+14155550111", n -> new IncomingNumber(n.sid(), n.accountSid(),
                n.phoneNumber(), n.friendlyName(), n.voice(), n.voiceApplicationSid(), n.voiceModuleSid(), n.voiceFlowSid(),
                Optional.of(callee.uri("agent")), Optional.of(app.url("/survey")), n.maxPrice(), n.dateCreated(), n.dateUpdated()));
        TestPhone.Call caller = dial(number.phoneNumber());
        TestPhone.Incoming agent = callee.awaitIncoming(Duration.ofSeconds(10));
        caller.awaitAnswered();
        long answeredAt = agent.answeredAt();

        caller.play(tone(1000));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(agent.heard(), 1000));
        agent.play(tone(600));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(caller.heard(), 600));
        long hungUpAt = agent.hangup();

        AppServer.Request survey = app.next("/survey");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        String sid = survey.param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(sid).path(1).path("end_time_ms").isNumber());
        JsonNode s = segments(sid);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).path("mode").asText()).isEqualTo("basic");
        assertThat(s.get(0).path("module").asText()).isEqualTo("endpoint:" + callee.uri("agent"));
        assertThat(s.get(0).path("start_time_ms").asLong()).isCloseTo(answeredAt, Offset.offset(50L));
        assertThat(s.get(1).path("mode").asText()).isEqualTo("application");
        assertThat(s.get(1).path("reason").asText()).isEqualTo("event:callee-hangup");
        assertThat(s.get(1).path("start_time_ms").asLong()).isCloseTo(hungUpAt, Offset.offset(50L));
    }

    @Test
    void direct_routing_passes_a_busy_endpoint_back_to_the_caller() {
        callee.answering(TestPhone.Answering.reject(486));
        var number = node.node().numbers().create(account, "+14155550112", n -> new IncomingNumber(n.sid(), n.accountSid(),
                n.phoneNumber(), n.friendlyName(), n.voice(), n.voiceApplicationSid(), n.voiceModuleSid(), n.voiceFlowSid(),
                Optional.of(callee.uri("agent")), Optional.empty(), n.maxPrice(), n.dateCreated(), n.dateUpdated()));

        assertThat(dial(number.phoneNumber()).awaitFinalStatus()).isEqualTo(486);
    }
}

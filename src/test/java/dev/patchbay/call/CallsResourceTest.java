package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.webhook.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallsResourceTest extends CallTestBase {

    private String calls() {
        return "/2010-04-01/Accounts/" + account.sid() + "/Calls";
    }

    @Test
    void a_finished_call_shows_start_end_and_a_duration_without_ring_time() throws Exception {
        app.route("/voice", r -> AppServer.Reply.twiml("<Response><Pause length=\"2\"/></Response>").after(Duration.ofMillis(1500)));
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        String sid = app.next("/voice").param("CallSid");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            RestClient.Response r = node.client(account).get(calls() + "/" + sid + ".json");
            assertThat(r.text("status")).isEqualTo("completed");
            assertThat(r.text("duration")).isEqualTo("2");   // 1.5 s of ringing while the app thought are not counted
            assertThat(r.text("direction")).isEqualTo("inbound");
            assertThat(r.text("from")).isEqualTo("+14155559999");
            assertThat(r.text("to")).isEqualTo("+14155550100");
            assertThat(r.text("start_time")).isNotEmpty();
            assertThat(r.text("end_time")).isNotEmpty();
            assertThat(r.text("phone_number_sid")).startsWith("PN");
        });
    }

    @Test
    void calls_are_listed_newest_first_with_filters_and_isolated_per_account() throws Exception {
        app.twiml("/voice", "<Response><Hangup/></Response>");
        numberFor("/voice");
        node.number(account, "+14155550177", app.url("/voice"));
        dial("+14155550100").awaitAnswered().awaitRemoteHangup(Duration.ofSeconds(5));
        dial("+14155550177").awaitAnswered().awaitRemoteHangup(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> node.client(account).get(calls() + ".json?Status=completed")
                .json().path("calls").size() == 2);

        RestClient api = node.client(account);
        assertThat(api.get(calls() + ".json").json().path("calls").findValuesAsText("to")).containsExactly("+14155550177", "+14155550100");
        assertThat(api.get(calls() + ".json?To=%2B14155550100").json().path("calls")).hasSize(1);
        assertThat(api.get(calls() + ".json?From=%2B14155559999").json().path("calls")).hasSize(2);
        assertThat(api.get(calls() + ".json?Status=in-progress").json().path("calls")).isEmpty();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(api.get(calls() + ".json?StartTime=" + today).json().path("calls")).hasSize(2);
        assertThat(api.get(calls() + ".json?StartTime=2001-01-01").json().path("calls")).isEmpty();
        assertThat(api.get(calls() + ".json?Status=ringing-ish").status()).isEqualTo(400);
        assertThat(api.get(calls() + ".json?StartTime=yesterday").status()).isEqualTo(400);

        String sid = api.get(calls() + ".json").json().path("calls").get(0).path("sid").asText();
        var mallory = node.newAccount("Mallory");
        assertThat(node.client(mallory).get("/2010-04-01/Accounts/" + mallory.sid() + "/Calls/" + sid + ".json").status()).isEqualTo(404);
        assertThat(node.client(mallory).get("/2010-04-01/Accounts/" + mallory.sid() + "/Calls.json").json().path("calls")).isEmpty();
        assertThat(node.client(mallory).get("/2010-04-01/Accounts/" + mallory.sid() + "/Calls/" + sid + "/Notifications.json").status())
                .isEqualTo(404);
    }

    @Test
    void the_status_callback_reports_completion_with_twilio_parameters_and_signature() throws Exception {
        app.twiml("/voice", "<Response><Pause length=\"1\"/></Response>");
        app.twiml("/status", "<Response/>");
        node.node().numbers().create(account, "+14155550100", n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/voice"))).withStatusCallback(Optional.of(app.url("/status")))));
        dial("+14155550100").awaitAnswered();

        AppServer.Request status = app.next("/status");
        assertThat(status.param("CallStatus")).isEqualTo("completed");
        assertThat(status.param("CallDuration")).isEqualTo("1");
        assertThat(status.param("CallbackSource")).isEqualTo("call-progress-events");
        assertThat(status.param("SequenceNumber")).isEqualTo("0");
        assertThat(status.param("Timestamp")).matches("[A-Z][a-z]{2}, \\d{2} .*\\+0000");
        assertThat(status.param("CallSid")).isEqualTo(app.next("/voice").param("CallSid"));
        assertThat(status.header("X-Twilio-Signature")).isEqualTo(Signature.compute(account.authToken(), status.url(),
                status.params().entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList()));
    }

    @Test
    void a_status_callback_that_fails_is_retried() {
        app.twiml("/voice", "<Response><Hangup/></Response>");
        AtomicInteger attempts = new AtomicInteger();
        app.route("/status", r -> attempts.incrementAndGet() == 1 ? AppServer.Reply.of(503, "text/plain", "busy") : AppServer.Reply.twiml("<Response/>"));
        node.node().numbers().create(account, "+14155550100", n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/voice"))).withStatusCallback(Optional.of(app.url("/status")))));
        dial("+14155550100").awaitAnswered();

        app.next("/status");
        AppServer.Request retried = app.next("/status");
        assertThat(retried.param("CallStatus")).isEqualTo("completed");
        await().atMost(Duration.ofSeconds(2)).until(() -> attempts.get() == 2);
    }

    @Test
    void calls_left_live_by_a_dead_node_are_ended_when_it_starts_again() {
        var calls = node.node().calls();
        Instant t = Instant.now().minusSeconds(30);
        calls.insert(new CallRecord("CA" + "1".repeat(32), account.sid(), Optional.empty(), Optional.empty(), "+1", "+2", "inbound",
                CallStatus.IN_PROGRESS, Optional.of(t), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "dead-node", t,
                t.plusSeconds(10)));
        calls.insert(new CallRecord("CA" + "2".repeat(32), account.sid(), Optional.empty(), Optional.empty(), "+1", "+2", "inbound",
                CallStatus.RINGING, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "dead-node", t, t));

        assertThat(calls.failLiveCallsOf("dead-node")).isEqualTo(2);

        CallRecord answered = calls.find(account.sid(), "CA" + "1".repeat(32)).orElseThrow();
        assertThat(answered.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(answered.duration()).contains(10);
        assertThat(calls.find(account.sid(), "CA" + "2".repeat(32)).orElseThrow().status()).isEqualTo(CallStatus.FAILED);
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.Sipp;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dial's finer options, registered clients with several contacts, trunk credentials, and REST calls' cancel, digits and limit. */
class DialOptionsTest extends CallTestBase {

    private TestPhone callee;

    @BeforeEach
    void startCallee() {
        callee = new TestPhone();
    }

    @AfterEach
    void stopCallee() {
        callee.close();
    }

    @Test
    void answer_on_bridge_leaves_the_caller_unanswered_until_the_callee_answers() {
        callee.answering(TestPhone.Answering.answerAfter(Duration.ofMillis(1500)));
        app.twiml("/voice", "<Response><Dial answerOnBridge=\"true\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        long dialed = System.currentTimeMillis();
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        long callerAnswered = System.currentTimeMillis();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(5));

        assertThat(callerAnswered - dialed).isGreaterThanOrEqualTo(1400);
        assertThat(callerAnswered).isGreaterThanOrEqualTo(bob.answeredAt());
        caller.hangup();
        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void a_noun_status_callback_reports_the_child_legs_progress() {
        // rings a moment before answering, as a phone does: a 200 sent right behind the 180 may be handled first
        // (the SIP stack's threads), and then there was no ringing to report
        callee.answering(TestPhone.Answering.answerAfter(Duration.ofMillis(300)));
        app.twiml("/voice", "<Response><Dial><Sip statusCallback=\"/child\" statusCallbackEvent=\"initiated ringing answered completed\">"
                + callee.uri("bob") + "</Sip></Dial></Response>");
        dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(5));
        bob.answeredAt();
        bob.hangup();

        String parent = app.next("/voice").param("CallSid");
        AppServer.Request initiated = app.next("/child");
        assertThat(initiated.param("CallStatus")).isEqualTo("initiated");
        assertThat(initiated.param("ParentCallSid")).isEqualTo(parent);
        assertThat(initiated.param("Direction")).isEqualTo("outbound-dial");
        assertThat(app.next("/child").param("CallStatus")).isEqualTo("ringing");
        assertThat(app.next("/child").param("CallStatus")).isEqualTo("in-progress");
        AppServer.Request completed = app.next("/child");
        assertThat(completed.param("CallStatus")).isEqualTo("completed");
        assertThat(completed.param("CallSid")).isEqualTo(initiated.param("CallSid"));
    }

    @Test
    void every_registered_contact_rings_and_the_others_stop_when_one_answers() {
        RestClient rest = node.client(account);
        String domains = "/2010-04-01/Accounts/" + account.sid() + "/SIP/Domains";
        String domain = rest.post(domains + ".json", "DomainName", "acme.sip.test").text("sid");
        rest.post(domains + "/" + domain + "/Credentials.json", "Username", "alice", "Password", "Correct-Horse-42");
        try (TestPhone desk = new TestPhone().answering(TestPhone.Answering.ringForever())) {
            callee.answering(TestPhone.Answering.answerAfter(Duration.ofMillis(500)));
            assertThat(desk.register("alice", "acme.sip.test", "Correct-Horse-42", node.sipPort(), 300).getStatusCode()).isEqualTo(200);
            assertThat(callee.register("alice", "acme.sip.test", "Correct-Horse-42", node.sipPort(), 300).getStatusCode()).isEqualTo(200);
            app.twiml("/voice", "<Response><Dial action=\"/after\"><Client><Identity>alice</Identity></Client></Dial></Response>");
            app.twiml("/after", "<Response><Hangup/></Response>");
            dial(numberFor("/voice")).awaitAnswered();

            TestPhone.Incoming ringing = desk.awaitIncoming(Duration.ofSeconds(5));
            TestPhone.Incoming answered = callee.awaitIncoming(Duration.ofSeconds(5));
            assertThat(ringing.awaitCanceled(Duration.ofSeconds(5))).isTrue();
            answered.answeredAt();
            answered.hangup();
            assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("completed");
        }
    }

    @Test
    void a_trunk_that_challenges_gets_the_trunks_credentials() {
        try (Sipp.Server trunk = Sipp.serve("uas_digest.xml", 1)) {
            node.node().trunks().create(account, "gw", "+1", "sip:127.0.0.1:" + trunk.port(), Optional.of("acme"), Optional.of("s3cret-trunk"));
            app.twiml("/voice", "<Response><Dial action=\"/after\"><Number>+14155550123</Number></Dial></Response>");
            app.twiml("/after", "<Response><Hangup/></Response>");
            dial(numberFor("/voice")).awaitAnswered();

            AppServer.Request after = app.next("/after");
            assertThat(after.param("DialCallStatus")).isEqualTo("completed");
            Sipp.Result result = trunk.await(Duration.ofSeconds(10));
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }

    @Test
    void a_rest_call_still_ringing_can_be_canceled() {
        callee.answering(TestPhone.Answering.ringForever());
        RestClient rest = node.client(account);
        String calls = "/2010-04-01/Accounts/" + account.sid() + "/Calls";
        String sid = rest.post(calls + ".json", "To", callee.uri("bob"), "From", "+14155550100", "Twiml", "<Response><Hangup/></Response>")
                .text("sid");
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> rest.get(calls + "/" + sid + ".json").text("status").equals("ringing"));

        assertThat(rest.post(calls + "/" + sid + ".json", "Url", app.url("/x")).json().path("code").asInt()).isEqualTo(21220);
        assertThat(rest.post(calls + "/" + sid + ".json", "Status", "canceled").text("status")).isEqualTo("canceled");

        assertThat(bob.awaitCanceled(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void a_rest_call_sends_digits_once_answered_and_ends_at_its_time_limit() {
        RestClient rest = node.client(account);
        String calls = "/2010-04-01/Accounts/" + account.sid() + "/Calls";
        String sid = rest.post(calls + ".json", "To", callee.uri("bob"), "From", "+14155550100", "SendDigits", "42#",
                "TimeLimit", "2", "Twiml", "<Response><Pause length=\"30\"/></Response>").text("sid");
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(5));
        long answered = bob.answeredAt();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(bob.digitsHeard()).containsExactly('4', '2', '#'));
        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(6))).isTrue();
        assertThat(System.currentTimeMillis() - answered).isBetween(1900L, 4500L);
        await().atMost(Duration.ofSeconds(5)).until(() -> rest.get(calls + "/" + sid + "/Segments.json").json().path("segments").path(0)
                .path("end_reason").asText().equals("event:time-limit"));
    }
}

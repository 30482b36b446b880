package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.account.AccountStatus;
import dev.patchbay.media.Codec;
import dev.patchbay.media.Sdp;
import dev.patchbay.media.Tones;
import dev.patchbay.media.Wav;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.webhook.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignalingTest extends CallTestBase {

    private String calls() {
        return "/2010-04-01/Accounts/" + account.sid() + "/Calls";
    }

    @Test
    void an_unknown_number_gets_404() {
        assertThat(dial("+19995550000").awaitFinalStatus()).isEqualTo(404);
    }

    @Test
    void a_suspended_account_gets_403() {
        numberFor("/voice");
        node.node().accounts().update(account, Optional.empty(), Optional.of(AccountStatus.SUSPENDED));
        assertThat(dial("+14155550100").awaitFinalStatus()).isEqualTo(403);
        assertThat(app.requests("/voice")).isEmpty();
    }

    @Test
    void an_offer_without_g711_gets_488() {
        numberFor("/voice");
        String gsmOnly = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 0 RTP/AVP 3\r\na=rtpmap:3 GSM/8000\r\n";
        assertThat(phone.call("+14155550100", node.sipPort(), Map.of(), gsmOnly).awaitFinalStatus()).isEqualTo(488);
    }

    @Test
    void pcma_callers_are_answered_in_pcma() {
        app.twiml("/voice", "<Response><Say>Hello in A-law.</Say></Response>");
        TestPhone.Call call = phone.call(numberFor("/voice"), node.sipPort(), Map.of(), Codec.PCMA).awaitAnswered();
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
        assertThat(Audio.rms(Audio.concat(call.heard().stream().map(TestPhone.Heard::frame).toList())))
                .isGreaterThan(300);
    }

    @Test
    void the_app_gets_twilio_parameters_custom_headers_and_a_valid_signature() {
        app.twiml("/voice", "<Response><Hangup/></Response>");
        TestPhone.Call call = phone.call(numberFor("/voice"), node.sipPort(), Map.of("X-Customer-Id", "42"), Codec.PCMU);

        AppServer.Request request = app.next("/voice");
        assertThat(request.param("CallSid")).matches("CA[0-9a-f]{32}");
        assertThat(request.param("AccountSid")).isEqualTo(account.sid());
        assertThat(request.param("To")).isEqualTo("+14155550100");
        assertThat(request.param("Called")).isEqualTo("+14155550100");
        assertThat(request.param("From")).isEqualTo("+14155559999");
        assertThat(request.param("Caller")).isEqualTo("+14155559999");
        assertThat(request.param("Direction")).isEqualTo("inbound");
        assertThat(request.param("ApiVersion")).isEqualTo("2010-04-01");
        assertThat(request.param("CallStatus")).isEqualTo("ringing");
        assertThat(request.param("SipHeader_X-Customer-Id")).isEqualTo("42");
        String expected = Signature.compute(account.authToken(), request.url(),
                request.params().entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        assertThat(request.header("X-Twilio-Signature")).isEqualTo(expected);
        call.awaitFinalStatus();
    }

    @Test
    void get_method_puts_parameters_in_the_signed_query_string() {
        node.node().numbers().create(account, "+14155550101", n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/get-voice"))).withMethod(HttpMethod.GET)));
        app.twiml("/get-voice", "<Response><Hangup/></Response>");
        dial("+14155550101").awaitAnswered();

        AppServer.Request request = app.next("/get-voice");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.param("CallSid")).matches("CA[0-9a-f]{32}");
        assertThat(request.header("X-Twilio-Signature")).isEqualTo(Signature.compute(account.authToken(), request.url(), List.of()));
    }

    @Test
    void reject_busy_sends_486_and_the_call_ends_busy_without_being_answered() {
        app.twiml("/voice", "<Response><Reject reason=\"busy\"/></Response>");
        assertThat(dial(numberFor("/voice")).awaitFinalStatus()).isEqualTo(486);
        String sid = app.next("/voice").param("CallSid");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            RestClient.Response call = node.client(account).get(calls() + "/" + sid + ".json");
            assertThat(call.text("status")).isEqualTo("busy");
            assertThat(call.json().path("start_time").isNull()).isTrue();
        });
    }

    @Test
    void reject_defaults_to_603_and_no_answer() {
        app.twiml("/voice", "<Response><Reject/><Say>never</Say></Response>");
        assertThat(dial(numberFor("/voice")).awaitFinalStatus()).isEqualTo(603);
        String sid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(node.client(account).get(calls() + "/" + sid + ".json").text("status")).isEqualTo("no-answer"));
    }

    @Test
    void cancel_before_answer_gets_487_and_the_call_is_canceled() {
        app.route("/voice", r -> AppServer.Reply.twiml("<Response><Say>late</Say></Response>").after(Duration.ofSeconds(3)));
        TestPhone.Call call = dial(numberFor("/voice"));
        String sid = app.next("/voice").param("CallSid");

        call.cancel();

        assertThat(call.awaitFinalStatus()).isEqualTo(487);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(node.client(account).get(calls() + "/" + sid + ".json").text("status")).isEqualTo("canceled"));
    }

    @Test
    void a_re_invite_to_hold_is_answered_and_the_call_goes_on() {
        app.twiml("/voice", "<Response><Pause length=\"3\"/><Say>Still here.</Say></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        assertThat(call.reinvite(Sdp.Direction.SENDONLY)).isEqualTo(200);
        assertThat(call.reinvite(Sdp.Direction.SENDRECV)).isEqualTo(200);

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void caller_hang_up_in_the_middle_of_each_blocking_verb_ends_the_call_at_once() throws Exception {
        String[] documents = {
                "<Response><Say loop=\"50\">A very long announcement that keeps going.</Say></Response>",
                "<Response><Play loop=\"50\">/tone.wav</Play></Response>",
                "<Response><Pause length=\"60\"/></Response>",
                "<Response><Gather timeout=\"60\" action=\"/never\"/></Response>",
                "<Response><Record timeout=\"60\" playBeep=\"false\" action=\"/never\"/></Response>"};
        app.route("/tone.wav", r -> AppServer.Reply.audio(Wav.encode(Tones.sine(1000, 8000, 440))));
        for (int i = 0; i < documents.length; i++) {
            app.twiml("/voice" + i, documents[i]);
            node.number(account, "+1415555020" + i, app.url("/voice" + i));
            TestPhone.Call call = dial("+1415555020" + i).awaitAnswered();
            String sid = app.next("/voice" + i).param("CallSid");
            Thread.sleep(700);   // the caller hangs up while the verb runs: real time, as a person would

            long hungUpAt = System.nanoTime();
            call.hangup();

            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(node.client(account).get(calls() + "/" + sid + ".json").text("status")).isEqualTo("completed"));
            assertThat((System.nanoTime() - hungUpAt) / 1_000_000).as(documents[i]).isLessThan(3000);
            assertThat(node.node().router().find(sid)).as(documents[i]).isEmpty();
        }
        assertThat(app.requests("/never")).isEmpty();
        await().atMost(Duration.ofSeconds(3)).until(() -> node.node().media().activeStreams() == 0);
    }

    @Test
    void redirect_resolves_relative_urls_and_honours_its_method() {
        app.twiml("/app/voice", "<Response><Redirect method=\"GET\">next?step=2</Redirect></Response>");
        app.twiml("/app/next", "<Response><Hangup/></Response>");
        dial(numberFor("/app/voice")).awaitAnswered();

        AppServer.Request next = app.next("/app/next");
        assertThat(next.method()).isEqualTo("GET");
        assertThat(next.query()).startsWith("step=2&");
        assertThat(next.param("CallSid")).matches("CA[0-9a-f]{32}");
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Codec;
import dev.patchbay.media.Tones;
import dev.patchbay.sip.SipEdge;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.TestPhone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DialTest extends CallTestBase {

    private TestPhone callee;

    @BeforeEach
    void startCallee() {
        callee = new TestPhone();
    }

    @AfterEach
    void stopCallee() {
        callee.close();
    }

    static boolean hears(List<TestPhone.Heard> heard, double frequency) {
        return heard.stream().filter(h -> Audio.rms(h.frame()) > 300 && Audio.toneShare(h.frame(), frequency) > 0.6).count() >= 10;
    }

    static AudioSource tone(double frequency) {
        return AudioSource.of(Tones.sine(600, 6000, frequency), 1);
    }

    private JsonNode segments(String callSid) {
        return node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + "/Segments.json").json().path("segments");
    }

    /** Waits until the call's bridge is up (its second segment is basic mode). */
    private void awaitBridged() {
        String callSid = app.requests("/voice").getFirst().param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(callSid).path(1).path("mode").asText().equals("basic"));
    }

    @Test
    void dial_bridges_audio_both_ways_and_returns_to_the_action_url_when_the_callee_hangs_up() {
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Say>Thanks.</Say><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        long answeredAt = bob.answeredAt();
        awaitBridged();

        caller.play(tone(1000));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 1000));
        bob.play(tone(600));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(caller.heard(), 600));
        long hungUpAt = bob.hangup();

        AppServer.Request after = app.next("/after");
        assertThat(after.param("DialCallStatus")).isEqualTo("completed");
        assertThat(after.param("DialCallSid")).startsWith("CA");
        assertThat(after.param("DialCallDuration")).isIn("0", "1", "2", "3");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();

        String callSid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(callSid).path(2).path("end_time_ms").isNumber());
        JsonNode s = segments(callSid);
        assertThat(s.get(0).path("mode").asText()).isEqualTo("application");
        assertThat(s.get(0).path("reason").asText()).isEqualTo("answer");
        assertThat(s.get(1).path("mode").asText()).isEqualTo("basic");
        assertThat(s.get(1).path("reason").asText()).isEqualTo("verb:Dial");
        assertThat(s.get(1).path("module").asText()).isEqualTo("bridge:" + callee.uri("bob"));
        assertThat(s.get(1).path("start_time_ms").asLong()).isCloseTo(answeredAt, Offset.offset(50L));
        assertThat(s.get(1).path("end_time_ms").asLong()).isCloseTo(hungUpAt, Offset.offset(50L));
        assertThat(s.get(2).path("mode").asText()).isEqualTo("application");
        assertThat(s.get(2).path("reason").asText()).isEqualTo("event:callee-hangup");
        assertThat(s.get(2).path("end_reason").asText()).isEqualTo("hangup:application");
        assertThat(s.get(0).path("end_time_ms").asLong()).isEqualTo(s.get(1).path("start_time_ms").asLong());
        assertThat(s.get(1).path("end_time_ms").asLong()).isEqualTo(s.get(2).path("start_time_ms").asLong());

        JsonNode child = node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + after.param("DialCallSid") + ".json").json();
        assertThat(child.path("parent_call_sid").asText()).isEqualTo(callSid);
        assertThat(child.path("direction").asText()).isEqualTo("outbound-dial");
        assertThat(child.path("status").asText()).isEqualTo("completed");
    }

    @Test
    void without_an_action_the_document_goes_on_after_the_dial() {
        app.twiml("/voice", "<Response><Dial><Sip>" + callee.uri("bob") + "</Sip></Dial><Redirect>/next</Redirect></Response>");
        app.twiml("/next", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        bob.answeredAt();
        bob.hangup();

        app.next("/next");
        assertThat(app.requests("/voice")).hasSize(1);   // resumed in place, nothing refetched
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void the_first_to_answer_wins_and_the_others_are_canceled() {
        TestPhone slow = new TestPhone().answering(TestPhone.Answering.ringForever());
        try {
            callee.answering(TestPhone.Answering.answerAfter(Duration.ofMillis(700)));
            app.twiml("/voice", "<Response><Dial action=\"/after\"><Sip>" + slow.uri("carol") + "</Sip><Sip>" + callee.uri("bob")
                    + "</Sip></Dial></Response>");
            app.twiml("/after", "<Response><Hangup/></Response>");
            TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();

            TestPhone.Incoming carol = slow.awaitIncoming(Duration.ofSeconds(10));
            TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
            assertThat(carol.awaitCanceled(Duration.ofSeconds(5))).isTrue();
            awaitBridged();
            caller.play(tone(1000));
            await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 1000));
            bob.hangup();
            assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("completed");
        } finally {
            slow.close();
        }
    }

    @Test
    void hangup_on_star_ends_the_bridge_and_keeps_the_caller() {
        app.twiml("/voice", "<Response><Dial hangupOnStar=\"true\" action=\"/after\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        bob.answeredAt();
        awaitBridged();

        caller.sendDigits("5*");

        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        assertThat(bob.digitsHeard()).contains('5');
        assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("completed");
        String callSid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(callSid).size() == 3);
        assertThat(segments(callSid).get(2).path("reason").asText()).isEqualTo("event:hangup-on-star");
    }

    @Test
    void time_limit_ends_the_bridge() {
        app.twiml("/voice", "<Response><Dial timeLimit=\"2\" action=\"/after\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        long answered = bob.answeredAt();

        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(6))).isTrue();
        assertThat(System.currentTimeMillis() - answered).isBetween(1900L, 4000L);
        AppServer.Request after = app.next("/after");
        assertThat(after.param("DialCallStatus")).isEqualTo("completed");
        assertThat(after.param("DialCallDuration")).isIn("2", "3");
    }

    @Test
    void a_busy_callee_gives_dial_call_status_busy() {
        callee.answering(TestPhone.Answering.reject(486));
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();

        AppServer.Request after = app.next("/after");
        assertThat(after.param("DialCallStatus")).isEqualTo("busy");
        assertThat(after.param("DialCallSid")).startsWith("CA");
    }

    @Test
    void nobody_answering_within_the_timeout_gives_no_answer_and_cancels_the_callee() {
        callee.answering(TestPhone.Answering.ringForever());
        app.twiml("/voice", "<Response><Dial timeout=\"5\" action=\"/after\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));

        assertThat(bob.awaitCanceled(Duration.ofSeconds(8))).isTrue();
        assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("no-answer");
        await().atMost(Duration.ofSeconds(3)).until(() -> hears(caller.heard(), 440));   // ringback while it rang
    }

    @Test
    void an_unreachable_trunk_gives_failed() {
        int closed = SipEdge.freePort("127.0.0.1");
        node.node().trunks().create(account, "dead", "+1", "sip:127.0.0.1:" + closed + ";transport=tcp", Optional.empty(),
                Optional.empty());
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Number>+14155550123</Number></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();

        assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("failed");
    }

    @Test
    void numbers_leave_through_the_trunk_for_their_prefix_and_transcode_between_laws() {
        callee.answering(TestPhone.Answering.answerIn(Codec.PCMA));
        node.node().trunks().create(account, "uk", "+44", "sip:nowhere.invalid", Optional.empty(), Optional.empty());
        node.node().trunks().create(account, "us", "+1", "sip:gw@127.0.0.1:" + callee.sipPort(), Optional.empty(), Optional.empty());
        app.twiml("/voice", "<Response><Dial callerId=\"+14155550999\"><Number sendDigits=\"1w2\">+1 (415) 555-0123</Number></Dial></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));

        assertThat(bob.requestUri()).startsWith("sip:+14155550123@127.0.0.1:" + callee.sipPort());
        assertThat(bob.from()).contains("+14155550999");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(bob.digitsHeard()).containsExactly('1', '2'));
        caller.play(tone(1000));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 1000));
        bob.play(tone(600));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(caller.heard(), 600));
        caller.hangup();
        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void the_caller_hanging_up_ends_the_callee_leg() {
        app.twiml("/voice", "<Response><Dial><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        bob.answeredAt();
        awaitBridged();

        caller.hangup();

        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        String callSid = app.next("/voice").param("CallSid");
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(callSid).path(1).path("end_time_ms").isNumber());
        assertThat(segments(callSid)).hasSize(2);
        assertThat(segments(callSid).get(1).path("end_reason").asText()).isEqualTo("hangup:caller");
    }

    @Test
    void a_whisper_plays_to_the_callee_before_the_bridge_and_not_to_the_caller() {
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Sip url=\"/whisper\">" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/whisper", "<Response><Play>" + node.baseUrl() + "/demo/tone.wav</Play></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));

        AppServer.Request whisper = app.next("/whisper");
        String callSid = app.next("/voice").param("CallSid");
        assertThat(whisper.param("CallSid")).isNotEqualTo(callSid);
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 440));
        await().atMost(Duration.ofSeconds(5)).until(() -> segments(callSid).path(1).path("mode").asText().equals("basic"));
        caller.play(tone(1000));
        await().atMost(Duration.ofSeconds(8)).until(() -> hears(bob.heard(), 1000));
        assertThat(hears(caller.heard(), 440)).isFalse();   // the whisper (a 440 Hz tone) is for the callee only
        bob.hangup();
        assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("completed");
    }

    @Test
    void a_whisper_that_hangs_up_keeps_the_callee_out() {
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Sip url=\"/whisper\">" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/whisper", "<Response><Gather numDigits=\"1\" timeout=\"1\"/><Hangup/></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));

        assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(8))).isTrue();
        AppServer.Request after = app.next("/after");
        assertThat(after.param("DialCallStatus")).isEqualTo("no-answer");
        assertThat(after.param("DialCallSid")).startsWith("CA");
    }

    @Test
    void record_from_answer_keeps_both_parties_in_one_recording() throws Exception {
        app.twiml("/voice", "<Response><Dial record=\"record-from-answer-dual\" action=\"/after\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
        bob.answeredAt();
        awaitBridged();

        caller.play(tone(1000));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 1000));
        bob.play(tone(600));
        await().atMost(Duration.ofSeconds(5)).until(() -> hears(caller.heard(), 600));
        bob.hangup();

        AppServer.Request after = app.next("/after");
        assertThat(after.param("RecordingSid")).startsWith("RE");
        var http = HttpClient.newHttpClient();
        byte[] wav = http.send(HttpRequest.newBuilder(URI.create(after.param("RecordingUrl") + ".wav")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(ByteBuffer.wrap(wav, 22, 2).order(ByteOrder.LITTLE_ENDIAN).getShort()).isEqualTo((short) 2);
        short[] samples = new short[(wav.length - 44) / 2];
        ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        short[] left = new short[samples.length / 2];
        short[] right = new short[samples.length / 2];
        for (int i = 0; i < left.length; i++) {
            left[i] = samples[2 * i];
            right[i] = samples[2 * i + 1];
        }
        assertThat(loudFramesAt(left, 1000)).isGreaterThan(10);
        assertThat(loudFramesAt(right, 600)).isGreaterThan(10);
        assertThat(loudFramesAt(left, 600)).isZero();
    }

    private static long loudFramesAt(short[] samples, double frequency) {
        long n = 0;
        for (int at = 0; at + 160 <= samples.length; at += 160) {
            short[] frame = Arrays.copyOfRange(samples, at, at + 160);
            if (Audio.rms(frame) > 300 && Audio.toneShare(frame, frequency) > 0.6) {
                n++;
            }
        }
        return n;
    }
}

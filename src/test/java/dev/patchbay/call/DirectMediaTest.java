package dev.patchbay.call;

import static dev.patchbay.call.DialTest.hears;
import static dev.patchbay.call.DialTest.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bridge.media=direct}: bridged endpoints are re-INVITEd to send to each other; the caller's media comes back after. */
class DirectMediaTest extends CallTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_BRIDGE_MEDIA", "direct");
    }

    @Test
    void bridged_endpoints_talk_directly_and_the_caller_comes_back_for_the_application() {
        try (TestPhone callee = new TestPhone()) {
            app.twiml("/voice", "<Response><Dial><Sip>" + callee.uri("bob") + "</Sip></Dial>"
                    + "<Play>" + node.baseUrl() + "/demo/tone.wav</Play><Hangup/></Response>");
            TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
            TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
            bob.answeredAt();
            await().atMost(Duration.ofSeconds(5)).until(() -> phone.reinvitesReceived() == 1 && callee.reinvitesReceived() == 1);
            LiveCall call = node.node().router().find(app.next("/voice").param("CallSid")).orElseThrow();
            long relayedBefore = call.stream().packetsReceived();

            caller.play(tone(1000));
            await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 1000));
            bob.play(tone(600));
            await().atMost(Duration.ofSeconds(5)).until(() -> hears(caller.heard(), 600));
            assertThat(call.stream().packetsReceived() - relayedBefore).isLessThan(5);   // the audio went around the node

            int heardBefore = caller.heard().size();
            bob.hangup();
            await().atMost(Duration.ofSeconds(5)).until(() -> phone.reinvitesReceived() == 2);   // media back to the node
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                List<TestPhone.Heard> heard = caller.heard();   // one snapshot: frames keep arriving
                return hears(heard.subList(heardBefore, heard.size()), 440);
            });
            assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void hangup_on_star_keeps_the_media_in_the_relay() {
        try (TestPhone callee = new TestPhone()) {
            app.twiml("/voice", "<Response><Dial hangupOnStar=\"true\"><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
            TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
            TestPhone.Incoming bob = callee.awaitIncoming(Duration.ofSeconds(10));
            bob.answeredAt();

            caller.play(tone(1000));
            await().atMost(Duration.ofSeconds(5)).until(() -> hears(bob.heard(), 1000));
            assertThat(phone.reinvitesReceived()).isZero();
            caller.sendDigits("*");
            assertThat(bob.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
        }
    }
}

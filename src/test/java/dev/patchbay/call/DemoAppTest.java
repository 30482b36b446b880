package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.Bootstrap;
import dev.patchbay.account.Account;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoAppTest {

    @Test
    void the_demo_number_welcomes_takes_a_message_and_plays_it_back() {
        try (TestNode node = TestNode.start(TestStore.H2); TestPhone phone = new TestPhone()) {
            Account demo = Bootstrap.ensureDemoAccount(node.node(), node.node().httpPort()).orElseThrow();
            TestPhone.Call call = phone.call(Bootstrap.DEMO_NUMBER, node.sipPort()).awaitAnswered();
            call.awaitPromptThenQuiet(0);   // the welcome and the menu: keys pressed before the Gather listens are not heard, as on Twilio
            assertThat(Audio.rms(Audio.concat(call.heard().stream().map(TestPhone.Heard::frame).toList()))).isGreaterThan(300);

            int beforeChoice = call.heard().size();
            call.sendDigits("2");
            call.awaitPromptThenQuiet(beforeChoice);   // the instructions and the beep, then the recording listens
            call.play(AudioSource.of(Tones.sine(1000, 9000, 500), 1));
            call.sendDigits("#");

            await().atMost(Duration.ofSeconds(20)).until(() ->
                    node.client(demo).get("/2010-04-01/Accounts/" + demo.sid() + "/Recordings.json").json().path("recordings").size() == 1);
            call.hangup();
        }
    }
}

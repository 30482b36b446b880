package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.media.Tones;
import dev.patchbay.media.Wav;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SayAndPlayTest {

    private TestNode node;
    private AppServer app;
    private TestPhone phone;
    private Account account;

    @BeforeEach
    void start() {
        node = TestNode.start(TestStore.H2);
        app = new AppServer();
        phone = new TestPhone();
        account = node.newAccount("Acme");
    }

    @AfterEach
    void stop() {
        phone.close();
        app.close();
        node.close();
    }

    @Test
    void say_is_heard_as_speech_and_the_call_ends_with_the_document() {
        app.twiml("/voice", "<Response><Say>Hello from Patchbay, this is a test of speech.</Say></Response>");
        node.number(account, "+14155550100", app.url("/voice"));

        TestPhone.Call call = phone.call("+14155550100", node.sipPort()).awaitAnswered();

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
        short[] audio = Audio.concat(call.heard().stream().map(TestPhone.Heard::frame).toList());
        assertThat(audio.length).isGreaterThan(8000);   // over a second of audio
        assertThat(Audio.rms(audio)).isGreaterThan(300);
    }

    @Test
    void play_of_a_tone_is_heard_at_its_frequency() {
        app.route("/tone.wav", r -> AppServer.Reply.audio(Wav.encode(Tones.sine(1000, 10000, 1000))));
        app.twiml("/voice", "<Response><Play>/tone.wav</Play></Response>");
        node.number(account, "+14155550100", app.url("/voice"));

        TestPhone.Call call = phone.call("+14155550100", node.sipPort()).awaitAnswered();

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
        List<short[]> loud = call.heard().stream().map(TestPhone.Heard::frame).filter(f -> Audio.rms(f) > 1000).toList();
        assertThat(loud.size()).isBetween(45, 52);   // one second is 50 frames
        assertThat(Audio.toneShare(Audio.concat(loud), 1000)).isGreaterThan(0.8);
        assertThat(Audio.toneShare(Audio.concat(loud), 700)).isLessThan(0.05);
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.media.Wav;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class RecordAndPauseTest extends CallTestBase {

    @Test
    void pause_is_silent_for_its_length() {
        app.route("/beep.wav", r -> AppServer.Reply.audio(Wav.encode(Tones.sine(300, 10000, 800))));
        app.twiml("/voice", "<Response><Play>/beep.wav</Play><Pause length=\"2\"/><Play>/beep.wav</Play></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        List<TestPhone.Heard> loud = call.heard().stream().filter(h -> Audio.rms(h.frame()) > 1000).toList();
        long gapMillis = 0;
        for (int i = 1; i < loud.size(); i++) {
            gapMillis = Math.max(gapMillis, (loud.get(i).nanos() - loud.get(i - 1).nanos()) / 1_000_000);
        }
        // The silence between the two beeps: 2 s of Pause, measured between the last loud frame and the next.
        assertThat(gapMillis - 20).isBetween(2000L - 60, 2000L + 60);
    }

    @Test
    void record_saves_what_the_caller_said_and_posts_it_to_the_action() throws Exception {
        app.twiml("/voice", "<Response><Record action=\"/recorded\" timeout=\"2\" maxLength=\"20\" playBeep=\"true\"/></Response>");
        app.twiml("/recorded", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        awaitBeepHeard(call);

        call.play(AudioSource.of(Tones.sine(1500, 9000, 600), 1));

        AppServer.Request recorded = app.next("/recorded");
        assertThat(recorded.param("RecordingSid")).matches("RE[0-9a-f]{32}");
        assertThat(Integer.parseInt(recorded.param("RecordingDuration"))).isBetween(1, 3);
        assertThat(recorded.param("Digits")).isEmpty();
        HttpResponse<byte[]> wav = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(recorded.param("RecordingUrl") + ".wav")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wav.statusCode()).isEqualTo(200);
        short[] audio = Wav.decode(wav.body());
        assertThat(audio.length).isBetween(8000, 8000 * 3);
        assertThat(Audio.toneShare(audio, 600)).isGreaterThan(0.5);

        RestClient.Response listed = node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Recordings.json");
        assertThat(listed.json().path("recordings").findValuesAsText("sid")).containsExactly(recorded.param("RecordingSid"));
        assertThat(listed.json().path("recordings").get(0).path("call_sid").asText()).isEqualTo(recorded.param("CallSid"));
    }

    @Test
    void a_finish_key_ends_the_recording_and_is_reported() throws Exception {
        app.twiml("/voice", "<Response><Record action=\"/recorded\" timeout=\"10\" finishOnKey=\"#\" playBeep=\"false\"/></Response>");
        app.twiml("/recorded", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        call.play(AudioSource.of(Tones.sine(800, 9000, 500), 1));
        call.sendDigits("#");

        AppServer.Request recorded = app.next("/recorded");
        assertThat(recorded.param("Digits")).isEqualTo("#");
    }

    @Test
    void an_empty_recording_does_not_call_the_action() {
        app.twiml("/voice", "<Response><Record action=\"/recorded\" timeout=\"1\" playBeep=\"false\"/><Redirect>/next</Redirect></Response>");
        app.twiml("/next", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();

        app.next("/next");
        assertThat(app.requests("/recorded")).isEmpty();
    }

    @Test
    void recording_status_callback_is_sent_and_a_foreign_account_cannot_see_the_recording() throws Exception {
        app.twiml("/voice", "<Response><Record action=\"/recorded\" timeout=\"1\" playBeep=\"false\" recordingStatusCallback=\"/rec-status\"/></Response>");
        app.twiml("/recorded", "<Response><Hangup/></Response>");
        app.twiml("/rec-status", "<Response/>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        call.play(AudioSource.of(Tones.sine(1200, 9000, 500), 1));

        AppServer.Request status = app.next("/rec-status");
        assertThat(status.param("RecordingStatus")).isEqualTo("completed");
        String sid = status.param("RecordingSid");

        var mallory = node.newAccount("Mallory");
        assertThat(node.client(mallory).get("/2010-04-01/Accounts/" + mallory.sid() + "/Recordings/" + sid + ".json").status()).isEqualTo(404);
        assertThat(node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Recordings/" + sid + ".json").text("duration")).isNotEmpty();
    }

    /** Waits until the beep has been heard and has ended (the last five frames are quiet again). */
    private static void awaitBeepHeard(TestPhone.Call call) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<TestPhone.Heard> heard = call.heard();
            boolean beeped = heard.stream().anyMatch(h -> Audio.rms(h.frame()) > 1000);
            return beeped && heard.size() > 5 && heard.subList(heard.size() - 5, heard.size()).stream().allMatch(h -> Audio.rms(h.frame()) < 100);
        });
    }
}

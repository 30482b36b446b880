package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A conference of five, one muted: each participant hears every other unmuted one, never itself, never the muted one. */
class ConferenceTest extends CallTestBase {

    private static final double[] TONES = {500, 700, 900, 1100, 1300};   // the last is the muted participant's

    private RestClient rest() {
        return node.client(account);
    }

    private String conferences() {
        return "/2010-04-01/Accounts/" + account.sid() + "/Conferences";
    }

    @Test
    void five_participants_hear_everyone_else_except_the_muted_one_and_rest_controls_them() {
        app.twiml("/join", "<Response><Dial><Conference beep=\"false\" statusCallback=\"/events\" statusCallbackEvent=\"start end join leave mute\">"
                + "room</Conference></Dial></Response>");
        app.twiml("/join-muted", "<Response><Dial><Conference beep=\"false\" muted=\"true\">room</Conference></Dial></Response>");
        app.route("/events", r -> AppServer.Reply.of(204, "text/plain", ""));
        node.number(account, "+14155550100", app.url("/join"));
        node.number(account, "+14155550101", app.url("/join-muted"));

        List<TestPhone.Call> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(phone.call(i < 4 ? "+14155550100" : "+14155550101", node.sipPort()).awaitAnswered());
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonNode list = rest().get(conferences() + ".json?Status=in-progress").json().path("conferences");
            return list.size() == 1 && rest().get(conferences() + "/" + list.get(0).path("sid").asText() + "/Participants.json")
                    .json().path("participants").size() == 5;
        });
        String conferenceSid = rest().get(conferences() + ".json").json().path("conferences").get(0).path("sid").asText();

        List<Integer> from = new ArrayList<>();
        List<Thread> talking = new ArrayList<>();
        for (int i = 0; i < 5; i++) {   // everyone speaks at once (play waits until its audio is sent)
            from.add(calls.get(i).heard().size());
            AudioSource tone = AudioSource.of(Tones.sine(3000, 6000, TONES[i]), 1);
            TestPhone.Call speaker = calls.get(i);
            talking.add(Thread.ofVirtual().start(() -> speaker.play(tone)));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (int i = 0; i < 5; i++) {
                if (calls.get(i).heard().size() < from.get(i) + 150) {
                    return false;
                }
            }
            return true;
        });
        for (int i = 0; i < 5; i++) {
            short[] heard = Audio.concat(calls.get(i).heard().subList(from.get(i) + 25, from.get(i) + 140).stream()
                    .map(TestPhone.Heard::frame).toList());
            for (int j = 0; j < 4; j++) {
                double share = Audio.toneShare(heard, TONES[j]);
                if (j == i) {
                    assertThat(share).as("participant %d hears itself", i).isLessThan(0.03);
                } else {
                    assertThat(share).as("participant %d hears participant %d", i, j).isGreaterThan(0.12);
                }
            }
            assertThat(Audio.toneShare(heard, TONES[4])).as("participant %d hears the muted one", i).isLessThan(0.03);
        }

        // REST: the muted one is listed as muted and can be unmuted; another is removed and its call goes on (here: ends)
        String participants = conferences() + "/" + conferenceSid + "/Participants";
        JsonNode listed = rest().get(participants + ".json").json().path("participants");
        assertThat(listed).extracting(p -> p.path("muted").asBoolean()).containsExactlyInAnyOrder(false, false, false, false, true);
        String mutedSid = null;
        String otherSid = null;
        for (JsonNode p : listed) {
            if (p.path("muted").asBoolean()) {
                mutedSid = p.path("call_sid").asText();
            } else {
                otherSid = p.path("call_sid").asText();
            }
        }
        assertThat(rest().post(participants + "/" + mutedSid + ".json", "Muted", "false").json().path("muted").asBoolean()).isFalse();
        assertThat(rest().delete(participants + "/" + otherSid + ".json").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> rest().get(participants + ".json").json().path("participants").size() == 4);

        calls.forEach(c -> {
            if (!c.remoteHungUp()) {
                c.hangup();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> rest().get(conferences() + "/" + conferenceSid + ".json").json()
                .path("status").asText().equals("completed"));
        List<String> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> app.requests("/events").stream()
                .anyMatch(r -> "conference-end".equals(r.param("StatusCallbackEvent"))));
        app.requests("/events").forEach(r -> events.add(r.param("StatusCallbackEvent")));
        assertThat(events).contains("conference-start", "participant-join", "participant-unmute", "participant-leave", "conference-end");
        assertThat(node.client(node.newAccount("Other")).get("/2010-04-01/Accounts/" + account.sid() + "/Conferences.json").status()).isEqualTo(404);
    }

    @Test
    void a_guest_hears_the_wait_url_until_the_host_starts_the_room_rest_dials_in_a_third_and_the_room_is_recorded() throws Exception {
        app.route("/wait.wav", r -> AppServer.Reply.audio(Wav.encode(Tones.sine(1000, 9000, 400))));
        app.twiml("/wait", "<Response><Play>/wait.wav</Play><Pause length=\"1\"/></Response>");
        app.twiml("/guest", "<Response><Dial><Conference beep=\"false\" startConferenceOnEnter=\"false\" waitUrl=\"/wait\" waitMethod=\"GET\">"
                + "room</Conference></Dial></Response>");
        app.twiml("/host", "<Response><Dial><Conference beep=\"false\" endConferenceOnExit=\"true\" record=\"record-from-start\" "
                + "recordingStatusCallback=\"/recorded\" statusCallback=\"/events\" statusCallbackEvent=\"start end\">room</Conference></Dial></Response>");
        app.route("/recorded", r -> AppServer.Reply.of(204, "text/plain", ""));
        app.route("/events", r -> AppServer.Reply.of(204, "text/plain", ""));
        node.number(account, "+14155550100", app.url("/guest"));
        node.number(account, "+14155550101", app.url("/host"));

        TestPhone.Call guest = phone.call("+14155550100", node.sipPort()).awaitAnswered();
        assertThat(app.next("/wait").method()).isEqualTo("GET");
        await().atMost(Duration.ofSeconds(10)).until(() -> guest.heard().size() > 60);
        List<TestPhone.Heard> heard = guest.heard();   // one snapshot: frames keep arriving
        short[] waiting = Audio.concat(heard.subList(heard.size() - 40, heard.size()).stream().map(TestPhone.Heard::frame).toList());
        assertThat(Audio.toneShare(waiting, 400)).as("the guest hears the wait document's audio").isGreaterThan(0.5);
        String conferenceSid = rest().get(conferences() + ".json?FriendlyName=room").json().path("conferences").get(0).path("sid").asText();
        assertThat(rest().get(conferences() + "/" + conferenceSid + ".json").json().path("status").asText()).isEqualTo("init");

        try (TestPhone carol = new TestPhone()) {   // REST dials a third party into the room by its friendly name
            RestClient.Response added = rest().post(conferences() + "/room/Participants.json", "To", carol.uri("carol"), "From", "+14155550101",
                    "StartConferenceOnEnter", "false", "Beep", "false");
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.json().path("conference_sid").asText()).isEqualTo(conferenceSid);
            assertThat(added.json().path("status").asText()).isEqualTo("queued");
            TestPhone.Incoming third = carol.awaitIncoming(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> rest().get(conferences() + "/" + conferenceSid + "/Participants.json").json()
                    .path("participants").size() == 2);

            TestPhone.Call host = phone.call("+14155550101", node.sipPort()).awaitAnswered();
            await().atMost(Duration.ofSeconds(10)).until(() -> rest().get(conferences() + "/" + conferenceSid + ".json").json()
                    .path("status").asText().equals("in-progress"));
            int guestFrom = guest.heard().size();
            int thirdFrom = third.heard().size();
            Thread talking = Thread.ofVirtual().start(() -> host.play(AudioSource.of(Tones.sine(3000, 8000, 700), 1)));
            third.play(AudioSource.of(Tones.sine(3000, 8000, 1100), 1));
            talking.join();
            short[] guestHeard = Audio.concat(guest.heard().subList(guestFrom + 25, guestFrom + 130).stream().map(TestPhone.Heard::frame).toList());
            short[] thirdHeard = Audio.concat(third.heard().subList(thirdFrom + 25, thirdFrom + 130).stream().map(TestPhone.Heard::frame).toList());
            assertThat(Audio.toneShare(guestHeard, 700)).as("the guest hears the host").isGreaterThan(0.2);
            assertThat(Audio.toneShare(guestHeard, 1100)).as("the guest hears the third").isGreaterThan(0.2);
            assertThat(Audio.toneShare(guestHeard, 400)).as("the wait audio stopped").isLessThan(0.03);
            assertThat(Audio.toneShare(thirdHeard, 700)).as("the third hears the host").isGreaterThan(0.3);

            host.hangup();   // endConferenceOnExit: the room ends for everyone
            assertThat(guest.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
            assertThat(third.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        }
        AppServer.Request recorded = app.next("/recorded");
        assertThat(recorded.param("ConferenceSid")).isEqualTo(conferenceSid);
        assertThat(recorded.param("RecordingStatus")).isEqualTo("completed");
        assertThat(Integer.parseInt(recorded.param("RecordingDuration"))).isBetween(2, 30);
        HttpResponse<byte[]> wav = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(recorded.param("RecordingUrl") + ".wav")).build(), HttpResponse.BodyHandlers.ofByteArray());
        short[] mix = Wav.decode(wav.body());
        assertThat(Audio.toneShare(mix, 700) + Audio.toneShare(mix, 1100)).as("the recording holds the room's mix").isGreaterThan(0.3);
        JsonNode listed = rest().get(conferences() + "/" + conferenceSid + "/Recordings.json").json().path("recordings");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("conference_sid").asText()).isEqualTo(conferenceSid);
        await().atMost(Duration.ofSeconds(10)).until(() -> app.requests("/events").stream()
                .anyMatch(r -> "conference-end".equals(r.param("StatusCallbackEvent"))));
        assertThat(app.requests("/events").stream().filter(r -> "conference-end".equals(r.param("StatusCallbackEvent"))).findFirst().orElseThrow()
                .param("ReasonConferenceEnded")).isEqualTo("participant-with-end-conference-on-exit-left");
        RestClient.Response late = rest().post(conferences() + "/" + conferenceSid + "/Participants.json", "To", "+14155550199", "From", "+14155550101");
        assertThat(late.status()).as("a room that ended takes nobody").isEqualTo(400);
        assertThat(late.json().path("code").asInt()).isEqualTo(20409);
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
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
}

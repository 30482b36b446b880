package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.account.Account;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Counted usage: the characters a call's Say asked for, its recording's seconds, the account's REST requests, in Usage Records. */
class CountedUsageTest extends CallTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_PRICE_TTS_CHARACTER", "0.00001", "PATCHBAY_PRICE_API_REQUEST", "0.001");
    }

    @Test
    void speech_recordings_and_api_requests_are_counted_in_usage_records() {
        app.twiml("/voice", "<Response><Say>Leave a message.</Say><Record action=\"/recorded\" timeout=\"2\" maxLength=\"20\" playBeep=\"true\"/>"
                + "</Response>");
        app.twiml("/recorded", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        await().atMost(Duration.ofSeconds(15))   // the record beep, after the speech
                .until(() -> call.heard().stream().anyMatch(h -> Audio.toneShare(h.frame(), 1000) > 0.5));
        call.play(AudioSource.of(Tones.sine(1500, 9000, 600), 1));
        app.next("/recorded");
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();

        Account other = node.newAccount("Other");
        for (int i = 0; i < 3; i++) {
            assertThat(node.client(other).get("/2010-04-01/Accounts/" + other.sid() + ".json").status()).isEqualTo(200);
        }
        node.node().countedUsage().flush();

        RestClient rest = node.client(account);
        String records = "/2010-04-01/Accounts/" + account.sid() + "/Usage/Records.json?Category=";

        JsonNode tts = rest.get(records + "tts-characters").json().path("usage_records").get(0);
        assertThat(tts.path("usage").asText()).isEqualTo("16");   // "Leave a message." once
        assertThat(tts.path("price").asText()).isEqualTo("0.000160");
        JsonNode recordings = rest.get(records + "recordings").json().path("usage_records").get(0);
        assertThat(recordings.path("count").asText()).isEqualTo("1");
        assertThat(recordings.path("usage").asText()).isEqualTo("1");   // minutes, rounded up
        long otherRequests = node.node().db().read(h -> h.createQuery("SELECT SUM(quantity) FROM usage_events WHERE account_sid = ? "
                + "AND meter = 'api-requests' AND source = ?").bind(0, other.sid()).bind(1, other.sid()).mapTo(Long.class).one());
        assertThat(otherRequests).isEqualTo(3);   // per account and per credential (here the account's own)
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressAndDigitsTest extends CallTestBase {

    @Test
    void subscribed_progress_events_arrive_in_order_with_sequence_numbers() {
        app.twiml("/voice", "<Response><Pause length=\"1\"/></Response>");
        app.twiml("/status", "<Response/>");
        RestClient.Response number = node.client(account).post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json",
                "PhoneNumber", "+14155550100", "VoiceUrl", app.url("/voice"), "StatusCallback", app.url("/status"),
                "StatusCallbackEvent", "initiated ringing", "StatusCallbackEvent", "answered", "StatusCallbackEvent", "completed");
        assertThat(number.json().path("status_callback_event").toString()).contains("initiated", "ringing", "answered", "completed");

        dial("+14155550100").awaitAnswered();

        await().atMost(Duration.ofSeconds(10)).until(() -> app.requests("/status").size() == 4);
        List<AppServer.Request> events = app.requests("/status").stream()
                .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.param("SequenceNumber")))).toList();
        assertThat(events).extracting(r -> r.param("CallStatus")).containsExactly("initiated", "ringing", "in-progress", "completed");
        assertThat(events).extracting(r -> r.param("SequenceNumber")).containsExactly("0", "1", "2", "3");
        assertThat(events.get(3).param("CallDuration")).isEqualTo("1");
    }

    @Test
    void a_bad_status_callback_event_is_refused() {
        RestClient.Response r = node.client(account).post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json",
                "PhoneNumber", "+14155550100", "StatusCallbackEvent", "exploded");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("StatusCallbackEvent");
    }

    @Test
    void play_digits_reaches_the_caller_as_rfc4733_events() {
        app.twiml("/voice", "<Response><Play digits=\"19w#\"/><Pause length=\"1\"/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        await().atMost(Duration.ofSeconds(5)).until(() -> call.digitsHeard().size() >= 3);
        assertThat(call.digitsHeard()).containsExactly('1', '9', '#');
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class GatherTest extends CallTestBase {

    @Test
    void gather_posts_rfc4733_digits_to_the_action_url() {
        app.twiml("/voice", "<Response><Gather action=\"/gathered\" timeout=\"3\"><Say>Enter your code.</Say></Gather></Response>");
        app.twiml("/gathered", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 5);   // the Gather is listening

        call.sendDigits("4711#");

        AppServer.Request gathered = app.next("/gathered");
        assertThat(gathered.method()).isEqualTo("POST");
        assertThat(gathered.param("Digits")).isEqualTo("4711");
        assertThat(gathered.param("CallStatus")).isEqualTo("in-progress");
        assertThat(gathered.param("CallSid")).isEqualTo(app.next("/voice").param("CallSid"));
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void gather_hears_in_band_digits_and_stops_at_num_digits() {
        app.twiml("/voice", "<Response><Gather action=\"/gathered\" numDigits=\"3\" timeout=\"4\"/></Response>");
        app.twiml("/gathered", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        call.sendInbandDigits("3589");

        assertThat(app.next("/gathered").param("Digits")).isEqualTo("358");
    }

    @Test
    void the_first_digit_cuts_the_prompt_off() {
        app.twiml("/voice", "<Response><Gather action=\"/gathered\" numDigits=\"1\">"
                + "<Say loop=\"10\">This prompt is long and repeats many times so that only a key can stop it.</Say></Gather></Response>");
        app.twiml("/gathered", "<Response><Pause length=\"3\"/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 25);   // half a second of the prompt

        call.sendDigits("7");
        AppServer.Request gathered = app.next("/gathered");
        long pressedAt = System.nanoTime();

        assertThat(gathered.param("Digits")).isEqualTo("7");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() ->
                call.heard().stream().filter(h -> h.nanos() > pressedAt + 200_000_000L)
                        .noneMatch(h -> Audio.rms(h.frame()) > 300));   // the prompt stays cut off
    }

    @Test
    void no_input_falls_through_to_the_next_verb_without_a_request() {
        app.twiml("/voice", "<Response><Gather action=\"/gathered\" timeout=\"1\"/><Redirect>/after</Redirect></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        app.next("/after");
        assertThat(app.requests("/gathered")).isEmpty();
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void action_on_empty_result_posts_empty_digits_and_finish_on_key_is_not_included() {
        app.twiml("/voice", "<Response><Gather action=\"/gathered\" timeout=\"1\" actionOnEmptyResult=\"true\"/></Response>");
        app.twiml("/gathered", "<Response><Gather action=\"/second\" finishOnKey=\"*\" timeout=\"3\"><Say>Enter digits.</Say></Gather></Response>");
        app.twiml("/second", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        assertThat(app.next("/gathered").param("Digits")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 5);   // the second Gather is listening
        call.sendDigits("12*");
        assertThat(app.next("/second").param("Digits")).isEqualTo("12");
    }

    @Test
    void gather_without_action_requests_the_current_document_again() {
        app.route("/voice", r -> AppServer.Reply.twiml(r.param("Digits") == null
                ? "<Response><Gather numDigits=\"2\" timeout=\"5\"><Say>Enter two digits.</Say></Gather></Response>"
                : "<Response><Hangup/></Response>"));
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        app.next("/voice");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 5);   // the Gather is listening

        call.sendDigits("42");

        assertThat(app.next("/voice").param("Digits")).isEqualTo("42");
    }
}

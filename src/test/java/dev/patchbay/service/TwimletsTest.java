package dev.patchbay.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.twiml.TwimlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each twimlet's answer to a set of query strings, against what Twilio's twimlets (twimlets.com,
 * whose source Twilio published) return for them: the expected documents below are what that code
 * prints for the same requests, with its attribute order; whitespace between tags is ignored.
 */
class TwimletsTest {

    /** The twimlet at twimlets.com/{name} answering {@code query} (plus {@code posted}, as Twilio POSTs call parameters). */
    private static Twimlets.Reply twimlet(String name, String query, String... posted) {
        List<Map.Entry<String, String>> params = new ArrayList<>(TwimletEndpoint.query(String.join("&", posted)));
        params.addAll(TwimletEndpoint.query(query));
        return Twimlets.answer(name, new Twimlets.Request(params, "/" + name, "http://twimlets.com/" + name));
    }

    private static String twiml(String name, String query, String... posted) {
        Twimlets.Reply reply = twimlet(name, query, posted);
        assertThat(reply).isInstanceOf(Twimlets.Reply.Twiml.class);
        return ((Twimlets.Reply.Twiml) reply).xml().replaceFirst("<\\?xml[^>]*\\?>", "").replaceAll(">\\s+<", "><").trim();
    }

    private static String redirect(String name, String query, String... posted) {
        Twimlets.Reply reply = twimlet(name, query, posted);
        assertThat(reply).isInstanceOf(Twimlets.Reply.Redirect.class);
        return ((Twimlets.Reply.Redirect) reply).location();
    }

    @Test
    void forward_dials_the_number_and_hangs_up_or_fails_over_afterwards() {
        assertThat(twiml("forward", "PhoneNumber=%2B14155551212"))
                .isEqualTo("<Response><Dial action=\"/forward?Dial=true\" timeout=\"20\">+14155551212</Dial></Response>");
        assertThat(twiml("forward", "PhoneNumber=%2B14155551212&FailUrl=http%3A%2F%2Fexample.com%2Ffail&Timeout=30"))
                .isEqualTo("<Response><Dial action=\"/forward?Dial=true&amp;FailUrl=http%3A%2F%2Fexample.com%2Ffail\" timeout=\"30\">"
                        + "+14155551212</Dial></Response>");
        assertThat(twiml("forward", "Dial=true&FailUrl=http%3A%2F%2Fexample.com%2Ffail", "DialCallStatus=completed"))
                .isEqualTo("<Response><Hangup/></Response>");
        assertThat(redirect("forward", "Dial=true&FailUrl=http%3A%2F%2Fexample.com%2Ffail", "DialCallStatus=no-answer"))
                .isEqualTo("http://example.com/fail");
        assertThat(twiml("forward", "Dial=true", "DialCallStatus=busy")).isEqualTo("<Response><Hangup/></Response>");
    }

    @Test
    void forward_lets_only_allowed_callers_through() {
        String query = "PhoneNumber=%2B14155551212&AllowedCallers%5B%5D=415-555-0100&AllowedCallers%5B%5D=";
        assertThat(twiml("forward", query, "From=%2B14155550199", "To=%2B14155550000"))
                .isEqualTo("<Response><Say>Sorry, you are calling from a restricted number. Good bye.</Say></Response>");
        assertThat(twiml("forward", query, "From=4155550100", "To=%2B14155550000"))
                .isEqualTo("<Response><Dial action=\"/forward?Dial=true\" timeout=\"20\">+14155551212</Dial></Response>");
    }

    @Test
    void simulring_rings_every_number_at_once_sorted_each_with_the_whisper() {
        assertThat(twiml("simulring", "PhoneNumbers%5B0%5D=%2B14155550002&PhoneNumbers%5B1%5D=%2B14155550001&Message=Call+from+Acme&Timeout=15"))
                .isEqualTo("<Response><Dial action=\"/simulring?Dial=true&amp;FailUrl=\" timeout=\"15\">"
                        + "<Number url=\"whisper?Message=Call+from+Acme\">+14155550001</Number>"
                        + "<Number url=\"whisper?Message=Call+from+Acme\">+14155550002</Number></Dial></Response>");
        assertThat(redirect("simulring", "Dial=true&FailUrl=http%3A%2F%2Fexample.com%2Fvm", "DialCallStatus=no-answer"))
                .isEqualTo("http://example.com/vm");
    }

    @Test
    void findme_tries_one_number_after_another_then_the_fail_url() {
        String first = twiml("findme", "PhoneNumbers%5B%5D=%2B14155550001&PhoneNumbers%5B%5D=%2B14155550002&Message=It%27s+me&FailUrl=http%3A%2F%2Fexample.com%2Fvm");
        assertThat(first).isEqualTo("<Response><Dial action=\"/findme?Dial=true&amp;FailUrl=http%3A%2F%2Fexample.com%2Fvm&amp;Timeout=&amp;"
                + "Message=It%27s+me&amp;PhoneNumbers%5B%5D=%2B14155550002\" timeout=\"60\">"
                + "<Number url=\"whisper?Message=It%27s+me&amp;HumanCheck=1\">+14155550001</Number></Dial></Response>");
        // the action of the first Dial, after nobody answered: the next number
        String second = twiml("findme", "Dial=true&FailUrl=http%3A%2F%2Fexample.com%2Fvm&Timeout=&Message=It%27s+me&PhoneNumbers%5B%5D=%2B14155550002",
                "DialCallStatus=no-answer");
        assertThat(second).contains("<Number url=\"whisper?Message=It%27s+me&amp;HumanCheck=1\">+14155550002</Number>");
        assertThat(redirect("findme", "Dial=true&FailUrl=http%3A%2F%2Fexample.com%2Fvm&Timeout=&Message=", "DialCallStatus=no-answer"))
                .isEqualTo("http://example.com/vm");
        assertThat(twiml("findme", "Dial=true&PhoneNumbers%5B%5D=%2B14155550002", "DialCallStatus=completed"))
                .isEqualTo("<Response><Hangup/></Response>");
        assertThat(twiml("findme", "")).isEqualTo("<Response><Hangup/></Response>");
    }

    @Test
    void menu_gathers_as_many_digits_as_the_longest_option_and_redirects_to_the_chosen_one() {
        String query = "Message=Press+1+for+sales&Options%5B1%5D=http%3A%2F%2Fexample.com%2Fsales&Options%5B22%5D=http%3A%2F%2Fexample.com%2Fx";
        assertThat(twiml("menu", query))
                .isEqualTo("<Response><Gather numDigits=\"2\"><Say>Press 1 for sales</Say></Gather><Redirect/></Response>");
        assertThat(redirect("menu", query, "Digits=1")).isEqualTo("http://example.com/sales");
        assertThat(twiml("menu", query, "Digits=9")).isEqualTo("<Response><Say>I'm sorry, that wasn't a valid option.</Say>"
                + "<Gather numDigits=\"2\"><Say>Press 1 for sales</Say></Gather><Redirect/></Response>");
        assertThat(twiml("menu", "Message=http%3A%2F%2Fexample.com%2Fmenu.mp3&Options%5B1%5D=http%3A%2F%2Fexample.com%2Fa"))
                .isEqualTo("<Response><Gather numDigits=\"1\"><Play>http://example.com/menu.mp3</Play></Gather><Redirect/></Response>");
    }

    @Test
    void message_says_or_plays_each_message() {
        assertThat(twiml("message", "Message%5B0%5D=Hello+there&Message%5B1%5D=http%3A%2F%2Fexample.com%2Fa.wav&Message%5B2%5D=+"))
                .isEqualTo("<Response><Say>Hello there</Say><Play>http://example.com/a.wav</Play></Response>");
        assertThat(twiml("message", "Message=Don%5C%27t+panic")).isEqualTo("<Response><Say>Don't panic</Say></Response>");
    }

    @Test
    void voicemail_greets_records_and_thanks() {
        assertThat(twiml("voicemail", "Email=owner%40example.com"))
                .isEqualTo("<Response><Say>Please leave a message after the beep.</Say>"
                        + "<Record transcribe=\"true\" transcribeCallback=\"http://twimlets.com/voicemail?Email=owner@example.com\"/></Response>");
        assertThat(twiml("voicemail", "Email=owner%40example.com&Message=Laissez+un+message&Transcribe=false&Language=FR&Voice=woman"))
                .isEqualTo("<Response><Say language=\"fr\" voice=\"woman\">Laissez un message</Say><Record/></Response>");
        assertThat(twiml("voicemail", "Email=owner%40example.com", "RecordingUrl=http%3A%2F%2Fapi.example.com%2FRE1"))
                .isEqualTo("<Response><Say>Thanks.  Good bye.</Say><Hangup/></Response>");
    }

    @Test
    void whisper_asks_a_human_to_press_a_key_when_told_to() {
        assertThat(twiml("whisper", "Message=Call+from+Acme")).isEqualTo("<Response><Say>Call from Acme</Say></Response>");
        assertThat(twiml("whisper", "Message=Call+from+Acme&HumanCheck=1"))
                .isEqualTo("<Response><Gather numDigits=\"1\" timeout=\"5\"><Say>Call from Acme</Say><Say>Press any key to accept this call.</Say>"
                        + "</Gather><Hangup/></Response>");
        assertThat(twiml("whisper", "Message=Call+from+Acme&HumanCheck=1", "Digits=5")).isEqualTo("<Response></Response>");
    }

    @Test
    void every_answer_is_valid_twiml() {
        for (String name : Twimlets.NAMES) {
            if (twimlet(name, "PhoneNumber=%2B14155551212&PhoneNumbers%5B%5D=%2B14155550001&Message=Hi&Options%5B1%5D=http%3A%2F%2Fx")
                    instanceof Twimlets.Reply.Twiml t) {
                assertThat(TwimlParser.parse(t.xml())).as(name).isNotNull();
            }
        }
    }
}

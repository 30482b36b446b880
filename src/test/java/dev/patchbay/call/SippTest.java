package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Sipp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** sipp, a real SIP load generator, as the caller. */
class SippTest extends CallTestBase {

    @Test
    void sipp_call_is_answered_its_rfc4733_digit_reaches_the_app_and_its_bye_ends_the_call() {
        app.twiml("/voice", "<Response><Gather action=\"/gathered\" numDigits=\"1\" timeout=\"8\"><Say>Press a key.</Say></Gather></Response>");
        app.twiml("/gathered", "<Response><Pause length=\"20\"/></Response>");

        Sipp.Result result = Sipp.run("uac_call.xml", node.sipPort(), numberFor("/voice"), 1, 1);

        assertThat(result.exitCode()).as(result.output()).isZero();
        AppServer.Request voice = app.next("/voice");
        assertThat(voice.param("SipHeader_X-Test-Run")).isEqualTo("sipp");
        assertThat(app.next("/gathered").param("Digits")).isEqualTo("1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + voice.param("CallSid") + ".json").text("status"))
                .isEqualTo("completed"));
    }

    @Test
    void twenty_sipp_calls_in_parallel_all_complete() {
        app.twiml("/voice", "<Response><Say>Hello.</Say><Pause length=\"10\"/></Response>");

        Sipp.Result result = Sipp.run("uac_call.xml", node.sipPort(), numberFor("/voice"), 20, 10);

        assertThat(result.exitCode()).as(result.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> node.node().router().liveCalls() == 0);
        assertThat(node.client(account).get("/2010-04-01/Accounts/" + account.sid() + "/Calls.json?Status=completed")
                .json().path("calls")).hasSize(20);
    }

    @Test
    void sipp_gets_404_for_an_unknown_number_and_200_for_options() {
        assertThat(Sipp.run("uac_unknown_number.xml", node.sipPort(), "+19990000000", 1, 1).exitCode()).isZero();
        assertThat(Sipp.run("options.xml", node.sipPort(), "ping", 1, 1).exitCode()).isZero();
        assertThat(Sipp.run("options.xml", node.sipPort(), "ping", 1, 1, "-t", "t1").exitCode()).as("over TCP").isZero();
    }
}

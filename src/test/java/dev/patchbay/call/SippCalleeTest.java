package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.Sipp;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** sipp as the party Dial reaches: the callee scenarios kept in src/test/sipp, and a client registering with digest. */
class SippCalleeTest extends CallTestBase {

    private AppServer.Request dialThrough(Sipp.Server callee, String dialAttributes) {
        app.twiml("/voice", "<Response><Dial action=\"/after\" " + dialAttributes + "><Sip>" + callee.uri("bob") + "</Sip></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        TestPhone.Call caller = dial(numberFor("/voice")).awaitAnswered();
        AppServer.Request after = app.next("/after");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        return after;
    }

    @Test
    void a_callee_hanging_up_first_returns_to_the_action_with_the_talk_time() {
        try (Sipp.Server callee = Sipp.serve("uas_hangs_up_first.xml", 1)) {
            AppServer.Request after;
            try {
                after = dialThrough(callee, "");
            } catch (AssertionError e) {
                throw new AssertionError(callee.await(Duration.ofSeconds(1)).output(), e);
            }
            assertThat(after.param("DialCallStatus")).isEqualTo("completed");
            assertThat(after.param("DialCallDuration")).isIn("1", "2");
            assertThat(callee.await(Duration.ofSeconds(10)).exitCode()).isZero();
        }
    }

    @Test
    void busy_gives_busy() {
        try (Sipp.Server callee = Sipp.serve("uas_busy.xml", 1)) {
            assertThat(dialThrough(callee, "").param("DialCallStatus")).isEqualTo("busy");
            assertThat(callee.await(Duration.ofSeconds(10)).exitCode()).isZero();
        }
    }

    @Test
    void service_unavailable_gives_failed() {
        try (Sipp.Server callee = Sipp.serve("uas_unavailable.xml", 1)) {
            assertThat(dialThrough(callee, "").param("DialCallStatus")).isEqualTo("failed");
            assertThat(callee.await(Duration.ofSeconds(10)).exitCode()).isZero();
        }
    }

    @Test
    void no_answer_is_canceled_at_the_timeout() {
        try (Sipp.Server callee = Sipp.serve("uas_no_answer.xml", 1)) {
            assertThat(dialThrough(callee, "timeout=\"5\"").param("DialCallStatus")).isEqualTo("no-answer");
            Sipp.Result result = callee.await(Duration.ofSeconds(10));
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }

    @Test
    void sipp_registers_with_digest_and_takes_a_client_call() {
        RestClient rest = node.client(account);
        String domains = "/2010-04-01/Accounts/" + account.sid() + "/SIP/Domains";
        String domain = rest.post(domains + ".json", "DomainName", "sipp.sip.test").text("sid");
        rest.post(domains + "/" + domain + "/Credentials.json", "Username", "carol", "Password", "Sipp-Password-77");
        try (Sipp.Server callee = Sipp.serve("uas_hangs_up_first.xml", 1)) {
            Sipp.Result registered = Sipp.run("register_client.xml", node.sipPort(), "carol", 1, 1,
                    "-au", "carol", "-ap", "Sipp-Password-77", "-set", "domain", "sipp.sip.test",
                    "-set", "contact_port", Integer.toString(callee.port()));
            assertThat(registered.exitCode()).as(registered.output()).isZero();

            app.twiml("/voice", "<Response><Dial action=\"/after\"><Client>carol</Client></Dial></Response>");
            app.twiml("/after", "<Response><Hangup/></Response>");
            dial(numberFor("/voice")).awaitAnswered();
            assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("completed");
            assertThat(callee.await(Duration.ofSeconds(10)).exitCode()).isZero();
        }
    }
}

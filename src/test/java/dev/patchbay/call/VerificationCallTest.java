package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A verification started over REST calls the number and speaks the code; checks go over REST too. */
class VerificationCallTest extends CallTestBase {

    @Test
    void starting_a_verification_calls_the_number_and_speaks_the_code() {
        try (TestPhone handset = new TestPhone()) {
            RestClient rest = node.client(account);
            assertThat(rest.post("/2010-04-01/Accounts/" + account.sid() + "/OutboundTrunks.json", "Prefix", "+1",
                    "TerminationUri", "sip:127.0.0.1:" + handset.sipPort()).status()).isEqualTo(201);
            assertThat(rest.post("/v1/Verifications", "To", "+14155550199").status()).isEqualTo(400);   // no number to call from yet
            node.number(account, "+14155550100", app.url("/unused"));

            RestClient.Response started = rest.post("/v1/Verifications", "To", "+14155550199", "Channel", "call", "CodeLength", "4");
            assertThat(started.status()).as(started.body()).isEqualTo(201);
            assertThat(started.text("status")).isEqualTo("pending");
            assertThat(started.body()).doesNotContain("code");
            TestPhone.Incoming call = handset.awaitIncoming(Duration.ofSeconds(10));
            assertThat(call.from()).contains("+14155550100");
            await().atMost(Duration.ofSeconds(15)).until(() -> call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 50);   // a spoken code

            RestClient.Response check = rest.post("/v1/VerificationCheck", "To", "+14155550199", "Code", "abcd");
            assertThat(check.status()).isEqualTo(200);
            assertThat(check.json().path("valid").asBoolean()).isFalse();
            assertThat(rest.get("/v1/Verifications/" + started.text("sid")).json().path("attempts").asInt()).isEqualTo(1);
            assertThat(node.client(node.newAccount("Other")).get("/v1/Verifications/" + started.text("sid")).status()).isEqualTo(404);
            assertThat(rest.post("/v1/Verifications", "To", "+14155550199", "Channel", "sms").status()).isEqualTo(400);
        }
    }
}

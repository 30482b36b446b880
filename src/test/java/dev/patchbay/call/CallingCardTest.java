package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A calling card running out: $0.50 at a basic rate of $0.10 a second pays five seconds; the
 * caller hears a beep before the end, the bridge ends at the limit, the card is empty and the
 * caller is back at the card's menu, which says goodbye.
 */
class CallingCardTest extends CallTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_PLAN_BASIC", "{\"price\": \"6.00\"}");
    }

    @Test
    void a_card_call_is_limited_by_its_balance_warned_and_returns_to_the_menu() {
        try (TestPhone destination = new TestPhone()) {
            RestClient rest = node.client(account);
            assertThat(rest.post("/2010-04-01/Accounts/" + account.sid() + "/OutboundTrunks.json", "Prefix", "+1",
                    "TerminationUri", "sip:127.0.0.1:" + destination.sipPort()).status()).isEqualTo(201);
            RestClient.Response module = rest.post("/v1/Modules", "UniqueName", "acme/card", "Kind", "service", "Service", "calling-card",
                    "Configuration", "{\"pin_length\": 4, \"greeting\": \"Welcome.\", \"warning_seconds\": 2}");
            assertThat(module.status()).as(module.body()).isEqualTo(201);
            String cards = "/v1/Modules/" + module.text("sid") + "/Cards";
            RestClient.Response card = rest.post(cards, "Pin", "1234", "Balance", "0.50");
            assertThat(card.status()).as(card.body()).isEqualTo(201);
            assertThat(card.body()).doesNotContain("1234");
            rest.post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100",
                    "VoiceModuleSid", module.text("sid"));

            TestPhone.Call caller = dial("+14155550100").awaitAnswered();
            caller.awaitPromptThenQuiet(0);
            caller.sendDigits("1234");
            caller.awaitPromptThenQuiet(caller.heard().size());   // the balance, then the prompt for a number
            caller.sendDigits("14155550199#");
            TestPhone.Incoming callee = destination.awaitIncoming(Duration.ofSeconds(10));
            assertThat(callee.requestUri()).contains("+14155550199");
            int bridgedFrom = caller.heard().size();
            long answered = System.nanoTime();
            assertThat(callee.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();   // the limit ended the bridge
            long talkedMillis = (System.nanoTime() - answered) / 1_000_000;
            assertThat(talkedMillis).isBetween(4_000L, 7_000L);
            List<TestPhone.Heard> heard = caller.heard();   // one snapshot: frames keep arriving
            List<TestPhone.Heard> during = heard.subList(bridgedFrom, heard.size());
            assertThat(during.stream().anyMatch(h -> Audio.rms(h.frame()) > 1000 && Audio.toneShare(h.frame(), 1000) > 0.6))
                    .as("a warning beep before the end").isTrue();

            assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();   // back at the menu: the card is empty, goodbye
            await().atMost(Duration.ofSeconds(5)).until(() -> rest.get(cards).json().path("cards").get(0).path("balance").asText().equals("0.000000"));
            assertThat(node.client(node.newAccount("Other")).get(cards).status()).isEqualTo(404);
        }
    }
}

package dev.patchbay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NumbersApiTest {

    private static String numbers(Account a) {
        return "/2010-04-01/Accounts/" + a.sid() + "/IncomingPhoneNumbers";
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void number_is_created_fetched_updated_and_deleted(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient api = node.client(acme);

            RestClient.Response created = api.post(numbers(acme) + ".json", "PhoneNumber", "+14155550100",
                    "VoiceUrl", "https://app.example.com/voice", "VoiceMethod", "GET", "FriendlyName", "Main line");
            assertThat(created.status()).isEqualTo(201);
            String sid = created.text("sid");
            assertThat(sid).matches("PN[0-9a-f]{32}");
            assertThat(created.text("phone_number")).isEqualTo("+14155550100");
            assertThat(created.text("voice_url")).isEqualTo("https://app.example.com/voice");
            assertThat(created.text("voice_method")).isEqualTo("GET");
            assertThat(created.text("voice_fallback_method")).isEqualTo("POST");
            assertThat(created.json().path("voice_fallback_url").isNull()).isTrue();
            assertThat(created.text("account_sid")).isEqualTo(acme.sid());
            assertThat(created.text("uri")).isEqualTo(numbers(acme) + "/" + sid + ".json");

            RestClient.Response updated = api.post(numbers(acme) + "/" + sid + ".json",
                    "VoiceFallbackUrl", "https://backup.example.com/voice", "StatusCallback", "https://app.example.com/status");
            assertThat(updated.text("voice_fallback_url")).isEqualTo("https://backup.example.com/voice");
            assertThat(updated.text("voice_url")).isEqualTo("https://app.example.com/voice");
            assertThat(api.get(numbers(acme) + "/" + sid + ".json").text("status_callback")).isEqualTo("https://app.example.com/status");

            assertThat(api.delete(numbers(acme) + "/" + sid + ".json").status()).isEqualTo(204);
            assertThat(api.get(numbers(acme) + "/" + sid + ".json").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void list_filters_and_pages_like_twilio(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient api = node.client(acme);
            for (int i = 0; i < 5; i++) {
                api.post(numbers(acme) + ".json", "PhoneNumber", "+1415555010" + i, "FriendlyName", i % 2 == 0 ? "even" : "odd");
            }
            api.post(numbers(acme) + ".json", "PhoneNumber", "sip:alice@example.com");

            RestClient.Response page0 = api.get(numbers(acme) + ".json?PageSize=2");
            assertThat(page0.json().path("incoming_phone_numbers")).hasSize(2);
            assertThat(page0.json().path("page").asInt()).isZero();
            assertThat(page0.json().path("page_size").asInt()).isEqualTo(2);
            String next = page0.text("next_page_uri");
            assertThat(next).contains("Page=1");
            RestClient.Response page1 = api.get(next);
            assertThat(page1.json().path("incoming_phone_numbers").findValuesAsText("phone_number"))
                    .containsExactly("+14155550102", "+14155550103");
            RestClient.Response last = api.get(numbers(acme) + ".json?PageSize=2&Page=2");
            assertThat(last.json().path("incoming_phone_numbers").findValuesAsText("phone_number")).containsExactly("+14155550104", "sip:alice");
            assertThat(last.json().path("next_page_uri").isNull()).isTrue();

            assertThat(api.get(numbers(acme) + ".json?FriendlyName=odd").json().path("incoming_phone_numbers")
                    .findValuesAsText("phone_number")).containsExactly("+14155550101", "+14155550103");
            assertThat(api.get(numbers(acme) + ".json?PhoneNumber=5550104").json().path("incoming_phone_numbers")
                    .findValuesAsText("phone_number")).containsExactly("+14155550104");

            RestClient.Response badPage = api.get(numbers(acme) + ".json?PageSize=5000");
            assertThat(badPage.status()).isEqualTo(400);
            assertThat(badPage.json().path("message").asText()).contains("PageSize");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void malformed_or_missing_phone_number_is_refused_and_nothing_is_written(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient api = node.client(acme);

            RestClient.Response malformed = api.post(numbers(acme) + ".json", "PhoneNumber", "555-CALL-NOW");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.json().path("code").asInt()).isEqualTo(21421);

            RestClient.Response missing = api.post(numbers(acme) + ".json", "VoiceUrl", "https://app.example.com/");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.json().path("message").asText()).contains("PhoneNumber");

            RestClient.Response badUrl = api.post(numbers(acme) + ".json", "PhoneNumber", "+14155550100", "VoiceUrl", "ftp://nope");
            assertThat(badUrl.status()).isEqualTo(400);
            assertThat(badUrl.json().path("code").asInt()).isEqualTo(21205);

            RestClient.Response badMethod = api.post(numbers(acme) + ".json", "PhoneNumber", "+14155550100", "VoiceMethod", "PUT");
            assertThat(badMethod.status()).isEqualTo(400);
            assertThat(badMethod.json().path("message").asText()).contains("VoiceMethod");

            assertThat(api.get(numbers(acme) + ".json").json().path("incoming_phone_numbers")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_number_held_by_another_account_is_not_available(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            Account rival = node.newAccount("Rival");
            assertThat(node.client(acme).post(numbers(acme) + ".json", "PhoneNumber", "+14155550100").status()).isEqualTo(201);

            RestClient.Response taken = node.client(rival).post(numbers(rival) + ".json", "PhoneNumber", "+1 (415) 555-0100");
            assertThat(taken.status()).isEqualTo(400);
            assertThat(taken.json().path("code").asInt()).isEqualTo(21422);
            assertThat(node.client(rival).get(numbers(rival) + ".json").json().path("incoming_phone_numbers")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_foreign_number_is_not_found_for_every_operation(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            Account mallory = node.newAccount("Mallory");
            String sid = node.client(acme).post(numbers(acme) + ".json", "PhoneNumber", "+14155550100").text("sid");
            RestClient asMallory = node.client(mallory);

            RestClient.Response fetchOwnPath = asMallory.get(numbers(mallory) + "/" + sid + ".json");
            RestClient.Response fetchForeignPath = asMallory.get(numbers(acme) + "/" + sid + ".json");
            RestClient.Response missing = asMallory.get(numbers(mallory) + "/PN00000000000000000000000000000000.json");
            assertThat(fetchOwnPath.status()).isEqualTo(404);
            assertThat(fetchForeignPath.status()).isEqualTo(404);
            assertThat(fetchOwnPath.json().path("code").asInt()).isEqualTo(missing.json().path("code").asInt()).isEqualTo(20404);

            assertThat(asMallory.post(numbers(mallory) + "/" + sid + ".json", "VoiceUrl", "https://evil.example.com/").status()).isEqualTo(404);
            assertThat(asMallory.delete(numbers(mallory) + "/" + sid + ".json").status()).isEqualTo(404);
            assertThat(asMallory.get(numbers(acme) + ".json").status()).isEqualTo(404);

            RestClient.Response intact = node.client(acme).get(numbers(acme) + "/" + sid + ".json");
            assertThat(intact.json().path("voice_url").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void routing_targets_are_mutually_exclusive_and_the_last_one_set_wins(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient api = node.client(acme);

            RestClient.Response both = api.post(numbers(acme) + ".json", "PhoneNumber", "+14155550100",
                    "VoiceUrl", "https://app.example.com/", "VoiceEndpoint", "sip:agent@pbx.example.com");
            assertThat(both.status()).isEqualTo(400);
            assertThat(both.json().path("message").asText()).contains("mutually exclusive");

            String sid = api.post(numbers(acme) + ".json", "PhoneNumber", "+14155550100", "VoiceUrl", "https://app.example.com/").text("sid");
            RestClient.Response moved = api.post(numbers(acme) + "/" + sid + ".json", "VoiceEndpoint", "sip:agent@pbx.example.com");
            assertThat(moved.text("voice_endpoint")).isEqualTo("sip:agent@pbx.example.com");
            assertThat(moved.json().path("voice_url").isNull()).isTrue();

            RestClient.Response badEndpoint = api.post(numbers(acme) + "/" + sid + ".json", "VoiceEndpoint", "carrier pigeon");
            assertThat(badEndpoint.status()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void unknown_routes_and_oversized_bodies_get_twilio_errors(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient api = node.client(acme);

            RestClient.Response unknown = api.get("/2010-04-01/Accounts/" + acme.sid() + "/Nonsense.json");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().path("code").asInt()).isEqualTo(20404);

            RestClient.Response huge = api.postRaw(numbers(acme) + ".json", "PhoneNumber=%2B14155550100&FriendlyName=" + "x".repeat(200_000));
            assertThat(huge.status()).isEqualTo(413);
            assertThat(huge.json().path("status").asInt()).isEqualTo(413);
            assertThat(api.get(numbers(acme) + ".json").json().path("incoming_phone_numbers")).isEmpty();
        }
    }
}

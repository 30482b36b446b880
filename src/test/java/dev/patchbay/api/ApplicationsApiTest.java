package dev.patchbay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApplicationsApiTest {

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void application_lifecycle_and_a_number_pointing_at_it(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient api = node.client(acme);
            String base = "/2010-04-01/Accounts/" + acme.sid() + "/Applications";

            RestClient.Response created = api.post(base + ".json", "FriendlyName", "IVR", "VoiceUrl", "https://ivr.example.com/start");
            assertThat(created.status()).isEqualTo(201);
            String sid = created.text("sid");
            assertThat(sid).matches("AP[0-9a-f]{32}");

            RestClient.Response number = api.post("/2010-04-01/Accounts/" + acme.sid() + "/IncomingPhoneNumbers.json",
                    "PhoneNumber", "+14155550100", "VoiceApplicationSid", sid);
            assertThat(number.text("voice_application_sid")).isEqualTo(sid);

            assertThat(api.post(base + "/" + sid + ".json", "VoiceMethod", "GET").text("voice_method")).isEqualTo("GET");
            assertThat(api.get(base + ".json?FriendlyName=IVR").json().path("applications")).hasSize(1);

            assertThat(api.delete(base + "/" + sid + ".json").status()).isEqualTo(204);
            RestClient.Response after = api.get("/2010-04-01/Accounts/" + acme.sid() + "/IncomingPhoneNumbers/" + number.text("sid") + ".json");
            assertThat(after.json().path("voice_application_sid").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void another_accounts_application_is_invisible_and_cannot_be_borrowed(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            Account mallory = node.newAccount("Mallory");
            String sid = node.client(acme).post("/2010-04-01/Accounts/" + acme.sid() + "/Applications.json", "FriendlyName", "IVR").text("sid");
            RestClient asMallory = node.client(mallory);
            String malloryApps = "/2010-04-01/Accounts/" + mallory.sid() + "/Applications/";

            assertThat(asMallory.get(malloryApps + sid + ".json").status()).isEqualTo(404);
            assertThat(asMallory.post(malloryApps + sid + ".json", "FriendlyName", "mine").status()).isEqualTo(404);
            assertThat(asMallory.delete(malloryApps + sid + ".json").status()).isEqualTo(404);

            RestClient.Response borrow = asMallory.post("/2010-04-01/Accounts/" + mallory.sid() + "/IncomingPhoneNumbers.json",
                    "PhoneNumber", "+14155550199", "VoiceApplicationSid", sid);
            assertThat(borrow.status()).isEqualTo(400);
            assertThat(asMallory.get("/2010-04-01/Accounts/" + mallory.sid() + "/IncomingPhoneNumbers.json")
                    .json().path("incoming_phone_numbers")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void an_application_needs_a_friendly_name(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient.Response r = node.client(acme).post("/2010-04-01/Accounts/" + acme.sid() + "/Applications.json", "VoiceUrl", "https://x.example.com/");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().path("message").asText()).contains("FriendlyName");
        }
    }
}

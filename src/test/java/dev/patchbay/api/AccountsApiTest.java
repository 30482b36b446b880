package dev.patchbay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountsApiTest {

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void account_is_fetched_in_twilio_shape(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient.Response r = node.client(acme).get("/2010-04-01/Accounts/" + acme.sid() + ".json");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text("sid")).isEqualTo(acme.sid()).matches("AC[0-9a-f]{32}");
            assertThat(r.text("friendly_name")).isEqualTo("Acme");
            assertThat(r.text("status")).isEqualTo("active");
            assertThat(r.text("date_created")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000");
            assertThat(r.text("uri")).isEqualTo("/2010-04-01/Accounts/" + acme.sid() + ".json");
            assertThat(r.json().path("subresource_uris").path("incoming_phone_numbers").asText())
                    .isEqualTo("/2010-04-01/Accounts/" + acme.sid() + "/IncomingPhoneNumbers.json");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void wrong_credentials_get_error_20003(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            String path = "/2010-04-01/Accounts/" + acme.sid() + "/IncomingPhoneNumbers.json";

            RestClient.Response wrongToken = node.client(acme.sid(), "not-the-token").get(path);
            assertThat(wrongToken.status()).isEqualTo(401);
            assertThat(wrongToken.json().path("code").asInt()).isEqualTo(20003);
            assertThat(wrongToken.json().path("more_info").asText()).isEqualTo("https://www.twilio.com/docs/errors/20003");
            assertThat(wrongToken.json().path("status").asInt()).isEqualTo(401);

            assertThat(node.client("", "").get(path).status()).isEqualTo(401);
            assertThat(node.client("ACnope", acme.authToken()).get(path).status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void api_key_authenticates_and_its_secret_is_shown_only_once(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            RestClient.Response created = node.client(acme).post("/2010-04-01/Accounts/" + acme.sid() + "/Keys.json", "FriendlyName", "ci");
            assertThat(created.status()).isEqualTo(201);
            String keySid = created.text("sid");
            String secret = created.text("secret");
            assertThat(keySid).matches("SK[0-9a-f]{32}");

            RestClient asKey = node.client(keySid, secret);
            assertThat(asKey.get("/2010-04-01/Accounts/" + acme.sid() + ".json").text("sid")).isEqualTo(acme.sid());
            assertThat(node.client(keySid, secret + "x").get("/2010-04-01/Accounts/" + acme.sid() + ".json").status()).isEqualTo(401);

            RestClient.Response fetched = node.client(acme).get("/2010-04-01/Accounts/" + acme.sid() + "/Keys/" + keySid + ".json");
            assertThat(fetched.json().has("secret")).isFalse();

            assertThat(node.client(acme).delete("/2010-04-01/Accounts/" + acme.sid() + "/Keys/" + keySid + ".json").status()).isEqualTo(204);
            assertThat(asKey.get("/2010-04-01/Accounts/" + acme.sid() + ".json").status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void parent_sees_its_subaccounts_but_a_subaccount_never_sees_its_sibling(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account parent = node.newAccount("Parent");
            RestClient asParent = node.client(parent);
            RestClient.Response a = asParent.post("/2010-04-01/Accounts.json", "FriendlyName", "Team A");
            RestClient.Response b = asParent.post("/2010-04-01/Accounts.json", "FriendlyName", "Team B");
            assertThat(a.status()).isEqualTo(201);
            assertThat(a.text("owner_account_sid")).isEqualTo(parent.sid());

            RestClient.Response list = asParent.get("/2010-04-01/Accounts.json");
            assertThat(list.json().path("accounts").findValuesAsText("friendly_name")).containsExactly("Parent", "Team A", "Team B");

            RestClient asA = node.client(a.text("sid"), a.text("auth_token"));
            assertThat(asA.get("/2010-04-01/Accounts/" + a.text("sid") + ".json").status()).isEqualTo(200);
            RestClient.Response sibling = asA.get("/2010-04-01/Accounts/" + b.text("sid") + ".json");
            assertThat(sibling.status()).isEqualTo(404);
            assertThat(sibling.json().path("code").asInt()).isEqualTo(20404);
            assertThat(asA.get("/2010-04-01/Accounts/" + parent.sid() + "/IncomingPhoneNumbers.json").status()).isEqualTo(404);
            assertThat(asA.get("/2010-04-01/Accounts.json").json().path("accounts").findValuesAsText("sid")).containsExactly(a.text("sid"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void closed_subaccount_can_no_longer_authenticate(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account parent = node.newAccount("Parent");
            RestClient.Response sub = node.client(parent).post("/2010-04-01/Accounts.json", "FriendlyName", "Temp");
            String subPath = "/2010-04-01/Accounts/" + sub.text("sid") + ".json";

            RestClient.Response closed = node.client(parent).post(subPath, "Status", "closed");
            assertThat(closed.text("status")).isEqualTo("closed");
            assertThat(node.client(sub.text("sid"), sub.text("auth_token")).get(subPath).status()).isEqualTo(401);

            RestClient.Response reopen = node.client(parent).post(subPath, "Status", "active");
            assertThat(reopen.status()).isEqualTo(400);
            assertThat(node.client(parent).get(subPath).text("status")).isEqualTo("closed");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void an_invalid_status_is_refused_and_changes_nothing(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account parent = node.newAccount("Parent");
            RestClient.Response sub = node.client(parent).post("/2010-04-01/Accounts.json", "FriendlyName", "Temp");
            String subPath = "/2010-04-01/Accounts/" + sub.text("sid") + ".json";

            RestClient.Response bad = node.client(parent).post(subPath, "Status", "sleeping", "FriendlyName", "Renamed");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("message").asText()).contains("Status");
            assertThat(node.client(parent).get(subPath).text("friendly_name")).isEqualTo("Temp");
        }
    }
}

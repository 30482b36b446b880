package dev.patchbay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Usage plans over REST: versions, validation, a module priced by one, and the version an installation agreed to. */
class UsagePlansApiTest {

    private static final String DOLLAR_THEN_DIME = "{\"unit_seconds\": 60, \"tiers\": [{\"up_to\": 10, \"flat_price\": \"1.00\", \"unit_price\": \"0\"}, "
            + "{\"unit_price\": \"0.10\"}]}";

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void an_installation_keeps_the_plan_version_in_force_when_it_was_made(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            RestClient dev = node.client(node.newAccount("Ring Co"));
            RestClient early = node.client(node.newAccount("Early"));
            RestClient late = node.client(node.newAccount("Late"));
            RestClient.Response plan = dev.post("/v1/UsagePlans", "FriendlyName", "Intro", "Definition", DOLLAR_THEN_DIME);
            assertThat(plan.status()).as(plan.body()).isEqualTo(201);
            String planSid = plan.text("sid");
            assertThat(planSid).matches("UP[0-9a-f]{32}");
            assertThat(plan.json().path("version").asInt()).isEqualTo(1);
            assertThat(plan.json().path("definition").path("tiers").get(0).path("flat_price").asText()).isEqualTo("1.00");

            dev.post("/v1/Modules", "UniqueName", "ringco/simulring", "InletUrl", "https://ring.example.com/", "Visibility", "published",
                    "UsagePlanSid", planSid);
            assertThat(early.post("/v1/Installations", "ModuleSid", "ringco/simulring").json().path("usage_plan_version").asInt()).isEqualTo(1);
            RestClient.Response raised = dev.post("/v1/UsagePlans/" + planSid, "Definition", "{\"price\": \"0.20\"}");
            assertThat(raised.json().path("version").asInt()).isEqualTo(2);
            assertThat(late.post("/v1/Installations", "ModuleSid", "ringco/simulring").json().path("usage_plan_version").asInt()).isEqualTo(2);
            assertThat(early.get("/v1/Installations").json().path("installations").get(0).path("usage_plan_version").asInt()).isEqualTo(1);

            var listing = late.get("/v1/Marketplace/Modules?Query=simulring").json().path("modules").get(0);
            assertThat(listing.path("usage_plan_version").asInt()).isEqualTo(2);
            assertThat(listing.path("pricing").path("price").asText()).isEqualTo("0.20");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_plan_with_a_mistake_or_of_another_account_is_refused(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            RestClient dev = node.client(node.newAccount("Ring Co"));
            RestClient other = node.client(node.newAccount("Other"));
            RestClient.Response bad = dev.post("/v1/UsagePlans", "Definition", "{\"tiers\": [{\"up_to\": 10, \"unit_price\": \"0.1\"}]}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.text("message")).contains("tiers[0].up_to");
            assertThat(dev.get("/v1/UsagePlans").json().path("usage_plans")).isEmpty();

            String theirs = other.post("/v1/UsagePlans", "Definition", "{\"price\": \"0.01\"}").text("sid");
            assertThat(dev.get("/v1/UsagePlans/" + theirs).status()).isEqualTo(404);
            assertThat(dev.post("/v1/UsagePlans/" + theirs, "Definition", "{\"price\": \"0\"}").status()).isEqualTo(404);
            RestClient.Response borrowed = dev.post("/v1/Modules", "UniqueName", "ringco/a", "InletUrl", "https://x.example/", "UsagePlanSid", theirs);
            assertThat(borrowed.status()).isEqualTo(400);
            assertThat(borrowed.text("message")).contains("UsagePlanSid");
        }
    }
}

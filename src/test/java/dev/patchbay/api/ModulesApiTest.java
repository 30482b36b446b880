package dev.patchbay.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.account.Account;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Modules, the marketplace, installations and flows over REST, on both stores. */
class ModulesApiTest {

    private static final String SIMULRING_PARAMETERS = "[{\"name\":\"PhoneNumbers\",\"type\":\"list\",\"required\":true},"
            + "{\"name\":\"Timeout\",\"type\":\"integer\",\"default\":\"20\"}]";

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_developer_publishes_a_module_and_a_customer_finds_and_installs_it(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            RestClient dev = node.client(node.newAccount("Ring Co"));
            RestClient customer = node.client(node.newAccount("Acme"));
            RestClient.Response created = dev.post("/v1/Modules", "UniqueName", "ringco/simulring", "FriendlyName", "Simultaneous ring",
                    "Description", "Rings several phones at once", "InletUrl", "https://ring.example.com/inlet", "Outlets", "done, no-answer",
                    "Parameters", SIMULRING_PARAMETERS, "Visibility", "published", "EventsUrl", "https://ring.example.com/events");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.text("sid")).matches("MD[0-9a-f]{32}");
            assertThat(created.json().path("outlets").toString()).isEqualTo("[\"done\",\"no-answer\"]");
            assertThat(created.json().path("parameters").get(1).path("default").asText()).isEqualTo("20");
            dev.post("/v1/Modules", "UniqueName", "ringco/secret", "InletUrl", "https://ring.example.com/secret");

            JsonNode found = customer.get("/v1/Marketplace/Modules?Query=SIMULTANEOUS").json().path("modules");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).path("unique_name").asText()).isEqualTo("ringco/simulring");
            assertThat(found.get(0).has("inlet_url")).isFalse();   // a listing never shows the developer's URLs
            assertThat(customer.get("/v1/Marketplace/Modules?Query=secret").json().path("modules")).isEmpty();

            RestClient.Response badConfig = customer.post("/v1/Installations", "ModuleSid", "ringco/simulring", "Configuration", "{\"Timeout\": \"soon\"}");
            assertThat(badConfig.status()).isEqualTo(400);
            assertThat(badConfig.text("message")).contains("Configuration.Timeout").contains("integer");
            RestClient.Response installed = customer.post("/v1/Installations", "ModuleSid", "ringco/simulring", "Configuration", "{\"Timeout\": 30}");
            assertThat(installed.status()).isEqualTo(201);
            assertThat(installed.json().path("configuration").path("Timeout").asInt()).isEqualTo(30);
            assertThat(customer.post("/v1/Installations", "ModuleSid", "ringco/simulring").status()).isEqualTo(400);
            assertThat(customer.post("/v1/Installations", "ModuleSid", "ringco/secret").status()).isEqualTo(404);   // private

            // in use: the developer cannot delete it; once uninstalled, they can
            assertThat(dev.delete("/v1/Modules/" + created.text("sid")).status()).isEqualTo(400);
            assertThat(customer.delete("/v1/Installations/" + installed.text("sid")).status()).isEqualTo(204);
            assertThat(customer.get("/v1/Installations/" + installed.text("sid")).text("status")).isEqualTo("uninstalled");
            assertThat(dev.delete("/v1/Modules/" + created.text("sid")).status()).isEqualTo(204);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void module_rules_are_checked_with_errors_that_name_the_field(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            RestClient dev = node.client(node.newAccount("Ring Co"));
            RestClient other = node.client(node.newAccount("Other Co"));
            assertThat(dev.post("/v1/Modules", "UniqueName", "Not An Alias", "InletUrl", "https://x.example/").text("message")).contains("UniqueName");
            assertThat(dev.post("/v1/Modules", "UniqueName", "ringco/a").text("message")).contains("InletUrl");
            assertThat(dev.post("/v1/Modules", "UniqueName", "ringco/a", "InletUrl", "https://x.example/", "Parameters",
                    "[{\"name\":\"CallSid\"}]").text("message")).contains("Parameters[0].name").contains("CallSid");
            assertThat(dev.post("/v1/Modules", "UniqueName", "ringco/a", "InletUrl", "https://x.example/", "Parameters",
                    "[{\"name\":\"N\",\"type\":\"colour\"}]").text("message")).contains("Parameters[0].type");
            assertThat(dev.post("/v1/Modules", "UniqueName", "ringco/a", "InletUrl", "https://x.example/", "Parameters", "{not json")
                    .text("message")).contains("Parameters is not valid JSON");
            assertThat(dev.post("/v1/Modules", "UniqueName", "ringco/a", "InletUrl", "https://x.example/", "Kind", "service").status())
                    .isEqualTo(400);
            String sid = dev.post("/v1/Modules", "UniqueName", "ringco/a", "InletUrl", "https://x.example/").text("sid");

            RestClient.Response squatting = other.post("/v1/Modules", "UniqueName", "ringco/b", "InletUrl", "https://evil.example/");
            assertThat(squatting.status()).isEqualTo(400);
            assertThat(squatting.text("message")).contains("namespace 'ringco'");
            assertThat(dev.post("/v1/Modules/" + sid, "UniqueName", "ringco/renamed").status()).isEqualTo(400);
            assertThat(other.get("/v1/Modules/" + sid).status()).isEqualTo(404);
            assertThat(other.post("/v1/Modules/" + sid, "InletUrl", "https://evil.example/").status()).isEqualTo(404);
            assertThat(other.delete("/v1/Modules/" + sid).status()).isEqualTo(404);
            assertThat(other.get("/v1/Modules/" + sid + "/Segments").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_flow_that_fails_validation_names_each_node_and_field(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            RestClient dev = node.client(node.newAccount("Ring Co"));
            Account acme = node.newAccount("Acme");
            RestClient customer = node.client(acme);
            dev.post("/v1/Modules", "UniqueName", "ringco/simulring", "InletUrl", "https://ring.example.com/", "Outlets", "done",
                    "Parameters", SIMULRING_PARAMETERS, "Visibility", "published");
            dev.post("/v1/Modules", "UniqueName", "ringco/other", "InletUrl", "https://ring.example.com/other", "Visibility", "published");
            customer.post("/v1/Modules", "UniqueName", "acme/menu", "InletUrl", "https://acme.example.com/menu", "Outlets", "1,2");
            customer.post("/v1/Installations", "ModuleSid", "ringco/simulring");

            String broken = """
                    {"entry": "menu",
                     "nodes": {
                       "menu": {"module": "acme/menu", "outlets": {"1": "ring", "3": "ring", "2": "nowhere"}},
                       "ring": {"module": "ringco/simulring", "parameters": {"Timeout": "soon"}},
                       "lonely": {"module": "ringco/other"},
                       "ghost": {"module": "nobody/nothing"}}}""";
            RestClient.Response refused = customer.post("/v1/Flows", "FriendlyName", "Front desk", "Definition", broken);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.text("message")).contains(
                    "nodes.menu.outlets.3: '3' is not an outlet of acme/menu",
                    "nodes.menu.outlets.2: 'nowhere' is not a node",
                    "nodes.ring.parameters.PhoneNumbers: required by ringco/simulring",
                    "nodes.ring.parameters.Timeout: 'soon' is not an integer",
                    "nodes.lonely.module: 'ringco/other' is not installed in this account",
                    "nodes.ghost.module: 'nobody/nothing' is not a module",
                    "nodes.lonely: not reachable from the entry node");
            assertThat(customer.post("/v1/Flows", "Definition", "{\"entry\": \"x\", \"nodes\": {}}").text("message")).contains("nodes");
            assertThat(customer.get("/v1/Flows").json().path("flows")).isEmpty();   // nothing half-written

            String good = """
                    {"entry": "menu",
                     "nodes": {
                       "menu": {"module": "acme/menu", "outlets": {"1": "ring"}},
                       "ring": {"module": "ringco/simulring", "parameters": {"PhoneNumbers": ["+14155551234"]}}}}""";
            RestClient.Response flow = customer.post("/v1/Flows", "FriendlyName", "Front desk", "Definition", good);
            assertThat(flow.status()).as(flow.body()).isEqualTo(201);
            assertThat(flow.text("sid")).matches("FW[0-9a-f]{32}");
            assertThat(flow.json().path("version").asInt()).isEqualTo(1);
            assertThat(flow.json().path("definition").path("entry").asText()).isEqualTo("menu");
            String flowSid = flow.text("sid");
            assertThat(customer.post("/v1/Flows/" + flowSid, "Definition", broken).status()).isEqualTo(400);
            assertThat(customer.get("/v1/Flows/" + flowSid).json().path("version").asInt()).isEqualTo(1);

            RestClient.Response number = customer.post("/2010-04-01/Accounts/" + acme.sid() + "/IncomingPhoneNumbers.json",
                    "PhoneNumber", "+14155550100", "VoiceFlowSid", flowSid);
            assertThat(number.json().path("voice_flow_sid").asText()).isEqualTo(flowSid);
            assertThat(number.json().path("voice_url").isNull()).isTrue();
            assertThat(customer.delete("/v1/Flows/" + flowSid).status()).isEqualTo(400);   // a number routes to it
            RestClient.Response foreignModule = customer.post("/2010-04-01/Accounts/" + acme.sid() + "/IncomingPhoneNumbers.json",
                    "PhoneNumber", "+14155550101", "VoiceModuleSid", dev.get("/v1/Modules").json().path("modules").get(0).path("sid").asText());
            assertThat(foreignModule.status()).isEqualTo(400);   // ringco/other is not installed here
            assertThat(dev.get("/v1/Flows/" + flowSid).status()).isEqualTo(404);
            assertThat(dev.delete("/v1/Flows/" + flowSid).status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void another_accounts_installations_flows_and_call_state_are_not_found(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            RestClient dev = node.client(node.newAccount("Ring Co"));
            RestClient acme = node.client(node.newAccount("Acme"));
            RestClient mallory = node.client(node.newAccount("Mallory"));
            dev.post("/v1/Modules", "UniqueName", "ringco/simulring", "InletUrl", "https://ring.example.com/", "Visibility", "unlisted");
            String installation = acme.post("/v1/Installations", "ModuleSid", "ringco/simulring").text("sid");

            assertThat(mallory.get("/v1/Installations/" + installation).status()).isEqualTo(404);
            assertThat(mallory.delete("/v1/Installations/" + installation).status()).isEqualTo(404);
            assertThat(mallory.get("/v1/Installations").json().path("installations")).isEmpty();
            assertThat(mallory.get("/v1/Calls/CA00000000000000000000000000000000/State").status()).isEqualTo(404);
            assertThat(mallory.get("/v1/Marketplace/Modules").json().path("modules")).isEmpty();   // unlisted: installable by name, not listed
        }
    }
}

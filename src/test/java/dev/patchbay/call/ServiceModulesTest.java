package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Service modules: provided logic configured by JSON (checked on save, errors naming the field),
 * run in process in the service mode. The seed's call-center example: a phone tree (service
 * mode), the agent in a bridge (basic mode), a custom survey application after the agent hangs up
 * (application mode): three modes at three rates on one call SID. And the survey service, whose
 * answers the module's developer reads over REST.
 */
class ServiceModulesTest extends CallTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_PLAN_SERVICE", "{\"price\": \"0.03\"}", "PATCHBAY_PLAN_BASIC", "{\"price\": \"0.006\"}",
                "PATCHBAY_PLAN_APPLICATION", "{\"price\": \"0.012\"}");
    }

    private RestClient rest() {
        return node.client(account);
    }

    private static final String TREE = """
            {"start": "main", "greeting": "Thank you for calling Acme.",
             "menus": {"main": {"prompt": "For sales press 1. For support press 2.", "timeout": 3, "retries": 1,
                                "options": {"1": "outlet:sales", "2": "menu:support"}},
                       "support": {"prompt": "Support is closed. Press 1 for sales.", "options": {"1": "outlet:sales"}}}}""";

    @Test
    void a_service_modules_configuration_is_checked_on_save_and_errors_name_the_field() {
        RestClient.Response wrongOutlet = rest().post("/v1/Modules", "UniqueName", "acme/menu", "Kind", "service", "Service", "phone-tree",
                "Outlets", "support", "Configuration", TREE);
        assertThat(wrongOutlet.status()).isEqualTo(400);
        assertThat(wrongOutlet.text("message")).contains("menus.main.options.1").contains("'sales' is not an outlet");
        RestClient.Response badKey = rest().post("/v1/Modules", "UniqueName", "acme/menu", "Kind", "service", "Service", "phone-tree",
                "Outlets", "sales", "Configuration", TREE.replace("\"2\": \"menu:support\"", "\"twelve\": \"menu:support\""));
        assertThat(badKey.text("message")).contains("menus.main.options.twelve");
        assertThat(rest().post("/v1/Modules", "UniqueName", "acme/menu", "Kind", "service", "Service", "juggler", "Configuration", "{}")
                .text("message")).contains("Service").contains("phone-tree").contains("survey");
        assertThat(rest().post("/v1/Modules", "UniqueName", "acme/menu", "Kind", "service", "Service", "survey", "Configuration",
                "{\"questions\": [{\"id\": \"q\", \"prompt\": \"Press 1\", \"answers\": [\"11\"]}]}").text("message"))
                .contains("questions[0].answers[0]");
        assertThat(rest().post("/v1/Modules", "UniqueName", "acme/center", "Kind", "service", "Service", "call-center", "Configuration",
                "{\"agents\": [{\"name\": \"alice\", \"endpoint\": \"http://alice\"}]}").text("message")).contains("agents[0].endpoint");
        RestClient.Response ok = rest().post("/v1/Modules", "UniqueName", "acme/menu", "Kind", "service", "Service", "phone-tree",
                "Outlets", "sales", "Configuration", TREE);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.text("inlet_url")).isEqualTo("service:phone-tree");
    }

    @Test
    void the_call_center_flow_runs_in_three_modes_at_three_rates_on_one_call() {
        try (TestPhone desk = new TestPhone()) {
            assertThat(rest().post("/v1/Modules", "UniqueName", "acme/menu", "Kind", "service", "Service", "phone-tree",
                    "Outlets", "sales,no-input", "Configuration", TREE).status()).isEqualTo(201);
            rest().post("/v1/Modules", "UniqueName", "acme/desk", "Kind", "bridge",
                    "Parameters", "[{\"name\":\"Endpoint\",\"type\":\"string\",\"required\":true}]");
            rest().post("/v1/Modules", "UniqueName", "acme/feedback", "InletUrl", app.url("/feedback"));
            app.twiml("/feedback", "<Response><Say>Thanks for talking to us.</Say><Hangup/></Response>");
            String definition = "{\"entry\": \"menu\", \"nodes\": {"
                    + "\"menu\": {\"module\": \"acme/menu\", \"outlets\": {\"sales\": \"desk\"}},"
                    + "\"desk\": {\"module\": \"acme/desk\", \"parameters\": {\"Endpoint\": \"" + desk.uri("agent") + "\"},"
                    + " \"outlets\": {\"completed\": \"feedback\"}},"
                    + "\"feedback\": {\"module\": \"acme/feedback\"}}}";
            RestClient.Response flow = rest().post("/v1/Flows", "Definition", definition);
            assertThat(flow.status()).as(flow.body()).isEqualTo(201);
            rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100",
                    "VoiceFlowSid", flow.text("sid"));

            TestPhone.Call caller = dial("+14155550100").awaitAnswered();
            caller.awaitPromptThenQuiet(0);   // the greeting and the menu's prompt, then the menu listens
            caller.sendDigits("1");
            TestPhone.Incoming agent = desk.awaitIncoming(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> agent.heard().size() > 10);
            agent.hangup();

            AppServer.Request feedback = app.next("/feedback");
            assertThat(feedback.param("FlowNode")).isEqualTo("feedback");
            assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
            String callSid = feedback.param("CallSid");
            await().atMost(Duration.ofSeconds(10)).until(() -> !rest().get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + ".json")
                    .json().path("price").isNull());
            JsonNode lines = rest().get("/v1/Calls/" + callSid + "/Charges").json().path("lines");
            List<String> modes = new ArrayList<>();
            lines.forEach(l -> modes.add(l.path("mode").asText() + " " + l.path("module").asText() + " " + l.path("rate").asText()));
            assertThat(modes).containsExactly("service acme/menu 0.03", "basic acme/desk 0.006", "application acme/feedback 0.012");
            assertThat(app.requests("/feedback")).hasSize(1);   // the phone tree itself never went over HTTP
        }
    }

    @Test
    void the_survey_service_stores_each_answer_and_its_developer_reads_them() {
        String survey = """
                {"intro": "Two questions.", "thanks": "Thank you.",
                 "questions": [{"id": "satisfied", "prompt": "Press 1 if you were satisfied, 2 if not.", "answers": ["1", "2"]},
                               {"id": "score", "prompt": "Press 1 to 5.", "answers": ["1", "2", "3", "4", "5"]}]}""";
        RestClient.Response module = rest().post("/v1/Modules", "UniqueName", "acme/survey", "Kind", "service", "Service", "survey",
                "Configuration", survey);
        assertThat(module.status()).as(module.body()).isEqualTo(201);
        rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100",
                "VoiceModuleSid", module.text("sid"));

        TestPhone.Call caller = dial("+14155550100").awaitAnswered();
        for (String key : List.of("1", "4")) {
            caller.awaitPromptThenQuiet(caller.heard().size());
            caller.sendDigits(key);
        }
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();

        JsonNode results = rest().get("/v1/Modules/" + module.text("sid") + "/SurveyResponses").json();
        List<String> answers = new ArrayList<>();
        results.path("responses").forEach(r -> answers.add(r.path("question").asText() + "=" + r.path("answer").asText()));
        assertThat(answers).containsExactlyInAnyOrder("satisfied=1", "score=4");
        assertThat(results.path("summary").path("score").path("4").asInt()).isEqualTo(1);
        assertThat(node.client(node.newAccount("Other")).get("/v1/Modules/" + module.text("sid") + "/SurveyResponses").status()).isEqualTo(404);
    }

    @Test
    void an_installing_account_runs_a_published_service_with_its_own_configuration() {
        var developer = node.newAccount("SurveyCo");
        RestClient surveyCo = node.client(developer);
        RestClient.Response module = surveyCo.post("/v1/Modules", "UniqueName", "surveyco/survey", "Kind", "service", "Service", "survey",
                "Visibility", "published", "Configuration", """
                {"intro": "One question.", "thanks": "Thanks.",
                 "questions": [{"id": "satisfied", "prompt": "Press 1 if you were satisfied, 2 if not.", "answers": ["1", "2"]}]}""");
        assertThat(module.status()).as(module.body()).isEqualTo(201);

        RestClient.Response wrong = rest().post("/v1/Installations", "ModuleSid", "surveyco/survey", "Configuration",
                "{\"questions\": [{\"id\": \"score\", \"prompt\": \"Press 1 to 5.\", \"answers\": [\"11\"]}]}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text("message")).contains("questions[0].answers[0]");
        RestClient.Response installed = rest().post("/v1/Installations", "ModuleSid", "surveyco/survey", "Configuration",
                "{\"questions\": [{\"id\": \"score\", \"prompt\": \"Press 1 to 5.\", \"answers\": [\"1\", \"2\", \"3\", \"4\", \"5\"]}]}");
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        RestClient.Response number = rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100",
                "VoiceModuleSid", module.text("sid"));
        assertThat(number.status()).as(number.body()).isEqualTo(201);

        TestPhone.Call caller = dial("+14155550100").awaitAnswered();
        caller.awaitPromptThenQuiet(caller.heard().size());
        caller.sendDigits("4");   // an answer only the customer's question takes
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();

        JsonNode results = surveyCo.get("/v1/Modules/" + module.text("sid") + "/SurveyResponses").json();
        assertThat(results.path("responses")).hasSize(1);
        assertThat(results.path("responses").get(0).path("question").asText()).isEqualTo("score");
        assertThat(results.path("responses").get(0).path("answer").asText()).isEqualTo("4");
    }
}

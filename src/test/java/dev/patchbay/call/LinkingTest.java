package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.account.Account;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.webhook.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three companies' modules in one customer's flow: an IVR whose keys lead to a simulring module
 * and a voicemail module, each served by its own HTTP server and owned by its own account.
 */
class LinkingTest extends CallTestBase {

    /** A module developer: an account, its app server, its REST client. */
    record Company(Account account, AppServer server, RestClient rest) {
    }

    private Company ivr;
    private Company ring;
    private Company mail;
    private RestClient customer;

    @BeforeEach
    void companies() {
        ivr = company("IVR Co");
        ring = company("Ring Co");
        mail = company("Mail Co");
        customer = node.client(account);
    }

    @AfterEach
    void closeCompanies() {
        for (Company c : new Company[] {ivr, ring, mail}) {
            if (c != null) {
                c.server().close();
            }
        }
    }

    private Company company(String name) {
        Account a = node.newAccount(name);
        return new Company(a, new AppServer(), node.client(a));
    }

    /** Publishes the three modules, installs them in the customer's account and saves the flow; returns the flow SID. */
    private Map<String, String> publishAndInstall() {
        String ivrModule = ivr.rest().post("/v1/Modules", "UniqueName", "ivrco/menu", "FriendlyName", "Menu", "InletUrl", ivr.server().url("/menu"),
                "Outlets", "1,2", "Visibility", "published",
                "Parameters", "[{\"name\":\"Greeting\",\"type\":\"string\",\"required\":true}]").text("sid");
        String ringModule = ring.rest().post("/v1/Modules", "UniqueName", "ringco/simulring", "InletUrl", ring.server().url("/ring"),
                "Outlets", "done", "Visibility", "published", "EventsUrl", ring.server().url("/events"),
                "Parameters", "[{\"name\":\"PhoneNumbers\",\"type\":\"list\",\"required\":true},{\"name\":\"Timeout\",\"type\":\"integer\",\"default\":\"20\"}]")
                .text("sid");
        String mailModule = mail.rest().post("/v1/Modules", "UniqueName", "mailco/voicemail", "InletUrl", mail.server().url("/mail"),
                "Visibility", "unlisted", "Parameters", "[{\"name\":\"Mailbox\",\"type\":\"string\"}]").text("sid");
        assertThat(customer.post("/v1/Installations", "ModuleSid", "ivrco/menu").status()).isEqualTo(201);
        assertThat(customer.post("/v1/Installations", "ModuleSid", ringModule, "Configuration", "{\"Timeout\": 25}").status()).isEqualTo(201);
        assertThat(customer.post("/v1/Installations", "ModuleSid", "mailco/voicemail", "Configuration", "{\"Mailbox\": \"sales\"}").status())
                .isEqualTo(201);
        String definition = """
                {"entry": "menu",
                 "nodes": {
                   "menu": {"module": "ivrco/menu", "parameters": {"Greeting": "Welcome to Acme"}, "outlets": {"1": "ring", "2": "voicemail"}},
                   "ring": {"module": "ringco/simulring", "parameters": {"PhoneNumbers": ["+14155551234", "+14155556789"]},
                            "outlets": {"done": "voicemail"}},
                   "voicemail": {"module": "mailco/voicemail"}}}""";
        RestClient.Response flow = customer.post("/v1/Flows", "FriendlyName", "Front desk", "Definition", definition);
        assertThat(flow.status()).as(flow.body()).isEqualTo(201);
        return Map.of("ivr", ivrModule, "ring", ringModule, "mail", mailModule, "flow", flow.text("sid"));
    }

    private String numberForFlow(String flowSid) {
        RestClient.Response n = customer.post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json",
                "PhoneNumber", "+14155550100", "VoiceFlowSid", flowSid);
        assertThat(n.status()).as(n.body()).isEqualTo(201);
        return "+14155550100";
    }

    private void serveTheModules() {
        ivr.server().twiml("/menu", "<Response><Gather numDigits=\"1\" action=\"/choice\"><Say>Press 1 for sales</Say></Gather></Response>");
        ivr.server().route("/choice", request -> {
            // the IVR leaves what it learned for whoever comes next, through the call's shared state
            ivr.rest().post("/v1/Calls/" + request.param("CallSid") + "/State", "Choice", request.param("Digits"));
            return AppServer.Reply.twiml("<Response><Redirect>outlet:" + request.param("Digits") + "</Redirect></Response>");
        });
        ring.server().twiml("/ring", "<Response><Say>Connecting</Say><Redirect>outlet:done</Redirect></Response>");
        ring.server().route("/events", request -> AppServer.Reply.of(204, "text/plain", ""));
        mail.server().twiml("/mail", "<Response><Say>Leave a message</Say><Hangup/></Response>");
    }

    @Test
    void control_passes_through_a_flow_of_three_companies_modules() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        TestPhone.Call call = dial(numberForFlow(sids.get("flow"))).awaitAnswered();

        AppServer.Request menu = ivr.server().next("/menu");
        assertThat(menu.param("Greeting")).isEqualTo("Welcome to Acme");
        assertThat(menu.param("ModuleSid")).isEqualTo(sids.get("ivr"));
        assertThat(menu.param("FlowSid")).isEqualTo(sids.get("flow"));
        assertThat(menu.param("FlowNode")).isEqualTo("menu");
        assertThat(menu.params()).doesNotContainKeys("PhoneNumbers[0]", "Mailbox");
        assertThat(menu.header(Signature.HEADER)).isEqualTo(Signature.compute(ivr.account().authToken(), menu.url(), sorted(menu)));
        press(call, "1");

        AppServer.Request ringing = ring.server().next("/ring");
        assertThat(ringing.param("PhoneNumbers[0]")).isEqualTo("+14155551234");
        assertThat(ringing.param("PhoneNumbers[1]")).isEqualTo("+14155556789");
        assertThat(ringing.param("Timeout")).isEqualTo("25");   // the installation's configuration over the module's default
        assertThat(ringing.param("State_Choice")).isEqualTo("1");
        assertThat(ringing.param("FlowNode")).isEqualTo("ring");
        assertThat(ringing.params()).doesNotContainKeys("Greeting", "Digits", "Mailbox");
        assertThat(ringing.params().values()).noneMatch(v -> v.contains(ivr.server().url("")) || v.contains(mail.server().url("")));
        assertThat(ringing.header(Signature.HEADER)).isEqualTo(Signature.compute(ring.account().authToken(), ringing.url(), sorted(ringing)));

        AppServer.Request voicemail = mail.server().next("/mail");
        assertThat(voicemail.param("Mailbox")).isEqualTo("sales");
        assertThat(voicemail.param("State_Choice")).isEqualTo("1");
        assertThat(voicemail.params()).doesNotContainKeys("PhoneNumbers[0]", "Greeting", "Timeout");
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();

        String callSid = menu.param("CallSid");
        JsonNode segments = awaitSegments(callSid, 3);
        assertThat(field(segments, "module_sid")).containsExactly(sids.get("ivr"), sids.get("ring"), sids.get("mail"));
        assertThat(field(segments, "module_owner_sid")).containsExactly(ivr.account().sid(), ring.account().sid(), mail.account().sid());
        assertThat(field(segments, "flow_node")).containsExactly("menu", "ring", "voicemail");
        assertThat(field(segments, "reason")).containsExactly("answer", "outlet:1", "outlet:done");
        assertThat(field(segments, "mode")).containsExactly("application", "application", "application");
        assertThat(field(segments, "end_reason")).containsExactly("transition:outlet:1", "transition:outlet:done", "hangup:application");
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).path("start_time_ms").asLong()).isEqualTo(segments.get(i - 1).path("end_time_ms").asLong());
        }

        assertThat(customer.get("/v1/Calls/" + callSid + "/State").json().path("state").path("Choice").asText()).isEqualTo("1");
        assertThat(ring.rest().get("/v1/Calls/" + callSid + "/State").status()).isEqualTo(404);   // its module is no longer in control

        // each developer sees the use of their own module, and nothing of the call's other modules
        JsonNode ringUses = ring.rest().get("/v1/Modules/" + sids.get("ring") + "/Segments").json().path("segments");
        assertThat(ringUses).hasSize(1);
        assertThat(ringUses.get(0).path("flow_node").asText()).isEqualTo("ring");
        assertThat(ivr.rest().get("/v1/Modules/" + sids.get("ring") + "/Segments").status()).isEqualTo(404);
    }

    @Test
    void a_module_link_carries_its_configuration_to_the_module() {
        ring.rest().post("/v1/Modules", "UniqueName", "ringco/simulring", "InletUrl", ring.server().url("/ring"), "Visibility", "published",
                "Parameters", "[{\"name\":\"PhoneNumbers\",\"type\":\"list\",\"required\":true}]");
        customer.post("/v1/Installations", "ModuleSid", "ringco/simulring");
        app.twiml("/voice", "<Response><Redirect>module:ringco/simulring?PhoneNumbers[0]=+14155551234&amp;PhoneNumbers[1]=+14155556789"
                + "&amp;CallSid=CAforged</Redirect></Response>");
        ring.server().twiml("/ring", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();

        AppServer.Request linked = ring.server().next("/ring");
        assertThat(linked.param("PhoneNumbers[0]")).isEqualTo("+14155551234");
        assertThat(linked.param("PhoneNumbers[1]")).isEqualTo("+14155556789");
        assertThat(linked.param("CallSid")).isEqualTo(app.next("/voice").param("CallSid"));   // a link cannot forge the platform's parameters
        JsonNode segments = awaitSegments(linked.param("CallSid"), 1);   // the Redirect came before any answer: the module answers
        assertThat(field(segments, "reason")).containsExactly("answer");
        assertThat(field(segments, "module")).containsExactly("ringco/simulring");
    }

    @Test
    void a_link_to_a_module_the_account_has_not_installed_is_refused_with_a_message() {
        ring.rest().post("/v1/Modules", "UniqueName", "ringco/simulring", "InletUrl", ring.server().url("/ring"), "Visibility", "published");
        app.twiml("/voice", "<Response><Say>Hi</Say><Redirect>module:ringco/simulring</Redirect></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        String callSid = app.next("/voice").param("CallSid");
        JsonNode segments = awaitSegments(callSid, 2);
        assertThat(segments.get(1).path("reason").asText()).isEqualTo("denied:not-installed");
        assertThat(segments.get(1).path("module_sid").isNull()).isTrue();
        assertThat(ring.server().requests("/ring")).isEmpty();
        JsonNode notifications = customer.get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + "/Notifications.json")
                .json().path("notifications");
        assertThat(notifications.toString()).contains("64001").contains("not-installed");
    }

    @Test
    void a_refused_hand_off_goes_to_the_flows_denied_outlet() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        String definition = """
                {"entry": "menu",
                 "nodes": {
                   "menu": {"module": "ivrco/menu", "parameters": {"Greeting": "Hi"}, "outlets": {"1": "ring", "denied": "voicemail"}},
                   "ring": {"module": "ringco/simulring", "parameters": {"PhoneNumbers": ["+14155551234"]}},
                   "voicemail": {"module": "mailco/voicemail"}}}""";
        assertThat(customer.post("/v1/Flows/" + sids.get("flow"), "Definition", definition).status()).isEqualTo(200);
        assertThat(node.node().linking().modules().ban(sids.get("ring"), true)).isTrue();   // the operator bans the module
        TestPhone.Call call = dial(numberForFlow(sids.get("flow"))).awaitAnswered();
        ivr.server().next("/menu");
        press(call, "1");

        AppServer.Request voicemail = mail.server().next("/mail");
        assertThat(voicemail.param("FlowNode")).isEqualTo("voicemail");
        assertThat(ring.server().requests("/ring")).isEmpty();
        JsonNode segments = awaitSegments(voicemail.param("CallSid"), 2);
        assertThat(field(segments, "reason")).containsExactly("answer", "denied:module-banned");
        assertThat(field(segments, "flow_node")).containsExactly("menu", "voicemail");
    }

    @Test
    void a_refused_hand_off_without_a_denied_outlet_uses_the_fallback_url() {
        app.twiml("/voice", "<Response><Redirect>module:ringco/nothing-here</Redirect></Response>");
        app.twiml("/fallback", "<Response><Hangup/></Response>");
        node.node().numbers().create(account, "+14155550100", n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/voice")))
                .withFallbackUrl(Optional.of(app.url("/fallback")))));
        dial("+14155550100").awaitAnswered();

        AppServer.Request fallback = app.next("/fallback");
        assertThat(fallback.param("ErrorCode")).isEqualTo("64001");
        assertThat(fallback.param("DeniedReason")).isEqualTo("no-such-module");
    }

    @Test
    void a_new_inlet_url_is_used_by_the_next_hand_off_and_flows_keep_working() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        mail.server().twiml("/v2/mail", "<Response><Hangup/></Response>");
        assertThat(mail.rest().post("/v1/Modules/" + sids.get("mail"), "InletUrl", mail.server().url("/v2/mail")).status()).isEqualTo(200);
        TestPhone.Call call = dial(numberForFlow(sids.get("flow"))).awaitAnswered();
        ivr.server().next("/menu");
        press(call, "2");

        assertThat(mail.server().next("/v2/mail").param("FlowNode")).isEqualTo("voicemail");
        assertThat(mail.server().requests("/mail")).isEmpty();
    }

    @Test
    void uninstalling_stops_new_hand_offs_but_not_a_call_already_inside() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        ring.server().twiml("/ring", "<Response><Gather numDigits=\"1\" action=\"/ring/next\"><Say>Press any key</Say></Gather></Response>");
        ring.server().twiml("/ring/next", "<Response><Say>Still here</Say><Hangup/></Response>");
        TestPhone.Call inside = dial(numberForFlow(sids.get("flow"))).awaitAnswered();
        ivr.server().next("/menu");
        press(inside, "1");
        long beforeRingPrompt = loud(inside);
        ring.server().next("/ring");

        assertThat(customer.delete("/v1/Installations/" + installationOf(sids.get("ring"))).status()).isEqualTo(204);
        press(inside, "5", beforeRingPrompt);
        assertThat(ring.server().next("/ring/next").param("Digits")).isEqualTo("5");   // the call inside goes on

        try (TestPhone second = new TestPhone()) {
            TestPhone.Call after = second.call("+14155550100", node.sipPort()).awaitAnswered();
            ivr.server().next("/menu");
            press(after, "1");
            assertThat(after.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        }
        assertThat(ring.server().requests("/ring")).hasSize(1);
    }

    private String installationOf(String moduleSid) {
        for (JsonNode i : customer.get("/v1/Installations").json().path("installations")) {
            if (i.path("module_sid").asText().equals(moduleSid) && i.path("status").asText().equals("active")) {
                return i.path("sid").asText();
            }
        }
        throw new AssertionError("no installation of " + moduleSid);
    }

    @Test
    void module_events_arrive_signed_are_retried_and_never_delay_the_call() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        AtomicInteger calls = new AtomicInteger();
        ring.server().route("/events", request -> AppServer.Reply.of(calls.getAndIncrement() == 0 ? 500 : 204, "text/plain", "")
                .after(request.param("EventType").equals("module.entered") ? Duration.ZERO : Duration.ofSeconds(3)));
        TestPhone.Call call = dial(numberForFlow(sids.get("flow"))).awaitAnswered();
        ivr.server().next("/menu");
        press(call, "1");

        long left = System.nanoTime();
        mail.server().next("/mail");   // the ring module's slow events endpoint did not hold the call up
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofSeconds(3));

        AppServer.Request firstTry = ring.server().next("/events");
        AppServer.Request retry = ring.server().next("/events");
        assertThat(firstTry.param("EventType")).isEqualTo("module.entered");
        assertThat(retry.param("EventSid")).isEqualTo(firstTry.param("EventSid"));
        assertThat(retry.header(Signature.HEADER)).isEqualTo(Signature.compute(ring.account().authToken(), retry.url(), sorted(retry)));
        AppServer.Request leftEvent = ring.server().next("/events");
        assertThat(leftEvent.param("EventType")).isEqualTo("module.left");
        assertThat(leftEvent.param("Outlet")).isEqualTo("done");
        assertThat(Long.parseLong(leftEvent.param("DurationMs"))).isPositive();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode log = ring.rest().get("/v1/Modules/" + sids.get("ring") + "/Events").json().path("events");
            assertThat(log).hasSize(2);
            JsonNode entered = log.get(1);
            assertThat(entered.path("event_type").asText()).isEqualTo("module.entered");
            assertThat(entered.path("status").asText()).isEqualTo("delivered");
            assertThat(entered.path("attempts").asInt()).isEqualTo(2);
        });
        assertThat(ivr.rest().get("/v1/Modules/" + sids.get("ring") + "/Events").status()).isEqualTo(404);
    }

    @Test
    void a_live_call_keeps_the_flow_version_it_started_with() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        TestPhone.Call call = dial(numberForFlow(sids.get("flow"))).awaitAnswered();
        ivr.server().next("/menu");
        String changed = """
                {"entry": "menu",
                 "nodes": {"menu": {"module": "ivrco/menu", "parameters": {"Greeting": "Hi"}, "outlets": {"1": "voicemail"}},
                           "voicemail": {"module": "mailco/voicemail"}}}""";
        RestClient.Response updated = customer.post("/v1/Flows/" + sids.get("flow"), "Definition", changed);
        assertThat(updated.json().path("version").asInt()).isEqualTo(2);
        press(call, "1");

        assertThat(ring.server().next("/ring").param("FlowNode")).isEqualTo("ring");   // version 1's mapping
        JsonNode segments = awaitSegments(ring.server().requests("/ring").getFirst().param("CallSid"), 2);
        assertThat(field(segments, "flow_version")).containsOnly("1");
    }

    @Test
    void rest_moves_a_live_call_into_a_module_or_a_flow_node() {
        Map<String, String> sids = publishAndInstall();
        serveTheModules();
        ivr.server().twiml("/menu", "<Response><Pause length=\"30\"/></Response>");
        dial(numberForFlow(sids.get("flow"))).awaitAnswered();
        String callSid = ivr.server().next("/menu").param("CallSid");
        String calls = "/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + ".json";

        assertThat(customer.post(calls, "FlowNode", "nowhere").status()).isEqualTo(400);
        ring.server().twiml("/ring", "<Response><Pause length=\"30\"/></Response>");
        assertThat(customer.post(calls, "FlowNode", "ring").status()).isEqualTo(200);
        assertThat(ring.server().next("/ring").param("FlowNode")).isEqualTo("ring");
        assertThat(customer.post(calls, "ModuleSid", "mailco/voicemail").status()).isEqualTo(200);
        mail.server().next("/mail");

        JsonNode segments = awaitSegments(callSid, 3);
        assertThat(field(segments, "reason")).containsExactly("answer", "rest:FlowNode", "rest:ModuleSid");
        assertThat(ivr.rest().post("/2010-04-01/Accounts/" + ivr.account().sid() + "/Calls/" + callSid + ".json", "ModuleSid", "ivrco/menu")
                .status()).isEqualTo(404);
    }

    /** Sends a key once the caller hears the prompt of the Gather that started last (a Gather ignores keys pressed before it). */
    private static void press(TestPhone.Call call, String digit) {
        press(call, digit, loud(call));
    }

    private static void press(TestPhone.Call call, String digit, long before) {
        await().atMost(Duration.ofSeconds(10)).until(() -> loud(call) > before + 5);
        call.sendDigits(digit);
    }

    private static long loud(TestPhone.Call call) {
        return call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count();
    }

    private JsonNode awaitSegments(String callSid, int count) {
        String path = "/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + "/Segments.json";
        await().atMost(Duration.ofSeconds(15)).until(() -> customer.get(path).json().path("segments").size() >= count);
        return customer.get(path).json().path("segments");
    }

    private static List<String> field(JsonNode array, String name) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(name).asText()));
        return out;
    }

    private static List<Map.Entry<String, String>> sorted(AppServer.Request r) {
        return r.method().equals("POST") ? new ArrayList<>(r.params().entrySet()) : List.of();
    }
}

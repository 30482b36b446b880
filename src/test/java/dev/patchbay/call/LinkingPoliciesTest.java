package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.account.Account;
import dev.patchbay.account.AccountStatus;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy engine's refusals on live calls (an account suspended mid-call, the concurrency limit) and the bridge module. */
class LinkingPoliciesTest extends CallTestBase {

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_LIMITS_CONCURRENT_CALLS", "1");
    }

    private RestClient rest() {
        return node.client(account);
    }

    private String ownModule(String alias, String path) {
        return rest().post("/v1/Modules", "UniqueName", alias, "InletUrl", app.url(path), "Outlets", "done").text("sid");
    }

    private String numberForModule(String moduleSid) {
        RestClient.Response n = rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json",
                "PhoneNumber", "+14155550100", "VoiceModuleSid", moduleSid);
        assertThat(n.status()).as(n.body()).isEqualTo(201);
        return "+14155550100";
    }

    @Test
    void a_call_over_the_accounts_concurrency_limit_is_refused_at_its_first_hand_off() {
        String module = ownModule("acme/hold", "/hold");
        app.twiml("/hold", "<Response><Pause length=\"20\"/></Response>");
        String number = numberForModule(module);
        dial(number).awaitAnswered();
        app.next("/hold");

        try (TestPhone second = new TestPhone()) {
            TestPhone.Call refused = second.call(number, node.sipPort()).awaitAnswered();   // answered to say why, then hung up
            assertThat(refused.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        }
        assertThat(app.requests("/hold")).hasSize(1);
        JsonNode notifications = rest().get("/2010-04-01/Accounts/" + account.sid() + "/Notifications.json").json().path("notifications");
        assertThat(notifications.toString()).contains("concurrent-call-limit");
    }

    @Test
    void an_account_suspended_during_a_call_cannot_hand_it_to_another_module() {
        ownModule("acme/next", "/next");
        app.twiml("/voice", "<Response><Pause length=\"2\"/><Redirect>module:acme/next</Redirect></Response>");
        app.twiml("/next", "<Response><Hangup/></Response>");
        TestPhone.Call call = dial(numberFor("/voice")).awaitAnswered();
        String callSid = app.next("/voice").param("CallSid");
        node.node().accounts().update(account, Optional.empty(), Optional.of(AccountStatus.SUSPENDED));

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        assertThat(app.requests("/next")).isEmpty();
        List<String> reasons = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.node().calls().find(account.sid(), callSid).map(c -> !c.status().isLive()).orElse(false));
        new Segments(node.node().db(), "any", Clock.systemUTC()).list(account.sid(), callSid).forEach(s -> reasons.add(s.reason()));
        assertThat(reasons).containsExactly("answer", "denied:account-inactive");
    }

    @Test
    void a_bridge_module_connects_the_caller_and_leaves_by_how_the_call_ended() {
        try (TestPhone desk = new TestPhone().answering(TestPhone.Answering.answerAfter(Duration.ofMillis(300)))) {
            rest().post("/v1/Modules", "UniqueName", "acme/desk", "Kind", "bridge",
                    "Parameters", "[{\"name\":\"Endpoint\",\"type\":\"string\",\"required\":true}]");
            ownModule("acme/survey", "/survey");
            app.twiml("/survey", "<Response><Say>Thanks</Say><Hangup/></Response>");
            String definition = "{\"entry\": \"desk\", \"nodes\": {"
                    + "\"desk\": {\"module\": \"acme/desk\", \"parameters\": {\"Endpoint\": \"" + desk.uri("agent") + "\"},"
                    + " \"outlets\": {\"completed\": \"survey\", \"no-answer\": \"survey\"}},"
                    + "\"survey\": {\"module\": \"acme/survey\"}}}";
            RestClient.Response flow = rest().post("/v1/Flows", "Definition", definition);
            assertThat(flow.status()).as(flow.body()).isEqualTo(201);
            rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100",
                    "VoiceFlowSid", flow.text("sid"));
            TestPhone.Call caller = dial("+14155550100").awaitAnswered();
            TestPhone.Incoming agent = desk.awaitIncoming(Duration.ofSeconds(5));
            agent.answeredAt();
            await().atMost(Duration.ofSeconds(5)).until(() -> !caller.heard().isEmpty());
            agent.hangup();

            AppServer.Request survey = app.next("/survey");
            assertThat(survey.param("FlowNode")).isEqualTo("survey");
            JsonNode segments = rest().get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + survey.param("CallSid") + "/Segments.json")
                    .json().path("segments");
            List<String> modes = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            segments.forEach(s -> {
                modes.add(s.path("mode").asText());
                reasons.add(s.path("reason").asText());
            });
            assertThat(modes).containsExactly("basic", "application");
            assertThat(reasons).containsExactly("answer", "outlet:completed");
            assertThat(segments.get(0).path("flow_node").asText()).isEqualTo("desk");
        }
    }

    @Test
    void a_calls_price_is_the_sum_of_its_charges_and_its_running_cost_is_known_during_the_call() {
        Account developer = node.newAccount("Paid Co");
        RestClient seller = node.client(developer);
        String plan = seller.post("/v1/UsagePlans", "Definition", "{\"price\": \"0.60\", \"increment_seconds\": 60}").text("sid");
        String module = seller.post("/v1/Modules", "UniqueName", "paidco/paid", "InletUrl", app.url("/paid"), "UsagePlanSid", plan,
                "Visibility", "unlisted", "EventsUrl", app.url("/events")).text("sid");
        app.route("/events", request -> AppServer.Reply.of(204, "text/plain", ""));
        rest().post("/v1/Installations", "ModuleSid", "paidco/paid");
        app.twiml("/paid", "<Response><Pause length=\"3\"/><Hangup/></Response>");
        TestPhone.Call call = dial(numberForModule(module)).awaitAnswered();
        String callSid = app.next("/paid").param("CallSid");

        await().atMost(Duration.ofSeconds(5)).until(() -> rest().get("/v1/Calls/" + callSid + "/Charges").json().path("lines").size() == 1);
        JsonNode running = rest().get("/v1/Calls/" + callSid + "/Charges").json();
        assertThat(running.path("settled").asBoolean()).isFalse();
        assertThat(running.path("lines").get(0).path("subtotal").asText()).isEqualTo("0.600000");   // the first minute, begun
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> rest().get("/v1/Calls/" + callSid + "/Charges").json().path("settled").asBoolean());
        JsonNode charges = rest().get("/v1/Calls/" + callSid + "/Charges").json();
        assertThat(charges.path("lines")).hasSize(1);
        assertThat(charges.path("lines").get(0).path("usage_plan").asText()).isEqualTo(plan);
        assertThat(charges.path("lines").get(0).path("billed_seconds").asLong()).isEqualTo(60);
        assertThat(charges.path("total").asText()).isEqualTo("0.600000");
        assertThat(rest().get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + ".json").text("price")).isEqualTo("-0.600000");
        assertThat(node.client(node.newAccount("Mallory")).get("/v1/Calls/" + callSid + "/Charges").status()).isEqualTo(404);

        // the books: the customer paid 0.60, the developer earns 0.42 and the platform 0.18 (30% commission)
        assertThat(rest().get("/v1/Ledger").json().path("customer_balance").asText()).isEqualTo("-0.600000");
        JsonNode developerBooks = seller.get("/v1/Ledger").json();
        assertThat(developerBooks.path("developer_balance").asText()).isEqualTo("0.420000");
        assertThat(developerBooks.path("entries").toString()).doesNotContain("customer:");   // never the customer's side
        assertThat(node.node().ledger().balance(Ledger.PLATFORM)).isEqualByComparingTo("0.18");
        assertThat(node.node().ledger().verify().problems()).isEmpty();
        AppServer.Request billing = null;
        for (int i = 0; i < 3 && billing == null; i++) {   // entered, ended, then the charge
            AppServer.Request event = app.next("/events");
            billing = event.param("EventType").equals("billing.charged") ? event : null;
        }
        assertThat(billing).isNotNull();
        assertThat(List.of(billing.param("Amount"), billing.param("DeveloperShare"), billing.param("Commission")))
                .containsExactly("0.600000", "0.420000", "0.180000");

        String period = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC).format(Instant.now());
        JsonNode invoice = rest().get("/v1/Invoices/" + period).json();
        assertThat(invoice.path("total").asText()).isEqualTo("0.600000");
        assertThat(invoice.path("lines").get(0).path("usage_plan").asText()).isEqualTo(plan);
        JsonNode payout = seller.get("/v1/Payouts/" + period).json();
        assertThat(List.of(payout.path("gross").asText(), payout.path("commission").asText(), payout.path("net").asText()))
                .containsExactly("0.600000", "0.180000", "0.420000");
        assertThat(rest().get("/v1/Payouts/" + period).json().path("lines")).isEmpty();   // the customer earns nothing
        assertThat(rest().get("/v1/Invoices/2026-13").status()).isEqualTo(400);

        String usage = "/2010-04-01/Accounts/" + account.sid() + "/Usage/Records";
        JsonNode calls = rest().get(usage + "/ThisMonth.json?Category=calls").json().path("usage_records");
        assertThat(calls).hasSize(1);
        assertThat(List.of(calls.get(0).path("count").asText(), calls.get(0).path("usage").asText(), calls.get(0).path("price").asText()))
                .containsExactly("1", "1", "0.600000");
        JsonNode byModule = rest().get(usage + ".json?Category=module-" + module).json().path("usage_records");
        assertThat(byModule.get(0).path("usage").asText()).isEqualTo("60");
        assertThat(rest().get(usage + "/Daily.json?Category=totalprice").json().path("usage_records").get(0).path("price").asText()).isEqualTo("0.600000");
        assertThat(rest().get(usage + "/Weekly.json").status()).isEqualTo(404);
    }

    @Test
    void an_action_url_can_be_an_outlet() {
        rest().post("/v1/Modules", "UniqueName", "acme/menu", "InletUrl", app.url("/menu"), "Outlets", "pressed");
        ownModule("acme/next", "/next");
        app.twiml("/menu", "<Response><Gather numDigits=\"1\" action=\"outlet:pressed\"><Say>Press a key</Say></Gather></Response>");
        app.twiml("/next", "<Response><Hangup/></Response>");
        String flow = rest().post("/v1/Flows", "Definition", "{\"entry\": \"menu\", \"nodes\": {\"menu\": {\"module\": \"acme/menu\", "
                + "\"outlets\": {\"pressed\": \"next\"}}, \"next\": {\"module\": \"acme/next\"}}}").text("sid");
        rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100", "VoiceFlowSid", flow);
        TestPhone.Call call = dial("+14155550100").awaitAnswered();
        app.next("/menu");
        await().atMost(Duration.ofSeconds(10)).until(() -> call.heard().stream().filter(h -> Audio.rms(h.frame()) > 300).count() > 5);
        call.sendDigits("7");

        assertThat(app.next("/next").param("FlowNode")).isEqualTo("next");
    }

    @Test
    void a_prepaid_account_without_balance_cannot_hand_a_call_to_a_module_until_it_is_topped_up() {
        String module = ownModule("acme/menu", "/menu");
        app.twiml("/menu", "<Response><Hangup/></Response>");
        String number = numberForModule(module);
        node.node().paymentTerms().set(account.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.PREPAID,
                Optional.empty()));

        TestPhone.Call refused = dial(number).awaitAnswered();   // answered only to hear why
        assertThat(refused.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        assertThat(app.requests("/menu")).isEmpty();
        assertThat(rest().get("/2010-04-01/Accounts/" + account.sid() + "/Notifications.json").body()).contains("insufficient-balance");

        assertThat(node.node().ledger().topUp(account.sid(), new BigDecimal("5.00"), "payment-1")).isTrue();
        assertThat(node.node().ledger().topUp(account.sid(), new BigDecimal("5.00"), "payment-1")).isFalse();   // the same payment twice
        assertThat(rest().get("/2010-04-01/Accounts/" + account.sid() + "/Balance.json").text("balance")).isEqualTo("5.000000");
        try (TestPhone second = new TestPhone()) {
            second.call(number, node.sipPort());
            app.next("/menu");
        }
        assertThat(node.node().ledger().verify().problems()).isEmpty();
    }

    @Test
    void a_postpaid_account_at_its_credit_limit_cannot_hand_a_call_to_a_module_until_the_limit_is_raised() {
        String module = ownModule("acme/menu", "/menu");
        app.twiml("/menu", "<Response><Hangup/></Response>");
        String number = numberForModule(module);
        var terms = node.node().paymentTerms();
        terms.set(account.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.POSTPAID,
                Optional.of(BigDecimal.ZERO)));

        TestPhone.Call refused = dial(number).awaitAnswered();
        assertThat(refused.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        assertThat(app.requests("/menu")).isEmpty();
        assertThat(rest().get("/2010-04-01/Accounts/" + account.sid() + "/Notifications.json").body()).contains("insufficient-balance");

        terms.set(account.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.POSTPAID,
                Optional.of(new BigDecimal("10.00"))));
        try (TestPhone second = new TestPhone()) {
            second.call(number, node.sipPort());
            app.next("/menu");
        }
    }

    @Test
    void an_unpaid_monthly_subscription_refuses_the_hand_off_and_is_charged_once_when_it_can_be() {
        Account developer = node.newAccount("Unlimited Co");
        RestClient seller = node.client(developer);
        String plan = seller.post("/v1/UsagePlans", "Definition", "{\"subscription\": {\"price\": \"20.00\", \"unlimited\": true}}").text("sid");
        String module = seller.post("/v1/Modules", "UniqueName", "unlimitedco/desk", "InletUrl", app.url("/desk"), "UsagePlanSid", plan,
                "Visibility", "unlisted").text("sid");
        rest().post("/v1/Installations", "ModuleSid", "unlimitedco/desk");
        app.twiml("/desk", "<Response><Hangup/></Response>");
        String number = numberForModule(module);
        node.node().paymentTerms().set(account.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.PREPAID,
                Optional.empty()));
        node.node().ledger().topUp(account.sid(), new BigDecimal("5.00"), "payment-1");

        try (TestPhone first = new TestPhone()) {
            assertThat(first.call(number, node.sipPort()).awaitAnswered().awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
        }
        assertThat(app.requests("/desk")).isEmpty();
        assertThat(rest().get("/2010-04-01/Accounts/" + account.sid() + "/Notifications.json").body()).contains("subscription-unpaid");

        node.node().ledger().topUp(account.sid(), new BigDecimal("25.00"), "payment-2");
        for (int i = 0; i < 2; i++) {
            try (TestPhone caller = new TestPhone()) {
                caller.call(number, node.sipPort());
                app.next("/desk");
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(rest().get("/2010-04-01/Accounts/" + account.sid() + "/Balance.json").text("balance")).isEqualTo("10.000000"));
        String period = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC).format(Instant.now());
        JsonNode invoice = rest().get("/v1/Invoices/" + period).json();
        assertThat(invoice.path("lines").toString()).contains("\"mode\":\"subscription\"");
        assertThat(invoice.path("total").asText()).isEqualTo("20.000000");   // the subscription; unlimited use and the refusal message are free
        assertThat(seller.get("/v1/Payouts/" + period).json().path("net").asText()).isEqualTo("14.000000");
        assertThat(node.node().ledger().verify().problems()).isEmpty();
    }

    @Test
    void a_usage_trigger_fires_once_per_period_when_its_value_is_crossed() {
        String triggers = "/2010-04-01/Accounts/" + account.sid() + "/Usage/Triggers";
        RestClient.Response calls = rest().post(triggers + ".json", "UsageCategory", "calls", "TriggerBy", "count", "TriggerValue", "1",
                "Recurring", "monthly", "CallbackUrl", app.url("/trigger"));
        assertThat(calls.status()).as(calls.body()).isEqualTo(201);
        String expensive = rest().post(triggers + ".json", "UsageCategory", "totalprice", "TriggerBy", "price", "TriggerValue", "100",
                "CallbackUrl", app.url("/never")).text("sid");
        assertThat(rest().post(triggers + ".json", "UsageCategory", "calls", "TriggerBy", "minutes", "TriggerValue", "1",
                "CallbackUrl", app.url("/x")).status()).isEqualTo(400);
        app.twiml("/voice", "<Response><Pause length=\"1\"/><Hangup/></Response>");
        app.route("/trigger", request -> AppServer.Reply.of(204, "text/plain", ""));
        String number = numberFor("/voice");
        for (int i = 0; i < 2; i++) {
            try (TestPhone caller = new TestPhone()) {
                assertThat(caller.call(number, node.sipPort()).awaitAnswered().awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
            }
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> rest().get(triggers + "/" + calls.text("sid") + ".json").text("current_value")
                    .equals(Integer.toString(expected)));
        }

        AppServer.Request fired = app.next("/trigger");
        assertThat(fired.param("UsageTriggerSid")).isEqualTo(calls.text("sid"));
        assertThat(fired.param("CurrentValue")).isEqualTo("1");
        assertThat(app.requests("/trigger")).hasSize(1);   // the second call is in the same month
        assertThat(app.requests("/never")).isEmpty();
        assertThat(rest().get(triggers + "/" + expensive + ".json").text("date_fired")).isIn("", "null");
        assertThat(rest().delete(triggers + "/" + expensive + ".json").status()).isEqualTo(204);
        assertThat(node.client(node.newAccount("Mallory")).get(triggers + "/" + calls.text("sid") + ".json").status()).isEqualTo(404);
    }
}

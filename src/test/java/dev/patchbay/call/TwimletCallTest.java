package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The twimlets on a live call: a number whose VoiceUrl is this node's twimlet runs it in process,
 * in the service mode (its own rate), the bridge in the basic mode; and the same URL answers over
 * HTTP for anyone, as twimlets.com does.
 */
class TwimletCallTest extends CallTestBase {

    private TestPhone callee;

    @Override
    protected Map<String, String> settings() {
        return Map.of("PATCHBAY_PLAN_SERVICE", "{\"price\": \"0.60\"}", "PATCHBAY_PLAN_BASIC", "{\"price\": \"0.06\"}");
    }

    @BeforeEach
    void startCallee() {
        callee = new TestPhone();
    }

    @AfterEach
    void stopCallee() {
        callee.close();
    }

    private String twimletNumber(String twimletQuery) {
        RestClient rest = node.client(account);
        assertThat(rest.post("/2010-04-01/Accounts/" + account.sid() + "/OutboundTrunks.json", "Prefix", "+1",
                "TerminationUri", "sip:127.0.0.1:" + callee.sipPort()).status()).isEqualTo(201);
        node.number(account, "+14155550100", node.baseUrl() + "/twimlets/" + twimletQuery);
        return "+14155550100";
    }

    @Test
    void the_forward_twimlet_runs_in_the_service_mode_and_bridges_in_the_basic_mode() {
        String number = twimletNumber("forward?PhoneNumber=%2B14155550199&Timeout=10");
        TestPhone.Call call = dial(number).awaitAnswered();
        TestPhone.Incoming agent = callee.awaitIncoming(Duration.ofSeconds(10));
        assertThat(agent.requestUri()).contains("+14155550199");
        await().atMost(Duration.ofSeconds(5)).until(() -> call.heard().size() > 10);   // bridged: media flows
        agent.hangup();

        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();   // back at the twimlet: Dial completed, so it hangs up
        RestClient rest = node.client(account);
        String callSid = null;
        for (JsonNode c : rest.get("/2010-04-01/Accounts/" + account.sid() + "/Calls.json").json().path("calls")) {
            if (c.path("direction").asText().equals("inbound")) {
                callSid = c.path("sid").asText();
            }
        }
        String parent = callSid;
        await().atMost(Duration.ofSeconds(10)).until(() -> !rest.get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + parent + ".json")
                .json().path("price").isNull());
        JsonNode segments = rest.get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + "/Segments.json").json().path("segments");
        List<String> modes = new ArrayList<>();
        segments.forEach(s -> modes.add(s.path("mode").asText()));
        assertThat(modes).containsExactly("service", "basic", "service");
        JsonNode lines = rest.get("/v1/Calls/" + callSid + "/Charges").json().path("lines");
        List<String> rates = new ArrayList<>();
        lines.forEach(line -> rates.add(line.path("usage_plan").asText() + " " + line.path("rate").asText()));
        assertThat(rates).containsExactly("mode:service 0.6", "mode:basic 0.06", "mode:service 0.6");
        assertThat(app.requests("/voice")).isEmpty();
    }

    @Test
    void the_menu_twimlet_hands_the_chosen_option_to_its_application() throws Exception {
        app.twiml("/sales", "<Response><Say>Sales here.</Say><Hangup/></Response>");
        node.number(account, "+14155550100", node.baseUrl() + "/twimlets/menu?Message=Press+one+for+sales&Options%5B1%5D="
                + URLEncoder.encode(app.url("/sales"), StandardCharsets.UTF_8));
        TestPhone.Call call = dial("+14155550100").awaitAnswered();
        await().atMost(Duration.ofSeconds(10)).until(() -> call.heard().stream().anyMatch(h -> Audio.rms(h.frame()) > 300));
        call.sendDigits("1");

        var sales = app.next("/sales");
        assertThat(sales.method()).isEqualTo("GET");   // followed as a 302 is: with GET
        assertThat(sales.param("Digits")).isEqualTo("1");
        assertThat(call.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();

        HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl()
                + "/twimlets/message?Message%5B0%5D=Hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).contains("<Response><Say>Hello</Say></Response>");
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/twimlets/nothing")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The call-center service: callers go to the longest-idle available agent, bridged in the basic
 * mode; a caller with no agent free waits in line; when the agent hangs up the caller leaves by
 * the post-call outlet (here a feedback application), and the agent takes the next caller.
 */
class CallCenterTest extends CallTestBase {

    private RestClient rest() {
        return node.client(account);
    }

    @Test
    void callers_go_to_the_longest_idle_agent_wait_when_none_is_free_and_leave_by_the_post_call_outlet() {
        try (TestPhone alice = new TestPhone(); TestPhone bob = new TestPhone()) {
            String config = "{\"agents\": [{\"name\": \"alice\", \"endpoint\": \"" + alice.uri("alice") + "\"},"
                    + " {\"name\": \"bob\", \"endpoint\": \"" + bob.uri("bob") + "\"}],"
                    + " \"hold_message\": \"All our agents are busy.\", \"after_call\": \"after\"}";
            RestClient.Response center = rest().post("/v1/Modules", "UniqueName", "acme/center", "Kind", "service", "Service", "call-center",
                    "Outlets", "after", "Configuration", config);
            assertThat(center.status()).as(center.body()).isEqualTo(201);
            rest().post("/v1/Modules", "UniqueName", "acme/feedback", "InletUrl", app.url("/feedback"));
            app.twiml("/feedback", "<Response><Say>How did we do?</Say><Hangup/></Response>");
            RestClient.Response flow = rest().post("/v1/Flows", "Definition", "{\"entry\": \"center\", \"nodes\": {"
                    + "\"center\": {\"module\": \"acme/center\", \"outlets\": {\"after\": \"feedback\"}}, \"feedback\": {\"module\": \"acme/feedback\"}}}");
            assertThat(flow.status()).as(flow.body()).isEqualTo(201);
            rest().post("/2010-04-01/Accounts/" + account.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550100",
                    "VoiceFlowSid", flow.text("sid"));
            String agents = "/v1/Modules/" + center.text("sid") + "/Agents";
            assertThat(rest().post(agents + "/alice", "Available", "true").json().path("available").asBoolean()).isTrue();
            assertThat(rest().post(agents + "/bob", "Available", "true").status()).isEqualTo(200);   // idle for less time than alice
            assertThat(rest().post(agents + "/carol", "Available", "true").status()).isEqualTo(404);

            TestPhone.Call first = dial("+14155550100").awaitAnswered();
            TestPhone.Incoming toAlice = alice.awaitIncoming(Duration.ofSeconds(10));
            TestPhone.Call second = dial("+14155550100").awaitAnswered();
            bob.awaitIncoming(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<Boolean> busy = new ArrayList<>();
                rest().get(agents).json().path("agents").forEach(a -> busy.add(!a.path("call_sid").isNull()));
                return busy.equals(List.of(true, true));
            });

            dial("+14155550100").awaitAnswered();   // nobody is free: this caller waits in line
            toAlice.hangup();   // alice's call ends: its caller leaves by the post-call outlet, alice takes the waiting caller

            AppServer.Request feedback = app.next("/feedback");
            assertThat(feedback.param("FlowNode")).isEqualTo("feedback");
            TestPhone.Incoming next = alice.awaitIncoming(Duration.ofSeconds(20));
            assertThat(next).isNotNull();
            JsonNode segments = rest().get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + feedback.param("CallSid") + "/Segments.json")
                    .json().path("segments");
            List<String> modes = new ArrayList<>();
            segments.forEach(s -> modes.add(s.path("mode").asText()));
            assertThat(modes).containsExactly("service", "basic", "service", "application");
            assertThat(first.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
            second.hangup();
        }
    }
}

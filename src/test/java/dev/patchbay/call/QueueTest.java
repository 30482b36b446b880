package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queues: a caller waits with the wait document looping, an agent's Dial Queue takes them, REST sees and moves members. */
class QueueTest extends CallTestBase {

    private RestClient rest() {
        return node.client(account);
    }

    private String queues() {
        return "/2010-04-01/Accounts/" + account.sid() + "/Queues";
    }

    /** The agent speaks (a 1 kHz tone, again until heard: the bridge may come up while it plays) and the caller hears it. */
    private static void awaitHeardThroughTheBridge(TestPhone.Call agent, TestPhone.Call caller, int heardBefore) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            agent.play(AudioSource.of(Tones.sine(1500, 9000, 1000), 1));
            return caller.heard().stream().skip(heardBefore).anyMatch(h -> Audio.rms(h.frame()) > 1000 && Audio.toneShare(h.frame(), 1000) > 0.6);
        });
    }

    @Test
    void a_queued_caller_is_answered_by_an_agent_and_both_sides_hear_how_it_went() {
        app.twiml("/caller", "<Response><Enqueue action=\"/left\" waitUrl=\"/wait\">support</Enqueue></Response>");
        app.twiml("/wait", "<Response><Say>Please hold.</Say><Pause length=\"1\"/></Response>");
        app.twiml("/left", "<Response><Say>Goodbye.</Say></Response>");
        app.twiml("/agent", "<Response><Dial action=\"/agent-done\"><Queue url=\"/welcome\">support</Queue></Dial></Response>");
        app.twiml("/welcome", "<Response><Say>Connecting you now.</Say></Response>");
        app.twiml("/agent-done", "<Response><Hangup/></Response>");
        node.number(account, "+14155550100", app.url("/caller"));
        node.number(account, "+14155550111", app.url("/agent"));

        TestPhone.Call caller = dial("+14155550100").awaitAnswered();
        AppServer.Request waiting = app.next("/wait");
        assertThat(waiting.param("QueuePosition")).isEqualTo("1");
        assertThat(waiting.param("CurrentQueueSize")).isEqualTo("1");
        String queueSid = waiting.param("QueueSid");
        JsonNode members = rest().get(queues() + "/" + queueSid + "/Members.json").json().path("queue_members");
        assertThat(members).hasSize(1);
        assertThat(members.get(0).path("call_sid").asText()).isEqualTo(waiting.param("CallSid"));
        assertThat(rest().get(queues() + "/" + queueSid + ".json").json().path("current_size").asInt()).isEqualTo(1);

        try (TestPhone agentPhone = new TestPhone()) {
            TestPhone.Call agent = agentPhone.call("+14155550111", node.sipPort()).awaitAnswered();
            AppServer.Request welcome = app.next("/welcome");   // the agent's <Queue url>, heard by the caller before the bridge
            assertThat(welcome.param("CallSid")).isEqualTo(waiting.param("CallSid"));
            assertThat(welcome.param("QueueSid")).isEqualTo(waiting.param("QueueSid"));
            int before = caller.heard().size();
            await().atMost(Duration.ofSeconds(10)).until(() -> rest().get(queues() + "/" + queueSid + ".json").json().path("current_size").asInt() == 0);
            awaitHeardThroughTheBridge(agent, caller, before);
            caller.hangup();

            AppServer.Request done = app.next("/agent-done");
            assertThat(done.param("DialCallStatus")).isEqualTo("completed");
            assertThat(done.param("DequeuedCallSid")).isEqualTo(waiting.param("CallSid"));
            assertThat(done.param("QueueSid")).isEqualTo(queueSid);
            assertThat(agent.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        }
        JsonNode segments = rest().get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + waiting.param("CallSid") + "/Segments.json")
                .json().path("segments");
        List<String> modes = new ArrayList<>();
        segments.forEach(s -> modes.add(s.path("mode").asText()));
        assertThat(modes).containsExactly("application", "basic");
        assertThat(rest().get(queues() + ".json").json().path("queues").get(0).path("friendly_name").asText()).isEqualTo("support");
    }

    @Test
    void an_agent_waiting_on_a_queue_nobody_has_joined_takes_the_first_caller_to_join() {
        app.twiml("/agent", "<Response><Dial action=\"/agent-done\" timeout=\"30\"><Queue>night</Queue></Dial></Response>");
        app.twiml("/agent-done", "<Response><Hangup/></Response>");
        app.twiml("/caller", "<Response><Enqueue waitUrl=\"/wait\">night</Enqueue></Response>");
        app.twiml("/wait", "<Response><Pause length=\"5\"/></Response>");
        node.number(account, "+14155550111", app.url("/agent"));
        node.number(account, "+14155550100", app.url("/caller"));

        try (TestPhone agentPhone = new TestPhone()) {
            TestPhone.Call agent = agentPhone.call("+14155550111", node.sipPort()).awaitAnswered();
            app.next("/agent");   // the agent waits in the queue "night", which does not exist yet
            long dialed = System.nanoTime();
            TestPhone.Call caller = dial("+14155550100").awaitAnswered();
            int before = caller.heard().size();
            awaitHeardThroughTheBridge(agent, caller, before);
            assertThat(Duration.ofNanos(System.nanoTime() - dialed)).isLessThan(Duration.ofSeconds(15));   // taken when it joined, not at the Dial's timeout
            caller.hangup();
            assertThat(app.next("/agent-done").param("DialCallStatus")).isEqualTo("completed");
            assertThat(agent.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void a_caller_whose_agent_hangs_up_during_the_welcome_goes_on_to_the_enqueue_action() {
        app.twiml("/caller", "<Response><Enqueue action=\"/after\" waitUrl=\"/wait\">desk</Enqueue></Response>");
        app.twiml("/wait", "<Response><Pause length=\"5\"/></Response>");
        app.twiml("/after", "<Response><Say>Thank you for waiting.</Say><Hangup/></Response>");
        app.twiml("/agent", "<Response><Dial><Queue url=\"/welcome\">desk</Queue></Dial></Response>");
        app.twiml("/welcome", "<Response><Pause length=\"3\"/></Response>");   // the caller is still in it when the agent goes
        node.number(account, "+14155550100", app.url("/caller"));
        node.number(account, "+14155550111", app.url("/agent"));

        TestPhone.Call caller = dial("+14155550100").awaitAnswered();
        app.next("/wait");
        try (TestPhone agentPhone = new TestPhone()) {
            TestPhone.Call agent = agentPhone.call("+14155550111", node.sipPort()).awaitAnswered();
            app.next("/welcome");
            agent.hangup();
        }
        AppServer.Request after = app.next("/after");   // not left waiting for an agent who is gone
        assertThat(after.param("QueueSid")).startsWith("QU");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(15))).isTrue();
    }

    @Test
    void a_caller_leaves_by_the_wait_document_and_the_action_hears_leave() {
        app.twiml("/caller", "<Response><Enqueue action=\"/left\" waitUrl=\"/wait\">sales</Enqueue></Response>");
        app.twiml("/wait", "<Response><Say>Nobody is here.</Say><Leave/></Response>");
        app.twiml("/left", "<Response><Hangup/></Response>");
        node.number(account, "+14155550100", app.url("/caller"));
        TestPhone.Call caller = dial("+14155550100").awaitAnswered();

        AppServer.Request left = app.next("/left");
        assertThat(left.param("QueueResult")).isEqualTo("leave");
        assertThat(left.param("QueueSid")).startsWith("QU");
        assertThat(caller.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void rest_moves_the_front_caller_on_and_a_full_queue_refuses_the_next() {
        RestClient.Response created = rest().post(queues() + ".json", "FriendlyName", "billing", "MaxSize", "1");
        assertThat(created.status()).isEqualTo(201);
        assertThat(rest().post(queues() + ".json", "FriendlyName", "billing").status()).isEqualTo(400);   // the name is taken
        app.twiml("/caller", "<Response><Enqueue action=\"/left\" waitUrl=\"/wait\">billing</Enqueue></Response>");
        app.twiml("/wait", "<Response><Pause length=\"1\"/></Response>");
        app.twiml("/left", "<Response><Hangup/></Response>");
        app.twiml("/elsewhere", "<Response><Say>Moved.</Say><Hangup/></Response>");
        node.number(account, "+14155550100", app.url("/caller"));
        TestPhone.Call first = dial("+14155550100").awaitAnswered();
        app.next("/wait");

        try (TestPhone other = new TestPhone()) {
            other.call("+14155550100", node.sipPort()).awaitAnswered();
            assertThat(app.next("/left").param("QueueResult")).isEqualTo("queue-full");
        }
        RestClient.Response moved = rest().post(queues() + "/" + created.text("sid") + "/Members/Front.json", "Url", app.url("/elsewhere"));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        app.next("/elsewhere");
        assertThat(first.awaitRemoteHangup(Duration.ofSeconds(10))).isTrue();
        assertThat(rest().get(queues() + "/" + created.text("sid") + "/Members.json").json().path("queue_members")).isEmpty();
        assertThat(rest().get(queues() + "/" + created.text("sid") + "/Members/Front.json").status()).isEqualTo(404);
        assertThat(node.client(node.newAccount("Other")).get("/2010-04-01/Accounts/" + account.sid() + "/Queues.json").status()).isEqualTo(404);
    }
}

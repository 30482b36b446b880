package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchbay.account.Account;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.linking.Module;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.Audio;
import dev.patchbay.testing.FakeClock;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestPhone;
import dev.patchbay.testing.TestStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prepaid balances and cost limits on live calls, on a fake clock the test steps one second at a
 * time, running the node's cost guard after each step: $0.10 a minute in one-second increments.
 */
class CostLimitTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final FakeClock clock = new FakeClock(T0);
    private TestNode node;
    private AppServer app;
    private TestPhone phone;
    private TestPhone.Call lastCall;
    private Account card;

    @BeforeEach
    void start() {
        node = TestNode.start(TestStore.H2, Map.of(
                "PATCHBAY_PLAN_APPLICATION", "{\"price\": \"0.10\"}",
                "PATCHBAY_BILLING_GUARD_MILLIS", "3600000",   // the test runs the guard itself
                "PATCHBAY_BILLING_HEARTBEAT_SECONDS", "3600",
                "PATCHBAY_BILLING_WARNING_NOTICE", "This call will end in one minute."), clock);
        app = new AppServer();
        phone = new TestPhone();
        card = node.newAccount("Calling card");
        app.twiml("/voice", "<Response><Say>Your card is ready.</Say><Pause length=\"600\"/></Response>");
        app.route("/status", r -> AppServer.Reply.of(204, "text/plain", ""));
    }

    @AfterEach
    void stop() {
        phone.close();
        app.close();
        node.close();
    }

    private void number(String phoneNumber, Optional<BigDecimal> maxPrice) {
        node.node().numbers().create(card, phoneNumber, n -> n.withVoice(n.voice().withUrl(Optional.of(app.url("/voice")))
                .withStatusCallback(Optional.of(app.url("/status")))).withMaxPrice(maxPrice));
    }

    private void prepaid(String balance) {
        node.node().paymentTerms().set(card.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.PREPAID, Optional.empty()));
        node.node().ledger().topUp(card.sid(), new BigDecimal(balance), "card-sale-1");
    }

    /** Answers a call and waits until its application controls it (its first segment is open). */
    private String answered(String phoneNumber) {
        lastCall = phone.call(phoneNumber, node.sipPort()).awaitAnswered();
        String sid = app.next("/voice").param("CallSid");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.node().router().find(sid).flatMap(LiveCall::mode).isEmpty()) {
            assertThat(System.nanoTime()).as("call %s never entered application mode", sid).isLessThan(deadline);
            Thread.onSpinWait();
        }
        return sid;
    }

    /** Steps the clock a second at a time to {@code seconds} after T0, checking limits each step; waits for calls the guard ends. */
    private void runUntil(long seconds, List<String> calls) {
        while (clock.instant().isBefore(T0.plusSeconds(seconds))) {
            clock.advance(Duration.ofSeconds(1));
            node.node().costGuard().check();
            for (String sid : calls) {
                node.node().router().find(sid).filter(LiveCall::isEnded).ifPresent(ended -> awaitCharged(sid));
            }
        }
    }

    /** Waits until the call's end and its charges are recorded (the clock stands still meanwhile). */
    private CallRecord awaitCharged(String sid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            CallRecord record = node.node().calls().find(card.sid(), sid).orElseThrow();
            if (record.price().isPresent() && record.status() != CallStatus.IN_PROGRESS) {
                return record;
            }
            assertThat(System.nanoTime()).as("call %s was never charged", sid).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private List<AppServer.Request> warnings() {
        return app.requests("/status").stream().filter(r -> "cost-limit".equals(r.param("CallbackSource"))).toList();
    }

    @Test
    void a_prepaid_calling_card_call_ends_at_three_hundred_seconds_after_its_warning() {
        prepaid("0.50");
        number("+14155550100", Optional.empty());
        String sid = answered("+14155550100");
        TestPhone.Call caller = lastCall;
        caller.awaitPromptThenQuiet(0);   // "Your card is ready.", then the Pause's silence

        runUntil(239, List.of(sid));
        assertThat(node.node().router().find(sid)).isPresent();
        int beforeWarning = caller.heard().size();
        runUntil(240, List.of(sid));
        AppServer.Request warning = app.next("/status");
        await().atMost(Duration.ofSeconds(10)).until(() -> caller.heard().size() > beforeWarning + 150);
        assertThat(Audio.rms(Audio.concat(caller.heard().subList(beforeWarning, beforeWarning + 150).stream().map(TestPhone.Heard::frame).toList())))
                .as("the caller hears the spoken notice with the warning").isGreaterThan(300);
        assertThat(warning.param("CallbackSource")).isEqualTo("cost-limit");
        assertThat(warning.param("CallSid")).isEqualTo(sid);
        assertThat(warning.param("SecondsLeft")).isEqualTo("60");
        assertThat(warning.param("Price")).isEqualTo("-0.400000");
        assertThat(warning.param("PriceLimit")).isEqualTo("0.500000");

        runUntil(299, List.of(sid));
        assertThat(node.node().router().find(sid)).as("still talking at 299 s").isPresent();
        runUntil(300, List.of(sid));

        CallRecord call = awaitCharged(sid);
        assertThat(call.duration()).contains(300);
        assertThat(call.price()).contains(new BigDecimal("-0.500000"));
        assertThat(node.node().ledger().balance(Ledger.customer(card.sid()))).isEqualByComparingTo("0");
        assertThat(warnings()).hasSize(1);
        assertThat(node.node().ledger().verify().problems()).isEmpty();
    }

    @Test
    void two_concurrent_calls_on_one_balance_cannot_overspend_it() {
        prepaid("0.50");
        number("+14155550100", Optional.empty());
        String first = answered("+14155550100");
        String second = answered("+14155550100");

        runUntil(400, List.of(first, second));

        CallRecord a = awaitCharged(first);
        CallRecord b = awaitCharged(second);
        assertThat(a.duration().orElseThrow() + b.duration().orElseThrow()).isEqualTo(300);   // $0.50 of talk between them
        assertThat(a.price().orElseThrow().add(b.price().orElseThrow())).isEqualByComparingTo("-0.50");
        assertThat(node.node().ledger().balance(Ledger.customer(card.sid()))).isEqualByComparingTo("0");
        assertThat(node.node().ledger().verify().problems()).isEmpty();
    }

    @Test
    void a_numbers_max_price_ends_a_postpaid_call_at_its_limit() {
        number("+14155550100", Optional.of(new BigDecimal("0.05")));
        String sid = answered("+14155550100");

        runUntil(29, List.of(sid));
        assertThat(node.node().router().find(sid)).isPresent();
        runUntil(30, List.of(sid));

        CallRecord call = awaitCharged(sid);
        assertThat(call.price()).contains(new BigDecimal("-0.050000"));
        // the whole call is within the 60-second warning margin: warned at the first check (1 s in)
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w.param("SecondsLeft")).isEqualTo("29"));
    }

    @Test
    void a_prepaid_account_with_less_than_one_increment_left_is_refused_before_the_application_runs() {
        prepaid("0.001");   // less than one second at $0.10 a minute
        number("+14155550100", Optional.empty());

        assertThat(phone.call("+14155550100", node.sipPort()).awaitFinalStatus()).isEqualTo(402);
        assertThat(app.requests("/voice")).isEmpty();
    }

    @Test
    void a_modules_hard_cap_ends_the_call_at_the_cap_and_refuses_the_next_hand_off() {
        Account ringCo = node.newAccount("Ring Co");
        var plan = node.node().usagePlans().create(ringCo, "capped", "{\"price\": \"0.06\", \"cap_seconds\": 90}");
        app.twiml("/capped", "<Response><Pause length=\"600\"/></Response>");
        var module = node.node().modules().create(ringCo, new Module.Spec("ringco/capped", "Capped", "",
                Module.Kind.APPLICATION, Optional.of(app.url("/capped")), HttpMethod.POST,
                Optional.empty(), Optional.empty(), List.of(), List.of("done"), Optional.of(plan.sid()), Module.Visibility.PUBLISHED));
        node.node().installations().install(card, module.uniqueName(), "{}");
        assertThat(node.client(card).post("/2010-04-01/Accounts/" + card.sid() + "/IncomingPhoneNumbers.json", "PhoneNumber", "+14155550177",
                "VoiceModuleSid", module.sid()).status()).isEqualTo(201);

        phone.call("+14155550177", node.sipPort()).awaitAnswered();
        String sid = app.next("/capped").param("CallSid");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> node.node().router().find(sid).flatMap(LiveCall::mode).isPresent());
        runUntil(89, List.of(sid));
        assertThat(node.node().router().find(sid)).isPresent();
        runUntil(90, List.of(sid));
        assertThat(awaitCharged(sid).price()).contains(new BigDecimal("-0.090000"));   // 90 s at $0.06 a minute, then the cap

        try (TestPhone second = new TestPhone()) {
            assertThat(second.call("+14155550177", node.sipPort()).awaitAnswered().awaitRemoteHangup(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(app.requests("/capped")).hasSize(1);   // the second call never reached the module
    }
}

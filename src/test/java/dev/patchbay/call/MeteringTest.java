package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.billing.Meter;
import dev.patchbay.linking.Module;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Segments become charges: by mode plans and module plans, in the period's context, once each (both stores). */
class MeteringTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Map<String, String> SEED_RATES = Map.of(
            "PATCHBAY_PLAN_APPLICATION", "{\"price\": \"0.10\"}",
            "PATCHBAY_PLAN_BASIC", "{\"price\": \"0.01\"}",
            "PATCHBAY_PLAN_SERVICE", "{\"price\": \"0.001\"}");

    private static void call(TestNode node, Account account, String sid) {
        node.node().calls().insert(new CallRecord(sid, account.sid(), Optional.empty(), Optional.empty(), "+14155550100", "+14155550199",
                "inbound", CallStatus.IN_PROGRESS, Optional.of(T0), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "test-node", T0, T0));
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void the_seeds_call_of_three_modes_costs_seven_point_four_cents_and_is_charged_once(TestStore store) {
        try (TestNode node = TestNode.start(store, SEED_RATES)) {
            Account acme = node.newAccount("Acme");
            Segments segments = new Segments(node.node().db(), "test-node", Clock.systemUTC());
            Meter meter = new Meter(node.node().db(), node.node().usagePlans(), node.node().config().modePlans(), node.node().ledger(), Clock.systemUTC());
            call(node, acme, "CA0000000000000000000000000000f17b");
            segments.transition("CA0000000000000000000000000000f17b", acme.sid(), Mode.APPLICATION, "https://acme.example.com/ivr", "answer", T0);
            segments.transition("CA0000000000000000000000000000f17b", acme.sid(), Mode.BASIC, "bridge:sip:agent@x", "verb:Dial", T0.plusSeconds(30));
            segments.transition("CA0000000000000000000000000000f17b", acme.sid(), Mode.SERVICE, "survey", "event:callee-hangup", T0.plusSeconds(120));
            segments.close("CA0000000000000000000000000000f17b", "hangup:caller", T0.plusSeconds(660));
            node.node().calls().finish("CA0000000000000000000000000000f17b", CallStatus.COMPLETED, T0.plusSeconds(660), Optional.of(T0));

            meter.meter("CA0000000000000000000000000000f17b");
            meter.meter("CA0000000000000000000000000000f17b");   // again: nothing changes

            Meter.Statement statement = meter.statement(acme.sid(), "CA0000000000000000000000000000f17b");
            assertThat(statement.lines()).extracting(Meter.Line::mode).containsExactly("application", "basic", "service");
            assertThat(statement.lines()).extracting(l -> l.amount().toPlainString()).containsExactly("0.050000", "0.015000", "0.009000");
            assertThat(statement.lines()).extracting(Meter.Line::billedSeconds).containsExactly(30L, 90L, 540L);
            assertThat(statement.total()).isEqualByComparingTo("0.074");
            assertThat(statement.settled()).isTrue();
            assertThat(node.node().calls().find(acme.sid(), "CA0000000000000000000000000000f17b").orElseThrow().price())
                    .contains(new BigDecimal("-0.074000"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_modules_tiers_count_across_calls_in_the_period(TestStore store) {
        try (TestNode node = TestNode.start(store, SEED_RATES)) {
            Account dev = node.newAccount("Ring Co");
            Account acme = node.newAccount("Acme");
            var plan = node.node().usagePlans().create(dev, "intro",
                    "{\"unit_seconds\": 60, \"tiers\": [{\"up_to\": 10, \"flat_price\": \"1.00\", \"unit_price\": \"0\"}, {\"unit_price\": \"0.10\"}]}");
            Module module = node.node().modules().create(dev, new Module.Spec("ringco/simulring", "Simulring", "", Module.Kind.APPLICATION,
                    Optional.of("https://ring.example.com/"), HttpMethod.POST, Optional.empty(), Optional.empty(), List.of(), List.of("done"),
                    Optional.of(plan.sid()), Module.Visibility.PUBLISHED));
            node.node().installations().install(acme, module.uniqueName(), "{}");
            node.node().usagePlans().update(dev, plan.sid(), Optional.empty(), Optional.of("{\"price\": \"5.00\"}"));   // not what acme agreed to
            Segments segments = new Segments(node.node().db(), "test-node", Clock.systemUTC());
            Meter meter = new Meter(node.node().db(), node.node().usagePlans(), node.node().config().modePlans(), node.node().ledger(), Clock.systemUTC());
            Controller inModule = new Controller("ringco/simulring", Optional.of(module), Optional.empty(), Optional.empty());

            List<String> subtotals = new ArrayList<>();
            for (String sid : List.of("CA00000000000000000000000000000001", "CA00000000000000000000000000000002")) {
                call(node, acme, sid);
                segments.transition(sid, acme.sid(), Mode.APPLICATION, inModule, "answer", T0);
                segments.close(sid, "hangup:caller", T0.plusSeconds(6 * 60));
                meter.meter(sid);
                Meter.Line line = meter.statement(acme.sid(), sid).lines().getFirst();
                assertThat(line.planKey()).isEqualTo(plan.sid());
                assertThat(line.planVersion()).contains(1);
                subtotals.add(line.amount().toPlainString());
            }
            assertThat(subtotals).containsExactly("1.000000", "0.200000");   // the second call crosses the ten-minute line
        }
    }
}

package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.Statements;
import dev.patchbay.linking.Module;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ledger over random call histories: transactions sum to zero, developers plus commission equal
 * what customers paid, invoices equal the rated segments, the running cost at hang-up equals the charge.
 */
class LedgerTest {

    @Test
    void a_split_always_adds_up_to_the_amount() {
        Ledger ledger = new Ledger(null, new BigDecimal("0.30"), Clock.systemUTC());
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            BigDecimal amount = BigDecimal.valueOf(random.nextInt(10_000_000), 6);
            Ledger.Split split = ledger.split(amount);
            assertThat(split.developer().add(split.platform())).isEqualByComparingTo(amount);
            assertThat(split.developer().signum()).isGreaterThanOrEqualTo(0);
        }
        assertThat(ledger.split(new BigDecimal("0.015000")).platform()).isEqualByComparingTo("0.0045");
        assertThat(ledger.split(new BigDecimal("0.000001")).developer()).isEqualByComparingTo("0.000001");
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void random_call_histories_keep_the_books_balanced(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account devA = node.newAccount("A Co");
            Account devB = node.newAccount("B Co");
            List<Account> customers = List.of(node.newAccount("C1"), node.newAccount("C2"), node.newAccount("C3"));
            Module a = module(node, devA, "aco/one", "{\"price\": \"0.07\"}");
            Module b = module(node, devB, "bco/two", "{\"tiers\": [{\"up_to\": 3, \"flat_price\": \"0.50\", \"unit_price\": \"0\"}, {\"unit_price\": \"0.033\"}]}");
            for (Account c : customers) {
                node.node().installations().install(c, a.uniqueName(), "{}");
                node.node().installations().install(c, b.uniqueName(), "{}");
            }
            Segments segments = new Segments(node.node().db(), "test-node", Clock.systemUTC());
            Meter meter = new Meter(node.node().db(), node.node().usagePlans(), node.node().config().modePlans(), node.node().ledger(),
                    Clock.systemUTC());
            Random random = new Random(11);
            Instant t = Instant.parse("2026-11-02T08:00:00Z");
            BigDecimal charged = BigDecimal.ZERO;
            for (int i = 0; i < 40; i++) {
                Account customer = customers.get(random.nextInt(customers.size()));
                String sid = String.format("CA%032x", i + 1);
                node.node().calls().insert(new CallRecord(sid, customer.sid(), Optional.empty(), Optional.empty(), "+14155550100", "+14155550199",
                        "inbound", CallStatus.IN_PROGRESS, Optional.of(t), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        "test-node", t, t));
                int parts = 1 + random.nextInt(4);
                for (int p = 0; p < parts; p++) {
                    Controller who = switch (random.nextInt(3)) {
                        case 0 -> new Controller(a.uniqueName(), Optional.of(a), Optional.empty(), Optional.empty());
                        case 1 -> new Controller(b.uniqueName(), Optional.of(b), Optional.empty(), Optional.empty());
                        default -> Controller.app("https://app.example.com/voice");
                    };
                    Mode mode = random.nextInt(4) == 0 ? Mode.BASIC : Mode.APPLICATION;
                    segments.transition(sid, customer.sid(), mode, who, p == 0 ? "answer" : "outlet:done", t);
                    t = t.plusMillis(1 + random.nextInt(300_000));
                }
                segments.close(sid, "hangup:caller", t);
                BigDecimal running = meter.statement(customer.sid(), sid).total();   // the running cost at hang-up...
                meter.meter(sid);
                Meter.Statement settled = meter.statement(customer.sid(), sid);
                assertThat(settled.total()).isEqualByComparingTo(running);   // ...is what the call is charged
                charged = charged.add(settled.total());
            }

            Ledger ledger = node.node().ledger();
            assertThat(ledger.verify().problems()).isEmpty();
            BigDecimal paid = customers.stream().map(c -> ledger.balance(Ledger.customer(c.sid()))).reduce(BigDecimal.ZERO, BigDecimal::add).negate();
            BigDecimal earned = ledger.balance(Ledger.developer(devA.sid())).add(ledger.balance(Ledger.developer(devB.sid())))
                    .add(ledger.balance(Ledger.PLATFORM));
            assertThat(paid).isEqualByComparingTo(charged);
            assertThat(earned).isEqualByComparingTo(paid);
            assertThat(ledger.balance(Ledger.developer(devA.sid())).signum()).isPositive();

            // the month's statements: invoices add up to what customers paid, payouts to what developers earned
            Statements statements = new Statements(node.node().db());
            BigDecimal invoiced = customers.stream().map(c -> statements.invoice(c.sid(), "2026-11").total()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(invoiced).isEqualByComparingTo(paid);
            for (Account developer : List.of(devA, devB)) {
                var payout = statements.payout(developer.sid(), "2026-11");
                assertThat(payout.net()).isEqualByComparingTo(ledger.balance(Ledger.developer(developer.sid())));
                assertThat(payout.gross()).isEqualByComparingTo(payout.net().add(payout.commission()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void rating_many_calls_in_one_batch_charges_what_rating_them_one_by_one_does(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account developer = node.newAccount("B Co");
            Module tiered = module(node, developer, "bco/two", "{\"tiers\": [{\"up_to\": 3, \"flat_price\": \"0.50\", \"unit_price\": \"0\"}, "
                    + "{\"unit_price\": \"0.033\"}]}");
            List<Account> oneByOne = List.of(node.newAccount("X1"), node.newAccount("X2"));
            List<Account> batched = List.of(node.newAccount("Y1"), node.newAccount("Y2"));   // the same histories, mirrored
            for (Account c : List.of(oneByOne.get(0), oneByOne.get(1), batched.get(0), batched.get(1))) {
                node.node().installations().install(c, tiered.uniqueName(), "{}");
            }
            Segments segments = new Segments(node.node().db(), "test-node", Clock.systemUTC());
            Meter meter = new Meter(node.node().db(), node.node().usagePlans(), node.node().config().modePlans(), node.node().ledger(),
                    Clock.systemUTC());
            Random random = new Random(5);
            Instant t = Instant.parse("2026-11-03T08:00:00Z");
            List<String> xs = new ArrayList<>();
            List<String> ys = new ArrayList<>();
            Map<String, String> customers = new HashMap<>();   // call SID to its account
            for (int i = 0; i < 30; i++) {
                int k = random.nextInt(2);
                int parts = 1 + random.nextInt(3);
                List<Long> lengths = new ArrayList<>();
                List<Boolean> inModule = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    lengths.add(1L + random.nextInt(200_000));
                    inModule.add(random.nextBoolean());
                }
                for (int side = 0; side < 2; side++) {
                    Account customer = (side == 0 ? oneByOne : batched).get(k);
                    String sid = String.format("CA%031x%d", i + 1, side);
                    node.node().calls().insert(new CallRecord(sid, customer.sid(), Optional.empty(), Optional.empty(), "+14155550100",
                            "+14155550199", "inbound", CallStatus.IN_PROGRESS, Optional.of(t), Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.empty(), "test-node", t, t));
                    Instant at = t;
                    for (int p = 0; p < parts; p++) {
                        Controller who = inModule.get(p) ? new Controller(tiered.uniqueName(), Optional.of(tiered), Optional.empty(), Optional.empty())
                                : Controller.app("https://app.example.com/voice");
                        segments.transition(sid, customer.sid(), Mode.APPLICATION, who, p == 0 ? "answer" : "outlet:done", at);
                        at = at.plusMillis(lengths.get(p));
                    }
                    segments.close(sid, "hangup:caller", at);
                    (side == 0 ? xs : ys).add(sid);
                    customers.put(sid, customer.sid());
                }
                meter.meter(xs.getLast());
                t = t.plusSeconds(600);
            }
            assertThat(meter.meterAll(ys)).as("every call ended: all settled").containsExactlyInAnyOrderElementsOf(ys);
            meter.meterAll(ys);   // again: nothing more is charged

            for (int i = 0; i < xs.size(); i++) {
                String xCustomer = customers.get(xs.get(i));
                String yCustomer = customers.get(ys.get(i));
                assertThat(meter.statement(yCustomer, ys.get(i)).total()).as("call %d", i)
                        .isEqualByComparingTo(meter.statement(xCustomer, xs.get(i)).total());
                assertThat(meter.statement(yCustomer, ys.get(i)).lines()).as("every segment charged").allMatch(Meter.Line::settled);
            }
            Ledger ledger = node.node().ledger();
            assertThat(ledger.verify().problems()).isEmpty();
            for (int k = 0; k < 2; k++) {
                assertThat(ledger.balance(Ledger.customer(batched.get(k).sid())))
                        .isEqualByComparingTo(ledger.balance(Ledger.customer(oneByOne.get(k).sid())));
            }
            assertThat(ledger.balance(Ledger.customer(batched.get(0).sid())).signum()).isNegative();
        }
    }

    private static Module module(TestNode node, Account developer, String alias, String plan) {
        var p = node.node().usagePlans().create(developer, alias, plan);
        return node.node().modules().create(developer, new Module.Spec(alias, alias, "", Module.Kind.APPLICATION, Optional.of("https://x.example/"),
                HttpMethod.POST, Optional.empty(), Optional.empty(), List.of(), List.of("done"), Optional.of(p.sid()), Module.Visibility.PUBLISHED));
    }
}

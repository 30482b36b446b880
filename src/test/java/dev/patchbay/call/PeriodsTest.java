package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.billing.CountedUsage;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.Periods;
import dev.patchbay.billing.Statements;
import dev.patchbay.linking.Module;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing a month: one invoice per account and one payout per developer, once; commission per
 * module and per developer; late usage to the next open period. A module at $0.60 a minute (a
 * cent a second); the application mode plan free so that only the module's charges count.
 */
class PeriodsTest {

    private static final Instant OCTOBER = Instant.parse("2026-10-20T10:00:00Z");

    private TestNode node;
    private Segments segments;
    private Meter meter;

    private void call(Account customer, String sid, Module module, Instant start, long seconds) {
        node.node().calls().insert(new CallRecord(sid, customer.sid(), Optional.empty(), Optional.empty(), "+14155550100", "+14155550199",
                "inbound", CallStatus.IN_PROGRESS, Optional.of(start), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "test-node", start, start));
        segments.transition(sid, customer.sid(), Mode.APPLICATION, new Controller(module.uniqueName(), Optional.of(module), Optional.empty(),
                Optional.empty()), "answer", start);
        segments.close(sid, "hangup:caller", start.plusSeconds(seconds));
        meter.meter(sid);
    }

    private Module module(Account developer, String alias, String plan) {
        var p = node.node().usagePlans().create(developer, alias, plan);
        return node.node().modules().create(developer, new Module.Spec(alias, alias, "", Module.Kind.APPLICATION, Optional.of("https://x.example/"),
                HttpMethod.POST, Optional.empty(), Optional.empty(), List.of(), List.of("done"), Optional.of(p.sid()), Module.Visibility.PUBLISHED));
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void closing_a_month_writes_each_invoice_and_payout_once_and_late_usage_goes_to_the_next_month(TestStore store) {
        try (TestNode started = TestNode.start(store, Map.of("PATCHBAY_PLAN_APPLICATION", "{\"price\": \"0\"}",
                "PATCHBAY_OPERATOR_TOKEN", "let-me-close", "PATCHBAY_PRICE_TTS_CHARACTER", "0.001"))) {
            node = started;
            segments = new Segments(node.node().db(), "test-node", Clock.systemUTC());
            meter = new Meter(node.node().db(), node.node().usagePlans(), node.node().config().modePlans(), node.node().ledger(), Clock.systemUTC());
            Account ringCo = node.newAccount("Ring Co");
            Account menuCo = node.newAccount("Menu Co");
            Account acme = node.newAccount("Acme");
            Account globex = node.newAccount("Globex");
            Module simulring = module(ringCo, "ringco/simulring", "{\"price\": \"0.60\"}");
            Module menu = module(menuCo, "menuco/menu", "{\"price\": \"0.60\", \"meters\": {\"tts-characters\": \"0.002\"}}");
            for (Account customer : List.of(acme, globex)) {
                node.node().installations().install(customer, simulring.uniqueName(), "{}");
                node.node().installations().install(customer, menu.uniqueName(), "{}");
            }
            Ledger ledger = node.node().ledger();
            ledger.setCommission(ringCo.sid(), new BigDecimal("0.20"));   // the developer's rate...
            ledger.setCommission(simulring.sid(), new BigDecimal("0.10"));   // ...which its module's own rate overrides

            call(acme, "CA00000000000000000000000000000001", simulring, OCTOBER, 100);   // $1.00: 0.90 to Ring Co, 0.10 commission
            call(acme, "CA00000000000000000000000000000002", menu, OCTOBER.plusSeconds(600), 50);   // $0.50 at the default 30%
            call(globex, "CA00000000000000000000000000000003", simulring, OCTOBER.plusSeconds(1200), 200);   // $2.00

            // counted usage is priced when the month closes: 500 characters of speech at the operator's $0.001,
            // and 100 in Menu Co's module at its plan's $0.002 (0.20: 0.14 to Menu Co, 0.06 commission)
            node.node().countedUsage().add(new CountedUsage.Event("tts:CA00000000000000000000000000000001:1", acme.sid(),
                    CountedUsage.Meter.TTS_CHARACTERS, 500, Optional.of("CA00000000000000000000000000000001"), Optional.empty(), Optional.empty(),
                    "application", OCTOBER));
            node.node().countedUsage().add(new CountedUsage.Event("tts:CA00000000000000000000000000000002:1", acme.sid(),
                    CountedUsage.Meter.TTS_CHARACTERS, 100, Optional.of("CA00000000000000000000000000000002"), Optional.of(menu.sid()),
                    Optional.of(menuCo.sid()), menu.sid(), OCTOBER.plusSeconds(610)));
            node.node().countedUsage().flush();

            Periods.Closed closed = node.node().periods().close("2026-10");
            assertThat(closed.now()).isTrue();
            assertThat(closed.invoices()).isEqualTo(2);
            assertThat(closed.invoiced()).isEqualByComparingTo("4.20");
            assertThat(new Statements(node.node().db()).invoice(acme.sid(), "2026-10").lines())
                    .filteredOn(l -> l.mode().equals("usage"))
                    .extracting(l -> l.plan() + " " + l.moduleSid().orElse("operator") + " " + l.amount().toPlainString())
                    .containsExactlyInAnyOrder("tts-characters operator 0.500000", "tts-characters " + menu.sid() + " 0.200000");
            assertThat(closed.payouts()).isEqualTo(2);
            assertThat(closed.paidOut()).isEqualByComparingTo("3.19");   // 2.70 + 0.35 + 0.14
            assertThat(closed.commission()).isEqualByComparingTo("0.51");   // 0.30 + 0.15 + 0.06
            Statements statements = new Statements(node.node().db());
            assertThat(statements.payout(ringCo.sid(), "2026-10").net()).isEqualByComparingTo("2.70");
            assertThat(statements.invoice(acme.sid(), "2026-10").status()).isEqualTo("closed");

            // a call of October that is rated after the close (its node came back late) goes to November
            call(acme, "CA00000000000000000000000000000004", menu, OCTOBER.plusSeconds(1800), 10);
            assertThat(statements.invoice(acme.sid(), "2026-10").total()).isEqualByComparingTo("2.20");
            assertThat(statements.invoice(acme.sid(), "2026-11").total()).isEqualByComparingTo("0.10");
            assertThat(statements.invoice(acme.sid(), "2026-11").status()).isEqualTo("open");

            Periods.Closed again = node.node().periods().close("2026-10");
            assertThat(again.now()).isFalse();
            assertThat(again.invoiced()).isEqualByComparingTo("4.20");
            assertThat(ledger.verify().problems()).isEmpty();

            assertThatThrownBy(() -> node.node().periods().close("2099-01"))   // not over yet
                    .isInstanceOf(PatchbayException.InvalidParameter.class).hasMessageContaining("has ended");

            // the REST twin, for the operator only
            RestClient operator = node.client("operator", "let-me-close");
            RestClient.Response rest = operator.post("/operator/v1/Periods/2026-10/Close");
            assertThat(rest.status()).isEqualTo(200);
            assertThat(rest.text("invoiced")).isEqualTo("4.200000");
            assertThat(node.client("operator", "guess").post("/operator/v1/Periods/2026-10/Close").status()).isEqualTo(401);
            assertThat(node.client(acme).post("/operator/v1/Periods/2026-10/Close").status()).isEqualTo(401);
        }
    }
}

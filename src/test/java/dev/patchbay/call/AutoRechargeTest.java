package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.billing.AutoRecharge;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.billing.TestPaymentProvider;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Auto-recharge through the test payment provider: once per shortfall, however many checks race; declines are not retried. */
class AutoRechargeTest {

    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

    /** A call of {@code seconds} in application mode at $0.60 a minute (a cent a second), charged. */
    private static void spend(TestNode node, Account account, String sid, long seconds) {
        node.node().calls().insert(new CallRecord(sid, account.sid(), Optional.empty(), Optional.empty(), "+14155550100", "+14155550199",
                "inbound", CallStatus.IN_PROGRESS, Optional.of(T0), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                "test-node", T0, T0));
        Segments segments = new Segments(node.node().db(), "test-node", Clock.systemUTC());
        segments.transition(sid, account.sid(), Mode.APPLICATION, "https://app.example.com/voice", "answer", T0);
        segments.close(sid, "hangup:caller", T0.plusSeconds(seconds));
        new Meter(node.node().db(), node.node().usagePlans(), node.node().config().modePlans(), node.node().ledger(), Clock.systemUTC()).meter(sid);
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_shortfall_is_recharged_once_to_the_target_however_many_checks_race(TestStore store) throws Exception {
        try (TestNode node = TestNode.start(store, Map.of("PATCHBAY_BILLING_PAYMENTS", "test", "PATCHBAY_PLAN_APPLICATION", "{\"price\": \"0.60\"}"))) {
            Account acme = node.newAccount("Acme");
            node.node().paymentTerms().set(acme.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.PREPAID, Optional.empty()));
            node.node().ledger().topUp(acme.sid(), new BigDecimal("1.00"), "first-purchase");
            RestClient rest = node.client(acme);
            RestClient.Response configured = rest.post("/v1/AutoRecharge", "Threshold", "0.50", "Target", "2.00");
            assertThat(configured.status()).isEqualTo(200);
            assertThat(configured.text("target")).isEqualTo("2.000000");

            spend(node, acme, "CA00000000000000000000000000000001", 60);   // balance 0.40, under the threshold

            AutoRecharge recharge = node.node().autoRecharge();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Optional<AutoRecharge.Recharge>>> checks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                checks.add(pool.submit((Callable<Optional<AutoRecharge.Recharge>>) () -> recharge.check(acme.sid())));
            }
            for (Future<Optional<AutoRecharge.Recharge>> f : checks) {
                f.get();
            }
            pool.shutdown();
            assertThat(node.node().ledger().balance(Ledger.customer(acme.sid()))).isEqualByComparingTo("2.00");

            TestPaymentProvider provider = (TestPaymentProvider) node.node().paymentProvider().orElseThrow();
            assertThat(provider.attempts()).singleElement().satisfies(a -> assertThat(a.amount()).isEqualByComparingTo("1.60"));
            assertThat(node.node().ledger().entries(acme.sid(), 50).stream().filter(e -> e.kind().equals("topup"))).hasSize(2);
            assertThat(node.node().ledger().verify().problems()).isEmpty();

            // a declined card: the shortfall is not charged again, the balance stays where it is
            provider.decline(acme.sid());
            spend(node, acme, "CA00000000000000000000000000000002", 170);   // balance 0.30
            Optional<AutoRecharge.Recharge> declined = recharge.check(acme.sid());
            recharge.check(acme.sid());
            assertThat(declined).hasValueSatisfying(r -> assertThat(r.payment().declineReason()).contains("card_declined"));
            assertThat(provider.attempts()).hasSize(2);
            assertThat(node.node().ledger().balance(Ledger.customer(acme.sid()))).isEqualByComparingTo("0.30");

            // postpaid accounts have no balance to recharge
            Account globex = node.newAccount("Globex");
            assertThat(node.client(globex).post("/v1/AutoRecharge", "Threshold", "1", "Target", "5").status()).isEqualTo(400);
        }
    }
}

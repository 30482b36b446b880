package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.linking.Dispatcher;
import dev.patchbay.linking.Module;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.testing.FakeClock;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dispatcher's one read per hand-off, on both stores: the caller's payment terms come with it, as they are now; the
 * answer is kept a second, read again at once after a change made through the node.
 */
class DispatcherStoreTest {

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_hand_off_follows_the_callers_payment_terms_as_they_are_at_that_moment(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            node.node().modules().create(acme, new Module.Spec("acme/menu", "Menu", "", Module.Kind.APPLICATION,
                    Optional.of("https://apps.example.com/menu"), HttpMethod.POST, Optional.empty(), Optional.empty(), List.of(),
                    List.of("done"), Optional.empty(), Module.Visibility.PRIVATE));
            Dispatcher dispatcher = node.node().linking().dispatcher();
            PaymentTerms terms = node.node().paymentTerms();

            assertThat(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of())).isInstanceOf(Dispatcher.Resolution.Ready.class);

            terms.set(acme.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.PREPAID, Optional.empty()));
            assertThat(refusal(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of()))).isEqualTo("insufficient-balance");

            terms.set(acme.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.POSTPAID, Optional.of(BigDecimal.ZERO)));
            assertThat(refusal(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of()))).isEqualTo("insufficient-balance");

            terms.set(acme.sid(), new PaymentTerms.Terms(PaymentTerms.Kind.POSTPAID, Optional.of(new BigDecimal("25.00"))));
            assertThat(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of())).isInstanceOf(Dispatcher.Resolution.Ready.class);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_ban_made_through_this_node_holds_at_once_and_one_made_on_another_node_within_a_second(TestStore store) {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-27T03:00:00Z"));
        try (TestNode node = TestNode.start(store, Map.of(), clock)) {
            Account acme = node.newAccount("Acme");
            Module menu = node.node().modules().create(acme, new Module.Spec("acme/menu", "Menu", "", Module.Kind.APPLICATION,
                    Optional.of("https://apps.example.com/menu"), HttpMethod.POST, Optional.empty(), Optional.empty(), List.of(),
                    List.of("done"), Optional.empty(), Module.Visibility.PRIVATE));
            Dispatcher dispatcher = node.node().linking().dispatcher();
            assertThat(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of())).isInstanceOf(Dispatcher.Resolution.Ready.class);

            node.node().modules().ban(menu.sid(), true);
            assertThat(refusal(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of()))).isEqualTo("module-banned");
            node.node().modules().ban(menu.sid(), false);
            assertThat(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of())).isInstanceOf(Dispatcher.Resolution.Ready.class);

            // another node (or the operator's CLI) bans it: this node's answer of a moment ago still holds, for up to a second
            node.node().db().write(h -> h.execute("UPDATE modules SET banned = TRUE WHERE sid = ?", menu.sid()));
            clock.advance(Duration.ofMillis(999));
            assertThat(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of())).isInstanceOf(Dispatcher.Resolution.Ready.class);
            clock.advance(Duration.ofMillis(1));
            assertThat(refusal(dispatcher.resolve(acme, "acme/menu", Map.of(), Map.of()))).isEqualTo("module-banned");
        }
    }

    private static String refusal(Dispatcher.Resolution resolution) {
        assertThat(resolution).isInstanceOf(Dispatcher.Resolution.Refused.class);
        return ((Dispatcher.Resolution.Refused) resolution).denial().reason();
    }
}

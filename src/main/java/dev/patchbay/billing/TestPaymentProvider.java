package dev.patchbay.billing;

import dev.patchbay.store.Sids;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payment provider for the demo and the tests: every charge succeeds (or, for accounts told
 * to decline, fails with {@code card_declined}) and is remembered by idempotency key, as a real
 * processor would. Never use it where real money is meant. Thread-safe.
 */
public final class TestPaymentProvider implements PaymentProvider {

    /** A charge the provider accepted or declined. */
    public record Attempt(String accountSid, BigDecimal amount, String idempotencyKey, Payment payment) {
    }

    private final Map<String, Attempt> byKey = new ConcurrentHashMap<>();
    private final Set<String> declining = ConcurrentHashMap.newKeySet();

    @Override
    public Payment charge(String accountSid, BigDecimal amount, String currency, String idempotencyKey) {
        return byKey.computeIfAbsent(idempotencyKey, key -> {
            boolean declined = declining.contains(accountSid);
            Payment payment = new Payment("pi_test_" + Sids.randomHex(12), amount, !declined,
                    declined ? Optional.of("card_declined") : Optional.empty());
            return new Attempt(accountSid, amount, key, payment);
        }).payment();
    }

    /** From now on the account's charges are declined. */
    public void decline(String accountSid) {
        declining.add(accountSid);
    }

    /** Every distinct charge requested (a repeated idempotency key counts once). */
    public List<Attempt> attempts() {
        return List.copyOf(byKey.values());
    }
}

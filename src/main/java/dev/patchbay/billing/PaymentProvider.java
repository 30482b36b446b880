package dev.patchbay.billing;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Where auto-recharge takes money from: a card or wallet on file with a payment processor. The
 * shape of a Stripe-like PaymentIntent: charge an amount to the account's saved method, with an
 * idempotency key that makes a repeated request return the first result instead of charging again.
 * Implementations must be thread-safe.
 */
public interface PaymentProvider {

    /** The outcome of one charge: the processor's ID for it, the amount, and why it was declined when it was. */
    record Payment(String id, BigDecimal amount, boolean succeeded, Optional<String> declineReason) {
    }

    /**
     * Charges {@code amount} to the account's saved payment method. A repeated
     * {@code idempotencyKey} never charges again: it returns the first request's payment (and amount).
     */
    Payment charge(String accountSid, BigDecimal amount, String currency, String idempotencyKey);
}

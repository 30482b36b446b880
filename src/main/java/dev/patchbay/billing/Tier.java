package dev.patchbay.billing;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * One price tier: usage up to {@code upTo} units (empty: no end) costs {@code unitPrice} per unit,
 * plus {@code flatPrice} once when usage enters the tier (Stripe's flat_amount).
 */
public record Tier(Optional<BigDecimal> upTo, BigDecimal unitPrice, BigDecimal flatPrice) {
}

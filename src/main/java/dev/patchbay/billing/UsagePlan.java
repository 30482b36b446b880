package dev.patchbay.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a module's (or an operational mode's) time in control is priced. Time is measured in
 * seconds and priced per {@code unitSeconds} (60: a per-minute price); each segment's time is
 * rounded up to {@code incrementSeconds} and to at least {@code minimumSeconds}. Price is either
 * one {@code tiers} list read as {@code graduated} (each unit at its tier's price) or
 * {@code volume} (every unit at the price of the tier the total reaches); a single price is one
 * tier without end. Tiers, allowance and cap count the account's usage in the period across calls.
 *
 * @param perUse           charged once per segment (per hand-off), whatever its length
 * @param subscription     a flat price per period; with {@code unlimited} the time itself costs nothing
 * @param allowanceSeconds included seconds per period before any tier price applies
 * @param capSeconds       a hard limit of seconds per period (the policy engine refuses beyond it)
 * @param meters           prices of counted usage in the module: per API request, per recording
 *                         minute (billed by the second), per TTS character; a meter not named here
 *                         is priced at the operator's price
 */
public record UsagePlan(String currency, long unitSeconds, long incrementSeconds, long minimumSeconds, TiersMode tiersMode,
                        List<Tier> tiers, BigDecimal perUse, Optional<Subscription> subscription, long allowanceSeconds,
                        Optional<Long> capSeconds, Map<CountedUsage.Meter, BigDecimal> meters) {

    public enum TiersMode {
        GRADUATED, VOLUME
    }

    /** A flat price per period (the period is the billing period: a calendar month). */
    public record Subscription(BigDecimal price, boolean unlimited) {
    }

    /** Nothing to pay: what a module without a plan costs. */
    public static final UsagePlan FREE = new UsagePlan("USD", 60, 1, 0, TiersMode.GRADUATED,
            List.of(new Tier(Optional.empty(), BigDecimal.ZERO, BigDecimal.ZERO)), BigDecimal.ZERO, Optional.empty(), 0, Optional.empty(), Map.of());
}

package dev.patchbay.billing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Rates one control segment by its plan, in the context of the account's usage of the same plan
 * earlier in the period. The rules (docs/billing.md):
 * <ol>
 * <li>Time rounds per segment: up to the increment, then to the minimum (a segment of 0 ms bills 0 s).</li>
 * <li>The allowance is used first; the rest is chargeable and meets the tiers at the period's
 *     chargeable usage so far, so tiers and allowances count across calls.</li>
 * <li>A segment costs C(before + this) − C(before), where C is the period's cumulative cost rounded
 *     to {@link #SCALE} decimals (half up). Rounding happens only there, so a period's segments add
 *     up exactly to the cost of its total usage, and every line shown adds up to the total.</li>
 * </ol>
 * Pure and thread-safe.
 */
public final class Rating {

    private static final DateTimeFormatter PERIOD =
            DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    /** Decimals kept for money: micro-units of the currency, enough for sub-cent per-second prices. */
    public static final int SCALE = 6;
    private static final MathContext EXACT = MathContext.DECIMAL128;

    private Rating() {
    }

    /** What the plan's usage was in the period before this segment: billed seconds and segments. */
    public record PeriodUsage(long seconds, long uses) {
        public static final PeriodUsage NONE = new PeriodUsage(0, 0);

        public PeriodUsage plus(Charge c) {
            return new PeriodUsage(seconds + c.billedSeconds(), uses + 1);
        }

        public PeriodUsage plus(PeriodUsage other) {
            return new PeriodUsage(seconds + other.seconds, uses + other.uses);
        }
    }

    /**
     * One segment's charge: the seconds billed (after increment and minimum), those the allowance
     * covered, the price per unit at the margin (for display), and the amount.
     */
    public record Charge(long billedSeconds, long includedSeconds, BigDecimal unitPrice, BigDecimal amount) {
    }

    /** The billing period {@code at} falls in: the calendar month in UTC, as {@code 2026-11}. */
    public static String period(Instant at) {
        return PERIOD.format(at);
    }

    /** Billed seconds for {@code millis} of control: rounded up to the increment, then to the minimum. */
    public static long billedSeconds(UsagePlan plan, long millis) {
        if (millis <= 0) {
            return 0;
        }
        long increments = (millis + plan.incrementSeconds() * 1000 - 1) / (plan.incrementSeconds() * 1000);
        return Math.max(plan.minimumSeconds(), increments * plan.incrementSeconds());
    }

    public static Charge rate(UsagePlan plan, long millis, PeriodUsage before) {
        long billed = billedSeconds(plan, millis);
        long allowanceLeft = Math.max(0, plan.allowanceSeconds() - before.seconds());
        long included = Math.min(billed, allowanceLeft);
        long chargeable = billed - included;
        long chargedBefore = Math.max(0, before.seconds() - plan.allowanceSeconds());
        boolean unlimited = plan.subscription().map(UsagePlan.Subscription::unlimited).orElse(false);
        BigDecimal time = BigDecimal.ZERO;
        if (!unlimited && chargeable > 0) {
            time = cumulative(plan, units(plan, chargedBefore + chargeable)).subtract(cumulative(plan, units(plan, chargedBefore)));
        }
        BigDecimal amount = time.add(plan.perUse()).setScale(SCALE, RoundingMode.HALF_UP);
        return new Charge(billed, included, marginalPrice(plan, units(plan, chargedBefore + chargeable)), amount);
    }

    /** The most seconds a segment may last before the plan's cap is reached (empty: no cap). */
    public static Optional<Long> secondsLeft(UsagePlan plan, PeriodUsage before) {
        return plan.capSeconds().map(cap -> Math.max(0, cap - before.seconds()));
    }

    private static BigDecimal units(UsagePlan plan, long seconds) {
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(plan.unitSeconds()), EXACT);
    }

    /** The period's cost of {@code units} chargeable units under the tiers, rounded where it is booked. */
    static BigDecimal cumulative(UsagePlan plan, BigDecimal units) {
        if (units.signum() <= 0) {
            return BigDecimal.ZERO.setScale(SCALE);
        }
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier tier : plan.tiers()) {
            boolean reached = units.compareTo(lower) > 0;
            if (!reached) {
                break;
            }
            BigDecimal upper = tier.upTo().orElse(null);
            boolean last = upper == null || units.compareTo(upper) <= 0;
            if (plan.tiersMode() == UsagePlan.TiersMode.VOLUME) {
                if (last) {
                    cost = units.multiply(tier.unitPrice(), EXACT).add(tier.flatPrice());
                    break;
                }
            } else {
                BigDecimal top = last ? units : upper;
                cost = cost.add(top.subtract(lower).multiply(tier.unitPrice(), EXACT)).add(tier.flatPrice());
                if (last) {
                    break;
                }
            }
            lower = upper;
        }
        return cost.setScale(SCALE, RoundingMode.HALF_UP);
    }

    /** The unit price at {@code units} (the tier the usage is in): the rate a breakdown line shows. */
    static BigDecimal marginalPrice(UsagePlan plan, BigDecimal units) {
        for (Tier tier : plan.tiers()) {
            if (tier.upTo().isEmpty() || units.compareTo(tier.upTo().get()) <= 0) {
                return tier.unitPrice();
            }
        }
        return plan.tiers().getLast().unitPrice();
    }
}

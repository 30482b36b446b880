package dev.patchbay.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.PatchbayException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rating rules against hand-computed and published examples (docs/billing.md). */
class RatingTest {

    private static final String ONE_DOLLAR_FIRST_TEN_MINUTES = """
            {"unit_seconds": 60, "tiers": [{"up_to": 10, "flat_price": "1.00", "unit_price": "0"}, {"unit_price": "0.10"}]}""";

    private static BigDecimal money(String s) {
        return new BigDecimal(s).setScale(Rating.SCALE);
    }

    private static Rating.Charge rate(String plan, long seconds) {
        return Rating.rate(PlanDocument.parse(plan), seconds * 1000, Rating.PeriodUsage.NONE);
    }

    @Test
    void the_seeds_three_segment_call_costs_seven_point_four_cents() {
        Rating.Charge application = rate("{\"price\": \"0.10\"}", 30);
        Rating.Charge bridge = rate("{\"price\": \"0.01\"}", 90);
        Rating.Charge service = rate("{\"price\": \"0.001\"}", 540);

        assertThat(application.amount()).isEqualTo(money("0.05"));
        assertThat(bridge.amount()).isEqualTo(money("0.015"));
        assertThat(service.amount()).isEqualTo(money("0.009"));
        assertThat(application.amount().add(bridge.amount()).add(service.amount())).isEqualTo(money("0.074"));
        assertThat(bridge.unitPrice()).isEqualByComparingTo("0.01");
    }

    @Test
    void a_dollar_for_the_first_ten_minutes_then_ten_cents_a_minute() {
        assertThat(rate(ONE_DOLLAR_FIRST_TEN_MINUTES, 4 * 60).amount()).isEqualTo(money("1.00"));
        assertThat(rate(ONE_DOLLAR_FIRST_TEN_MINUTES, 10 * 60).amount()).isEqualTo(money("1.00"));
        assertThat(rate(ONE_DOLLAR_FIRST_TEN_MINUTES, 13 * 60).amount()).isEqualTo(money("1.30"));
        assertThat(rate(ONE_DOLLAR_FIRST_TEN_MINUTES, 25 * 60).amount()).isEqualTo(money("2.50"));
    }

    @Test
    void two_calls_in_one_period_cross_the_ten_minute_line_together() {
        UsagePlan plan = PlanDocument.parse(ONE_DOLLAR_FIRST_TEN_MINUTES);
        Rating.Charge first = Rating.rate(plan, 6 * 60_000, Rating.PeriodUsage.NONE);
        Rating.Charge second = Rating.rate(plan, 6 * 60_000, Rating.PeriodUsage.NONE.plus(first));

        assertThat(first.amount()).isEqualTo(money("1.00"));
        assertThat(second.amount()).isEqualTo(money("0.20"));   // 4 minutes still in the first ten, 2 at ten cents
    }

    @Test
    void volume_and_graduated_tiers_give_their_own_totals_on_the_same_usage() {
        String tiers = "\"unit_seconds\": 1, \"tiers\": [{\"up_to\": 1000, \"unit_price\": \"0.10\"}, "
                + "{\"up_to\": 10000, \"unit_price\": \"0.05\"}, {\"unit_price\": \"0.01\"}]";
        assertThat(rate("{\"tiers_mode\": \"graduated\", " + tiers + "}", 15_000).amount()).isEqualTo(money("600"));
        assertThat(rate("{\"tiers_mode\": \"volume\", " + tiers + "}", 15_000).amount()).isEqualTo(money("150"));

        String stripe = "{\"tiers_mode\": \"volume\", \"unit_seconds\": 1, \"tiers\": [{\"up_to\": 5, \"unit_price\": \"7\"}, "
                + "{\"up_to\": 10, \"unit_price\": \"6.5\"}, {\"unit_price\": \"6\"}]}";
        assertThat(List.of(1, 5, 6, 20, 25).stream().map(q -> rate(stripe, q).amount()).toList())
                .containsExactly(money("7"), money("35"), money("39"), money("120"), money("150"));
    }

    @Test
    void thirty_six_billing_rounds_each_segment() {
        String plan = "{\"price\": \"0.60\", \"minimum_seconds\": 30, \"increment_seconds\": 6}";
        assertThat(rate(plan, 1).billedSeconds()).isEqualTo(30);
        assertThat(rate(plan, 31).billedSeconds()).isEqualTo(36);
        assertThat(rate(plan, 36).billedSeconds()).isEqualTo(36);
        assertThat(rate(plan, 31).amount()).isEqualTo(money("0.36"));
        assertThat(Rating.billedSeconds(PlanDocument.parse(plan), 0)).isZero();
        assertThat(Rating.billedSeconds(PlanDocument.parse("{\"price\": \"1\", \"increment_seconds\": 60}"), 78_000)).isEqualTo(120);   // Twilio: 1:18 is 2 minutes
    }

    @Test
    void an_allowance_of_a_hundred_minutes_runs_out_in_the_middle_of_a_call() {
        UsagePlan plan = PlanDocument.parse("{\"price\": \"0.02\", \"allowance_seconds\": 6000}");
        Rating.PeriodUsage before = new Rating.PeriodUsage(95 * 60, 12);
        Rating.Charge charge = Rating.rate(plan, 10 * 60_000, before);

        assertThat(charge.includedSeconds()).isEqualTo(5 * 60);
        assertThat(charge.amount()).isEqualTo(money("0.10"));   // 5 chargeable minutes at two cents
    }

    @Test
    void a_per_use_fee_an_unlimited_subscription_and_a_cap() {
        assertThat(rate("{\"per_use\": \"0.05\"}", 600).amount()).isEqualTo(money("0.05"));
        assertThat(rate("{\"price\": \"0.10\", \"subscription\": {\"price\": \"20.00\", \"unlimited\": true}}", 6000).amount())
                .isEqualTo(money("0"));
        UsagePlan capped = PlanDocument.parse("{\"price\": \"0.10\", \"cap_seconds\": 3600}");
        assertThat(Rating.secondsLeft(capped, new Rating.PeriodUsage(3000, 4))).contains(600L);
        assertThat(Rating.secondsLeft(capped, new Rating.PeriodUsage(4000, 5))).contains(0L);
    }

    @Test
    void segments_of_a_period_add_up_to_the_cost_of_its_total_usage() {
        UsagePlan plan = PlanDocument.parse("{\"price\": \"0.07\", \"unit_seconds\": 60}");   // 0.07/60 per second never divides evenly
        Random random = new Random(42);
        Rating.PeriodUsage usage = Rating.PeriodUsage.NONE;
        BigDecimal sum = BigDecimal.ZERO;
        List<Long> lengths = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long millis = 1 + random.nextInt(400_000);
            lengths.add(millis);
            Rating.Charge c = Rating.rate(plan, millis, usage);
            sum = sum.add(c.amount());
            usage = usage.plus(c);
        }
        assertThat(sum).isEqualTo(Rating.cumulative(plan, BigDecimal.valueOf(usage.seconds()).divide(BigDecimal.valueOf(60), MathContext.DECIMAL128)));
        assertThat(lengths).hasSize(500);
    }

    @Test
    void a_plan_with_a_mistake_is_refused_with_the_field_named() {
        assertThatThrownBy(() -> PlanDocument.parse("{\"price\": 0.1e}")).isInstanceOf(PatchbayException.class).hasMessageContaining("JSON");
        assertThatThrownBy(() -> PlanDocument.parse("{\"price\": \"-1\"}")).hasMessageContaining("price: a price cannot be negative");
        assertThatThrownBy(() -> PlanDocument.parse("{\"price\": \"ten\"}")).hasMessageContaining("price: 'ten'");
        assertThatThrownBy(() -> PlanDocument.parse("{\"tiers\": [{\"up_to\": 5, \"unit_price\": \"1\"}]}"))
                .hasMessageContaining("tiers[0].up_to: the last tier must be without end");
        assertThatThrownBy(() -> PlanDocument.parse("{\"tiers\": [{\"up_to\": 5}, {\"up_to\": 3}, {}]}")).hasMessageContaining("tiers[1].up_to");
        assertThatThrownBy(() -> PlanDocument.parse("{\"increment_seconds\": 0}")).hasMessageContaining("increment_seconds");
        assertThatThrownBy(() -> PlanDocument.parse("{\"tiers_mode\": \"stairs\"}")).hasMessageContaining("tiers_mode");
        assertThat(PlanDocument.parse("{\"price\": 0.10}").tiers().getFirst().unitPrice().toPlainString()).isIn("0.1", "0.10");   // a JSON number, read exactly
    }
}

package bench;

import dev.patchbay.billing.PlanDocument;
import dev.patchbay.billing.Rating;
import dev.patchbay.billing.UsagePlan;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Segments rated per second in process (no store): Rating.rate on three plans a segment meets,
 * one call each, with the period's usage so far. A flat per-second price is the baseline;
 * graduated tiers with an allowance and a volume-tier plan are the work a module's plan adds.
 * Run by bench/billing.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RatingBench {

    private final UsagePlan flat = PlanDocument.parse("{\"price\": \"0.10\"}");
    private final UsagePlan graduated = PlanDocument.parse("{\"allowance_seconds\": 6000, \"tiers\": [{\"up_to\": 10, \"flat_price\": \"1.00\", "
            + "\"unit_price\": \"0\"}, {\"up_to\": 1000, \"unit_price\": \"0.10\"}, {\"unit_price\": \"0.05\"}]}");
    private final UsagePlan volume = PlanDocument.parse("{\"tiers_mode\": \"volume\", \"increment_seconds\": 6, \"minimum_seconds\": 30, "
            + "\"tiers\": [{\"up_to\": 100, \"unit_price\": \"0.02\"}, {\"up_to\": 1000, \"unit_price\": \"0.015\"}, {\"unit_price\": \"0.01\"}]}");
    private long n;

    private long millis() {
        n = n * 6364136223846793005L + 1442695040888963407L;
        return 1_000 + ((n >>> 33) % 600_000);   // 1 s to 10 min
    }

    private Rating.PeriodUsage before() {
        return new Rating.PeriodUsage((n >>> 40) % 200_000, (n >>> 20) % 5_000);
    }

    @Benchmark
    public Rating.Charge flatPerSecond() {
        return Rating.rate(flat, millis(), before());
    }

    @Benchmark
    public Rating.Charge graduatedWithAllowance() {
        return Rating.rate(graduated, millis(), before());
    }

    @Benchmark
    public Rating.Charge volumeThirtySix() {
        return Rating.rate(volume, millis(), before());
    }
}

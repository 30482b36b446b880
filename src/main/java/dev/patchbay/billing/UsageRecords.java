package dev.patchbay.billing;

import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Twilio's Usage Records, computed from the charges: categories {@code calls},
 * {@code calls-inbound}, {@code calls-outbound} (count: calls; usage: minutes, each call rounded up),
 * {@code totalprice}, and Patchbay's {@code mode-basic}, {@code mode-application},
 * {@code mode-service} and {@code module-<ModuleSid>} (count: segments; usage: billed seconds);
 * and from counted usage, {@code api-requests} (usage: requests), {@code recordings} (count:
 * recordings; usage: minutes, rounded up per recording) and {@code tts-characters} (usage:
 * characters), priced at the operator's prices (booked when the period closes).
 * Dates are UTC days of the charges and uses. Thread-safe.
 */
public final class UsageRecords {

    /** How records are grouped in time. */
    public enum Granularity {
        ALL, DAILY, MONTHLY, YEARLY
    }

    public record Record(String category, String description, long count, String countUnit, String usage, String usageUnit, BigDecimal price,
                         LocalDate startDate, LocalDate endDate) {
    }

    private record Charge(String callSid, String direction, String mode, Optional<String> moduleSid, long billedSeconds, BigDecimal amount,
                          LocalDate day) {
    }

    private record Counted(CountedUsage.Meter meter, long quantity, LocalDate day) {
    }

    private final Database db;
    private final CountedUsage.Prices prices;

    public UsageRecords(Database db, CountedUsage.Prices prices) {
        this.db = db;
        this.prices = prices;
    }

    public List<Record> records(String accountSid, Optional<String> category, LocalDate start, LocalDate end, Granularity granularity) {
        long from = start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<Charge> charges = db.read(h -> h.createQuery("SELECT c.call_sid, k.direction, c.mode, c.module_sid, c.billed_seconds, c.amount, c.date_created "
                        + "FROM segment_charges c JOIN calls k ON k.sid = c.call_sid WHERE c.account_sid = ? AND c.date_created >= ? AND c.date_created < ?")
                .bind(0, accountSid).bind(1, from).bind(2, to)
                .map((rs, ctx) -> new Charge(rs.getString(1), rs.getString(2), rs.getString(3), Optional.ofNullable(rs.getString(4)), rs.getLong(5),
                        rs.getBigDecimal(6), Instant.ofEpochMilli(rs.getLong(7)).atZone(ZoneOffset.UTC).toLocalDate())).list());
        List<Counted> counted = db.read(h -> h.createQuery("SELECT meter, quantity, occurred_at FROM usage_events WHERE account_sid = ? "
                        + "AND occurred_at >= ? AND occurred_at < ?")
                .bind(0, accountSid).bind(1, from).bind(2, to)
                .map((rs, ctx) -> new Counted(CountedUsage.Meter.parse(rs.getString(1)), rs.getLong(2),
                        Instant.ofEpochMilli(rs.getLong(3)).atZone(ZoneOffset.UTC).toLocalDate())).list());
        Map<LocalDate, List<Charge>> buckets = new TreeMap<>();
        Map<LocalDate, List<Counted>> countedBuckets = new TreeMap<>();
        for (Charge c : charges) {
            buckets.computeIfAbsent(bucket(c.day(), granularity, start), d -> new ArrayList<>()).add(c);
        }
        for (Counted c : counted) {
            LocalDate b = bucket(c.day(), granularity, start);
            buckets.computeIfAbsent(b, d -> new ArrayList<>());
            countedBuckets.computeIfAbsent(b, d -> new ArrayList<>()).add(c);
        }
        if (buckets.isEmpty()) {
            buckets.put(bucket(start, granularity, start), List.of());
        }
        List<Record> out = new ArrayList<>();
        for (var bucket : buckets.entrySet()) {
            LocalDate first = granularity == Granularity.ALL ? start : bucket.getKey();
            LocalDate last = granularity == Granularity.ALL ? end : bucketEnd(bucket.getKey(), granularity);
            List<Charge> in = bucket.getValue();
            List<Record> records = new ArrayList<>();
            records.add(calls("calls", "Voice Minutes", in, c -> true, first, last));
            records.add(calls("calls-inbound", "Inbound Voice Minutes", in, c -> c.direction().equals("inbound"), first, last));
            records.add(calls("calls-outbound", "Outbound Voice Minutes", in, c -> c.direction().startsWith("outbound"), first, last));
            BigDecimal total = in.stream().map(Charge::amount).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(Rating.SCALE);
            records.add(new Record("totalprice", "Total Price", in.size(), "segments", total.toPlainString(), "usd", total, first, last));
            for (String mode : List.of("basic", "application", "service")) {
                records.add(segments("mode-" + mode, "Time in " + mode + " mode", in.stream().filter(c -> c.mode().equals(mode)).toList(), first, last));
            }
            in.stream().flatMap(c -> c.moduleSid().stream()).distinct().sorted().forEach(module -> records.add(segments("module-" + module,
                    "Time in module " + module, in.stream().filter(c -> c.moduleSid().equals(Optional.of(module))).toList(), first, last)));
            List<Counted> uses = countedBuckets.getOrDefault(bucket.getKey(), List.of());
            records.add(counted("api-requests", "API Requests", uses, CountedUsage.Meter.API_REQUESTS, "requests", "requests", first, last));
            records.add(counted("recordings", "Voice Recordings", uses, CountedUsage.Meter.RECORDING_SECONDS, "recordings", "minutes", first, last));
            records.add(counted("tts-characters", "Text to Speech", uses, CountedUsage.Meter.TTS_CHARACTERS, "characters", "characters", first, last));
            category.ifPresentOrElse(wanted -> records.stream().filter(r -> r.category().equals(wanted)).forEach(out::add), () -> out.addAll(records));
        }
        return out;
    }

    private static Record calls(String category, String description, List<Charge> charges, Function<Charge, Boolean> filter, LocalDate first,
                                LocalDate last) {
        Map<String, Long> secondsByCall = new TreeMap<>();
        BigDecimal price = BigDecimal.ZERO;
        for (Charge c : charges) {
            if (filter.apply(c)) {
                secondsByCall.merge(c.callSid(), c.billedSeconds(), Long::sum);
                price = price.add(c.amount());
            }
        }
        long minutes = secondsByCall.values().stream().mapToLong(s -> (s + 59) / 60).sum();
        return new Record(category, description, secondsByCall.size(), "calls", Long.toString(minutes), "minutes", price.setScale(Rating.SCALE),
                first, last);
    }

    private Record counted(String category, String description, List<Counted> uses, CountedUsage.Meter meter, String countUnit, String usageUnit,
                           LocalDate first, LocalDate last) {
        List<Counted> mine = uses.stream().filter(u -> u.meter() == meter).toList();
        long quantity = mine.stream().mapToLong(Counted::quantity).sum();
        long count = meter == CountedUsage.Meter.RECORDING_SECONDS ? mine.size() : quantity;
        long usage = meter == CountedUsage.Meter.RECORDING_SECONDS ? mine.stream().mapToLong(u -> (u.quantity() + 59) / 60).sum() : quantity;
        return new Record(category, description, count, countUnit, Long.toString(usage), usageUnit, prices.amount(meter, quantity), first, last);
    }

    private static Record segments(String category, String description, List<Charge> charges, LocalDate first, LocalDate last) {
        long seconds = charges.stream().mapToLong(Charge::billedSeconds).sum();
        BigDecimal price = charges.stream().map(Charge::amount).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(Rating.SCALE);
        return new Record(category, description, charges.size(), "segments", Long.toString(seconds), "seconds", price, first, last);
    }

    private static LocalDate bucket(LocalDate day, Granularity granularity, LocalDate start) {
        return switch (granularity) {
            case ALL -> start;
            case DAILY -> day;
            case MONTHLY -> day.withDayOfMonth(1);
            case YEARLY -> day.withDayOfYear(1);
        };
    }

    private static LocalDate bucketEnd(LocalDate first, Granularity granularity) {
        return switch (granularity) {
            case ALL, DAILY -> first;
            case MONTHLY -> first.with(TemporalAdjusters.lastDayOfMonth());
            case YEARLY -> first.with(TemporalAdjusters.lastDayOfYear());
        };
    }
}

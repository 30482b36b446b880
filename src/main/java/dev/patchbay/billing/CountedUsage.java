package dev.patchbay.billing;

import dev.patchbay.store.Database;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Counted usage: what is not time in control. REST API requests (per account and per credential
 * that made them: the account itself or an API key), recording seconds and TTS characters (per
 * call, with the module in control). Events are buffered in memory and written in batches by
 * {@link #flush} (the node runs it every second and on shutdown), each under an idempotency key,
 * so writing one twice changes nothing; API requests are summed per account and credential
 * between flushes. A node that dies loses at most the last second's counts. Counted usage is
 * priced by the operator's {@link Prices} when its period closes ({@link Periods}). Thread-safe.
 */
public final class CountedUsage implements AutoCloseable {

    /** What is counted, and its name in usage events, usage records and invoices. */
    public enum Meter {
        API_REQUESTS("api-requests"), RECORDING_SECONDS("recording-seconds"), TTS_CHARACTERS("tts-characters");

        private final String wire;

        Meter(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Meter parse(String value) {
            for (Meter m : values()) {
                if (m.wire.equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("no meter " + value);
        }
    }

    /** The operator's prices: per API request, per recording minute (billed by the second), per TTS character. */
    public record Prices(BigDecimal perApiRequest, BigDecimal perRecordingMinute, BigDecimal perTtsCharacter) {
        public static final Prices FREE = new Prices(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        /** What {@code quantity} of a meter costs, rounded half up to {@link Rating#SCALE} decimals (rounded where booked). */
        public BigDecimal amount(Meter meter, long quantity) {
            return CountedUsage.amount(meter, quantity, switch (meter) {
                case API_REQUESTS -> perApiRequest;
                case RECORDING_SECONDS -> perRecordingMinute;
                case TTS_CHARACTERS -> perTtsCharacter;
            });
        }
    }

    /** {@code quantity} of a meter at {@code price} (per request, per recording minute billed by the second, per character), rounded half up. */
    static BigDecimal amount(Meter meter, long quantity, BigDecimal price) {
        BigDecimal q = BigDecimal.valueOf(quantity);
        BigDecimal exact = meter == Meter.RECORDING_SECONDS ? q.multiply(price).divide(BigDecimal.valueOf(60), 12, RoundingMode.HALF_UP)
                : q.multiply(price);
        return exact.setScale(Rating.SCALE, RoundingMode.HALF_UP);
    }

    /** One counted use; {@code key} makes writing it idempotent. */
    public record Event(String key, String accountSid, Meter meter, long quantity, Optional<String> callSid, Optional<String> moduleSid,
                        Optional<String> moduleOwnerSid, String source, Instant at) {
    }

    private record ApiKey(String accountSid, String credential) {
    }

    private final Database db;
    private final Clock clock;
    private final String nodeId;
    private final ConcurrentLinkedQueue<Event> pending = new ConcurrentLinkedQueue<>();
    private final Map<ApiKey, LongAdder> apiRequests = new ConcurrentHashMap<>();
    private final AtomicLong flushes = new AtomicLong();

    public CountedUsage(Database db, Clock clock, String nodeId) {
        this.db = db;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    public void add(Event event) {
        pending.add(event);
    }

    /** An authenticated REST request by {@code credential} (the account SID or an API key SID) for the account. */
    public void apiRequest(String accountSid, String credential) {
        apiRequests.computeIfAbsent(new ApiKey(accountSid, credential), k -> new LongAdder()).increment();
    }

    /** Writes what was counted since the last flush, in one transaction; returns how many events. */
    public synchronized int flush() {
        List<Event> events = new ArrayList<>();
        Instant now = clock.instant();
        long flush = flushes.incrementAndGet();
        for (var e : apiRequests.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n > 0) {
                events.add(new Event("api:" + nodeId + ":" + now.toEpochMilli() + ":" + flush + ":" + e.getKey().accountSid() + ":" + e.getKey().credential(),
                        e.getKey().accountSid(), Meter.API_REQUESTS, n, Optional.empty(), Optional.empty(), Optional.empty(), e.getKey().credential(), now));
            }
        }
        for (Event e; (e = pending.poll()) != null; ) {
            events.add(e);
        }
        if (events.isEmpty()) {
            return 0;
        }
        db.inTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO usage_events (event_key, account_sid, meter, quantity, call_sid, module_sid, "
                    + "module_owner_sid, source, period, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            for (Event e : events) {
                batch.bind(0, truncate(e.key(), 160)).bind(1, e.accountSid()).bind(2, e.meter().wire()).bind(3, e.quantity())
                        .bind(4, e.callSid().orElse(null)).bind(5, e.moduleSid().orElse(null)).bind(6, e.moduleOwnerSid().orElse(null))
                        .bind(7, truncate(e.source(), 64)).bind(8, Rating.period(e.at())).bind(9, e.at().toEpochMilli()).add();
            }
            batch.execute();
            return null;
        });
        return events.size();
    }

    /** A period's counted usage of one account and meter, in one module (or none), summed. */
    record Used(String accountSid, Meter meter, Optional<String> moduleSid, long quantity) {
    }

    /**
     * Inside the closing of {@code period}: every counted use before {@code end} not yet rated is
     * claimed for the period (late uses of earlier periods too), summed per account, meter and module.
     */
    static List<Used> claim(Handle h, String period, Instant end) {
        h.createUpdate("UPDATE usage_events SET rated_period = ? WHERE rated_period IS NULL AND occurred_at < ?")
                .bind(0, period).bind(1, end.toEpochMilli()).execute();
        return h.createQuery("SELECT account_sid, meter, module_sid, SUM(quantity) FROM usage_events WHERE rated_period = ? "
                        + "GROUP BY account_sid, meter, module_sid ORDER BY account_sid, meter, module_sid").bind(0, period)
                .map((rs, ctx) -> new Used(rs.getString(1), Meter.parse(rs.getString(2)), Optional.ofNullable(rs.getString(3)), rs.getLong(4)))
                .list();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public void close() {
        flush();
    }
}

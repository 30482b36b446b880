package dev.patchbay.linking;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.account.Accounts;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.store.Database;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import dev.patchbay.webhook.Callbacks;
import dev.patchbay.webhook.WebhookRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification engine: webhooks to a module's events URL when a call enters it
 * ({@code module.entered}), leaves it ({@code module.left}, with the outlet and time in control)
 * or ends inside it ({@code module.ended}). Signed with the module developer's auth token,
 * retried with backoff by {@link Callbacks}, logged per module, and never on the call's path:
 * {@link #publish} only queues (in order per call).
 */
public final class ModuleEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModuleEvents.class);
    private static final String COLUMNS = "sid, module_sid, account_sid, call_sid, event_type, url, status, attempts, response_code, date_created, date_updated";

    private final Database db;
    private final Accounts accounts;
    private final Callbacks callbacks;
    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public ModuleEvents(Database db, Accounts accounts, Callbacks callbacks, Clock clock) {
        this.db = db;
        this.accounts = accounts;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** One event about one call in one module. {@code details} are the event's own parameters (Outlet, DurationMs, Cause). */
    public record Event(String type, String moduleSid, String ownerSid, String eventsUrl, String accountSid, String callSid,
                        Optional<String> flowSid, Optional<String> flowNode, Map<String, String> details) {
    }

    /** A logged delivery, as {@code /v1/Modules/{Sid}/Events} shows it. */
    public record Logged(String sid, String moduleSid, String accountSid, String callSid, String eventType, String url, String status,
                         int attempts, Optional<Integer> responseCode, Instant dateCreated, Instant dateUpdated) {
    }

    /** Queues the event; returns at once. */
    public void publish(Event event) {
        Instant at = clock.instant();
        String key = event.callSid();
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, next);
        (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous).whenCompleteAsync((ignored, error) -> {
            try {
                send(event, at);
            } catch (RuntimeException e) {
                log.warn("module event {} for call {} not sent: {}", event.type(), event.callSid(), e.toString());
            } finally {
                next.complete(null);
                tails.remove(key, next);
            }
        }, executor);
    }

    private void send(Event event, Instant at) {
        Optional<Account> owner = accounts.find(event.ownerSid());
        if (owner.isEmpty()) {
            return;
        }
        String sid = Sids.next("EV");
        List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
                Map.entry("EventSid", sid),
                Map.entry("EventType", event.type()),
                Map.entry("ModuleSid", event.moduleSid()),
                Map.entry("AccountSid", event.accountSid()),
                Map.entry("CallSid", event.callSid()),
                Map.entry("Timestamp", at.toString())));
        event.flowSid().ifPresent(f -> params.add(Map.entry("FlowSid", f)));
        event.flowNode().ifPresent(n -> params.add(Map.entry("FlowNode", n)));
        event.details().forEach((name, value) -> params.add(Map.entry(name, value)));
        long now = clock.millis();
        db.write(h -> h.createUpdate("INSERT INTO module_events (sid, module_sid, owner_sid, account_sid, call_sid, event_type, url, status, attempts, "
                        + "date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)")
                .bind(0, sid).bind(1, event.moduleSid()).bind(2, event.ownerSid()).bind(3, event.accountSid()).bind(4, event.callSid())
                .bind(5, event.type()).bind(6, event.eventsUrl()).bind(7, now).bind(8, now).execute());
        Callbacks.Delivery delivery = callbacks.send("events:" + event.callSid(), new WebhookRequest(event.eventsUrl(), HttpMethod.POST, params),
                owner.get().authToken()).join();
        db.write(h -> h.createUpdate("UPDATE module_events SET status = ?, attempts = ?, response_code = ?, date_updated = ? WHERE sid = ?")
                .bind(0, delivery.delivered() ? "delivered" : "failed").bind(1, delivery.attempts())
                .bind(2, delivery.statusCode() == 0 ? null : delivery.statusCode()).bind(3, clock.millis()).bind(4, sid).execute());
    }

    /** The delivery log of a module its developer owns, newest first. */
    public Page<Logged> log(Account owner, String moduleSid, int page, int pageSize) {
        long owned = db.read(h -> h.createQuery("SELECT count(*) FROM modules WHERE sid = ? AND account_sid = ?")
                .bind(0, moduleSid).bind(1, owner.sid()).mapTo(Long.class).one());
        if (owned == 0) {
            throw new PatchbayException.NotFound("/Modules/" + moduleSid + "/Events");
        }
        return db.read(h -> {
            List<Logged> rows = h.createQuery("SELECT " + COLUMNS + " FROM module_events WHERE module_sid = ? ORDER BY date_created DESC, sid LIMIT ? OFFSET ?")
                    .bind(0, moduleSid).bind(1, pageSize + 1).bind(2, (long) page * pageSize)
                    .map((rs, ctx) -> {
                        int code = rs.getInt(9);
                        Optional<Integer> response = rs.wasNull() ? Optional.empty() : Optional.of(code);
                        return new Logged(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getInt(8), response, Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)));
                    }).list();
            return Page.of(rows, page, pageSize);
        });
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}

package dev.patchbay.call;

import dev.patchbay.linking.Module;
import dev.patchbay.linking.ModuleEvents;
import dev.patchbay.store.Database;
import dev.patchbay.store.GroupCommit.Row;
import dev.patchbay.store.GroupCommit.Statement;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control segments of calls. {@link #transition} is the one place control of a call changes
 * hands: it closes the open segment and opens the next in one transaction, so a call's history
 * never has a gap or an overlap. The policy engine and metering hook in here.
 */
public final class Segments {

    private static final Logger log = LoggerFactory.getLogger(Segments.class);

    private static final String COLUMNS = "sid, call_sid, account_sid, seq, mode, module, reason, started_at, ended_at, end_reason, "
            + "module_sid, module_owner_sid, flow_sid, flow_version, flow_node";

    // Grouped writes (see GroupCommit): a call's open segment closes before its next one opens.
    private static final Statement CLOSE_OPEN = new Statement(10, "UPDATE call_segments SET ended_at = ?, end_reason = ? "
            + "WHERE call_sid = ? AND ended_at IS NULL");
    private static final Statement OPEN = new Statement(20, "INSERT INTO call_segments (sid, call_sid, account_sid, seq, mode, module, reason, "
            + "started_at, node_id, module_sid, module_owner_sid, flow_sid, flow_version, flow_node) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

    private final Database db;
    /** Each live call's history write still running beside its next fetch ({@link #handOff}), by call SID. */
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final String nodeId;
    private final Clock clock;
    private final Optional<ModuleEvents> events;
    private volatile Consumer<String> onClosed = callSid -> { };

    public Segments(Database db, String nodeId, Clock clock) {
        this(db, nodeId, clock, Optional.empty());
    }

    public Segments(Database db, String nodeId, Clock clock, Optional<ModuleEvents> events) {
        this.db = db;
        this.nodeId = nodeId;
        this.clock = clock;
        this.events = events;
    }

    /** Who hears that a call's segment closed, after the commit (metering rates it at once). */
    public void onClosed(Consumer<String> listener) {
        this.onClosed = listener;
    }

    /**
     * A live call changes hands now: the one entry point the call code uses. When the module in
     * control changes, its developer hears of it ({@code module.left}, {@code module.entered}).
     */
    void transition(LiveCall call, Mode mode, Controller next, String reason) {
        transition(call, mode, next, reason, clock.instant(), Optional.empty(), false);
    }

    /**
     * As {@link #transition(LiveCall, Mode, Controller, String)}, for a change of control that
     * the caller follows with a fetch of the next instructions: the history write runs beside that
     * fetch instead of before it, and the caller waits for it ({@link #awaitWritten}) before it
     * runs what it fetched. The next module's inlet may so be asked a moment before the hand-off
     * is committed; nothing of the call happens under the next module's control before it is.
     */
    void handOff(LiveCall call, Mode mode, Controller next, String reason) {
        transition(call, mode, next, reason, clock.instant(), Optional.empty(), true);
    }

    /** Waits for the call's history write running beside a fetch, if any; throws what it failed with. */
    void awaitWritten(LiveCall call) {
        CompletableFuture<Void> write = inFlight.get(call.sid());
        if (write == null) {
            return;
        }
        try {
            write.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            inFlight.remove(call.sid(), write);
        }
    }

    /**
     * The call was answered: the call row says so and its first segment opens, in one transaction
     * (both at the moment of the answer).
     */
    void answered(LiveCall call, Mode mode, Controller next, String reason) {
        Instant at = call.answeredAt().orElseThrow();
        transition(call, mode, next, reason, at, Optional.of(Calls.answeredRow(call.sid(), at)), false);
    }

    /**
     * As {@link #transition(LiveCall, Mode, Controller, String)}, at {@code at}, with {@code alongside} written in the same
     * transaction; {@code beside}: the write runs beside the caller's next step. A call's writes are committed in order.
     */
    private void transition(LiveCall call, Mode mode, Controller next, String reason, Instant at, Optional<Row> alongside, boolean beside) {
        awaitWritten(call);
        int seq = call.tenure().nextSegment();
        Row[] rows = rows(call.sid(), call.account().sid(), mode, next, reason, at, seq, alongside);
        if (beside) {
            CompletableFuture<Void> write = db.grouped().submit(rows).thenAccept(counts -> closed(call.sid(), seq, counts));
            inFlight.put(call.sid(), write);
            write.whenComplete((ok, failure) -> {
                if (failure == null) {
                    inFlight.remove(call.sid(), write);   // a failure stays until the call's next write or its end hears it
                }
            });
        } else {
            closed(call.sid(), seq, db.grouped().write(rows));
        }
        Tenure tenure = call.tenure();
        Optional<Controller> previous = tenure.controller();
        boolean moduleChanged = previous.map(p -> !p.sameModule(next)).orElse(true);
        if (moduleChanged) {
            previous.ifPresent(p -> publish(call, p, "module.left", leaving(call, reason, at)));
            tenure.enter(mode, next, at);
            publish(call, next, "module.entered", Map.of("Reason", reason));
        } else {
            tenure.enter(mode, next, tenure.since().orElse(at));
        }
    }

    /**
     * The call ended: its open segment closes, in one transaction with {@code callEnd} (the call
     * row's end); returns whether {@code callEnd} changed its row. Then the module in control (if
     * any) hears {@code module.ended}.
     */
    boolean close(LiveCall call, String endReason, Instant at, Row callEnd) {
        try {
            awaitWritten(call);
        } catch (RuntimeException e) {   // the hand-off before it was rolled back: the segment before it is the open one
            log.warn("call {}: a hand-off's history write failed; closing the segment before it: {}", call.sid(), e.toString());
        }
        int[] counts = db.grouped().write(closeOpen(call.sid(), endReason, at), callEnd);
        if (counts[0] > 0) {
            onClosed.accept(call.sid());   // its last segment: charged, and the call settled, by the rating queue
        }
        call.tenure().controller().ifPresent(c -> publish(call, c, "module.ended", leaving(call, endReason, at)));
        return counts[1] == 1;
    }

    private static Map<String, String> leaving(LiveCall call, String reason, Instant at) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("Cause", reason);
        if (reason.startsWith("outlet:")) {
            details.put("Outlet", reason.substring("outlet:".length()));
        }
        details.put("DurationMs", Long.toString(Math.max(0, at.toEpochMilli() - call.tenure().since().orElse(at).toEpochMilli())));
        return details;
    }

    private void publish(LiveCall call, Controller c, String type, Map<String, String> details) {
        if (events.isEmpty() || c.module().isEmpty() || c.module().get().eventsUrl().isEmpty()) {
            return;
        }
        var m = c.module().get();
        events.get().publish(new ModuleEvents.Event(type, m.sid(), m.accountSid(), m.eventsUrl().get(), call.account().sid(), call.sid(),
                c.flow().map(FlowRun::sid), c.node(), details));
    }

    /** Closes the call's open segment (if any) at {@code at} and opens one for {@code mode}/{@code module}; returns its seq. */
    public int transition(String callSid, String accountSid, Mode mode, String module, String reason, Instant at) {
        return transition(callSid, accountSid, mode, Controller.app(module), reason, at);
    }

    int transition(String callSid, String accountSid, Mode mode, Controller c, String reason, Instant at) {
        int seq = db.read(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM call_segments WHERE call_sid = ?").bind(0, callSid)
                .mapTo(Integer.class).one()) + 1;
        return transition(callSid, accountSid, seq, mode, c, reason, at);
    }

    /**
     * As {@link #transition(String, String, Mode, String, String, Instant)} for a caller that keeps
     * the call's segment count, as a node does for its live calls: {@code seq} is the new segment's
     * (1 for the call's first), and nothing is read first.
     */
    public int transition(String callSid, String accountSid, int seq, Mode mode, String module, String reason, Instant at) {
        return transition(callSid, accountSid, seq, mode, Controller.app(module), reason, at);
    }

    private int transition(String callSid, String accountSid, int seq, Mode mode, Controller c, String reason, Instant at) {
        closed(callSid, seq, db.grouped().write(rows(callSid, accountSid, mode, c, reason, at, seq, Optional.empty())));
        return seq;
    }

    /**
     * The rows of a change of control: the open segment closes (none before a call's first,
     * seq 1) and segment {@code seq} opens, with {@code alongside}, in one grouped write.
     */
    private Row[] rows(String callSid, String accountSid, Mode mode, Controller c, String reason, Instant at, int seq, Optional<Row> alongside) {
        List<Row> rows = new ArrayList<>(3);
        if (seq > 1) {
            rows.add(closeOpen(callSid, "transition:" + reason, at));
        }
        rows.add(new Row(OPEN, Sids.next("SG"), callSid, accountSid, seq, mode.wire(), truncate(c.label(), 2048), truncate(reason, 64),
                at.toEpochMilli(), nodeId, c.moduleSid().orElse(null), c.module().map(Module::accountSid).orElse(null),
                c.flow().map(FlowRun::sid).orElse(null), c.flow().map(FlowRun::version).orElse(null), c.node().orElse(null)));
        alongside.ifPresent(rows::add);
        return rows.toArray(Row[]::new);
    }

    /** After a change of control's commit: when it closed a segment, the segment is rated. */
    private void closed(String callSid, int seq, int[] counts) {
        if (seq > 1 && counts[0] > 0) {
            onClosed.accept(callSid);
        }
    }

    /** Closes the call's open segment, if it has one (the call ended). */
    public void close(String callSid, String endReason, Instant at) {
        if (db.grouped().write(closeOpen(callSid, endReason, at))[0] > 0) {
            onClosed.accept(callSid);   // its last segment: charged, and the call settled, by the rating queue
        }
    }

    private static Row closeOpen(String callSid, String endReason, Instant at) {
        return new Row(CLOSE_OPEN, at.toEpochMilli(), truncate(endReason, 64), callSid);
    }

    /**
     * Stamps this node as alive at {@code at} (one row, whatever the number of its calls): the node
     * runs it every heartbeat interval, so a segment it leaves open by dying is known to have lasted until then.
     */
    public void heartbeat(Instant at) {
        db.write(h -> {
            int stamped = h.createUpdate("UPDATE node_heartbeats SET heartbeat_at = ? WHERE node_id = ?").bind(0, at.toEpochMilli()).bind(1, nodeId)
                    .execute();
            if (stamped == 0) {   // the node's first heartbeat ever; only this node writes its row
                h.createUpdate("INSERT INTO node_heartbeats (node_id, heartbeat_at) VALUES (?, ?)").bind(0, nodeId).bind(1, at.toEpochMilli()).execute();
            }
            return null;
        });
    }

    /**
     * On start: closes the open segments this node's previous run left, at its last heartbeat (or
     * their start, when they opened after it): no usage after the last sign of life is billed,
     * none before it is lost. Run before {@link Calls#failLiveCallsOf}.
     */
    public int closeOrphans() {
        return db.write(h -> h.createUpdate("UPDATE call_segments SET ended_at = GREATEST(started_at, COALESCE((SELECT heartbeat_at FROM node_heartbeats "
                        + "WHERE node_id = ?), started_at)), end_reason = 'node-restart' WHERE node_id = ? AND ended_at IS NULL")
                .bind(0, nodeId).bind(1, nodeId).execute());
    }

    public List<Segment> list(String accountSid, String callSid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM call_segments WHERE call_sid = ? AND account_sid = ? ORDER BY seq")
                .bind(0, callSid).bind(1, accountSid).map((rs, ctx) -> map(rs)).list());
    }

    /**
     * Every segment in which the developer's module was in control, across calls, newest first:
     * a developer sees each use of their module and nothing of the calls' other modules.
     */
    public Page<Segment> ofModule(String ownerSid, String moduleSid, int page, int pageSize) {
        return Page.of(db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM call_segments WHERE module_sid = ? AND module_owner_sid = ? "
                        + "ORDER BY started_at DESC, sid LIMIT ? OFFSET ?")
                .bind(0, moduleSid).bind(1, ownerSid).bind(2, pageSize + 1).bind(3, (long) page * pageSize).map((rs, ctx) -> map(rs)).list()),
                page, pageSize);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Segment map(ResultSet rs) throws SQLException {
        long ended = rs.getLong(9);
        Optional<Instant> endedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
        int version = rs.getInt(14);
        Optional<Integer> flowVersion = rs.wasNull() ? Optional.empty() : Optional.of(version);
        return new Segment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), Mode.parse(rs.getString(5)), rs.getString(6),
                rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)), endedAt, Optional.ofNullable(rs.getString(10)),
                Optional.ofNullable(rs.getString(11)), Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)),
                flowVersion, Optional.ofNullable(rs.getString(15)));
    }
}

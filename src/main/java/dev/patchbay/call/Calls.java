package dev.patchbay.call;

import dev.patchbay.store.Database;
import dev.patchbay.store.GroupCommit.Row;
import dev.patchbay.store.GroupCommit.Statement;
import dev.patchbay.store.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The calls table: created when a call arrives, updated at each status change, never left live
 * by a node that stops (see {@link #failLiveCallsOf}). Thread-safe.
 */
public final class Calls {

    private static final String COLUMNS = "sid, account_sid, parent_call_sid, phone_number_sid, to_address, from_address, direction, "
            + "status, start_time, end_time, duration, caller_name, sip_call_id, node_id, date_created, date_updated";
    private static final String READ_COLUMNS = COLUMNS + ", price";

    // Grouped writes (see GroupCommit): a call row is inserted before anything updates it.
    private static final Statement INSERT = new Statement(0, "INSERT INTO calls (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    private static final Statement ANSWERED = new Statement(30, "UPDATE calls SET status = ?, start_time = ?, date_updated = ? "
            + "WHERE sid = ? AND status IN ('queued', 'ringing')");
    private static final Statement FINISH = new Statement(30, "UPDATE calls SET status = ?, end_time = ?, duration = ?, date_updated = ? "
            + "WHERE sid = ? AND status IN ('queued', 'ringing', 'in-progress')");

    private final Database db;
    private final Clock clock;

    public Calls(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void insert(CallRecord c) {
        db.grouped().write(new Row(INSERT, c.sid(), c.accountSid(), c.parentCallSid().orElse(null), c.phoneNumberSid().orElse(null),
                c.to(), c.from(), c.direction(), c.status().wire(), c.startTime().map(Instant::toEpochMilli).orElse(null),
                c.endTime().map(Instant::toEpochMilli).orElse(null), c.duration().orElse(null), c.callerName().orElse(null),
                c.sipCallId().orElse(null), c.nodeId(), c.dateCreated().toEpochMilli(), c.dateUpdated().toEpochMilli()));
    }

    /** An outgoing call's callee is ringing. */
    public void ringing(String sid) {
        db.write(h -> h.createUpdate("UPDATE calls SET status = ?, date_updated = ? WHERE sid = ? AND status = 'queued'")
                .bind(0, CallStatus.RINGING.wire()).bind(1, clock.millis()).bind(2, sid).execute());
    }

    /** Marks the call answered now. */
    public void answered(String sid, Instant at) {
        db.grouped().write(answeredRow(sid, at));
    }

    /** The row that marks the call answered at {@code at}, for a grouped write. */
    static Row answeredRow(String sid, Instant at) {
        return new Row(ANSWERED, CallStatus.IN_PROGRESS.wire(), at.toEpochMilli(), at.toEpochMilli(), sid);
    }

    /**
     * Gives a live call its final status in one statement; a call already final keeps its first
     * final status (then nothing changes and false is returned).
     */
    public boolean finish(String sid, CallStatus status, Instant at, Optional<Instant> answeredAt) {
        return db.grouped().write(finishRow(sid, status, at, answeredAt))[0] == 1;
    }

    /** The row of {@link #finish(String, CallStatus, Instant, Optional)}, for a grouped write (update count 1: it was live). */
    static Row finishRow(String sid, CallStatus status, Instant at, Optional<Instant> answeredAt) {
        return new Row(FINISH, status.wire(), at.toEpochMilli(), CallRecord.durationSeconds(answeredAt, at), at.toEpochMilli(), sid);
    }

    public Optional<CallRecord> find(String accountSid, String sid) {
        return db.read(h -> h.createQuery("SELECT " + READ_COLUMNS + " FROM calls WHERE sid = ? AND account_sid = ?")
                .bind(0, sid).bind(1, accountSid).map((rs, ctx) -> map(rs)).findOne());
    }

    /** Calls of the account, newest first, as Twilio lists them. */
    public Page<CallRecord> list(String accountSid, Filter filter, int page, int pageSize) {
        StringBuilder where = new StringBuilder(" FROM calls WHERE account_sid = :account");
        filter.to().ifPresent(v -> where.append(" AND to_address = :to"));
        filter.from().ifPresent(v -> where.append(" AND from_address = :from"));
        filter.status().ifPresent(v -> where.append(" AND status = :status"));
        filter.startedOnOrAfter().ifPresent(v -> where.append(" AND start_time >= :after"));
        filter.startedBefore().ifPresent(v -> where.append(" AND start_time < :before"));
        filter.parentCallSid().ifPresent(v -> where.append(" AND parent_call_sid = :parent"));
        return db.read(h -> Page.of(h.createQuery("SELECT " + READ_COLUMNS + where + " ORDER BY date_created DESC, sid LIMIT :limit OFFSET :offset")
                .bind("account", accountSid)
                .bind("to", filter.to().orElse(null)).bind("from", filter.from().orElse(null))
                .bind("status", filter.status().map(CallStatus::wire).orElse(null))
                .bind("after", filter.startedOnOrAfter().map(Instant::toEpochMilli).orElse(null))
                .bind("before", filter.startedBefore().map(Instant::toEpochMilli).orElse(null))
                .bind("parent", filter.parentCallSid().orElse(null))
                .bind("limit", pageSize + 1).bind("offset", (long) page * pageSize)
                .map((rs, ctx) -> map(rs)).list(), page, pageSize));
    }

    /** Filters of the Calls list: exact To/From/Status/ParentCallSid and a StartTime range. */
    public record Filter(Optional<String> to, Optional<String> from, Optional<CallStatus> status,
                         Optional<Instant> startedOnOrAfter, Optional<Instant> startedBefore, Optional<String> parentCallSid) {
        public static final Filter NONE = new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * On start: the node's calls still marked live died with its previous run. They end as failed
     * (never answered) or completed (answered) when their last segment ended (run
     * {@link Segments#closeOrphans} first), so no call is stuck live.
     */
    public int failLiveCallsOf(String nodeId) {
        Instant now = clock.instant();
        return db.inTransaction(h -> {
            var live = h.createQuery("SELECT " + READ_COLUMNS + " FROM calls WHERE node_id = ? AND status IN ('queued', 'ringing', 'in-progress')")
                    .bind(0, nodeId).map((rs, ctx) -> map(rs)).list();
            for (CallRecord c : live) {
                CallStatus end = c.startTime().isPresent() ? CallStatus.COMPLETED : CallStatus.FAILED;
                // the call ended when its last segment did (closed at its last heartbeat), else at its last update
                Long lastSegmentEnd = h.createQuery("SELECT MAX(ended_at) FROM call_segments WHERE call_sid = ?").bind(0, c.sid())
                        .mapTo(Long.class).one();
                Instant endedAt = lastSegmentEnd == null ? c.dateUpdated() : Instant.ofEpochMilli(lastSegmentEnd);
                h.createUpdate("UPDATE calls SET status = ?, end_time = ?, duration = ?, date_updated = ? WHERE sid = ?")
                        .bind(0, end.wire()).bind(1, endedAt.toEpochMilli())
                        .bind(2, CallRecord.durationSeconds(c.startTime(), endedAt)).bind(3, now.toEpochMilli()).bind(4, c.sid()).execute();
            }
            return live.size();
        });
    }

    private static CallRecord map(ResultSet rs) throws SQLException {
        return new CallRecord(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), CallStatus.parse(rs.getString(8)),
                instant(rs, 9), instant(rs, 10), Optional.ofNullable((Integer) rs.getObject(11, Integer.class)),
                Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)), rs.getString(14),
                Instant.ofEpochMilli(rs.getLong(15)), Instant.ofEpochMilli(rs.getLong(16)), Optional.ofNullable(rs.getBigDecimal(17)));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
}

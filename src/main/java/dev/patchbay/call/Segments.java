package dev.patchbay.call;

import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The control segments of calls. {@link #transition} is the one place control of a call changes
 * hands: it closes the open segment and opens the next in one transaction, so a call's history
 * never has a gap or an overlap. The policy engine and metering hook in here.
 */
public final class Segments {

    private static final String COLUMNS = "sid, call_sid, account_sid, seq, mode, module, reason, started_at, ended_at, end_reason";

    private final Database db;
    private final String nodeId;
    private final java.time.Clock clock;

    public Segments(Database db, String nodeId, java.time.Clock clock) {
        this.db = db;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** A live call changes hands now: the one entry point the call code uses. */
    void transition(LiveCall call, Mode mode, String module, String reason) {
        transition(call.sid(), call.account().sid(), mode, module, reason, clock.instant());
        call.inMode(mode);
    }

    /** Closes the call's open segment (if any) at {@code at} and opens one for {@code mode}/{@code module}; returns its seq. */
    public int transition(String callSid, String accountSid, Mode mode, String module, String reason, Instant at) {
        return db.inTransaction(h -> {
            int seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM call_segments WHERE call_sid = ?").bind(0, callSid).mapTo(Integer.class).one();
            h.createUpdate("UPDATE call_segments SET ended_at = ?, end_reason = ? WHERE call_sid = ? AND ended_at IS NULL")
                    .bind(0, at.toEpochMilli()).bind(1, "transition:" + reason).bind(2, callSid).execute();
            h.createUpdate("INSERT INTO call_segments (sid, call_sid, account_sid, seq, mode, module, reason, started_at, node_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, Sids.next("SG")).bind(1, callSid).bind(2, accountSid).bind(3, seq + 1).bind(4, mode.wire())
                    .bind(5, truncate(module, 2048)).bind(6, truncate(reason, 64)).bind(7, at.toEpochMilli()).bind(8, nodeId).execute();
            return seq + 1;
        });
    }

    /** Closes the call's open segment, if it has one (the call ended). */
    public void close(String callSid, String endReason, Instant at) {
        db.write(h -> h.createUpdate("UPDATE call_segments SET ended_at = ?, end_reason = ? WHERE call_sid = ? AND ended_at IS NULL")
                .bind(0, at.toEpochMilli()).bind(1, truncate(endReason, 64)).bind(2, callSid).execute());
    }

    /** Closes the open segments this node's previous run left (at their call's last update), on start. */
    public int closeOrphans(Instant at) {
        return db.write(h -> h.createUpdate("UPDATE call_segments SET ended_at = COALESCE((SELECT c.date_updated FROM calls c "
                        + "WHERE c.sid = call_segments.call_sid), ?), end_reason = 'node-restart' WHERE node_id = ? AND ended_at IS NULL")
                .bind(0, at.toEpochMilli()).bind(1, nodeId).execute());
    }

    public List<Segment> list(String accountSid, String callSid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM call_segments WHERE call_sid = ? AND account_sid = ? ORDER BY seq")
                .bind(0, callSid).bind(1, accountSid).map((rs, ctx) -> map(rs)).list());
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Segment map(ResultSet rs) throws SQLException {
        long ended = rs.getLong(9);
        Optional<Instant> endedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
        return new Segment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), Mode.parse(rs.getString(5)), rs.getString(6),
                rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)), endedAt, Optional.ofNullable(rs.getString(10)));
    }
}

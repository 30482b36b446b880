package dev.patchbay.call;

import dev.patchbay.store.Database;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Twilio's Notifications: what went wrong in an account's calls, per account and per call. */
public final class Notifications {

    public static final int ERROR = 0;
    public static final int WARNING = 1;

    private static final String COLUMNS = "sid, account_sid, call_sid, log_level, error_code, message_text, request_url, request_method, "
            + "response_body, message_date, date_created";

    private final Database db;
    private final Clock clock;

    public Notifications(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Notification record(String accountSid, Optional<String> callSid, int log, int code, String message,
                               Optional<String> url, Optional<String> method) {
        Instant now = clock.instant();
        Notification n = new Notification(Sids.next("NO"), accountSid, callSid, log, code, truncate(message, 4096), url.map(u -> truncate(u, 2048)),
                method, Optional.empty(), now, now);
        db.inTransaction(h -> h.createUpdate("INSERT INTO notifications (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, n.sid()).bind(1, accountSid).bind(2, callSid.orElse(null)).bind(3, log).bind(4, code)
                .bind(5, n.messageText()).bind(6, n.requestUrl().orElse(null)).bind(7, method.orElse(null)).bind(8, (String) null)
                .bind(9, now.toEpochMilli()).bind(10, now.toEpochMilli()).execute());
        return n;
    }

    public Optional<Notification> find(String accountSid, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM notifications WHERE sid = ? AND account_sid = ?")
                .bind(0, sid).bind(1, accountSid).map((rs, ctx) -> map(rs)).findOne());
    }

    public Page<Notification> list(String accountSid, Optional<String> callSid, int page, int pageSize) {
        String where = " FROM notifications WHERE account_sid = :account" + (callSid.isPresent() ? " AND call_sid = :call" : "");
        return db.read(h -> Page.of(h.createQuery("SELECT " + COLUMNS + where + " ORDER BY date_created DESC, sid LIMIT :limit OFFSET :offset")
                .bind("account", accountSid).bind("call", callSid.orElse(null))
                .bind("limit", pageSize + 1).bind("offset", (long) page * pageSize)
                .map((rs, ctx) -> map(rs)).list(), page, pageSize));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Notification map(ResultSet rs) throws SQLException {
        return new Notification(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3)), rs.getInt(4), rs.getInt(5),
                rs.getString(6), Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
                Optional.ofNullable(rs.getString(9)), Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)));
    }
}

package dev.patchbay.linking;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-call shared state: named values any module of the call can set and every module receives
 * (as {@code State_<name>} request parameters), so modules pass values on without knowing each
 * other. It can be read and written by the call's account and by the developer of the module in
 * control right now; anyone else gets 404. Thread-safe.
 */
public final class CallState {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int MAX_VALUE = 4000;
    private static final int MAX_NAMES = 100;

    private final Database db;
    private final Clock clock;

    public CallState(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The account the call belongs to, when {@code viewer} may use its state (its account, or the developer in control); 404 otherwise. */
    public String accessibleBy(String viewer, String callSid) {
        String account = db.read(h -> h.createQuery("SELECT account_sid FROM calls WHERE sid = ?").bind(0, callSid).mapTo(String.class).findOne())
                .orElseThrow(() -> new PatchbayException.NotFound("/Calls/" + callSid + "/State"));
        if (account.equals(viewer)) {
            return account;
        }
        boolean inControl = db.read(h -> h.createQuery("SELECT count(*) FROM call_segments WHERE call_sid = ? AND ended_at IS NULL AND module_owner_sid = ?")
                .bind(0, callSid).bind(1, viewer).mapTo(Long.class).one()) > 0;
        if (!inControl) {
            throw new PatchbayException.NotFound("/Calls/" + callSid + "/State");
        }
        return account;
    }

    public Map<String, String> read(String callSid) {
        Map<String, String> out = new LinkedHashMap<>();
        db.read(h -> h.createQuery("SELECT state_name, state_value FROM call_state WHERE call_sid = ? ORDER BY state_name").bind(0, callSid)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Sets every value in {@code values} at once (all or nothing). */
    public void write(String callSid, String accountSid, Map<String, String> values) {
        values.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw PatchbayException.InvalidParameter.invalid(name, name, "a state name (1-64 letters, digits or _)");
            }
            if (value.length() > MAX_VALUE) {
                throw PatchbayException.InvalidParameter.invalid(name, value.substring(0, 20) + "...", "at most " + MAX_VALUE + " characters");
            }
        });
        db.inTransaction(h -> {
            for (var e : values.entrySet()) {
                int n = h.createUpdate("UPDATE call_state SET state_value = ?, date_updated = ? WHERE call_sid = ? AND state_name = ?")
                        .bind(0, e.getValue()).bind(1, clock.millis()).bind(2, callSid).bind(3, e.getKey()).execute();
                if (n == 0) {
                    h.createUpdate("INSERT INTO call_state (call_sid, account_sid, state_name, state_value, date_updated) VALUES (?, ?, ?, ?, ?)")
                            .bind(0, callSid).bind(1, accountSid).bind(2, e.getKey()).bind(3, e.getValue()).bind(4, clock.millis()).execute();
                }
            }
            long names = h.createQuery("SELECT count(*) FROM call_state WHERE call_sid = ?").bind(0, callSid).mapTo(Long.class).one();
            if (names > MAX_NAMES) {
                throw new PatchbayException.InvalidParameter(20001, "A call holds at most " + MAX_NAMES + " state values");
            }
            return null;
        });
    }

    public boolean delete(String callSid, String name) {
        return db.write(h -> h.createUpdate("DELETE FROM call_state WHERE call_sid = ? AND state_name = ?").bind(0, callSid).bind(1, name).execute()) > 0;
    }
}

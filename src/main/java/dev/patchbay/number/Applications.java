package dev.patchbay.number;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Twilio's Applications resource: voice settings that numbers and calls share by SID. Thread-safe. */
public final class Applications {

    private static final String COLUMNS = "sid, account_sid, friendly_name, voice_url, voice_method, voice_fallback_url, "
            + "voice_fallback_method, status_callback, status_callback_method, date_created, date_updated, status_callback_events";

    private final Database db;
    private final Clock clock;

    public Applications(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Application create(Account owner, String friendlyName, VoiceSettings voice) {
        Instant now = clock.instant();
        Application app = new Application(Sids.next("AP"), owner.sid(), friendlyName, voice, now, now);
        db.inTransaction(h -> h.createUpdate("INSERT INTO applications (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, app.sid()).bind(1, app.accountSid()).bind(2, app.friendlyName())
                .bind(3, voice.url().orElse(null)).bind(4, voice.method().name())
                .bind(5, voice.fallbackUrl().orElse(null)).bind(6, voice.fallbackMethod().name())
                .bind(7, voice.statusCallback().orElse(null)).bind(8, voice.statusCallbackMethod().name())
                .bind(9, now.toEpochMilli()).bind(10, now.toEpochMilli())
                .bind(11, VoiceSettings.CallEvent.store(voice.statusCallbackEvents())).execute());
        return app;
    }

    public Optional<Application> find(Account owner, String sid) {
        return findInAccount(owner.sid(), sid);
    }

    /** An application by SID within an account, for the call path which has no viewer. */
    public Optional<Application> findInAccount(String accountSid, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM applications WHERE sid = ? AND account_sid = ?")
                .bind(0, sid).bind(1, accountSid).map((rs, ctx) -> map(rs)).findOne());
    }

    public Application require(Account owner, String sid) {
        return find(owner, sid).orElseThrow(() -> new PatchbayException.NotFound("/Applications/" + sid));
    }

    public Page<Application> list(Account owner, Optional<String> friendlyName, int page, int pageSize) {
        String where = " FROM applications WHERE account_sid = :account" + (friendlyName.isPresent() ? " AND friendly_name = :name" : "");
        return db.read(h -> Page.of(h.createQuery("SELECT " + COLUMNS + where + " ORDER BY date_created, sid LIMIT :limit OFFSET :offset")
                .bind("account", owner.sid()).bind("name", friendlyName.orElse(null))
                .bind("limit", pageSize + 1).bind("offset", (long) page * pageSize)
                .map((rs, ctx) -> map(rs)).list(), page, pageSize));
    }

    public Application update(Account owner, String sid, UnaryOperator<Application> change) {
        return db.inTransaction(h -> {
            Application current = h.createQuery("SELECT " + COLUMNS + " FROM applications WHERE sid = ? AND account_sid = ? FOR UPDATE")
                    .bind(0, sid).bind(1, owner.sid()).map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> new PatchbayException.NotFound("/Applications/" + sid));
            Application c = change.apply(current);
            Application updated = new Application(sid, current.accountSid(), c.friendlyName(), c.voice(), current.dateCreated(), clock.instant());
            VoiceSettings v = updated.voice();
            h.createUpdate("UPDATE applications SET friendly_name = ?, voice_url = ?, voice_method = ?, voice_fallback_url = ?, "
                            + "voice_fallback_method = ?, status_callback = ?, status_callback_method = ?, date_updated = ?, "
                            + "status_callback_events = ? WHERE sid = ?")
                    .bind(0, updated.friendlyName()).bind(1, v.url().orElse(null)).bind(2, v.method().name())
                    .bind(3, v.fallbackUrl().orElse(null)).bind(4, v.fallbackMethod().name())
                    .bind(5, v.statusCallback().orElse(null)).bind(6, v.statusCallbackMethod().name())
                    .bind(7, updated.dateUpdated().toEpochMilli())
                    .bind(8, VoiceSettings.CallEvent.store(v.statusCallbackEvents())).bind(9, sid).execute();
            return updated;
        });
    }

    /** Deletes the application; numbers that pointed at it fall back to their own voice settings. */
    public void delete(Account owner, String sid) {
        int deleted = db.inTransaction(h -> {
            h.createUpdate("UPDATE incoming_phone_numbers SET voice_application_sid = NULL WHERE voice_application_sid = ? AND account_sid = ?")
                    .bind(0, sid).bind(1, owner.sid()).execute();
            return h.createUpdate("DELETE FROM applications WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, owner.sid()).execute();
        });
        if (deleted == 0) {
            throw new PatchbayException.NotFound("/Applications/" + sid);
        }
    }

    private static Application map(ResultSet rs) throws SQLException {
        VoiceSettings voice = new VoiceSettings(Optional.ofNullable(rs.getString(4)), HttpMethod.valueOf(rs.getString(5)),
                Optional.ofNullable(rs.getString(6)), HttpMethod.valueOf(rs.getString(7)),
                Optional.ofNullable(rs.getString(8)), HttpMethod.valueOf(rs.getString(9)),
                VoiceSettings.CallEvent.load(rs.getString(12)));
        return new Application(rs.getString(1), rs.getString(2), rs.getString(3), voice,
                Instant.ofEpochMilli(rs.getLong(10)), Instant.ofEpochMilli(rs.getLong(11)));
    }
}

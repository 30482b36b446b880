package dev.patchbay.call;

import dev.patchbay.media.Codec;
import dev.patchbay.media.Wav;
import dev.patchbay.store.Database;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Recordings: WAV files in the data folder and their rows. The file is written before the row, so a row always has audio. */
public final class Recordings {

    private static final String COLUMNS = "sid, account_sid, call_sid, status, duration, channels, source, file_name, start_time, date_created, date_updated, conference_sid";

    private final Database db;
    private final Clock clock;
    private final Path dir;

    public Recordings(Database db, Clock clock, Path dir) {
        this.db = db;
        this.clock = clock;
        this.dir = dir;
    }

    public Recording save(String accountSid, String callSid, Instant started, short[] audio) {
        return save(accountSid, callSid, started, audio, 1, "RecordVerb");
    }

    /** Saves audio ({@code channels} interleaved) made by {@code source} (RecordVerb, DialVerb). */
    public Recording save(String accountSid, String callSid, Instant started, short[] audio, int channels, String source) {
        return save(accountSid, callSid, Optional.empty(), started, audio, channels, source);
    }

    /** Saves a recording, of a conference's room when {@code conferenceSid} is given. */
    public Recording save(String accountSid, String callSid, Optional<String> conferenceSid, Instant started, short[] audio, int channels,
                          String source) {
        String sid = Sids.next("RE");
        String fileName = sid + ".wav";
        try {
            Files.createDirectories(dir);
            Wav.write(dir.resolve(fileName), audio, channels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write recording " + fileName, e);
        }
        Instant now = clock.instant();
        int duration = (int) Math.round((double) audio.length / channels / Codec.SAMPLE_RATE);
        Recording r = new Recording(sid, accountSid, callSid, conferenceSid, "completed", duration, channels, source, fileName, started, now, now);
        db.inTransaction(h -> h.createUpdate("INSERT INTO recordings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, sid).bind(1, accountSid).bind(2, callSid).bind(3, r.status()).bind(4, duration).bind(5, channels)
                .bind(6, r.source()).bind(7, fileName).bind(8, started.toEpochMilli()).bind(9, now.toEpochMilli()).bind(10, now.toEpochMilli())
                .bind(11, conferenceSid.orElse(null)).execute());
        return r;
    }

    public Optional<Recording> find(String accountSid, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM recordings WHERE sid = ? AND account_sid = ?")
                .bind(0, sid).bind(1, accountSid).map((rs, ctx) -> map(rs)).findOne());
    }

    public Page<Recording> list(String accountSid, Optional<String> callSid, int page, int pageSize) {
        return list(accountSid, callSid, Optional.empty(), page, pageSize);
    }

    /** The account's recordings, of one call or one conference when given, newest first. */
    public Page<Recording> list(String accountSid, Optional<String> callSid, Optional<String> conferenceSid, int page, int pageSize) {
        String where = " FROM recordings WHERE account_sid = :account" + (callSid.isPresent() ? " AND call_sid = :call" : "")
                + (conferenceSid.isPresent() ? " AND conference_sid = :conference" : "");
        return db.read(h -> {
            var query = h.createQuery("SELECT " + COLUMNS + where + " ORDER BY date_created DESC, sid LIMIT :limit OFFSET :offset")
                    .bind("account", accountSid).bind("limit", pageSize + 1).bind("offset", (long) page * pageSize);
            callSid.ifPresent(c -> query.bind("call", c));
            conferenceSid.ifPresent(c -> query.bind("conference", c));
            return Page.of(query.map((rs, ctx) -> map(rs)).list(), page, pageSize);
        });
    }

    public Path file(Recording r) {
        return dir.resolve(r.fileName());
    }

    /** Removes the row, then the file. */
    public boolean delete(String accountSid, String sid) {
        Optional<Recording> r = find(accountSid, sid);
        if (r.isEmpty()) {
            return false;
        }
        db.inTransaction(h -> h.createUpdate("DELETE FROM recordings WHERE sid = ?").bind(0, sid).execute());
        try {
            Files.deleteIfExists(file(r.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    private static Recording map(ResultSet rs) throws SQLException {
        return new Recording(rs.getString(1), rs.getString(2), rs.getString(3), Optional.ofNullable(rs.getString(12)), rs.getString(4),
                rs.getInt(5), rs.getInt(6),
                rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)));
    }
}

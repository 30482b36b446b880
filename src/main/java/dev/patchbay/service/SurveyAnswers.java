package dev.patchbay.service;

import dev.patchbay.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The survey service's answers, one per call, module and question (the first answer counts). Thread-safe. */
public final class SurveyAnswers {

    private final Database db;
    private final Clock clock;

    public SurveyAnswers(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One answer as the module's developer sees it. */
    public record Answer(String callSid, String accountSid, String question, String answer, Instant answeredAt) {
    }

    void record(String callSid, String moduleSid, String accountSid, String question, String answer) {
        db.write(h -> h.createUpdate("INSERT INTO survey_answers (call_sid, module_sid, account_sid, question, answer, answered_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, callSid).bind(1, moduleSid).bind(2, accountSid).bind(3, question).bind(4, answer).bind(5, clock.millis()).execute());
    }

    /** A survey module's answers, newest first (the caller has checked that it owns the module). */
    public List<Answer> of(String moduleSid, int limit) {
        return db.read(h -> h.createQuery("SELECT call_sid, account_sid, question, answer, answered_at FROM survey_answers WHERE module_sid = ? "
                        + "ORDER BY answered_at DESC, call_sid, question LIMIT ?").bind(0, moduleSid).bind(1, limit)
                .map((rs, ctx) -> new Answer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))))
                .list());
    }
}

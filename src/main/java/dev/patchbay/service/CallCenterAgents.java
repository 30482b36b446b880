package dev.patchbay.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A call-center module's agents as their developer manages them: who is available (set over
 * REST), who is on a call, idle since when. An agent becoming available is idle from then on.
 * Thread-safe.
 */
public final class CallCenterAgents {

    private final Database db;
    private final Clock clock;

    public CallCenterAgents(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public record Agent(String name, boolean available, Optional<String> onCall, Instant idleSince) {
    }

    /** The configured agents have rows: new ones start unavailable, idle from now. */
    void ensure(String moduleSid, List<String> names) {
        for (String name : names) {
            db.write(h -> h.createUpdate("INSERT INTO call_center_agents (module_sid, name, available, busy_call_sid, idle_since) "
                    + "VALUES (?, ?, FALSE, NULL, ?) ON CONFLICT DO NOTHING").bind(0, moduleSid).bind(1, name).bind(2, clock.millis()).execute());
        }
    }

    /** The module's agents, as configured in {@code configuration} (the module's JSON). */
    public List<Agent> list(String moduleSid, String configuration) {
        ensure(moduleSid, names(configuration));
        List<String> configured = names(configuration);
        return db.read(h -> h.createQuery("SELECT name, available, busy_call_sid, idle_since FROM call_center_agents WHERE module_sid = ? "
                        + "ORDER BY name").bind(0, moduleSid)
                .map((rs, ctx) -> new Agent(rs.getString(1), rs.getBoolean(2), Optional.ofNullable(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4))))
                .list()).stream().filter(a -> configured.contains(a.name())).toList();
    }

    /** Sets an agent available or not; becoming available makes it idle from now. 404 for a name the configuration does not have. */
    public Agent setAvailable(String moduleSid, String configuration, String name, boolean available) {
        if (!names(configuration).contains(name)) {
            throw new PatchbayException.NotFound("/Agents/" + name);
        }
        ensure(moduleSid, List.of(name));
        db.write(h -> h.createUpdate("UPDATE call_center_agents SET available = ?, idle_since = CASE WHEN ? AND NOT available THEN ? ELSE idle_since END "
                        + "WHERE module_sid = ? AND name = ?")
                .bind(0, available).bind(1, available).bind(2, clock.millis()).bind(3, moduleSid).bind(4, name).execute());
        return list(moduleSid, configuration).stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> names(String configuration) {
        try {
            List<String> out = new ArrayList<>();
            new ObjectMapper().readTree(configuration).path("agents").forEach(a -> out.add(a.path("name").asText()));
            return out;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}

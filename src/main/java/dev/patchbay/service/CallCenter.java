package dev.patchbay.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The call-center service: callers are routed to the longest-idle available agent (agents are
 * named in the configuration; their availability is set over REST), the caller and the agent are
 * bridged in the basic mode, and when the agent hangs up the caller leaves by the post-call outlet
 * (a survey, say). While no agent is free the caller hears hold music with their position in line.
 *
 * <pre>{"agents": [{"name": "alice", "endpoint": "sip:alice@10.0.0.7"}, {"name": "bob", "endpoint": "+14155550123"}],
 *  "hold_message": "All our agents are busy. Please hold.", "announce_position": true,
 *  "ring_seconds": 20, "after_call": "survey"}</pre>
 * An agent's endpoint is a sip: URI, an E.164 number (through the account's trunks) or
 * {@code client:<name>} (a user agent registered with Patchbay).
 */
final class CallCenter implements Service {

    static final String NAME = "call-center";
    private static final List<String> LIVE = List.of("queued", "ringing", "in-progress");

    private final Database db;
    private final Clock clock;
    private final Supplier<String> httpBase;
    private final CallCenterAgents agents;

    CallCenter(Database db, Clock clock, Supplier<String> httpBase, CallCenterAgents agents) {
        this.agents = agents;
        this.db = db;
        this.clock = clock;
        this.httpBase = httpBase;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(JsonNode c, List<String> outlets) {
        JsonNode agents = c.get("agents");
        if (agents == null || !agents.isArray() || agents.isEmpty()) {
            throw Fields.invalid("agents", "must be a non-empty array of {\"name\", \"endpoint\"}");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < agents.size(); i++) {
            String field = "agents[" + i + "]";
            String name = Fields.text(agents.get(i), "name", field + ".name", null);
            if (!name.matches("[A-Za-z0-9_.-]{1,64}") || !names.add(name)) {
                throw Fields.invalid(field + ".name", "'" + name + "' must be unique: letters, digits, _ . -, up to 64");
            }
            String endpoint = Fields.text(agents.get(i), "endpoint", field + ".endpoint", null);
            if (!endpoint.regionMatches(true, 0, "sip:", 0, 4) && !endpoint.matches("\\+[1-9][0-9]{6,14}")
                    && !endpoint.matches("client:[A-Za-z0-9_.@+-]{1,128}")) {
                throw Fields.invalid(field + ".endpoint", "'" + endpoint + "' is not a sip: URI, an E.164 number or client:<name>");
            }
        }
        Fields.text(c, "hold_message", "hold_message", "All our agents are busy. Please hold.");
        Fields.integer(c, "ring_seconds", "ring_seconds", 20, 5, 120);
        if (c.hasNonNull("after_call") && !outlets.contains(c.get("after_call").asText())) {
            throw Fields.invalid("after_call", "'" + c.get("after_call").asText() + "' is not an outlet of this module (its outlets: " + outlets + ")");
        }
    }

    @Override
    public String respond(JsonNode c, Step step) {
        String module = step.moduleSid();
        if (step.query().getOrDefault("step", "route").equals("after")) {
            release(module, step.query().getOrDefault("agent", ""));
            if (step.param("DialCallStatus").equals("completed")) {
                db.write(h -> h.createUpdate("DELETE FROM call_center_waiting WHERE module_sid = ? AND call_sid = ?").bind(0, module)
                        .bind(1, step.callSid()).execute());
                return Twiml.document(c.hasNonNull("after_call") ? Twiml.redirect("outlet:" + c.get("after_call").asText()) : "<Hangup/>");
            }
        }
        Optional<JsonNode> agent = claim(c, module, step.callSid());
        if (agent.isPresent()) {
            db.write(h -> h.createUpdate("DELETE FROM call_center_waiting WHERE module_sid = ? AND call_sid = ?").bind(0, module)
                    .bind(1, step.callSid()).execute());
            String endpoint = agent.get().get("endpoint").asText();
            String noun = endpoint.regionMatches(true, 0, "sip:", 0, 4) ? "<Sip>" + Twiml.text(endpoint) + "</Sip>"
                    : endpoint.startsWith("client:") ? "<Client>" + Twiml.text(endpoint.substring(7)) + "</Client>"
                    : "<Number>" + Twiml.text(endpoint) + "</Number>";
            return Twiml.document("<Dial timeout=\"" + c.path("ring_seconds").asInt(20) + "\" action=\""
                    + Twiml.attr("service:" + NAME + "?step=after&agent=" + agent.get().get("name").asText()) + "\">" + noun + "</Dial>");
        }
        int position = waitInLine(module, step.callSid());
        StringBuilder body = new StringBuilder(Twiml.say(c.path("hold_message").asText("All our agents are busy. Please hold.")));
        if (c.path("announce_position").asBoolean(true)) {
            body.append(Twiml.say("You are number " + position + " in line."));
        }
        body.append("<Play>").append(Twiml.text(httpBase.get() + "/demo/hold.wav")).append("</Play>");
        body.append(Twiml.redirect("service:" + NAME + "?step=route"));
        return Twiml.document(body.toString());
    }

    /**
     * Takes the longest-idle available agent for the call (one conditional update, so two calls
     * never take the same agent, on any node). An agent held by a call that has ended is free.
     */
    private Optional<JsonNode> claim(JsonNode c, String module, String callSid) {
        ensureAgents(c, module);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<String> name = db.read(h -> h.createQuery("SELECT a.name FROM call_center_agents a WHERE a.module_sid = ? AND a.available "
                            + "AND (a.busy_call_sid IS NULL OR NOT EXISTS (SELECT 1 FROM calls k WHERE k.sid = a.busy_call_sid AND k.status IN (?, ?, ?))) "
                            + "AND (SELECT count(*) FROM call_center_waiting w JOIN calls k ON k.sid = w.call_sid WHERE w.module_sid = a.module_sid "
                            + "AND w.call_sid <> ? AND k.status IN (?, ?, ?) AND w.since < COALESCE((SELECT since FROM call_center_waiting x "
                            + "WHERE x.module_sid = a.module_sid AND x.call_sid = ?), 9223372036854775807)) = 0 "
                            + "ORDER BY a.idle_since, a.name LIMIT 1")
                    .bind(0, module).bind(1, LIVE.get(0)).bind(2, LIVE.get(1)).bind(3, LIVE.get(2)).bind(4, callSid)
                    .bind(5, LIVE.get(0)).bind(6, LIVE.get(1)).bind(7, LIVE.get(2)).bind(8, callSid).mapTo(String.class).findOne());
            if (name.isEmpty()) {
                return Optional.empty();
            }
            int taken = db.write(h -> h.createUpdate("UPDATE call_center_agents SET busy_call_sid = ? WHERE module_sid = ? AND name = ? AND available "
                            + "AND (busy_call_sid IS NULL OR NOT EXISTS (SELECT 1 FROM calls k WHERE k.sid = busy_call_sid AND k.status IN (?, ?, ?)))")
                    .bind(0, callSid).bind(1, module).bind(2, name.get()).bind(3, LIVE.get(0)).bind(4, LIVE.get(1)).bind(5, LIVE.get(2)).execute());
            if (taken == 1) {
                for (JsonNode a : c.get("agents")) {
                    if (a.get("name").asText().equals(name.get())) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The agent is free again, idle from now (whatever the call did: a no-answer moves it to the back). */
    private void release(String module, String agent) {
        db.write(h -> h.createUpdate("UPDATE call_center_agents SET busy_call_sid = NULL, idle_since = ? WHERE module_sid = ? AND name = ?")
                .bind(0, clock.millis()).bind(1, module).bind(2, agent).execute());
    }

    /** The caller's place in line (from 1), joining it the first time; callers whose calls ended do not count. */
    private int waitInLine(String module, String callSid) {
        return db.inTransaction(h -> {
            if (h.createQuery("SELECT count(*) FROM call_center_waiting WHERE module_sid = ? AND call_sid = ?").bind(0, module).bind(1, callSid)
                    .mapTo(Long.class).one() == 0) {
                h.createUpdate("INSERT INTO call_center_waiting (module_sid, call_sid, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                        .bind(0, module).bind(1, callSid).bind(2, clock.millis()).execute();
            }
            return h.createQuery("SELECT count(*) FROM call_center_waiting w JOIN calls k ON k.sid = w.call_sid WHERE w.module_sid = ? "
                            + "AND k.status IN (?, ?, ?) AND w.since <= (SELECT since FROM call_center_waiting WHERE module_sid = ? AND call_sid = ?)")
                    .bind(0, module).bind(1, LIVE.get(0)).bind(2, LIVE.get(1)).bind(3, LIVE.get(2)).bind(4, module).bind(5, callSid)
                    .mapTo(Integer.class).one();
        });
    }

    private void ensureAgents(JsonNode c, String module) {
        List<String> names = new ArrayList<>();
        c.get("agents").forEach(a -> names.add(a.get("name").asText()));
        agents.ensure(module, names);
    }
}

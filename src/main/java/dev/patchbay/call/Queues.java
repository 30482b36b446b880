package dev.patchbay.call;

import dev.patchbay.PatchbayException;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Twilio's queues: the durable side (the queues, their members, the waits they added up to, for
 * REST on any node) and this node's live side (the calls waiting here, in order, for an agent's
 * {@code <Dial><Queue>}). An agent takes the front member waiting on its own node. Thread-safe.
 */
public final class Queues {

    private static final String COLUMNS = "sid, account_sid, friendly_name, max_size, waits, wait_ms, date_created, date_updated";

    private final Database db;
    private final Clock clock;
    private final String nodeId;
    private final Map<String, Deque<Member>> waiting = new HashMap<>();
    /** Agents whose {@code <Dial><Queue>} found no caller, by account and queue name: told when one joins. */
    private final Map<String, Set<LiveCall>> watching = new HashMap<>();

    public Queues(Database db, Clock clock, String nodeId) {
        this.db = db;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** A queue as REST shows it: its size now and the average wait of the callers it has let go, in seconds. */
    public record Queue(String sid, String accountSid, String friendlyName, int maxSize, int currentSize, int averageWaitTime,
                        Instant dateCreated, Instant dateUpdated) {
    }

    /** A waiting caller as REST shows it: position from 1, seconds waited. */
    public record Waiting(String callSid, String queueSid, int position, int waitTime, Instant dateEnqueued) {
    }

    /**
     * A caller waiting on this node. The agent that takes it completes {@code taken}; the caller's
     * thread completes {@code ready} once it is in the bridge's mode, and the agent completes
     * {@code released} when their talk ends. Each completion wakes the thread that waits for it.
     */
    static final class Member {
        final LiveCall call;
        final String queueSid;
        final Instant since;
        final CompletableFuture<LiveCall> taken = new CompletableFuture<>();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final CompletableFuture<Void> released = new CompletableFuture<>();
        /** The agent's {@code <Queue url>}: a document the caller hears before the bridge (set before the take is signalled). */
        volatile Outcome.Fetch welcome;

        Member(LiveCall call, String queueSid, Instant since) {
            this.call = call;
            this.queueSid = queueSid;
            this.since = since;
        }
    }

    public Queue create(String accountSid, String friendlyName, int maxSize) {
        Instant now = clock.instant();
        String sid = Sids.next("QU");
        try {
            db.write(h -> h.createUpdate("INSERT INTO queues (" + COLUMNS + ") VALUES (?, ?, ?, ?, 0, 0, ?, ?)").bind(0, sid).bind(1, accountSid)
                    .bind(2, friendlyName).bind(3, maxSize).bind(4, now.toEpochMilli()).bind(5, now.toEpochMilli()).execute());
        } catch (RuntimeException e) {
            if (Database.isDuplicateKey(e)) {
                throw new PatchbayException.Conflict(20409, "A queue named " + friendlyName + " already exists");
            }
            throw e;
        }
        return require(accountSid, sid);
    }

    /** The account's queue of that name, made (MaxSize {@code maxSize}) when it does not exist: what {@code <Enqueue>} uses. */
    Queue named(String accountSid, String friendlyName, int maxSize) {
        Optional<Queue> found = byName(accountSid, friendlyName);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return create(accountSid, friendlyName, maxSize);
        } catch (PatchbayException.Conflict raced) {
            return byName(accountSid, friendlyName).orElseThrow();
        }
    }

    private Optional<Queue> byName(String accountSid, String friendlyName) {
        return db.read(h -> h.createQuery("SELECT sid FROM queues WHERE account_sid = ? AND friendly_name = ?").bind(0, accountSid)
                .bind(1, friendlyName).mapTo(String.class).findOne()).flatMap(sid -> find(accountSid, sid));
    }

    public Optional<Queue> find(String accountSid, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + ", (SELECT count(*) FROM queue_members m WHERE m.queue_sid = q.sid) "
                        + "FROM queues q WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, accountSid)
                .map((rs, ctx) -> queue(rs)).findOne());
    }

    public Queue require(String accountSid, String sid) {
        return find(accountSid, sid).orElseThrow(() -> new PatchbayException.NotFound("/Queues/" + sid));
    }

    public List<Queue> list(String accountSid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + ", (SELECT count(*) FROM queue_members m WHERE m.queue_sid = q.sid) "
                        + "FROM queues q WHERE account_sid = ? ORDER BY date_created, sid").bind(0, accountSid).map((rs, ctx) -> queue(rs)).list());
    }

    public Queue update(String accountSid, String sid, Optional<String> friendlyName, Optional<Integer> maxSize) {
        Queue q = require(accountSid, sid);
        db.write(h -> h.createUpdate("UPDATE queues SET friendly_name = ?, max_size = ?, date_updated = ? WHERE sid = ? AND account_sid = ?")
                .bind(0, friendlyName.orElse(q.friendlyName())).bind(1, maxSize.orElse(q.maxSize())).bind(2, clock.millis())
                .bind(3, sid).bind(4, accountSid).execute());
        return require(accountSid, sid);
    }

    /** Deletes an empty queue; a queue with callers waiting is a conflict. */
    public void delete(String accountSid, String sid) {
        Queue q = require(accountSid, sid);
        if (q.currentSize() > 0) {
            throw new PatchbayException.Conflict(20409, "Queue " + sid + " has " + q.currentSize() + " callers waiting");
        }
        db.write(h -> h.createUpdate("DELETE FROM queues WHERE sid = ? AND account_sid = ?").bind(0, sid).bind(1, accountSid).execute());
    }

    public List<Waiting> members(String accountSid, String queueSid) {
        require(accountSid, queueSid);
        Instant now = clock.instant();
        List<Map.Entry<String, Long>> rows = db.read(h -> h.createQuery("SELECT call_sid, date_enqueued FROM queue_members WHERE queue_sid = ? "
                + "ORDER BY date_enqueued, call_sid").bind(0, queueSid).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list());
        List<Waiting> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Instant enqueued = Instant.ofEpochMilli(rows.get(i).getValue());
            out.add(new Waiting(rows.get(i).getKey(), queueSid, i + 1, (int) Duration.between(enqueued, now).toSeconds(), enqueued));
        }
        return out;
    }

    /** Joins the queue: refused (empty) when it holds MaxSize callers already. */
    Optional<Member> join(LiveCall call, Queue queue) {
        Instant now = clock.instant();
        synchronized (waiting) {
            if (queue.currentSize() >= queue.maxSize()) {
                return Optional.empty();
            }
            db.write(h -> h.createUpdate("INSERT INTO queue_members (call_sid, queue_sid, account_sid, node_id, date_enqueued) VALUES (?, ?, ?, ?, ?)")
                    .bind(0, call.sid()).bind(1, queue.sid()).bind(2, call.account().sid()).bind(3, nodeId).bind(4, now.toEpochMilli()).execute());
            Member m = new Member(call, queue.sid(), now);
            waiting.computeIfAbsent(queue.sid(), k -> new ArrayDeque<>()).addLast(m);
            watching.getOrDefault(watchKey(queue.accountSid(), queue.friendlyName()), Set.of())
                    .forEach(agent -> agent.post(new CallEvent.QueueChanged()));
            return Optional.of(m);
        }
    }

    /** The caller leaves the queue (taken by an agent, left, hung up, redirected); its wait counts toward the average. */
    void leave(Member m) {
        synchronized (waiting) {
            Deque<Member> line = waiting.get(m.queueSid);
            if (line != null) {
                line.remove(m);
            }
        }
        long waited = Duration.between(m.since, clock.instant()).toMillis();
        db.inTransaction(h -> {
            if (h.createUpdate("DELETE FROM queue_members WHERE call_sid = ?").bind(0, m.call.sid()).execute() > 0) {
                h.createUpdate("UPDATE queues SET waits = waits + 1, wait_ms = wait_ms + ? WHERE sid = ?").bind(0, waited).bind(1, m.queueSid).execute();
            }
            return null;
        });
    }

    /**
     * An agent takes the front caller waiting here in the account's queue {@code name}, if any.
     * From its first try until {@link #stopWatching} the agent watches the queue: a caller who
     * joins it (even a queue not made yet) posts the agent a {@link CallEvent.QueueChanged}.
     */
    Optional<Member> takeFront(String accountSid, String name, LiveCall agent) {
        synchronized (waiting) {   // before the look-up, so that a caller joining after it is told to the agent
            watching.computeIfAbsent(watchKey(accountSid, name), k -> new HashSet<>()).add(agent);
        }
        Optional<Queue> queue = byName(accountSid, name);
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        synchronized (waiting) {
            Deque<Member> line = waiting.get(queue.get().sid());
            while (line != null && !line.isEmpty()) {
                Member m = line.pollFirst();
                if (!m.call.isEnded() && m.taken.complete(agent)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** The agent no longer waits for a caller of queue {@code name}. */
    void stopWatching(String accountSid, String name, LiveCall agent) {
        synchronized (waiting) {
            String key = watchKey(accountSid, name);
            Set<LiveCall> agents = watching.get(key);
            if (agents != null && agents.remove(agent) && agents.isEmpty()) {
                watching.remove(key);
            }
        }
    }

    private static String watchKey(String accountSid, String name) {
        return accountSid + "/" + name;
    }

    /** A waiting caller of this node by call SID (REST dequeue), taken out of the line. */
    Optional<Member> take(String queueSid, String callSid) {
        synchronized (waiting) {
            Deque<Member> line = waiting.get(queueSid);
            if (line == null) {
                return Optional.empty();
            }
            for (Member m : line) {
                if (m.call.sid().equals(callSid) || callSid.equals("Front")) {
                    line.remove(m);
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** On start: the members this node's previous run left (their calls ended with it). */
    public int releaseOrphans() {
        return db.write(h -> h.createUpdate("DELETE FROM queue_members WHERE node_id = ?").bind(0, nodeId).execute());
    }

    private static Queue queue(ResultSet rs) throws SQLException {
        long waits = rs.getLong(5);
        int average = waits == 0 ? 0 : (int) Math.round(rs.getLong(6) / 1000.0 / waits);
        return new Queue(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(9), average,
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
    }
}

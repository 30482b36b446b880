package dev.patchbay.call;

import dev.patchbay.PatchbayException;
import dev.patchbay.media.Mixer;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.store.Database;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Twilio's conferences: the durable side (conferences and participants, for REST on any node) and
 * this node's live rooms (a {@link Mixer} each, the calls in them). A room is made when its first
 * participant arrives and is completed when its last leaves or one with endConferenceOnExit does;
 * a later call to the same name opens a new conference. Thread-safe.
 */
public final class Conferences {

    private final Database db;
    private final Clock clock;
    private final String nodeId;
    private final LongSupplier ticks;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();   // by account SID + name
    /** The longest recording of a room (Twilio's four hours of a call). */
    static final int MAX_RECORDING_SECONDS = 4 * 3600;

    public Conferences(Database db, Clock clock, String nodeId, LongSupplier ticks) {
        this.db = db;
        this.clock = clock;
        this.nodeId = nodeId;
        this.ticks = ticks;
    }

    /** A conference as REST shows it. */
    public record Conference(String sid, String accountSid, String friendlyName, String status, Instant dateCreated, Instant dateUpdated) {
    }

    /** A participant as REST shows it. */
    public record Participant(String callSid, String conferenceSid, boolean muted, boolean hold, boolean startConferenceOnEnter,
                              boolean endConferenceOnExit, Instant dateCreated, Instant dateUpdated) {
    }

    /** Where a room's events go, and which of them (start end join leave mute hold). */
    record Events(String url, HttpMethod method, Set<String> events) {
    }

    /** A recording a participant asked for ({@code record-from-start}): who asked, and where its status goes. */
    record Taping(String callSid, Optional<String> callback, HttpMethod method) {
    }

    /** A room's recording once it ended: what was asked, when it began, the room's mix. */
    record Taped(Taping taping, Instant started, short[] audio) {
    }

    /** A live room on this node. */
    static final class Room {
        final String sid;
        final String accountSid;
        final String name;
        final Mixer mixer;
        final Map<String, Member> members = new ConcurrentHashMap<>();
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        /** The status callback of the first participant that gave one (as Twilio does). */
        final AtomicReference<Events> callbacks = new AtomicReference<>();
        final AtomicReference<Taping> taping = new AtomicReference<>();
        volatile Instant tapeStarted;
        /** Why it ended (Twilio's ReasonConferenceEnded) and the call that ended it, if one did. */
        volatile String endReason = "";
        volatile String endedBy = "";
        final AtomicBoolean endReported = new AtomicBoolean();

        Room(String sid, String accountSid, String name, Mixer mixer) {
            this.sid = sid;
            this.accountSid = accountSid;
            this.name = name;
            this.mixer = mixer;
        }
    }

    /** A call in a room: its mixer party, and whether REST asked it to leave. */
    static final class Member {
        final LiveCall call;
        final Mixer.Party party;
        final boolean endOnExit;
        volatile boolean kicked;

        Member(LiveCall call, Mixer.Party party, boolean endOnExit) {
            this.call = call;
            this.party = party;
            this.endOnExit = endOnExit;
        }
    }

    /** The account's live room of that name on this node, opened (status init) when there is none. */
    synchronized Room open(String accountSid, String name) {
        Room live = rooms.get(accountSid + "/" + name);
        if (live != null && !live.ended.isDone()) {
            return live;
        }
        Instant now = clock.instant();
        Room room = new Room(Sids.next("CF"), accountSid, name, new Mixer(ticks));
        db.write(h -> h.createUpdate("INSERT INTO conferences (sid, account_sid, friendly_name, status, node_id, date_created, date_updated) "
                        + "VALUES (?, ?, ?, 'init', ?, ?, ?)").bind(0, room.sid).bind(1, accountSid).bind(2, name).bind(3, nodeId)
                .bind(4, now.toEpochMilli()).bind(5, now.toEpochMilli()).execute());
        rooms.put(accountSid + "/" + name, room);
        return room;
    }

    Member join(Room room, LiveCall call, boolean muted, boolean startOnEnter, boolean endOnExit) {
        Mixer.Party party = room.mixer.join();
        party.mute(muted);
        Member m = new Member(call, party, endOnExit);
        room.members.put(call.sid(), m);
        Instant now = clock.instant();
        db.write(h -> h.createUpdate("INSERT INTO conference_participants (call_sid, conference_sid, account_sid, muted, hold, "
                        + "start_conference_on_enter, end_conference_on_exit, date_created, date_updated) VALUES (?, ?, ?, ?, FALSE, ?, ?, ?, ?)")
                .bind(0, call.sid()).bind(1, room.sid).bind(2, room.accountSid).bind(3, muted).bind(4, startOnEnter).bind(5, endOnExit)
                .bind(6, now.toEpochMilli()).bind(7, now.toEpochMilli()).execute());
        return m;
    }

    /** Starts the room (a participant with startConferenceOnEnter arrived); true the first time. Its waiting members hear it now. */
    boolean start(Room room) {
        if (!room.started.complete(null)) {
            return false;
        }
        status(room, "in-progress");
        if (room.taping.get() != null) {
            tape(room);
        }
        room.members.values().forEach(m -> m.call.post(new CallEvent.RoomChanged()));
        return true;
    }

    /** A participant asks for the room to be recorded from its start; the first to ask is the one reported to. */
    void record(Room room, Taping taping) {
        if (room.taping.compareAndSet(null, taping) && room.started.isDone() && !room.ended.isDone()) {
            tape(room);
        }
    }

    private synchronized void tape(Room room) {
        if (room.tapeStarted == null && room.mixer.startRecording(MAX_RECORDING_SECONDS)) {
            room.tapeStarted = clock.instant();
        }
    }

    /** The ended room's recording, to the one caller that takes it; empty when none was made or it was taken. */
    Optional<Taped> takeRecording(Room room) {
        Taping taping = room.taping.getAndSet(null);
        if (taping == null || room.tapeStarted == null) {
            return Optional.empty();
        }
        return Optional.of(new Taped(taping, room.tapeStarted, room.mixer.stopRecording()));
    }

    /** The member leaves; the room ends when it was the last or it ends the conference on exit. Returns whether the room ended now. */
    boolean leave(Room room, Member m) {
        room.mixer.leave(m.party);
        room.members.remove(m.call.sid());
        db.write(h -> h.createUpdate("DELETE FROM conference_participants WHERE call_sid = ?").bind(0, m.call.sid()).execute());
        String how = m.kicked ? "kicked" : "left";
        if (m.endOnExit) {
            return end(room, "participant-with-end-conference-on-exit-" + how, m.call.sid());
        }
        if (room.members.isEmpty()) {
            return end(room, "last-participant-" + how, m.call.sid());
        }
        return false;
    }

    /** Ends the room: every member leaves it. */
    boolean end(Room room, String reason, String byCall) {
        synchronized (room) {
            if (room.ended.isDone()) {
                return false;
            }
            room.endReason = reason;
            room.endedBy = byCall;
            room.ended.complete(null);
        }
        room.started.complete(null);   // whoever still waits for a start is let go
        status(room, "completed");
        rooms.remove(room.accountSid + "/" + room.name, room);
        room.members.values().forEach(m -> m.call.post(new CallEvent.RoomChanged()));
        return true;
    }

    private void status(Room room, String status) {
        db.write(h -> h.createUpdate("UPDATE conferences SET status = ?, date_updated = ? WHERE sid = ?").bind(0, status).bind(1, clock.millis())
                .bind(2, room.sid).execute());
    }

    public List<Conference> list(String accountSid, Optional<String> status, Optional<String> friendlyName) {
        String sql = "SELECT sid, account_sid, friendly_name, status, date_created, date_updated FROM conferences WHERE account_sid = :account"
                + status.map(s -> " AND status = :status").orElse("") + friendlyName.map(n -> " AND friendly_name = :name").orElse("")
                + " ORDER BY date_created DESC, sid";
        return db.read(h -> {
            var query = h.createQuery(sql).bind("account", accountSid);
            status.ifPresent(s -> query.bind("status", s));
            friendlyName.ifPresent(n -> query.bind("name", n));
            return query.map((rs, ctx) -> conference(rs)).list();
        });
    }

    public Conference require(String accountSid, String sid) {
        return db.read(h -> h.createQuery("SELECT sid, account_sid, friendly_name, status, date_created, date_updated FROM conferences "
                        + "WHERE account_sid = ? AND sid = ?").bind(0, accountSid).bind(1, sid).map((rs, ctx) -> conference(rs)).findOne())
                .orElseThrow(() -> new PatchbayException.NotFound("/Conferences/" + sid));
    }

    private static Conference conference(ResultSet rs) throws SQLException {
        return new Conference(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
                Instant.ofEpochMilli(rs.getLong(6)));
    }

    public List<Participant> participants(String accountSid, String conferenceSid) {
        require(accountSid, conferenceSid);
        return db.read(h -> h.createQuery("SELECT call_sid, conference_sid, muted, hold, start_conference_on_enter, end_conference_on_exit, "
                        + "date_created, date_updated FROM conference_participants WHERE conference_sid = ? ORDER BY date_created, call_sid")
                .bind(0, conferenceSid).map((rs, ctx) -> new Participant(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getBoolean(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)))).list());
    }

    /** REST on a participant of a room on this node: mute, hold, or (kick) make it leave. False when the room is not here. */
    public boolean modify(String accountSid, String conferenceSid, String callSid, Optional<Boolean> muted, Optional<Boolean> hold, boolean kick) {
        Optional<Member> m = here(accountSid, conferenceSid).map(r -> r.members.get(callSid));
        if (m.isEmpty()) {
            return false;
        }
        muted.ifPresent(m.get().party::mute);
        hold.ifPresent(m.get().party::hold);
        db.write(h -> h.createUpdate("UPDATE conference_participants SET muted = ?, hold = ?, date_updated = ? WHERE call_sid = ?")
                .bind(0, m.get().party.muted()).bind(1, m.get().party.held()).bind(2, clock.millis()).bind(3, callSid).execute());
        if (kick) {
            m.get().kicked = true;
        }
        m.get().call.post(new CallEvent.RoomChanged());
        return true;
    }

    /** Whether the conference's room is live on this node. */
    public boolean isLiveHere(String accountSid, String conferenceSid) {
        return here(accountSid, conferenceSid).filter(r -> !r.ended.isDone()).isPresent();
    }

    /** The account's room of that SID, if this node holds it. */
    private Optional<Room> here(String accountSid, String conferenceSid) {
        return rooms.values().stream().filter(r -> r.sid.equals(conferenceSid) && r.accountSid.equals(accountSid)).findFirst();
    }

    /** The SID of the account's live room of that name on this node. */
    public Optional<String> liveSid(String accountSid, String name) {
        return Optional.ofNullable(rooms.get(accountSid + "/" + name)).filter(r -> !r.ended.isDone()).map(r -> r.sid);
    }

    /** REST's Status=completed on a room of this node; false when it is not here. */
    public boolean complete(String accountSid, String conferenceSid) {
        return here(accountSid, conferenceSid).map(room -> end(room, "conference-ended-via-api", "")).isPresent();
    }

    /** On start: the conferences this node's previous run left open end (their calls ended with it). */
    public int closeOrphans() {
        return db.inTransaction(h -> {
            h.createUpdate("DELETE FROM conference_participants WHERE conference_sid IN (SELECT sid FROM conferences WHERE node_id = ? "
                    + "AND status <> 'completed')").bind(0, nodeId).execute();
            return h.createUpdate("UPDATE conferences SET status = 'completed', date_updated = ? WHERE node_id = ? AND status <> 'completed'")
                    .bind(0, clock.millis()).bind(1, nodeId).execute();
        });
    }
}

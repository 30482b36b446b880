package dev.patchbay.call;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Tones;
import dev.patchbay.twiml.Verb;
import dev.patchbay.webhook.WebhookRequest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@code <Dial><Conference>}: the call joins the account's room of that name on this node and
 * hears everyone else through the room's mixer until it hangs up, the room ends, or REST asks it
 * to leave; then the Dial's action (or the next verb). While the room has not started (no
 * participant with startConferenceOnEnter yet) the participant hears its waitUrl ({@link WaitMusic});
 * on hold, hold music. The time in a room is the service mode (the platform mixes). The room's
 * events go to the statusCallback of the first participant that gave one, for the events it asked
 * for (Twilio's rule); its recording (record-from-start, asked by any participant) is saved by
 * whichever participant leaves the ended room first and reported to the asker's recordingStatusCallback.
 */
final class ConferenceExecutor {

    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** The longest a participant's thread sleeps between looks at its room; every change to the room posts it a RoomChanged sooner. */
    private static final Duration WAKE = Duration.ofSeconds(30);

    private final CallServices services;

    ConferenceExecutor(CallServices services) {
        this.services = services;
    }

    Outcome join(LiveCall call, Verb.Dial dial, Verb.DialTarget.Conference noun, String documentUrl, Controller controller, Runnable answer,
                 Function<Outcome.Fetch, QueueExecutor.WaitDocument> loader) {
        answer.run();
        Conferences conferences = services.conferences();
        Conferences.Room room = conferences.open(call.account().sid(), noun.name());
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("ConferenceSid", room.sid));
        if (room.members.size() >= noun.maxParticipants()) {
            params.add(Map.entry("DialCallStatus", "failed"));
            return after(dial, documentUrl, params);
        }
        Mode resume = call.tenure().instructionsMode();
        services.segments().transition(call, Mode.SERVICE, controller.bridged("conference:" + noun.name()), "verb:Dial");
        noun.statusCallback().ifPresent(url -> room.callbacks.compareAndSet(null,
                new Conferences.Events(Urls.resolve(documentUrl, url), noun.statusCallbackMethod(), noun.statusCallbackEvents())));
        Conferences.Member member = conferences.join(room, call, noun.muted(), noun.startConferenceOnEnter(), noun.endConferenceOnExit());
        if (noun.record().equals("record-from-start")) {
            conferences.record(room, new Conferences.Taping(call.sid(), noun.recordingStatusCallback().map(u -> Urls.resolve(documentUrl, u)),
                    noun.recordingStatusCallbackMethod()));
        }
        call.tapAudio(member.party::hear);
        notify(call, noun, room, "join", "participant-join", member);
        if (noun.startConferenceOnEnter() && conferences.start(room)) {
            notify(call, noun, room, "start", "conference-start", member);
        }
        if (!noun.beep().equals("false") && !noun.beep().equals("onExit")) {
            room.mixer.announce(AudioSource.of(Tones.beep(), 1));
        }
        WaitMusic waiting = new WaitMusic(services, call, noun.waitUrl().map(u -> u.isEmpty() ? u : Urls.resolve(documentUrl, u)),
                noun.waitMethod(), List.of(Map.entry("ConferenceSid", room.sid), Map.entry("FriendlyName", room.name)), loader);
        try {
            take(call, noun, room, member, waiting);
        } finally {
            call.tapAudio(null);
            call.stream().stopPlayback();
            boolean endedNow = conferences.leave(room, member);
            if (!noun.beep().equals("false") && !noun.beep().equals("onEnter") && !endedNow) {
                room.mixer.announce(AudioSource.of(Tones.beep(), 1));
            }
            notify(call, noun, room, "leave", "participant-leave", member);
            if (room.ended.isDone() && room.endReported.compareAndSet(false, true)) {
                notify(call, noun, room, "end", "conference-end", member);
            }
            if (room.ended.isDone()) {
                conferences.takeRecording(room).ifPresent(taped -> save(call, room, taped));
            }
        }
        services.segments().transition(call, resume, controller, member.kicked ? "conference:removed" : "conference:ended");
        params.add(Map.entry("DialCallStatus", "completed"));
        return after(dial, documentUrl, params);
    }

    /** The participant's time in the room: the wait audio before the start, the room's mix after, hold music on hold. */
    private void take(LiveCall call, Verb.DialTarget.Conference noun, Conferences.Room room, Conferences.Member member, WaitMusic waiting) {
        Hearing hearing = Hearing.NOTHING;
        boolean muted = member.party.muted();
        boolean held = member.party.held();
        while (!room.ended.isDone() && !member.kicked) {
            Hearing now = member.party.held() ? Hearing.HOLD : room.started.isDone() ? Hearing.ROOM : Hearing.WAIT;
            if (now != hearing) {
                switch (now) {
                    case ROOM -> call.startPlayback(member.party);
                    case HOLD -> call.startPlayback(AudioSource.of(WaitMusic.HOLD, 0));
                    case WAIT -> waiting.start();
                    case NOTHING -> { }
                }
                hearing = now;
            }
            if (member.party.muted() != muted) {   // changed by REST: the room's events say so
                muted = member.party.muted();
                notify(call, noun, room, "mute", muted ? "participant-mute" : "participant-unmute", member);
            }
            if (member.party.held() != held) {
                held = member.party.held();
                notify(call, noun, room, "hold", held ? "participant-hold" : "participant-unhold", member);
            }
            Optional<CallEvent> event = call.next(WAKE);   // wakes on RoomChanged and PlaybackDone; a hang-up ends the call here
            if (hearing == Hearing.WAIT) {
                event.ifPresent(waiting::onEvent);
            }
        }
    }

    private enum Hearing { NOTHING, WAIT, ROOM, HOLD }

    /** Saves the ended room's recording, counts its seconds to the call that asked for it, and reports it to its callback. */
    private void save(LiveCall call, Conferences.Room room, Conferences.Taped taped) {
        if (taped.audio().length == 0) {
            return;
        }
        Recording saved = services.recordings().save(room.accountSid, taped.taping().callSid(), Optional.of(room.sid), taped.started(),
                taped.audio(), 1, "DialVerb");
        services.count(call, CountedUsage.Meter.RECORDING_SECONDS, saved.duration(), "recording:" + saved.sid());
        taped.taping().callback().ifPresent(url -> services.callbacks().send(call.sid(), new WebhookRequest(url, taped.taping().method(), List.of(
                Map.entry("AccountSid", room.accountSid), Map.entry("ConferenceSid", room.sid), Map.entry("CallSid", taped.taping().callSid()),
                Map.entry("RecordingSid", saved.sid()),
                Map.entry("RecordingUrl", services.httpBase().get() + "/2010-04-01/Accounts/" + room.accountSid + "/Recordings/" + saved.sid()),
                Map.entry("RecordingStatus", "completed"), Map.entry("RecordingDuration", Integer.toString(saved.duration())),
                Map.entry("RecordingChannels", "1"), Map.entry("RecordingStartTime", RFC_2822.format(saved.startTime())),
                Map.entry("RecordingSource", "DialVerb"))), call.account().authToken()));
    }

    private void notify(LiveCall call, Verb.DialTarget.Conference noun, Conferences.Room room, String event, String wire, Conferences.Member m) {
        Conferences.Events to = room.callbacks.get();
        if (to == null || !to.events().contains(event)) {
            return;
        }
        List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
                Map.entry("AccountSid", call.account().sid()), Map.entry("ConferenceSid", room.sid), Map.entry("FriendlyName", room.name),
                Map.entry("StatusCallbackEvent", wire), Map.entry("CallSid", call.sid()), Map.entry("Muted", Boolean.toString(m.party.muted())),
                Map.entry("Hold", Boolean.toString(m.party.held())), Map.entry("EndConferenceOnExit", Boolean.toString(m.endOnExit)),
                Map.entry("StartConferenceOnEnter", Boolean.toString(noun.startConferenceOnEnter())),
                Map.entry("SequenceNumber", Integer.toString(SEQUENCE.incrementAndGet())),
                Map.entry("Timestamp", RFC_2822.format(services.clock().instant()))));
        if (event.equals("end")) {
            params.add(Map.entry("ReasonConferenceEnded", room.endReason));
            if (!room.endedBy.isEmpty()) {
                params.add(Map.entry("CallSidEndingConference", room.endedBy));
            }
        }
        services.callbacks().send(call.sid(), new WebhookRequest(to.url(), to.method(), params), call.account().authToken());
    }

    private static Outcome after(Verb.Dial dial, String documentUrl, List<Map.Entry<String, String>> params) {
        return dial.action().isEmpty() ? Outcome.NEXT : new Outcome.Fetch(Urls.resolve(documentUrl, dial.action().get()), dial.method(), params);
    }
}

package dev.patchbay.call;

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

/**
 * {@code <Dial><Conference>}: the call joins the account's room of that name on this node and
 * hears everyone else through the room's mixer until it hangs up, the room ends, or REST asks it
 * to leave; then the Dial's action (or the next verb). While the room has not started (no
 * participant with startConferenceOnEnter yet) and while on hold, the participant hears hold
 * music. The time in a room is the service mode (the platform mixes). The room's events go to the
 * statusCallback of the first participant that gave one, for the events it asked for (Twilio's rule).
 */
final class ConferenceExecutor {

    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final CallServices services;

    ConferenceExecutor(CallServices services) {
        this.services = services;
    }

    Outcome join(LiveCall call, Verb.Dial dial, Verb.DialTarget.Conference noun, String documentUrl, Controller controller, Runnable answer) {
        answer.run();
        Conferences conferences = services.conferences();
        Conferences.Room room = conferences.open(call.account().sid(), noun.name());
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("ConferenceSid", room.sid));
        if (room.members.size() >= noun.maxParticipants()) {
            params.add(Map.entry("DialCallStatus", "failed"));
            return after(dial, documentUrl, params);
        }
        Mode resume = call.instructionsMode();
        services.segments().transition(call, Mode.SERVICE, controller.bridged("conference:" + noun.name()), "verb:Dial");
        noun.statusCallback().ifPresent(url -> room.callbacks.compareAndSet(null, new Verb.DialTarget.Conference(noun.name(), noun.muted(),
                noun.beep(), noun.startConferenceOnEnter(), noun.endConferenceOnExit(), noun.waitUrl(), noun.maxParticipants(),
                Optional.of(Urls.resolve(documentUrl, url)), noun.statusCallbackMethod(), noun.statusCallbackEvents())));
        Conferences.Member member = conferences.join(room, call, noun.muted(), noun.startConferenceOnEnter(), noun.endConferenceOnExit());
        call.tapAudio(member.party::hear);
        notify(call, noun, room, "join", "participant-join", member);
        if (noun.startConferenceOnEnter() && conferences.start(room)) {
            notify(call, noun, room, "start", "conference-start", member);
        }
        if (!noun.beep().equals("false") && !noun.beep().equals("onExit")) {
            room.mixer.announce(AudioSource.of(Tones.beep(), 1));
        }
        long joined = System.nanoTime();
        boolean roomEnded = false;
        try {
            boolean hearing = false;
            boolean muted = member.party.muted();
            boolean held = member.party.held();
            while (!room.ended.isDone() && !member.kicked) {
                boolean shouldHear = room.started.isDone() && !member.party.held();
                if (shouldHear != hearing) {
                    call.startPlayback(shouldHear ? member.party : hold());
                    hearing = shouldHear;
                }
                if (member.party.muted() != muted) {   // changed by REST: the room's events say so
                    muted = member.party.muted();
                    notify(call, noun, room, "mute", muted ? "participant-mute" : "participant-unmute", member);
                }
                if (member.party.held() != held) {
                    held = member.party.held();
                    notify(call, noun, room, "hold", held ? "participant-hold" : "participant-unhold", member);
                }
                call.next(Duration.ofMillis(250));   // wakes on RoomChanged; a hang-up ends the call here
            }
        } finally {
            call.tapAudio(null);
            call.stream().stopPlayback();
            roomEnded = conferences.leave(room, member);
            if (!noun.beep().equals("false") && !noun.beep().equals("onEnter") && !roomEnded) {
                room.mixer.announce(AudioSource.of(Tones.beep(), 1));
            }
            notify(call, noun, room, "leave", "participant-leave", member);
            if (roomEnded || room.ended.isDone()) {
                notify(call, noun, room, "end", "conference-end", member);
            }
        }
        services.segments().transition(call, resume, controller, member.kicked ? "conference:removed" : "conference:ended");
        params.add(Map.entry("DialCallStatus", "completed"));
        params.add(Map.entry("DialCallDuration", Long.toString(Math.round((System.nanoTime() - joined) / 1e9))));
        return after(dial, documentUrl, params);
    }

    private static AudioSource hold() {
        return AudioSource.of(HOLD, 0);
    }

    private static final short[] HOLD = Tones.holdMusic();

    private void notify(LiveCall call, Verb.DialTarget.Conference noun, Conferences.Room room, String event, String wire, Conferences.Member m) {
        Verb.DialTarget.Conference to = room.callbacks.get();
        if (to == null || !to.statusCallbackEvents().contains(event)) {
            return;
        }
        List<Map.Entry<String, String>> params = List.of(
                Map.entry("AccountSid", call.account().sid()), Map.entry("ConferenceSid", room.sid), Map.entry("FriendlyName", room.name),
                Map.entry("StatusCallbackEvent", wire), Map.entry("CallSid", call.sid()), Map.entry("Muted", Boolean.toString(m.party.muted())),
                Map.entry("Hold", Boolean.toString(m.party.held())), Map.entry("EndConferenceOnExit", Boolean.toString(m.endOnExit)),
                Map.entry("StartConferenceOnEnter", Boolean.toString(noun.startConferenceOnEnter())),
                Map.entry("SequenceNumber", Integer.toString(SEQUENCE.incrementAndGet())),
                Map.entry("Timestamp", RFC_2822.format(services.clock().instant())));
        services.callbacks().send(call.sid(), new WebhookRequest(to.statusCallback().orElseThrow(), to.statusCallbackMethod(), params),
                call.account().authToken());
    }

    private static Outcome after(Verb.Dial dial, String documentUrl, List<Map.Entry<String, String>> params) {
        return dial.action().isEmpty() ? Outcome.NEXT : new Outcome.Fetch(Urls.resolve(documentUrl, dial.action().get()), dial.method(), params);
    }
}

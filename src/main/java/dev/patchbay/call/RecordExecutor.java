package dev.patchbay.call;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Codec;
import dev.patchbay.media.Recorder;
import dev.patchbay.media.Tones;
import dev.patchbay.twiml.Verb;
import dev.patchbay.webhook.WebhookRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <Record>}: an optional beep, then the caller's audio until a finish key, {@code timeout}
 * seconds of silence, {@code maxLength}, or hang-up. A recording with no sound in it is dropped
 * and the document goes on, without calling the action (as Twilio does).
 */
final class RecordExecutor {

    private static final Duration TICK = Duration.ofMillis(100);

    private final CallServices services;

    RecordExecutor(CallServices services) {
        this.services = services;
    }

    Outcome run(LiveCall call, Verb.Record record, String documentUrl) {
        call.discardPendingDigits();
        if (record.playBeep()) {
            Prompts.play(call, AudioSource.of(Tones.beep(), 1), false);
        }
        Recorder recorder = new Recorder(record.maxLengthSeconds());
        Instant started = services.clock().instant();
        long startNanos = System.nanoTime();
        call.recordInto(recorder);
        String finishedBy = "";
        try {
            while (true) {
                Optional<CallEvent> event = call.next(TICK);
                if (event.isPresent() && event.get() instanceof CallEvent.Digit d && record.finishOnKey().indexOf(d.digit()) >= 0) {
                    finishedBy = String.valueOf(d.digit());
                    break;
                }
                long silenceLimit = record.timeoutSeconds() * 1000L;
                long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
                boolean quiet = recorder.heardSound() ? recorder.trailingSilenceMillis() >= silenceLimit : elapsed >= silenceLimit;
                if ((silenceLimit > 0 && quiet) || recorder.isFull() || elapsed >= record.maxLengthSeconds() * 1000L) {
                    break;
                }
            }
        } catch (CallEnded ended) {
            call.recordInto(null);
            save(call, record, recorder, started, documentUrl);   // keep what the caller said before hanging up
            throw ended;
        }
        call.recordInto(null);
        Optional<Recording> saved = save(call, record, recorder, started, documentUrl);
        if (saved.isEmpty()) {
            return Outcome.NEXT;
        }
        List<Map.Entry<String, String>> params = new ArrayList<>(recordingParams(saved.get()));
        params.add(Map.entry("Digits", finishedBy));
        String action = record.action().map(a -> Urls.resolve(documentUrl, a)).orElse(documentUrl);
        return new Outcome.Fetch(action, record.method(), params);
    }

    private Optional<Recording> save(LiveCall call, Verb.Record record, Recorder recorder, Instant started, String documentUrl) {
        short[] audio = recorder.audio(record.trim());
        if (!recorder.heardSound() || audio.length < Codec.FRAME_SAMPLES) {
            return Optional.empty();
        }
        Recording saved = services.recordings().save(call.account().sid(), call.sid(), started, audio);
        services.count(call, CountedUsage.Meter.RECORDING_SECONDS, saved.duration(), "recording:" + saved.sid());
        record.recordingStatusCallback().ifPresent(url -> {
            List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
                    Map.entry("AccountSid", call.account().sid()),
                    Map.entry("CallSid", call.sid()),
                    Map.entry("RecordingStatus", "completed"),
                    Map.entry("RecordingChannels", "1"),
                    Map.entry("RecordingSource", "RecordVerb"),
                    Map.entry("RecordingStartTime", started.toString())));
            params.addAll(recordingParams(saved));
            services.callbacks().send(call.sid(), new WebhookRequest(Urls.resolve(documentUrl, url), record.recordingStatusCallbackMethod(), params),
                    call.account().authToken());
        });
        return Optional.of(saved);
    }

    private List<Map.Entry<String, String>> recordingParams(Recording r) {
        return List.of(
                Map.entry("RecordingUrl", services.httpBase().get() + "/2010-04-01/Accounts/" + r.accountSid() + "/Recordings/" + r.sid()),
                Map.entry("RecordingDuration", Integer.toString(r.duration())),
                Map.entry("RecordingSid", r.sid()));
    }
}

package dev.patchbay.call;

import dev.patchbay.media.AudioSource;
import dev.patchbay.media.RtpStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Playing to the caller and waiting, the blocking primitives every media verb is made of. */
final class Prompts {

    /**
     * How long a playing call's thread waits for its next event before it looks again. Every way a
     * play ends posts an event (the playback done, a key, a hang-up, new instructions), so nothing
     * needs a periodic wake-up: holding 3,000 calls, a wake-up each second took a tenth of a core
     * (docs/BENCHMARKS.md, session 15).
     */
    private static final Duration WAIT = Duration.ofHours(1);

    private Prompts() {
    }

    /** Plays to the end; when {@code interruptible}, the first key stops it and is returned. */
    static Optional<Character> play(LiveCall call, AudioSource source, boolean interruptible) {
        RtpStream.Playback playback = call.startPlayback(source);
        while (true) {
            Optional<CallEvent> event = call.next(WAIT);
            if (event.isEmpty()) {
                continue;
            }
            switch (event.get()) {
                case CallEvent.PlaybackDone done when done.playback() == playback -> {
                    return Optional.empty();
                }
                case CallEvent.Digit digit when interruptible -> {
                    call.stream().stopPlayback();
                    return Optional.of(digit.digit());
                }
                default -> { }
            }
        }
    }

    /** Waits {@code length} in silence; when {@code interruptible}, a key ends the wait and is returned. */
    static Optional<Character> pause(LiveCall call, Duration length, boolean interruptible) {
        Instant deadline = Instant.now().plus(length);
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Optional.empty();
            }
            Optional<CallEvent> event = call.next(left);
            if (event.isPresent() && event.get() instanceof CallEvent.Digit digit && interruptible) {
                return Optional.of(digit.digit());
            }
        }
    }
}

package dev.patchbay.media;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The sending half of RFC 4733 for one stream: the digits its call queued, each sent as a 100 ms
 * event (five 20 ms updates, the last marked as the end and sent three times for loss
 * tolerance), then 60 ms of silence; {@code w} is half a second of silence. The stream asks it at
 * every tick whether the tick is a digit's. Used by the thread sending its stream only.
 */
final class DigitSender {

    /** An event packet to send this tick, {@code copies} times in a row (an end packet three times, for loss tolerance). */
    record Packet(boolean marker, int timestamp, byte[] payload, int copies) {
    }

    private final ArrayDeque<Character> queue = new ArrayDeque<>();
    private CompletableFuture<Void> done;
    private int packet = -1;
    private char digit;
    private int eventTimestamp;
    private int gapTicks;

    /** Queues {@code digits}; {@code whenSent} completes once every digit queued so far is sent. */
    void add(String digits, CompletableFuture<Void> whenSent) {
        for (char c : digits.toCharArray()) {
            queue.add(c);
        }
        if (done != null) {
            done.complete(null);
        }
        done = whenSent;
    }

    /** Whether this tick belongs to a digit: an event's packet, or the start of the next digit. */
    boolean ownsTick() {
        return packet >= 0 || (gapTicks == 0 && !queue.isEmpty());
    }

    /** Whether this tick is silence after a digit (or a {@code w}); the tick is counted. */
    boolean takeGap() {
        if (gapTicks == 0) {
            return false;
        }
        gapTicks--;
        return true;
    }

    /** Nothing left to send: whoever waits for the digits hears they are sent. */
    void settle() {
        if (done != null && queue.isEmpty()) {
            done.complete(null);
            done = null;
        }
    }

    /** The stream closed: whoever waits for the digits stops waiting (the stream's closing thread may call this). */
    void abandon() {
        CompletableFuture<Void> waiting = done;
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** This tick's step of the digits, whose 20 ms start at {@code timestamp}: the packet to send, if any. */
    Optional<Packet> step(int timestamp) {
        if (packet < 0) {
            char next = queue.poll();
            if (next == 'w' || next == 'W') {
                gapTicks = 25;
                return Optional.empty();
            }
            digit = next;
            packet = 0;
            eventTimestamp = timestamp;
        }
        int event = Rfc4733.eventCode(digit);
        boolean end = packet >= 4;
        int duration = Math.min(packet + 1, 5) * Codec.FRAME_SAMPLES;
        byte[] payload = {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
        Optional<Packet> out = event < 0 ? Optional.empty() : Optional.of(new Packet(packet == 0, eventTimestamp, payload, end ? 3 : 1));
        packet++;
        if (end) {
            packet = -1;
            gapTicks = 3;
        }
        return out;
    }
}

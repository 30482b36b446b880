package dev.patchbay.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sender thread and its share of the node's streams: every 20 ms it sends a packet for each
 * of them. It wakes every 5 ms and sends for a quarter of its streams each time (a stream's
 * <em>phase</em>), so the work is spread over the frame instead of bunched at its start. A stream
 * told to play something new moves to the next 5 ms slot that holds no more than its share of the
 * streams (its first packet of the new audio carries the RTP marker bit, as at the start of a
 * talkspurt). The engine runs {@code rtp.senders}
 * of them, all on the same frame schedule, so a frame means the same 20 ms on each.
 */
final class PacedSender {

    private static final Logger log = LoggerFactory.getLogger(PacedSender.class);
    /** Slots per 20 ms frame; each stream sends in one of them. */
    static final int PHASES = 4;
    static final long FRAME_NANOS = Codec.FRAME_MILLIS * 1_000_000L;
    private static final long SLOT_NANOS = FRAME_NANOS / PHASES;
    private static final long LATE_NANOS = 5_000_000L;
    /** Each stream sends an RTCP sender report about every 5 s; a slice of the streams reports each frame, never all in one. */
    private static final int REPORT_FRAMES = 250;

    /** The streams by the slot they send in: a slot walks only its own (the sender thread moves a restarted stream). */
    private final List<Set<RtpStream>> slots = new ArrayList<>(PHASES);
    /** Streams with new audio to start: they move to the next slot with room (this sender's thread drains it). */
    private final ConcurrentLinkedQueue<RtpStream> restarting = new ConcurrentLinkedQueue<>();
    private final List<RtpStream> reporting = new ArrayList<>();   // this frame's sender reports (sender thread only)
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong lateFrames = new AtomicLong();
    private final AtomicLong maxLatenessNanos;
    private final long epoch;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code epoch}: the {@link System#nanoTime} every sender of the engine counts its frames from. */
    PacedSender(int index, long epoch, AtomicLong maxLatenessNanos) {
        this.epoch = epoch;
        this.maxLatenessNanos = maxLatenessNanos;
        for (int i = 0; i < PHASES; i++) {
            slots.add(ConcurrentHashMap.newKeySet());
        }
        this.thread = Thread.ofPlatform().name("patchbay-rtp-tx-" + index).daemon().priority(Thread.MAX_PRIORITY).start(this::loop);
    }

    void add(RtpStream stream) {
        slots.get(stream.phase).add(stream);
    }

    void remove(RtpStream stream) {
        slots.forEach(slot -> slot.remove(stream));   // wherever the sender thread has just moved it
    }

    /** {@code stream} has new audio to play: it sends in the next slot with room, and every 20 ms from there. */
    void startSoon(RtpStream stream) {
        restarting.add(stream);
    }

    int size() {
        return slots.stream().mapToInt(Set::size).sum();
    }

    /** How many streams send in each slot. */
    int[] slotSizes() {
        return slots.stream().mapToInt(Set::size).toArray();
    }

    /** Frames begun so far. */
    long frames() {
        return frames.get();
    }

    /** Frames that had a slot start more than 5 ms behind schedule. */
    long lateFrames() {
        return lateFrames.get();
    }

    void close() {
        running = false;
        slots.forEach(slot -> List.copyOf(slot).forEach(RtpStream::close));
        LockSupport.unpark(thread);
    }

    private void loop() {
        long next = epoch;
        long slot = 0;
        boolean frameLate = false;
        while (running) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            int phase = (int) (slot % PHASES);
            long frame = phase == 0 ? frames.incrementAndGet() : frames.get();
            long lateness = now - next;
            if (phase == 0) {
                frameLate = false;
            }
            if (lateness > LATE_NANOS && !frameLate) {
                frameLate = true;
                lateFrames.incrementAndGet();
            }
            if (lateness > maxLatenessNanos.get()) {
                maxLatenessNanos.accumulateAndGet(lateness, Math::max);
            }
            for (RtpStream s; (s = restarting.poll()) != null; ) {
                moveTo(s, slotFor(s, phase));   // sends in that slot, and every 20 ms from then
            }
            int slice = (int) (frame % REPORT_FRAMES);
            int position = 0;
            reporting.clear();
            for (RtpStream stream : slots.get(phase)) {
                try {
                    stream.tick();
                } catch (RuntimeException e) {
                    log.warn("RTP stream on port {} failed a tick", stream.localPort(), e);
                }
                if (position++ % REPORT_FRAMES == slice) {
                    reporting.add(stream);
                }
            }
            reporting.forEach(PacedSender::sendSenderReport);   // after every stream's audio went out
            slot++;
            next += SLOT_NANOS;
            long behind = System.nanoTime() - next;
            if (behind > 12 * SLOT_NANOS) {   // fell far behind (a long pause): skip whole missed frames instead of bursting
                long skipped = behind / FRAME_NANOS;
                next += skipped * FRAME_NANOS;
                frames.addAndGet(skipped);
            }
        }
    }

    /**
     * The slot a restarting stream moves to: this one, unless it holds more than its share of the
     * streams already, then the next one that does not (at most 15 ms later). Starts that came
     * together would otherwise pile into one slot: holding 3,000 calls, slots of 542 to 975 streams,
     * and the largest overran its 5 ms in every frame (docs/BENCHMARKS.md, session 16).
     */
    private int slotFor(RtpStream stream, int phase) {
        int total = size();
        int share = total / PHASES + Math.max(2, total / (PHASES * 32));
        for (int i = 0; i < PHASES; i++) {
            int candidate = (phase + i) % PHASES;
            int others = slots.get(candidate).size() - (candidate == stream.phase ? 1 : 0);
            if (others < share) {
                return candidate;
            }
        }
        return phase;   // every slot is at its share: unreachable while the sizes add up, kept for a race with add/remove
    }

    private void moveTo(RtpStream stream, int phase) {
        int from = stream.phase;
        stream.movedTo(phase);
        if (from != phase && slots.get(from).remove(stream)) {   // not if it was removed meanwhile
            slots.get(phase).add(stream);
            if (stream.isClosed()) {   // closed (and removed) between the two steps
                slots.get(phase).remove(stream);
            }
        }
    }

    /** RFC 3550 sender report, so peers' RTCP statistics have something to show. */
    private static void sendSenderReport(RtpStream stream) {
        InetSocketAddress remote = stream.remote();
        if (remote == null || stream.isClosed()) {
            return;
        }
        long ntpMillis = System.currentTimeMillis() + 2_208_988_800_000L;
        ByteBuffer sr = ByteBuffer.allocate(28).order(ByteOrder.BIG_ENDIAN);
        sr.put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt((int) stream.ssrc())
                .putInt((int) (ntpMillis / 1000)).putInt((int) ((ntpMillis % 1000) * 4_294_967L))
                .putInt(stream.rtpTimestamp()).putInt((int) stream.packetsSent).putInt((int) stream.octetsSent).flip();
        try {
            stream.rtcp.send(sr, new InetSocketAddress(remote.getAddress(), remote.getPort() + 1));
        } catch (IOException e) {
            log.debug("RTCP send failed: {}", e.toString());
        }
    }
}

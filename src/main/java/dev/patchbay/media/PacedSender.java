package dev.patchbay.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's paced sending: every stream sends a packet every 20 ms. The frame has four 5 ms
 * slots and each stream sends in one of them (its <em>phase</em>), so the work is spread over the
 * frame instead of bunched at its start. A slot's streams are kept in {@link #BUCKETS} buckets,
 * and the sender threads ({@code rtp.senders}) take the buckets one at a time from one shared
 * sequence, in schedule order: whichever thread is free sends the next bucket that is due. A
 * thread the machine holds up (another runnable thread, or the virtual machine's host, takes its
 * core for a few milliseconds now and then) so delays at most the bucket it is sending, not its
 * share of the streams; a thread held up while it waits for the next slot delays nothing. Whoever
 * sends a bucket holds its lock, so a stream is never sent by two threads at once; a bucket still
 * locked when its next turn comes (its thread stuck for 20 ms) skips that turn instead of holding
 * up a second thread. A stream
 * told to play something new sends next in the slot now due (in its emptiest bucket still to be
 * sent) if that slot holds no more than its share of the streams and the stream has not been sent
 * in it yet, else in the next slot that does (its first packet of the new audio carries the RTP
 * marker bit, as at the start of a talkspurt).
 */
final class PacedSender {

    private static final Logger log = LoggerFactory.getLogger(PacedSender.class);
    /** Slots per 20 ms frame; each stream sends in one of them. */
    static final int PHASES = 4;
    /** Buckets per slot: the unit of work a sender thread takes (holding 3,000 calls, about 47 streams, 0.2 ms). */
    static final int BUCKETS = 16;
    static final long FRAME_NANOS = Codec.FRAME_MILLIS * 1_000_000L;
    private static final long SLOT_NANOS = FRAME_NANOS / PHASES;
    private static final long LATE_NANOS = 5_000_000L;
    /** An RTP header and a 20 ms G.711 payload, the largest packet a stream sends. */
    private static final int PACKET_BYTES = 12 + Codec.FRAME_SAMPLES;
    /** Each stream sends an RTCP sender report about every 5 s; a slice of the streams reports each frame, never all in one. */
    private static final int REPORT_FRAMES = 250;

    /** How a sender thread waits for the next slot: parks, unless a test plays a machine that holds the thread up. */
    interface Nap {
        Nap PARK = (thread, nanos) -> LockSupport.parkNanos(nanos);

        void nap(int thread, long nanos);
    }

    /** Bucket {@code b} of phase {@code p} is {@code buckets[p * BUCKETS + b]}. */
    private final Bucket[] buckets = new Bucket[PHASES * BUCKETS];
    /** Streams with new audio to start: they move to a bucket sent soon (drained by whichever thread sends the next bucket). */
    private final ConcurrentLinkedQueue<RtpStream> restarting = new ConcurrentLinkedQueue<>();
    /** The next bucket to send, counted from the epoch: bucket {@code n % BUCKETS} of slot {@code n / BUCKETS}. */
    private final AtomicLong nextWork = new AtomicLong();
    private final AtomicInteger placed = new AtomicInteger();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong lateFrames = new AtomicLong();
    private final AtomicLong lastLateFrame = new AtomicLong(-1);
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong lateSends = new AtomicLong();
    private final AtomicLong maxLatenessNanos = new AtomicLong();
    private final long epoch;
    private final Nap nap;
    private final Thread[] threads;
    private volatile boolean running = true;

    /** A slot's share of its streams, sent by one thread at a time (the one holding {@link #sending}). */
    private static final class Bucket {
        final Set<RtpStream> streams = ConcurrentHashMap.newKeySet();
        final ReentrantLock sending = new ReentrantLock();
        final List<RtpStream> reporting = new ArrayList<>();   // this frame's sender reports (under the lock)
    }

    /** {@code threadCount} sender threads counting frames from {@code epoch} (a {@link System#nanoTime}). */
    PacedSender(int threadCount, long epoch, Nap nap) {
        this.epoch = epoch;
        this.nap = nap;
        Arrays.setAll(buckets, i -> new Bucket());
        this.threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++) {
            int index = i;
            threads[i] = Thread.ofPlatform().name("patchbay-rtp-tx-" + i).daemon().priority(Thread.MAX_PRIORITY).start(() -> loop(index));
        }
    }

    /** A new stream sends in the next phase and bucket in turn. */
    void add(RtpStream stream) {
        int n = placed.getAndIncrement() & Integer.MAX_VALUE;
        stream.movedTo(n % PHASES, (n / PHASES) % BUCKETS);
        bucket(stream).streams.add(stream);
    }

    void remove(RtpStream stream) {
        bucket(stream).streams.remove(stream);   // not there if it is being moved: the move sees it closed and takes it out
    }

    /** {@code stream} has new audio to play: it moves to a bucket sent soon, and sends every 20 ms from there. */
    void startSoon(RtpStream stream) {
        restarting.add(stream);
    }

    int size() {
        return Arrays.stream(buckets).mapToInt(b -> b.streams.size()).sum();
    }

    /** How many streams send in each slot. */
    int[] slotSizes() {
        int[] sizes = new int[PHASES];
        for (int i = 0; i < buckets.length; i++) {
            sizes[i / BUCKETS] += buckets[i].streams.size();
        }
        return sizes;
    }

    /** Frames begun so far. */
    long frames() {
        return frames.get();
    }

    /** Frames in which some packet went out more than 5 ms behind schedule. */
    long lateFrames() {
        return lateFrames.get();
    }

    /** Streams' 20 ms turns so far: a packet each, unless the stream is bridged, on hold or has no peer yet. */
    long sends() {
        return sends.get();
    }

    /** Of {@link #sends}, those that began more than 5 ms behind their slot's time. */
    long lateSends() {
        return lateSends.get();
    }

    /** The most any bucket has begun behind its slot's time. */
    long maxLatenessNanos() {
        return maxLatenessNanos.get();
    }

    void close() {
        running = false;
        for (Bucket bucket : buckets) {
            List.copyOf(bucket.streams).forEach(RtpStream::close);
        }
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
        }
    }

    private long slotTime(long slot) {
        return epoch + slot * SLOT_NANOS;
    }

    private Bucket bucket(RtpStream stream) {
        return buckets[stream.phase * BUCKETS + stream.bucket];
    }

    /** A sender thread: waits for the next bucket's slot, then takes it, unless another thread took it first. */
    private void loop(int index) {
        ByteBuffer out = ByteBuffer.allocateDirect(PACKET_BYTES);   // this thread's packet, built and sent stream by stream
        while (running) {
            long work = nextWork.get();
            long slot = work / BUCKETS;
            long now = System.nanoTime();
            long due = slotTime(slot);
            if (now < due) {
                nap.nap(index, due - now);
            } else if (now - due > 12 * SLOT_NANOS) {
                skipTo(work, now);
            } else if (nextWork.compareAndSet(work, work + 1)) {
                send(slot, (int) (work % BUCKETS), now, out);
            }
        }
    }

    /** Fell far behind (a long pause): skip the missed frames' work instead of bursting through it. */
    private void skipTo(long work, long now) {
        long current = (now - epoch) / SLOT_NANOS * BUCKETS;
        if (nextWork.compareAndSet(work, current)) {
            long perFrame = (long) BUCKETS * PHASES;
            frames.addAndGet(Math.ceilDiv(current, perFrame) - Math.ceilDiv(work, perFrame));   // the frames whose first bucket was skipped
        }
    }

    private void send(long slot, int b, long now, ByteBuffer out) {
        int phase = (int) (slot % PHASES);
        long frame = slot / PHASES;
        long due = slotTime(slot);
        if (phase == 0 && b == 0) {
            frames.incrementAndGet();
        }
        if (now - due > maxLatenessNanos.get()) {
            maxLatenessNanos.accumulateAndGet(now - due, Math::max);
        }
        List<RtpStream> notYet = new ArrayList<>(0);   // those whose bucket is being sent: they go back for the next bucket
        for (RtpStream s; (s = restarting.poll()) != null; ) {
            int to = slotFor(s, phase);
            if (to == phase && s.phase == phase && s.bucket < b) {
                to = slotFor(s, (phase + 1) % PHASES);   // it was sent in this slot already: once is enough
            }
            if (!moveTo(s, to, phase, b)) {
                notYet.add(s);
            }
        }
        restarting.addAll(notYet);
        Bucket bucket = buckets[phase * BUCKETS + b];
        int slice = (int) (frame % REPORT_FRAMES);
        int position = 0;
        int late = 0;
        if (!bucket.sending.tryLock()) {
            // Still being sent 20 ms on: its thread is stuck (held up by the machine, or a stream's
            // source is slow). Its streams skip this turn rather than hold this thread up too.
            int skipped = bucket.streams.size();
            sends.addAndGet(skipped);
            lateSends.addAndGet(skipped);
            countLate(frame);
            return;
        }
        try {
            bucket.reporting.clear();
            for (RtpStream stream : bucket.streams) {
                if (System.nanoTime() - due > LATE_NANOS) {
                    late++;
                }
                try {
                    stream.tick(out);
                } catch (RuntimeException e) {
                    log.warn("RTP stream on port {} failed a tick", stream.localPort(), e);
                }
                if (position++ % REPORT_FRAMES == slice) {
                    bucket.reporting.add(stream);
                }
            }
            bucket.reporting.forEach(PacedSender::sendSenderReport);   // after the bucket's audio went out
        } finally {
            bucket.sending.unlock();
        }
        sends.addAndGet(position);
        if (late > 0) {
            lateSends.addAndGet(late);
            countLate(frame);
        }
    }

    private void countLate(long frame) {
        long last = lastLateFrame.get();
        if (last < frame && lastLateFrame.compareAndSet(last, frame)) {
            lateFrames.incrementAndGet();
        }
    }

    /**
     * The slot a restarting stream moves to: this one, unless it holds more than its share of the
     * streams already, then the next one that does not (at most 15 ms later). Starts that came
     * together would otherwise pile into one slot: holding 3,000 calls, slots of 542 to 975 streams,
     * and the largest overran its 5 ms in every frame (docs/BENCHMARKS.md, session 16).
     */
    private int slotFor(RtpStream stream, int phase) {
        int[] sizes = slotSizes();
        int total = Arrays.stream(sizes).sum();
        int share = total / PHASES + Math.max(2, total / (PHASES * 32));
        for (int i = 0; i < PHASES; i++) {
            int candidate = (phase + i) % PHASES;
            int others = sizes[candidate] - (candidate == stream.phase ? 1 : 0);
            if (others < share) {
                return candidate;
            }
        }
        return phase;   // every slot is at its share: unreachable while the sizes add up, kept for a race with add/remove
    }

    /**
     * Moves {@code stream} to {@code phase}, into its emptiest bucket not yet sent this slot (slot
     * {@code now}'s buckets before {@code next} are), unless its bucket is being sent (false: try
     * again later). It leaves its bucket under that bucket's lock, so no thread is sending it there
     * when it joins the new one.
     */
    private boolean moveTo(RtpStream stream, int phase, int now, int next) {
        int b = next;
        for (int i = phase == now ? next : 0; i < BUCKETS; i++) {
            if (buckets[phase * BUCKETS + i].streams.size() < buckets[phase * BUCKETS + b].streams.size()) {
                b = i;
            }
        }
        Bucket from = bucket(stream);
        Bucket to = buckets[phase * BUCKETS + b];
        if (from.streams.contains(stream) && stream.phase == phase && (phase != now || stream.bucket >= next)) {
            return true;   // it sends in this slot's buckets still to come, or a later slot's: where it is will do
        }
        if (!from.sending.tryLock()) {
            return false;
        }
        try {
            if (!from.streams.remove(stream)) {
                return true;   // closed meanwhile
            }
            stream.movedTo(phase, b);
        } finally {
            from.sending.unlock();
        }
        to.streams.add(stream);
        if (stream.isClosed()) {   // closed (and removed from where it was) between the two steps
            to.streams.remove(stream);
        }
        return true;
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
            stream.ports.rtcp.send(sr, new InetSocketAddress(remote.getAddress(), remote.getPort() + 1));
        } catch (IOException e) {
            log.debug("RTCP send failed: {}", e.toString());
        }
    }
}

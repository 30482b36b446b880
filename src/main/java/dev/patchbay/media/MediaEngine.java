package dev.patchbay.media;

import dev.patchbay.config.PortRange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's media plane: RTP port pairs from the configured range, a receive thread per core
 * (each an NIO selector over its share of the streams' sockets; a stream is always received on
 * the same one) and one paced sender thread that sends a packet for every stream each 20 ms.
 * No thread per stream, ever.
 *
 * <p>The sender wakes every 5 ms and sends for a quarter of the streams each time (a stream's
 * <em>phase</em>), so its work is spread over the 20 ms frame instead of bunched at its start.
 * A stream told to play something new moves to the next 5 ms slot (its first packet of the new
 * audio carries the RTP marker bit, as at the start of a talkspurt): new audio starts within 5 ms
 * of the command instead of up to 20.
 */
public final class MediaEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);
    /** Slots per 20 ms frame; each stream sends in one of them. */
    private static final int PHASES = 4;
    private static final long SLOT_NANOS = Codec.FRAME_MILLIS * 1_000_000L / PHASES;
    private static final long LATE_NANOS = 5_000_000L;
    /** Each stream sends an RTCP sender report about every 5 s; a slice of the streams reports each tick, never all in one. */
    private static final int REPORT_TICKS = 250;

    private final String bindHost;
    private final PortRange ports;
    private final Receiver[] receivers;
    private final Set<RtpStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<Integer> portsInUse = ConcurrentHashMap.newKeySet();
    private final Thread sender;
    private int nextReceiver;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong lateTicks = new AtomicLong();
    /** Streams with new audio to start: they move to the next slot (sender thread drains it). */
    private final ConcurrentLinkedQueue<RtpStream> restarting = new ConcurrentLinkedQueue<>();
    private int nextPhase;
    private final java.util.List<RtpStream> reporting = new java.util.ArrayList<>();   // this tick's sender reports (sender thread only)
    private volatile long maxLatenessNanos;
    private volatile boolean running = true;
    private int nextPort;

    public MediaEngine(String bindHost, PortRange ports) {
        this.bindHost = bindHost;
        this.ports = ports;
        this.nextPort = ports.first() + (ports.first() & 1);
        // One receive thread per core (at most four): a bridge's forwarding runs on them, and one
        // thread cannot carry much more than 1,000 bridged calls.
        int count = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.receivers = new Receiver[count];
        for (int i = 0; i < count; i++) {
            receivers[i] = new Receiver(i);
        }
        this.sender = Thread.ofPlatform().name("patchbay-rtp-tx").daemon().priority(Thread.MAX_PRIORITY).start(this::sendLoop);
    }

    /** A new stream on a free even port (RTCP on the odd one above); throws when the range is exhausted. */
    public RtpStream open() {
        int attempts = ports.size() / 2 + 1;
        for (int i = 0; i < attempts; i++) {
            int port = nextCandidate();
            if (!portsInUse.add(port)) {
                continue;
            }
            DatagramChannel rtp = null;
            try {
                rtp = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(bindHost, port));
                DatagramChannel rtcp = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(bindHost, port + 1));
                rtp.configureBlocking(false);
                rtcp.configureBlocking(false);
                Receiver receiver = nextReceiver();
                RtpStream stream = new RtpStream(this, rtp, rtcp, port, receiver.index);
                stream.phase = nextPhase();
                streams.add(stream);
                receiver.toRegister.add(stream);
                receiver.selector.wakeup();
                return stream;
            } catch (IOException e) {
                portsInUse.remove(port);
                closeQuietly(rtp);
            }
        }
        throw new MediaException("no free RTP port pair in " + ports);
    }

    private synchronized int nextPhase() {
        nextPhase = (nextPhase + 1) % PHASES;
        return nextPhase;
    }

    /** {@code stream} has new audio to play: it sends in the next slot, and every 20 ms from there. */
    void startSoon(RtpStream stream) {
        restarting.add(stream);
    }

    private synchronized Receiver nextReceiver() {
        Receiver r = receivers[nextReceiver];
        nextReceiver = (nextReceiver + 1) % receivers.length;
        return r;
    }

    private synchronized int nextCandidate() {
        int port = nextPort;
        nextPort += 2;
        if (nextPort + 1 > ports.last()) {
            nextPort = ports.first() + (ports.first() & 1);
        }
        return port;
    }

    void release(RtpStream stream) {
        streams.remove(stream);
        closeQuietly(stream.rtp);
        closeQuietly(stream.rtcp);
        portsInUse.remove(stream.localPort());
        receivers[stream.receiverIndex].selector.wakeup();
    }

    public int activeStreams() {
        return streams.size();
    }

    /** Sender ticks (20 ms frames) so far, and how many had a slot start more than 5 ms behind schedule. */
    public long ticks() {
        return ticks.get();
    }

    public long lateTicks() {
        return lateTicks.get();
    }

    public long maxLatenessMillis() {
        return maxLatenessNanos / 1_000_000;
    }

    private void sendLoop() {
        long next = System.nanoTime();
        long slot = 0;
        boolean frameLate = false;
        while (running) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            int phase = (int) (slot % PHASES);
            long tick = phase == 0 ? ticks.incrementAndGet() : ticks.get();
            long lateness = now - next;
            if (phase == 0) {
                frameLate = false;
            }
            if (lateness > LATE_NANOS && !frameLate) {
                frameLate = true;
                lateTicks.incrementAndGet();
            }
            if (lateness > maxLatenessNanos) {
                maxLatenessNanos = lateness;
            }
            for (RtpStream s; (s = restarting.poll()) != null; ) {
                s.movedTo(phase);   // sends now, and every 20 ms from now
            }
            int slice = (int) (tick % REPORT_TICKS);
            int position = 0;
            reporting.clear();
            for (RtpStream stream : streams) {
                if (stream.phase != phase) {
                    continue;
                }
                try {
                    stream.tick();
                } catch (RuntimeException e) {
                    log.warn("RTP stream on port {} failed a tick", stream.localPort(), e);
                }
                if (position++ % REPORT_TICKS == slice) {
                    reporting.add(stream);
                }
            }
            reporting.forEach(this::sendSenderReport);   // after every stream's audio went out
            slot++;
            next += SLOT_NANOS;
            if (System.nanoTime() - next > 12 * SLOT_NANOS) {
                next = System.nanoTime();   // fell far behind (a long pause): resynchronise instead of bursting
            }
        }
    }

    /** One receive thread: an NIO selector over its share of the streams' sockets. */
    private final class Receiver {
        final int index;
        final Selector selector;
        final ConcurrentLinkedQueue<RtpStream> toRegister = new ConcurrentLinkedQueue<>();

        Receiver(int index) {
            this.index = index;
            try {
                this.selector = Selector.open();
            } catch (IOException e) {
                throw new MediaException("cannot open the RTP selector", e);
            }
            Thread.ofPlatform().name("patchbay-rtp-rx-" + index).daemon().start(this::loop);
        }

        private void loop() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            while (running) {
                try {
                    selector.select(500);
                    for (RtpStream s; (s = toRegister.poll()) != null; ) {
                        if (!s.isClosed()) {
                            s.rtp.register(selector, SelectionKey.OP_READ, s);
                            s.rtcp.register(selector, SelectionKey.OP_READ, Boolean.TRUE);
                        }
                    }
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        if (!key.isValid()) {
                            continue;
                        }
                        DatagramChannel channel = (DatagramChannel) key.channel();
                        for (int i = 0; i < 16; i++) {   // drain a few per wake-up, fairly
                            buffer.clear();
                            InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                            if (from == null) {
                                break;
                            }
                            buffer.flip();
                            if (key.attachment() instanceof RtpStream stream) {
                                stream.receive(buffer, from);
                            }   // RTCP from peers is read and dropped: we do not adapt to it
                        }
                    }
                } catch (ClosedSelectorException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    if (running) {
                        log.warn("RTP receive loop error", e);
                    }
                }
            }
        }
    }

    /** RFC 3550 sender report, so peers' RTCP statistics have something to show. */
    private void sendSenderReport(RtpStream stream) {
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

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a UDP socket cannot fail in a way we could act on
            }
        }
    }

    @Override
    public void close() {
        running = false;
        streams.forEach(RtpStream::close);
        for (Receiver r : receivers) {
            try {
                r.selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
        LockSupport.unpark(sender);
    }
}

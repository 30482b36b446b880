package dev.patchbay.media;

import dev.patchbay.config.PortRange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's media plane: RTP port pairs from the configured range, bound once and kept for
 * stream after stream ({@link PortPair}; a freed pair rests {@link #QUARANTINE} first), per core
 * (at most four) a lane with its receive thread (an NIO selector over the lane's streams' sockets), and
 * the paced sender ({@link PacedSender}: {@code rtp.senders} threads sharing the work of one frame
 * schedule) that sends a packet for each stream every 20 ms. A stream belongs to one lane for its
 * life, so it is always received by the same thread; {@link #frame} is the same 20 ms everywhere.
 * No thread per stream, ever.
 */
public final class MediaEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);
    /** How long a freed pair rests before another stream gets it, so that a call's late packets reach nobody. */
    static final Duration QUARANTINE = Duration.ofSeconds(2);
    /** A pair free for this long is closed: the node is past a peak and need not keep its sockets. */
    private static final long IDLE_NANOS = Duration.ofMinutes(1).toNanos();

    private final String bindHost;
    private final PortRange ports;
    private final Receiver[] receivers;
    private final PacedSender sender;
    private final long epoch = System.nanoTime();
    /** Ports of the range with a pair bound on them, free or not. */
    private final Set<Integer> portsInUse = ConcurrentHashMap.newKeySet();
    /** Bound pairs no stream has, freed longest ago first. */
    private final ArrayDeque<PortPair> free = new ArrayDeque<>();
    private final long quarantineNanos;
    private int nextLane;
    private volatile boolean running = true;
    private int nextPort;

    /** One sender thread for all streams (a node has {@code rtp.senders}: one per lane unless set). */
    public MediaEngine(String bindHost, PortRange ports) {
        this(bindHost, ports, 1);
    }

    /**
     * {@code senderCount} sender threads (at most one per lane): one keeps every stream's packets
     * going for fewest CPU cycles; more keep more streams on time when one core cannot send for
     * them all or the machine holds a thread up (docs/media.md has the measurements).
     */
    public MediaEngine(String bindHost, PortRange ports, int senderCount) {
        this(bindHost, ports, senderCount, QUARANTINE);
    }

    /** As above, a freed pair resting for {@code quarantine} before it is used again. */
    MediaEngine(String bindHost, PortRange ports, int senderCount, Duration quarantine) {
        this(bindHost, ports, senderCount, quarantine, PacedSender.Nap.PARK);
    }

    /** As above, the sender threads waiting for their slots with {@code nap} (a test's holds one up). */
    MediaEngine(String bindHost, PortRange ports, int senderCount, Duration quarantine, PacedSender.Nap nap) {
        this.quarantineNanos = quarantine.toNanos();
        this.bindHost = bindHost;
        this.ports = ports;
        this.nextPort = ports.first() + (ports.first() & 1);
        // One lane per core (at most four): a bridge's forwarding runs on the receive threads, and
        // one thread cannot forward for much more than 1,000 bridged calls.
        int count = lanes();
        if (senderCount < 1) {
            throw new IllegalArgumentException("at least one RTP sender is needed, not " + senderCount);
        }
        this.receivers = new Receiver[count];
        for (int i = 0; i < count; i++) {
            receivers[i] = new Receiver(i);
        }
        this.sender = new PacedSender(Math.min(count, senderCount), epoch, nap);
    }

    /** How many lanes an engine has on this machine: one per core, at most four. */
    public static int lanes() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A new stream on an even port (RTCP on the odd one above): a free pair that has rested for the
     * quarantine, else a newly bound one, else (the range all in use or resting) the pair that has
     * rested longest; throws when every pair of the range is in use.
     */
    public RtpStream open() {
        PortPair pair = rested(quarantineNanos).or(this::bind).or(() -> rested(0))
                .orElseThrow(() -> new MediaException("no free RTP port pair in " + ports));
        RtpStream stream = new RtpStream(this, pair);
        pair.stream = stream;
        sender.add(stream);
        return stream;
    }

    /** The free pair freed longest ago, if it has been free for at least {@code nanos}. */
    private synchronized Optional<PortPair> rested(long nanos) {
        PortPair oldest = free.peekFirst();
        if (oldest == null || System.nanoTime() - oldest.freedAt < nanos) {
            return Optional.empty();
        }
        return Optional.of(free.pollFirst());
    }

    /** Binds a pair on the next port of the range not bound yet and hands it to its lane's receive thread. */
    private Optional<PortPair> bind() {
        if (portsInUse.size() >= ports.size() / 2) {
            return Optional.empty();   // every pair of the range is bound: no need to try each port
        }
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
                PortPair pair = new PortPair(rtp, rtcp, port, nextLane());
                receivers[pair.lane].toRegister.add(pair);
                receivers[pair.lane].selector.wakeup();
                return Optional.of(pair);
            } catch (IOException e) {
                portsInUse.remove(port);
                closeQuietly(rtp);
            }
        }
        return Optional.empty();
    }

    /** {@code stream} has new audio to play: it sends in the next slot with room, and every 20 ms from there. */
    void startSoon(RtpStream stream) {
        sender.startSoon(stream);
    }

    /** How many streams send in each 5 ms slot of the frame. */
    int[] slotSizes() {
        return sender.slotSizes();
    }

    private synchronized int nextLane() {
        int lane = nextLane;
        nextLane = (nextLane + 1) % receivers.length;
        return lane;
    }

    private synchronized int nextCandidate() {
        int port = nextPort;
        nextPort += 2;
        if (nextPort + 1 > ports.last()) {
            nextPort = ports.first() + (ports.first() & 1);
        }
        return port;
    }

    /** The stream's pair goes back to the free list; pairs free for over a minute are closed (the node is past a peak). */
    void release(RtpStream stream) {
        PortPair pair = stream.ports;
        sender.remove(stream);
        pair.stream = null;
        if (!running) {
            unbind(pair);   // the engine has closed: nothing will use the pair again
            return;
        }
        long now = System.nanoTime();
        List<PortPair> idle = new ArrayList<>();
        synchronized (this) {
            pair.freedAt = now;
            free.addLast(pair);
            while (now - free.peekFirst().freedAt > IDLE_NANOS) {
                idle.add(free.pollFirst());
            }
        }
        idle.forEach(this::unbind);
    }

    private void unbind(PortPair pair) {
        closeQuietly(pair.rtp);
        closeQuietly(pair.rtcp);
        portsInUse.remove(pair.port);
        receivers[pair.lane].selector.wakeup();   // a closed channel's socket is released at the selector's next select
    }

    public int activeStreams() {
        return sender.size();
    }

    /** The current 20 ms frame by the sender's schedule: one number per frame on every core (a room mixes once per frame). */
    public long frame() {
        return (System.nanoTime() - epoch) / PacedSender.FRAME_NANOS;
    }

    /** Frames (20 ms) begun so far. */
    public long ticks() {
        return sender.frames();
    }

    /** Of {@link #ticks}, those in which some packet went out more than 5 ms behind schedule. */
    public long lateTicks() {
        return sender.lateFrames();
    }

    /** Streams' 20 ms turns to send so far (a packet each unless bridged or on hold). */
    public long sends() {
        return sender.sends();
    }

    /** Of {@link #sends}, those that began more than 5 ms behind schedule: late packets. */
    public long lateSends() {
        return sender.lateSends();
    }

    public long maxLatenessMillis() {
        return sender.maxLatenessNanos() / 1_000_000;
    }

    /** One receive thread: an NIO selector over its share of the streams' sockets. */
    private final class Receiver {
        final int index;
        final Selector selector;
        final ConcurrentLinkedQueue<PortPair> toRegister = new ConcurrentLinkedQueue<>();

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
                    for (PortPair p; (p = toRegister.poll()) != null; ) {
                        if (p.rtp.isOpen()) {
                            p.rtp.register(selector, SelectionKey.OP_READ, p);
                            p.rtcp.register(selector, SelectionKey.OP_READ, Boolean.TRUE);
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
                            if (key.attachment() instanceof PortPair pair && pair.stream instanceof RtpStream stream) {
                                stream.receive(buffer, from);
                            }   // a free pair's packets and RTCP from peers are read and dropped (we do not adapt to RTCP)
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
        List<PortPair> unused;
        synchronized (this) {
            unused = new ArrayList<>(free);
            free.clear();
        }
        unused.forEach(this::unbind);
        sender.close();
        for (Receiver r : receivers) {
            try {
                r.selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }
}

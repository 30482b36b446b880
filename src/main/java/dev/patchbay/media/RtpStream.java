package dev.patchbay.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTP audio stream of a call: a UDP port pair, the paced sending of whatever is playing
 * (silence otherwise), RFC 4733 digits out, and received audio and digits (RFC 4733 and
 * in-band) delivered to a {@link Listener}.
 *
 * <p>Both directions of one stream live here because they share its state (SSRC, sequence line,
 * codec, remote address); the bridge's forwarding is {@link RtpRelay}, the digits' sending
 * {@link DigitSender}, codecs and DTMF event codes are in their own classes.
 *
 * <p>Threads: {@link #tick} runs on one sender thread at a time, under its bucket's lock (which
 * thread may change from tick to tick, see {@link PacedSender}), and builds its packets in that
 * thread's buffer; {@link #receive} only on its lane's receiver thread; the call's thread uses
 * {@link #play}, {@link #sendDigits}, {@link #stopPlayback} and {@link #configure}, which hand over
 * through volatile fields and queues.
 */
public final class RtpStream {

    private static final Logger log = LoggerFactory.getLogger(RtpStream.class);

    /** What the stream reports to its call. Called on the receiver thread: must not block. */
    public interface Listener {
        void onAudio(short[] frame);

        void onDigit(char digit);
    }

    /**
     * A playback in progress; {@link #done()} completes true when it ran out, false when stopped;
     * {@link #firstFrame()} completes with the {@code System.nanoTime()} its first packet was sent.
     */
    public record Playback(AudioSource source, CompletableFuture<Boolean> done, CompletableFuture<Long> firstFrame) {
    }

    private final MediaEngine engine;
    /** The 5 ms slot of the frame this stream sends in, and its bucket there (see {@link PacedSender}); volatile for its close. */
    volatile int phase;
    volatile int bucket;
    /** The sockets this stream has from the engine until it closes. */
    final PortPair ports;
    final int ssrc = ThreadLocalRandom.current().nextInt();
    private final JitterBuffer jitter = new JitterBuffer(3);
    private final Goertzel inBand = new Goertzel();
    private final ConcurrentLinkedQueue<Object> commands = new ConcurrentLinkedQueue<>();

    volatile InetSocketAddress remote;
    volatile Codec codec = Codec.PCMU;
    volatile int telephoneEventPt = 101;
    volatile boolean sending = true;
    private volatile boolean audioOn = true;
    private volatile Listener listener;
    volatile boolean closed;
    /** Basic mode: packets received here are forwarded out of this peer's socket, undecoded. */
    private volatile RtpStream relayTo;
    private volatile AudioSource announcement;
    /** Whether received audio is still decoded for the listener while relaying (recording a bridge). */
    private volatile boolean decodeWhileRelaying;
    /** This stream's outgoing half of a bridge: what it receives, sent out of its peer (receiver thread only). */
    private final RtpRelay relay = new RtpRelay();

    // Sender-thread state.
    private final short[] frame = new short[Codec.FRAME_SAMPLES];
    private final byte[] encoded = new byte[Codec.FRAME_SAMPLES];
    private Playback playback;
    private final DigitSender digits = new DigitSender();
    volatile int seq = ThreadLocalRandom.current().nextInt(0x10000);
    volatile int timestamp = ThreadLocalRandom.current().nextInt();
    private boolean wasRelayedInto;
    /** The last sequence number a peer relayed out of this stream (written by the receiver thread). */
    volatile int relayedSeq;
    private boolean firstPacket = true;
    long packetsSent;
    long octetsSent;

    // Receiver-thread state.
    private long lastEventTimestamp = -1;
    private long lastSsrc = -1;
    volatile long packetsReceived;

    RtpStream(MediaEngine engine, PortPair ports) {
        this.engine = engine;
        this.ports = ports;
    }

    public int localPort() {
        return ports.port;
    }

    public Codec codec() {
        return codec;
    }

    public int telephoneEventPt() {
        return telephoneEventPt;
    }

    /** Sets where to send, in which codec, and whether to send at all (not while the peer holds us). */
    public void configure(InetSocketAddress remote, Codec codec, int telephoneEventPt, boolean sending) {
        this.remote = remote;
        this.codec = codec;
        this.telephoneEventPt = telephoneEventPt;
        this.sending = sending;
    }

    /**
     * Whether audio goes out at all, independent of hold: off before a call is answered (no early
     * media), so unanswered calls cost no packets.
     */
    public void sendAudio(boolean on) {
        this.audioOn = on;
    }

    public void listen(Listener listener) {
        this.listener = listener;
    }

    /**
     * Joins two streams in basic mode: what either receives goes out of the other as it came,
     * with only the payload type rewritten (and PCMU/PCMA transcoded by table when the two sides
     * differ). Neither stream sends audio of its own while joined. RFC 4733 digits are forwarded
     * and still reported to each stream's listener.
     */
    public static void bridge(RtpStream a, RtpStream b, boolean decodeAudio) {
        a.decodeWhileRelaying = decodeAudio;
        b.decodeWhileRelaying = decodeAudio;
        a.relayTo = b;
        b.relayTo = a;
    }

    /** Ends a {@link #bridge}: each stream goes back to sending its own audio. */
    public static void unbridge(RtpStream a, RtpStream b) {
        a.relayTo = null;
        b.relayTo = null;
        a.relay.restart();   // a later bridge computes fresh offsets
        b.relay.restart();
    }

    public long packetsRelayed() {
        return relay.packets();
    }

    /** Whether some other stream currently relays into this one (then its own audio is muted). */
    private boolean relayedInto() {
        RtpStream peer = relayTo;
        return peer != null && peer.relayTo == this;
    }

    /**
     * Plays {@code audio} once ahead of what is playing, which waits (not advanced) until it is
     * over: a notice spoken over whatever the call is doing. Not heard while a bridge relays into
     * this stream (the bridge pauses its relay for it first).
     */
    public void announce(AudioSource audio) {
        announcement = audio;
    }

    /** Whether a bridge relays the peer's packets out of this stream now. */
    public boolean isRelayed() {
        return relayedInto();
    }

    /** Starts playing {@code source}, replacing what was playing (which completes as stopped). */
    public Playback play(AudioSource source) {
        Playback p = new Playback(source, new CompletableFuture<>(), new CompletableFuture<>());
        commands.add(p);
        engine.startSoon(this);
        return p;
    }

    public void stopPlayback() {
        commands.add(Stop.INSTANCE);
    }

    /** Sends DTMF as RFC 4733 events; {@code w} is a half-second pause. Completes when all are sent. */
    public CompletableFuture<Void> sendDigits(String digits) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(new Digits(digits, done));
        return done;
    }

    private enum Stop { INSTANCE }

    private record Digits(String digits, CompletableFuture<Void> done) {
    }

    /** Moves the stream's sending to bucket {@code newBucket} of {@code newPhase}; after a move within the frame the next packet carries the marker bit. */
    void movedTo(int newPhase, int newBucket) {
        if (phase != newPhase) {
            firstPacket = true;
        }
        phase = newPhase;
        bucket = newBucket;
    }

    /**
     * One 20 ms step of sending; called by one sender thread at a time, under the stream's bucket's
     * lock, with that thread's packet buffer (not the pair's: a closed stream's last tick may still
     * be running when its pair goes to a new stream).
     */
    void tick(ByteBuffer out) {
        if (closed) {
            return;
        }
        for (Object command; (command = commands.poll()) != null; ) {
            switch (command) {
                case Playback p -> {
                    if (playback != null) {
                        playback.done().complete(false);
                    }
                    playback = p;
                }
                case Stop s -> {
                    if (playback != null) {
                        playback.done().complete(false);
                        playback = null;
                    }
                }
                case Digits d -> digits.add(d.digits(), d.done());
                default -> throw new IllegalStateException("unknown command " + command);
            }
        }
        if (relayedInto()) {
            wasRelayedInto = true;   // a peer's packets go out of this stream now; ours would collide
            timestamp += Codec.FRAME_SAMPLES;
            return;
        }
        if (wasRelayedInto) {   // the bridge ended: go on from the last relayed sequence number
            wasRelayedInto = false;
            seq = (relayedSeq + 1) & 0xffff;
            firstPacket = true;
        }
        InetSocketAddress to = audioOn ? remote : null;
        if (digits.ownsTick()) {
            Optional<DigitSender.Packet> event = digits.step(timestamp);
            if (to != null && event.isPresent()) {
                for (int i = 0; i < event.get().copies(); i++) {
                    send(out, to, telephoneEventPt, i == 0 && event.get().marker(), event.get().timestamp(), event.get().payload(), 4);
                }
            }
            timestamp += Codec.FRAME_SAMPLES;
            return;
        }
        AudioSource notice = announcement;
        boolean announcing = notice != null && notice.read(frame);
        if (notice != null && !announcing) {
            announcement = null;
        }
        if (announcing) {
            // the notice's frame is sent; the playback waits
        } else if (digits.takeGap()) {
            Arrays.fill(frame, (short) 0);
        } else if (playback != null) {
            if (!playback.source().read(frame)) {
                playback.done().complete(true);
                playback = null;
                Arrays.fill(frame, (short) 0);
            } else if (!playback.firstFrame().isDone()) {
                playback.firstFrame().complete(System.nanoTime());
            }
        } else {
            Arrays.fill(frame, (short) 0);
            digits.settle();
        }
        if (to == null || !sending) {
            timestamp += Codec.FRAME_SAMPLES;
            return;
        }
        Codec c = codec;
        c.encode(frame, encoded);
        send(out, to, c.payloadType(), firstPacket, timestamp, encoded, encoded.length);
        firstPacket = false;
        timestamp += Codec.FRAME_SAMPLES;
    }

    private void send(ByteBuffer out, InetSocketAddress to, int payloadType, boolean marker, int ts, byte[] payload, int length) {
        out.clear();
        out.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType)).putShort((short) seq).putInt(ts).putInt(ssrc);
        out.put(payload, 0, length).flip();
        seq = (seq + 1) & 0xffff;
        try {
            ports.rtp.send(out, to);
            packetsSent++;
            octetsSent += length;
        } catch (IOException e) {
            log.debug("RTP send to {} failed: {}", to, e.toString());
        }
    }

    /** Handles one received datagram; called by the engine's receiver thread only. */
    void receive(ByteBuffer packet, InetSocketAddress from) {
        int length = packet.remaining();
        if (length < 12 || (packet.get(0) & 0xC0) != 0x80) {
            return;
        }
        packetsReceived++;
        int csrc = packet.get(0) & 0x0f;
        boolean extension = (packet.get(0) & 0x10) != 0;
        int pt = packet.get(1) & 0x7f;
        int sequence = packet.getShort(2) & 0xffff;
        long ts = packet.getInt(4) & 0xffffffffL;
        int offset = 12 + 4 * csrc;
        if (extension && length >= offset + 4) {
            offset += 4 + 4 * (packet.getShort(offset + 2) & 0xffff);
        }
        int payloadLength = length - offset;
        if ((packet.get(0) & 0x20) != 0 && payloadLength > 0) {
            payloadLength -= packet.get(length - 1) & 0xff;   // padding
        }
        if (payloadLength <= 0) {
            return;
        }
        if (remote == null) {
            remote = from;   // symmetric RTP for peers whose SDP came late
        }
        long packetSsrc = packet.getInt(8) & 0xffffffffL;
        if (packetSsrc != lastSsrc) {
            lastSsrc = packetSsrc;
            jitter.reset();   // a new source starts its own sequence
        }
        Listener l = listener;
        RtpStream peer = relayTo;
        if (peer != null) {
            relay.forward(packet, pt, offset, payloadLength, telephoneEventPt, peer);
            if (pt != telephoneEventPt && !decodeWhileRelaying) {
                return;
            }
        }
        if (pt == telephoneEventPt) {
            if (payloadLength >= 4 && ts != lastEventTimestamp) {
                lastEventTimestamp = ts;   // one digit per event, whatever its updates and end packets
                int event = packet.get(offset) & 0xff;
                if (event <= 15 && l != null) {
                    l.onDigit(Rfc4733.eventDigit(event));
                }
            }
            return;
        }
        Codec c = Codec.byPayloadType(pt).orElse(null);
        if (c == null) {
            return;   // comfort noise and unknown payloads are ignored
        }
        byte[] payload = new byte[payloadLength];
        packet.get(offset, payload);
        List<byte[]> ready = jitter.push(sequence, payload);
        for (byte[] p : ready) {
            for (int start = 0; start < p.length; start += Codec.FRAME_SAMPLES) {
                int n = Math.min(Codec.FRAME_SAMPLES, p.length - start);
                short[] frameOut = new short[n];
                c.decode(p, start, n, frameOut);
                if (n == Codec.FRAME_SAMPLES) {
                    char digit = inBand.feed(frameOut);
                    if (digit != 0 && l != null) {
                        l.onDigit(digit);
                    }
                }
                if (l != null) {
                    l.onAudio(frameOut);
                }
            }
        }
    }

    long ssrc() {
        return ssrc & 0xffffffffL;
    }

    int rtpTimestamp() {
        return timestamp;
    }

    public long packetsReceived() {
        return packetsReceived;
    }

    /** Where this stream sends (empty until the far end's SDP or first packet is known). */
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remote);
    }

    InetSocketAddress remote() {
        return remote;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops the stream and frees its ports; a playing source completes as stopped. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.release(this);
        commands.add(Stop.INSTANCE);
        Playback p = playback;
        if (p != null) {
            p.done().complete(false);
        }
        for (Object c : commands) {
            if (c instanceof Playback pb) {
                pb.done().complete(false);
            } else if (c instanceof Digits d) {
                d.done().complete(null);
            }
        }
        digits.abandon();
    }
}

package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patchbay.config.PortRange;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaEngineTest {

    /** A free block of ports for the engine: an ephemeral bind tells us where the kernel is not handing out ports now. */
    private static PortRange freeRange() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 42000 + (int) (Math.random() * 2000) * 2;
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                probe.bind(new InetSocketAddress("127.0.0.1", base));
                return new PortRange(base, base + 63);
            } catch (IOException taken) {
                // try another block
            }
        }
        throw new IOException("no free port block");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void every_stream_sends_each_frame_of_its_audio_once_in_order_whichever_lane_and_sender_it_has(int senders) throws Exception {
        int streams = 8;   // more than lanes on any test machine (at most four): every lane sends some
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), senders);
             DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0))) {
            List<RtpStream> opened = new ArrayList<>();
            List<RtpStream.Playback> playing = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                RtpStream s = engine.open();
                s.configure((InetSocketAddress) sink.getLocalAddress(), Codec.PCMU, 101, true);
                s.sendAudio(true);
                opened.add(s);
            }
            short[] halfSecond = Tones.sine(500, 8000, 440);   // 25 frames
            for (RtpStream s : opened) {
                playing.add(s.play(AudioSource.of(halfSecond, 1)));
            }
            for (RtpStream.Playback p : playing) {
                assertThat(p.done().get(5, TimeUnit.SECONDS)).isTrue();
            }

            assertThat(engine.activeStreams()).isEqualTo(streams);
            opened.forEach(RtpStream::close);   // nothing more is sent; what was sent waits in the sink's buffer

            Map<Integer, List<int[]>> bySsrc = new HashMap<>();   // ssrc -> (sequence, timestamp, marker, loud)
            sink.configureBlocking(false);
            ByteBuffer b = ByteBuffer.allocate(2048);
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() - quietSince < Duration.ofMillis(100).toNanos() && System.nanoTime() < deadline) {
                b.clear();
                if (sink.receive(b) == null) {
                    Thread.onSpinWait();
                    continue;
                }
                quietSince = System.nanoTime();
                b.flip();
                int marker = (b.get(1) & 0x80) != 0 ? 1 : 0;
                int seq = b.getShort(2) & 0xffff;
                int ts = b.getInt(4);
                int ssrc = b.getInt(8);
                int loud = 0;   // mu-law bytes near 0x7f/0xff are near silence; a 440 Hz tone has loud samples in every frame
                for (int i = 12; i < b.limit(); i++) {
                    loud |= (b.get(i) & 0x7f) < 0x50 ? 1 : 0;
                }
                bySsrc.computeIfAbsent(ssrc, k -> new ArrayList<>()).add(new int[] {seq, ts, marker, loud});
            }

            assertThat(bySsrc).hasSize(streams);
            for (List<int[]> packets : bySsrc.values()) {
                int first = -1;
                for (int i = 0; i < packets.size(); i++) {
                    if (packets.get(i)[2] == 1) {
                        first = i;   // the playback's first packet carries the marker bit
                    }
                }
                assertThat(first).isGreaterThanOrEqualTo(0);
                List<int[]> tone = packets.subList(first, Math.min(packets.size(), first + 25));
                assertThat(tone).hasSize(25);
                for (int i = 1; i < tone.size(); i++) {
                    assertThat(tone.get(i)[0]).isEqualTo((tone.get(i - 1)[0] + 1) & 0xffff);
                    assertThat(tone.get(i)[1] - tone.get(i - 1)[1]).isEqualTo(Codec.FRAME_SAMPLES);
                }
                assertThat(tone.stream().filter(p -> p[3] == 1).count()).isGreaterThan(20);
            }
            assertThat(engine.activeStreams()).isZero();
        }
    }

    @Test
    void streams_told_to_play_at_once_are_spread_over_the_slots_of_the_frame() throws Exception {
        int streams = 28;
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), 1);
             DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0))) {
            List<RtpStream> opened = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                RtpStream s = engine.open();
                s.configure((InetSocketAddress) sink.getLocalAddress(), Codec.PCMU, 101, true);
                s.sendAudio(true);
                opened.add(s);
            }
            short[] tone = Tones.sine(200, 8000, 440);
            List<RtpStream.Playback> playing = new ArrayList<>();
            for (RtpStream s : opened) {   // together, as when many calls reach their <Play> in the same few milliseconds
                playing.add(s.play(AudioSource.of(tone, 1)));
            }
            for (RtpStream.Playback p : playing) {
                p.firstFrame().get(5, TimeUnit.SECONDS);   // every stream has moved to the slot it now sends in
            }

            int[] sizes = engine.slotSizes();
            assertThat(Arrays.stream(sizes).sum()).isEqualTo(streams);
            assertThat(Arrays.stream(sizes).max().orElseThrow()).as("streams in the fullest slot of %s", Arrays.toString(sizes))
                    .isLessThanOrEqualTo(streams / PacedSender.PHASES + 2);
            opened.forEach(RtpStream::close);
        }
    }

    @Test
    void a_sender_thread_the_machine_holds_up_delays_no_stream() throws Exception {
        assumeTrue(MediaEngine.lanes() >= 2, "two sender threads need two lanes (two cores)");
        AtomicLong heldUpAt = new AtomicLong();
        AtomicBoolean holdUp = new AtomicBoolean();
        PacedSender.Nap machine = (thread, nanos) -> {   // takes thread 0's core away for 120 ms, once, as a busy host does
            if (thread == 0 && holdUp.compareAndSet(true, false)) {
                heldUpAt.set(System.nanoTime());
                sleepUninterruptibly(120);
            } else {
                LockSupport.parkNanos(nanos);
            }
        };
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), 2, MediaEngine.QUARANTINE, machine);
             Arrivals sink = new Arrivals()) {
            List<RtpStream> streams = openSendingTo(engine, sink, 8);
            long since = System.nanoTime();
            sink.awaitEachSentAfter(streams, since);
            holdUp.set(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> heldUpAt.get() > 0);
            sink.awaitEachSentAfter(streams, heldUpAt.get() + Duration.ofMillis(150).toNanos());   // the hold-up is over

            assertThat(heldUpAt.get()).as("thread 0 was held up").isPositive();
            for (RtpStream stream : streams) {
                assertThat(sink.longestGapMillis(stream.ssrc, since)).as("longest gap between stream %08x's packets, ms", stream.ssrc)
                        .isLessThan(60);
            }
        }
    }

    @Test
    void a_stream_stuck_in_its_turn_holds_up_no_stream_of_another_bucket() throws Exception {
        assumeTrue(MediaEngine.lanes() >= 2, "two sender threads need two lanes (two cores)");
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), 2);
             Arrivals sink = new Arrivals()) {
            List<RtpStream> streams = openSendingTo(engine, sink, 8);
            long since = System.nanoTime();
            sink.awaitEachSentAfter(streams, since);
            RtpStream stuck = streams.getFirst();
            AtomicLong stuckAt = new AtomicLong();
            stuck.play(frame -> {   // a source that takes 120 ms over one frame: the thread sending it is stuck that long
                if (stuckAt.compareAndSet(0, System.nanoTime())) {
                    sleepUninterruptibly(120);
                }
                return true;
            });

            await().atMost(Duration.ofSeconds(5)).until(() -> stuckAt.get() > 0);
            sink.awaitEachSentAfter(streams, stuckAt.get() + Duration.ofMillis(150).toNanos());   // the stuck turn is over

            assertThat(stuckAt.get()).as("the stuck stream was sent").isPositive();
            assertThat(sink.longestGapMillis(stuck.ssrc, since)).as("the stuck stream's longest gap, ms").isGreaterThanOrEqualTo(100);
            List<RtpStream> elsewhere = streams.stream()   // the streams of the other buckets (the stuck one joined a bucket when it began to play)
                    .filter(s -> s.phase != stuck.phase || s.bucket != stuck.bucket).toList();
            assertThat(elsewhere).hasSizeGreaterThanOrEqualTo(6);
            for (RtpStream other : elsewhere) {
                assertThat(sink.longestGapMillis(other.ssrc, since)).as("longest gap between stream %08x's packets, ms", other.ssrc)
                        .isLessThan(60);
            }
        }
    }

    private static List<RtpStream> openSendingTo(MediaEngine engine, Arrivals sink, int count) {
        List<RtpStream> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RtpStream s = engine.open();
            s.configure((InetSocketAddress) sink.socket.getLocalSocketAddress(), Codec.PCMU, 101, true);
            s.sendAudio(true);   // silence every 20 ms until something plays
            streams.add(s);
        }
        return streams;
    }

    /** What a sink socket receives, read as it arrives by a thread of its own: each SSRC's arrival times. */
    private static final class Arrivals implements AutoCloseable {
        final DatagramSocket socket;
        final Map<Integer, List<Long>> bySsrc = new ConcurrentHashMap<>();
        final Thread reader;

        Arrivals() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            reader = Thread.ofPlatform().daemon().start(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                while (!socket.isClosed()) {
                    try {
                        socket.receive(packet);
                    } catch (IOException closed) {
                        return;
                    }
                    int ssrc = ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).getInt(8);
                    bySsrc.computeIfAbsent(ssrc, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
                }
            });
        }

        /** Waits until each of {@code streams} has a packet that arrived after {@code after} (a {@link System#nanoTime}). */
        void awaitEachSentAfter(List<RtpStream> streams, long after) {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> streams.stream().allMatch(s -> {
                List<Long> times = bySsrc.getOrDefault(s.ssrc, List.of());
                return !times.isEmpty() && times.getLast() > after;
            }));
        }

        /** The longest time, in ms, between two packets of {@code ssrc} that arrived after {@code since}. */
        long longestGapMillis(int ssrc, long since) {
            long longest = 0;
            long before = -1;
            for (long at : bySsrc.getOrDefault(ssrc, List.of())) {
                if (at >= since) {
                    longest = before < 0 ? 0 : Math.max(longest, at - before);
                    before = at;
                }
            }
            return longest / 1_000_000;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static void sleepUninterruptibly(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    @Test
    void the_frame_clock_advances_once_every_20_ms_and_the_sender_counts_each_frame_once() throws Exception {
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), 2)) {
            long frame0 = engine.frame();
            long ticks0 = engine.ticks();
            long start = System.nanoTime();
            Thread.sleep(400);   // the clock under test is real time
            long elapsedFrames = (System.nanoTime() - start) / 20_000_000L;
            long frames = engine.frame() - frame0;
            assertThat(frames).isBetween(elapsedFrames - 1, elapsedFrames + 1);
            assertThat(engine.ticks() - ticks0).isBetween(elapsedFrames - 3, elapsedFrames + 1);
        }
    }

    @Test
    void a_stream_does_not_get_the_ports_of_a_call_that_just_ended() throws Exception {
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), 1)) {
            RtpStream ended = engine.open();
            ended.close();

            RtpStream next = engine.open();

            assertThat(next.localPort()).isNotEqualTo(ended.localPort());
        }
    }

    @Test
    void a_pair_that_has_rested_serves_the_next_stream_which_receives_what_is_sent_to_it() throws Exception {
        try (MediaEngine engine = new MediaEngine("127.0.0.1", freeRange(), 1, Duration.ZERO);
             DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0))) {
            RtpStream ended = engine.open();
            ended.close();

            RtpStream next = engine.open();
            assertThat(next.localPort()).isEqualTo(ended.localPort());
            ByteBuffer packet = ByteBuffer.allocate(12 + Codec.FRAME_SAMPLES);
            packet.put((byte) 0x80).put((byte) 0).putShort((short) 1).putInt(160).putInt(0x1234);
            while (packet.hasRemaining()) {
                packet.put((byte) 0xff);   // mu-law silence
            }
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", next.localPort());
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                peer.send(packet.flip(), to);   // again until it arrives: the pair may still be on its way to its receive thread
                return next.packetsReceived() > 0;
            });
            assertThat(ended.packetsReceived()).isZero();
        }
    }

    @Test
    void when_the_range_has_no_port_left_to_bind_the_longest_rested_pair_is_used_and_then_open_fails() throws Exception {
        PortRange range = freeRange();
        try (MediaEngine engine = new MediaEngine("127.0.0.1", new PortRange(range.first(), range.first() + 3), 1)) {
            RtpStream first = engine.open();
            RtpStream second = engine.open();
            first.close();

            RtpStream third = engine.open();   // within the quarantine, but the only pair there is

            assertThat(third.localPort()).isEqualTo(first.localPort());
            assertThatThrownBy(engine::open).isInstanceOf(MediaException.class).hasMessageContaining("no free RTP port pair");
            second.close();
            third.close();
        }
    }
}

import dev.patchbay.config.PortRange;
import dev.patchbay.media.AudioSource;
import dev.patchbay.media.Codec;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Tones;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The media side of bench/relay.sh. Modes:
 *   patchbay N FILE GENPORT  - N bridged calls in Patchbay's relay (MediaEngine + RtpStream.bridge, the basic mode's code)
 *   plain    N FILE GENPORT  - the baseline: N pairs in a plain NIO forwarding loop (one selector thread, no RTP work)
 *   direct   N FILE GENPORT  - N bridged calls in direct media: the node keeps both legs' streams but sends nothing
 *                              (as after the re-INVITEs); the generator's packets go straight back to it
 *   app      N FILE GENPORT  - N application-mode legs: each plays a looping tone and decodes what it receives
 *   conference N ROOM FILE GENPORT - N conference participants in rooms of ROOM (the service mode's mixer): each leg
 *                              decodes what it receives into its room and sends the room's mix less its own part
 *   gen FILE GENPORT SECONDS WARMUP - sends one 20 ms G.711 packet per leg per 20 ms to every port in FILE from GENPORT,
 *                              receives what comes back, prints loss and one-way latency through the relay
 * Relay modes write "portA portB" (app: "port") per call to FILE and run until killed. Everything forwards to
 * 127.0.0.1:GENPORT, so the generator needs one socket; it tells legs apart by an id in the payload.
 */
public class RelayBench {

    static final int MARK = 0x50424e43;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "patchbay" -> patchbay(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "plain" -> plain(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), false);
            case "connected" -> plain(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), true);
            case "direct" -> direct(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "app" -> app(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "conference" -> conference(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), Integer.parseInt(args[4]));
            case "gen" -> gen(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void patchbay(int calls, Path file, int genPort) throws Exception {
        MediaEngine media = new MediaEngine("127.0.0.1", new PortRange(30000, 30000 + calls * 4 + 10));
        InetSocketAddress gen = new InetSocketAddress("127.0.0.1", genPort);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            RtpStream a = media.open();
            RtpStream b = media.open();
            a.configure(gen, Codec.PCMU, 101, true);
            b.configure(gen, Codec.PCMU, 101, true);
            RtpStream.bridge(a, b, false);
            lines.add(a.localPort() + " " + b.localPort());
        }
        Files.write(file, lines);
        reportLateness(media);
    }

    static void direct(int calls, Path file, int genPort) throws Exception {
        MediaEngine media = new MediaEngine("127.0.0.1", new PortRange(30000, 30000 + calls * 4 + 10));
        InetSocketAddress gen = new InetSocketAddress("127.0.0.1", genPort);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            for (int leg = 0; leg < 2; leg++) {
                RtpStream s = media.open();
                s.configure(gen, Codec.PCMU, 101, true);
                s.sendAudio(false);
            }
            lines.add(genPort + " " + genPort);   // the endpoints talk to each other, not to the node
        }
        Files.write(file, lines);
        Thread.sleep(Long.MAX_VALUE);
    }

    static void conference(int participants, int roomSize, Path file, int genPort) throws Exception {
        MediaEngine media = new MediaEngine("127.0.0.1", new PortRange(30000, 30000 + participants * 2 + 10));
        InetSocketAddress gen = new InetSocketAddress("127.0.0.1", genPort);
        List<String> lines = new ArrayList<>();
        dev.patchbay.media.Mixer room = null;
        for (int i = 0; i < participants; i++) {
            if (i % roomSize == 0) {
                room = new dev.patchbay.media.Mixer(media::ticks);
            }
            dev.patchbay.media.Mixer.Party party = room.join();
            RtpStream s = media.open();
            s.configure(gen, Codec.PCMU, 101, true);
            s.listen(new RtpStream.Listener() {
                @Override
                public void onAudio(short[] frame) {
                    party.hear(frame);
                }

                @Override
                public void onDigit(char digit) {
                }
            });
            s.play(party);
            lines.add(Integer.toString(s.localPort()));
        }
        Files.write(file, lines);
        reportLateness(media);
    }

    /** Prints the sender's ticks and late ticks every second (the last line is read by the scripts), until killed. */
    static void reportLateness(MediaEngine media) throws InterruptedException {
        while (true) {
            Thread.sleep(1000);
            System.out.println("ticks=" + media.ticks() + " late=" + media.lateTicks() + " maxLatenessMs=" + media.maxLatenessMillis());
        }
    }

    static void app(int calls, Path file, int genPort) throws Exception {
        MediaEngine media = new MediaEngine("127.0.0.1", new PortRange(30000, 30000 + calls * 2 + 10));
        InetSocketAddress gen = new InetSocketAddress("127.0.0.1", genPort);
        short[] tone = Tones.sine(1000, 6000, 440);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            RtpStream s = media.open();
            s.configure(gen, Codec.PCMU, 101, true);
            s.listen(new RtpStream.Listener() {
                @Override
                public void onAudio(short[] frame) {
                }

                @Override
                public void onDigit(char digit) {
                }
            });
            s.play(AudioSource.of(tone, 0));
            lines.add(Integer.toString(s.localPort()));
        }
        Files.write(file, lines);
        Thread.sleep(Long.MAX_VALUE);
    }

    static void plain(int calls, Path file, int genPort, boolean connected) throws Exception {
        Selector selector = Selector.open();
        InetSocketAddress gen = new InetSocketAddress("127.0.0.1", genPort);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            a.configureBlocking(false);
            b.configureBlocking(false);
            if (connected) {
                a.connect(gen);
                b.connect(gen);
            }
            a.register(selector, SelectionKey.OP_READ, b);
            b.register(selector, SelectionKey.OP_READ, a);
            lines.add(((InetSocketAddress) a.getLocalAddress()).getPort() + " " + ((InetSocketAddress) b.getLocalAddress()).getPort());
        }
        Files.write(file, lines);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        while (true) {
            selector.select();
            var keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                DatagramChannel in = (DatagramChannel) key.channel();
                DatagramChannel out = (DatagramChannel) key.attachment();
                for (int n = 0; n < 16; n++) {
                    buffer.clear();
                    if (connected ? in.read(buffer) <= 0 : in.receive(buffer) == null) {
                        break;
                    }
                    buffer.flip();
                    if (connected) {
                        out.write(buffer);
                    } else {
                        out.send(buffer, gen);
                    }
                }
            }
        }
    }

    static void gen(Path file, int genPort, int seconds, int warmup) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            for (String p : line.trim().split("\\s+")) {
                ports.add(Integer.parseInt(p));
            }
        }
        int legs = ports.size();
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", genPort));
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 8 << 20);
        InetSocketAddress[] targets = ports.stream().map(p -> new InetSocketAddress("127.0.0.1", p)).toArray(InetSocketAddress[]::new);
        long[] latencies = new long[legs * 50 * seconds + 1024];
        int[] latencyCount = {0};
        long[] received = {0};
        long[] measuringFrom = {Long.MAX_VALUE};
        Thread receiver = Thread.ofPlatform().daemon().start(() -> {
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    in.clear();
                    channel.receive(in);
                    long now = System.nanoTime();
                    in.flip();
                    if (in.remaining() < 12 + 16 || in.getInt(12) != MARK) {
                        continue;   // not a generator packet (app mode sends its own audio)
                    }
                    long sent = in.getLong(16);
                    if (sent < measuringFrom[0]) {
                        continue;   // warm-up traffic
                    }
                    received[0]++;
                    if (latencyCount[0] < latencies.length) {
                        latencies[latencyCount[0]++] = now - sent;
                    }
                }
            } catch (Exception e) {
                // closed at the end
            }
        });
        ByteBuffer out = ByteBuffer.allocateDirect(12 + 160);
        int[] seq = new int[legs];
        long sentMeasured = 0;
        long start = System.nanoTime();
        long next = start;
        long end = start + (long) (warmup + seconds) * 1_000_000_000L;
        long lateTicks = 0;
        long ticks = 0;
        // Each 20 ms is cut into 1 ms slices and every leg sends in its own slice, as independent calls
        // would: no leg waits behind a burst of all the others.
        int slices = 20;
        while (next < end) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            if (measuringFrom[0] == Long.MAX_VALUE && now - start >= warmup * 1_000_000_000L) {
                measuringFrom[0] = now;
            }
            boolean measuring = measuringFrom[0] != Long.MAX_VALUE;
            ticks++;
            if (now - next > 5_000_000) {
                lateTicks++;
            }
            int slice = (int) (ticks % slices);
            for (int i = slice; i < legs; i += slices) {
                out.clear();
                out.put((byte) 0x80).put((byte) 0).putShort((short) seq[i]++).putInt(seq[i] * 160).putInt(i);
                out.putInt(MARK).putLong(System.nanoTime()).putInt(i);
                out.position(12 + 160).flip();
                channel.send(out, targets[i]);
                if (measuring) {
                    sentMeasured++;
                }
            }
            next += 1_000_000L;
        }
        Thread.sleep(1000);
        channel.close();
        long[] l = Arrays.copyOf(latencies, latencyCount[0]);
        Arrays.sort(l);
        double loss = sentMeasured == 0 ? 0 : 100.0 * (sentMeasured - received[0]) / sentMeasured;
        System.out.printf("legs=%d sent=%d received=%d loss=%.3f%% p50=%dus p99=%dus max=%dus generatorLateSlices=%d/%d%n",
                legs, sentMeasured, received[0], Math.max(0, loss), pct(l, 0.50), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1] / 1000,
                lateTicks, ticks);
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000;
    }
}

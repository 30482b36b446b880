package dev.patchbay.media;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A conference room's audio: every participant hears everyone else. Each participant's received
 * frames are handed in ({@link Party#hear}, from the receiving threads); once per 20 ms tick the
 * room sums the latest frame of every participant that is neither muted, on hold, nor idle (its
 * frame's energy under the silence floor, so idle lines add no noise), and each participant's
 * {@link AudioSource} sends the sum less its own part, clipped to 16 bits. Mixing runs on the
 * sender threads sending the participants' streams (one or several at once), inside the
 * participants' {@code read} and under the room's lock: the first read of a
 * tick mixes, the rest reuse it, so a room costs O(participants) per tick. Announcements (a join
 * beep) are added to everyone's audio. A recording takes the whole mix (everyone, clipped) of
 * every tick mixed while it runs.
 */
public final class Mixer {

    /** Mean absolute sample below which a frame counts as silence (about -50 dBFS). */
    static final int SILENCE_FLOOR = 100;
    private final LongSupplier ticks;
    private final List<Party> parties = new CopyOnWriteArrayList<>();
    private final int[] sum = new int[Codec.FRAME_SAMPLES];
    private final AtomicReference<AudioSource> announcement = new AtomicReference<>();
    private long mixedTick = Long.MIN_VALUE;
    private long mixes;
    private Tape tape;   // guarded by this

    /** One participant: what it said last, whether it is heard, and the audio it is sent. */
    public final class Party implements AudioSource {
        private final AtomicReference<short[]> latest = new AtomicReference<>();
        private volatile boolean muted;
        private volatile boolean held;
        private volatile boolean left;
        private short[] contribution;   // this tick's part of the sum (guarded by the room)

        /** A frame this participant's stream received; the next mix takes the newest. */
        public void hear(short[] frame) {
            latest.set(frame.clone());
        }

        public void mute(boolean on) {
            muted = on;
        }

        public boolean muted() {
            return muted;
        }

        /** On hold the participant is neither heard nor mixed for (it hears its hold music instead). */
        public void hold(boolean on) {
            held = on;
        }

        public boolean held() {
            return held;
        }

        @Override
        public boolean read(short[] frame) {
            if (left) {
                return false;
            }
            hearAllBut(this, frame);
            return true;
        }
    }

    /** {@code ticks}: the media engine's frame clock ({@link MediaEngine#frame}): one mix per frame, whichever participant reads first. */
    public Mixer(LongSupplier ticks) {
        this.ticks = ticks;
    }

    /** Adds a participant; its {@link Party} is the audio source its stream plays while it is in the room. */
    public Party join() {
        Party p = new Party();
        parties.add(p);
        return p;
    }

    public void leave(Party p) {
        p.left = true;
        parties.remove(p);
    }

    public int size() {
        return parties.size();
    }

    /** Everyone hears {@code audio} once, over the conversation (a join or leave beep). */
    public void announce(AudioSource audio) {
        announcement.set(audio);
    }

    /** Starts recording the room's mix, at most {@code maxSeconds} of it; false when it already records. */
    public synchronized boolean startRecording(int maxSeconds) {
        if (tape != null) {
            return false;
        }
        tape = new Tape(maxSeconds * Codec.SAMPLE_RATE);
        return true;
    }

    /** Stops the recording and returns what it holds; empty when none ran. */
    public synchronized short[] stopRecording() {
        short[] audio = tape == null ? new short[0] : Arrays.copyOf(tape.samples, tape.length);
        tape = null;
        return audio;
    }

    /** How many ticks this room has mixed (for the benchmark and tests). */
    public synchronized long mixes() {
        return mixes;
    }

    /** This tick's mix less {@code party}'s own part, into {@code frame}; under the lock, as another sender may mix the next tick. */
    private synchronized void hearAllBut(Party party, short[] frame) {
        mixIfDue();
        short[] own = party.contribution;
        for (int i = 0; i < frame.length; i++) {
            int v = sum[i] - (own == null ? 0 : own[i]);
            frame[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
    }

    private synchronized void mixIfDue() {
        long tick = ticks.getAsLong();
        if (tick == mixedTick) {
            return;
        }
        mixedTick = tick;
        mixes++;
        Arrays.fill(sum, 0);
        for (Party p : parties) {
            short[] frame = p.latest.getAndSet(null);
            p.contribution = frame == null || p.muted || p.held || quiet(frame) ? null : frame;
            if (p.contribution != null) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += p.contribution[i];
                }
            }
        }
        AudioSource a = announcement.get();
        if (a != null) {
            short[] extra = new short[Codec.FRAME_SAMPLES];
            if (a.read(extra)) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += extra[i];
                }
            } else {
                announcement.compareAndSet(a, null);
            }
        }
        if (tape != null) {
            tape.append(sum);
        }
    }

    /** A growing recording of mixed ticks, clipped to 16 bits, up to its limit. */
    private static final class Tape {
        private final int limit;
        private short[] samples = new short[Codec.SAMPLE_RATE * 10];
        private int length;

        Tape(int limit) {
            this.limit = limit;
        }

        void append(int[] mixed) {
            if (length + mixed.length > limit) {
                return;
            }
            if (length + mixed.length > samples.length) {
                samples = Arrays.copyOf(samples, Math.min(limit, samples.length * 2));
            }
            for (int i = 0; i < mixed.length; i++) {
                samples[length + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, mixed[i]));
            }
            length += mixed.length;
        }
    }

    private static boolean quiet(short[] frame) {
        long total = 0;
        for (short s : frame) {
            total += Math.abs(s);
        }
        return total / frame.length < SILENCE_FLOOR;
    }
}

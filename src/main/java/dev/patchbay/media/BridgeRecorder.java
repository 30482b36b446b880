package dev.patchbay.media;

import java.util.Arrays;

/**
 * Records a bridge from its answer: each party's received audio is placed on a shared timeline by
 * its arrival time (20 ms slots), so the two sides line up whatever their packet timing. Gives a
 * mono mix (Dial's {@code record-from-answer}) or both parties side by side as a stereo pair
 * ({@code record-from-answer-dual}: the caller on the left). Appended to by the receiver thread.
 */
public final class BridgeRecorder {

    private final long startNanos;
    private final int maxSamples;
    private final short[][] parties = {new short[Codec.SAMPLE_RATE * 10], new short[Codec.SAMPLE_RATE * 10]};
    private final int[] written = new int[2];
    private int length;

    public BridgeRecorder(long startNanos, int maxSeconds) {
        this.startNanos = startNanos;
        this.maxSamples = maxSeconds * Codec.SAMPLE_RATE;
    }

    /** Audio {@code party} (0 the caller, 1 the callee) sent, received at {@code nanos}. */
    public synchronized void append(int party, short[] frame, long nanos) {
        int slot = (int) Math.max(0, (nanos - startNanos) / 20_000_000L) * Codec.FRAME_SAMPLES;
        int at = Math.max(slot, written[party] - Codec.FRAME_SAMPLES * 3);   // a burst after a gap: keep order, allow a little overlap
        at = Math.max(at, written[party]);
        if (at + frame.length > maxSamples) {
            return;
        }
        short[] line = parties[party];
        if (at + frame.length > line.length) {
            int size = Math.min(maxSamples, Math.max(line.length * 2, at + frame.length));
            parties[party] = line = Arrays.copyOf(line, size);
        }
        System.arraycopy(frame, 0, line, at, frame.length);
        written[party] = at + frame.length;
        length = Math.max(length, written[party]);
    }

    /** Both parties summed (with saturation), one channel. */
    public synchronized short[] mono() {
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            int sum = sample(0, i) + sample(1, i);
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum));
        }
        return out;
    }

    /** Interleaved stereo: caller left, callee right. */
    public synchronized short[] stereo() {
        short[] out = new short[length * 2];
        for (int i = 0; i < length; i++) {
            out[2 * i] = sample(0, i);
            out[2 * i + 1] = sample(1, i);
        }
        return out;
    }

    public synchronized boolean isEmpty() {
        return length == 0;
    }

    private short sample(int party, int i) {
        return i < parties[party].length ? parties[party][i] : 0;
    }
}

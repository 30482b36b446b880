package dev.patchbay.media;

import java.util.Arrays;

/**
 * Collects received audio for {@code <Record>}: frames are appended by the receiver thread,
 * read by the call's thread when the recording ends. Tracks the trailing silence so the call can
 * stop on a quiet caller.
 */
public final class Recorder {

    /** Mean absolute amplitude under which a frame counts as silence (about -48 dBFS). */
    static final int SILENCE_LEVEL = 120;

    private final int maxSamples;
    private short[] samples = new short[Codec.SAMPLE_RATE * 10];
    private int length;
    private int trailingSilentSamples;
    private boolean heardSound;

    public Recorder(int maxSeconds) {
        this.maxSamples = maxSeconds * Codec.SAMPLE_RATE;
    }

    public synchronized void append(short[] frame) {
        if (length + frame.length > maxSamples) {
            return;
        }
        if (length + frame.length > samples.length) {
            samples = Arrays.copyOf(samples, Math.min(maxSamples, Math.max(samples.length * 2, length + frame.length)));
        }
        System.arraycopy(frame, 0, samples, length, frame.length);
        length += frame.length;
        if (isSilent(frame)) {
            trailingSilentSamples += frame.length;
        } else {
            trailingSilentSamples = 0;
            heardSound = true;
        }
    }

    public synchronized long trailingSilenceMillis() {
        return trailingSilentSamples * 1000L / Codec.SAMPLE_RATE;
    }

    public synchronized boolean heardSound() {
        return heardSound;
    }

    public synchronized boolean isFull() {
        return length + Codec.FRAME_SAMPLES > maxSamples;
    }

    /** The audio so far, optionally with leading and trailing silence removed. */
    public synchronized short[] audio(boolean trimSilence) {
        if (!trimSilence) {
            return Arrays.copyOf(samples, length);
        }
        int start = 0;
        int end = length;
        while (start + Codec.FRAME_SAMPLES <= end && isSilent(Arrays.copyOfRange(samples, start, start + Codec.FRAME_SAMPLES))) {
            start += Codec.FRAME_SAMPLES;
        }
        while (end - Codec.FRAME_SAMPLES >= start && isSilent(Arrays.copyOfRange(samples, end - Codec.FRAME_SAMPLES, end))) {
            end -= Codec.FRAME_SAMPLES;
        }
        return Arrays.copyOfRange(samples, start, end);
    }

    static boolean isSilent(short[] frame) {
        long sum = 0;
        for (short s : frame) {
            sum += Math.abs(s);
        }
        return sum / Math.max(1, frame.length) < SILENCE_LEVEL;
    }
}

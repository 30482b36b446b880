package dev.patchbay.testing;

import java.util.List;

/** Measurements on received audio, for tests that assert on what a caller hears. */
public final class Audio {

    private Audio() {
    }

    public static double rms(short[] samples) {
        if (samples.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / samples.length);
    }

    /** The share (0-1) of the signal's energy at {@code frequency} (Goertzel over the whole block). */
    public static double toneShare(short[] samples, double frequency) {
        if (samples.length == 0) {
            return 0;
        }
        double coeff = 2 * Math.cos(2 * Math.PI * frequency / 8000);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (short sample : samples) {
            double s0 = sample + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) sample * sample;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return energy == 0 ? 0 : power / (energy * samples.length / 2);
    }

    public static short[] concat(List<short[]> frames) {
        int n = frames.stream().mapToInt(f -> f.length).sum();
        short[] out = new short[n];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }
}

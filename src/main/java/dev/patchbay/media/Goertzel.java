package dev.patchbay.media;

/**
 * In-band DTMF detection with the Goertzel algorithm: the energy at the eight DTMF frequencies
 * in each 20 ms frame, a digit when one row and one column tone dominate, reported once per
 * key press (after two consecutive frames agree, and again only after a gap).
 */
public final class Goertzel {

    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLS = {1209, 1336, 1477, 1633};
    private static final char[][] KEYS = {
            {'1', '2', '3', 'A'}, {'4', '5', '6', 'B'}, {'7', '8', '9', 'C'}, {'*', '0', '#', 'D'}};
    private static final double[] ROW_COEFF = coefficients(ROWS);
    private static final double[] COL_COEFF = coefficients(COLS);

    private char candidate;
    private int candidateFrames;
    private boolean reported;

    private static double[] coefficients(double[] freqs) {
        double[] c = new double[freqs.length];
        for (int i = 0; i < freqs.length; i++) {
            c[i] = 2 * Math.cos(2 * Math.PI * freqs[i] / Codec.SAMPLE_RATE);
        }
        return c;
    }

    /** Feeds one frame; returns the digit when a key press is recognised, else 0. */
    public char feed(short[] frame) {
        char key = detect(frame);
        if (key == 0) {
            candidate = 0;
            candidateFrames = 0;
            reported = false;
            return 0;
        }
        if (key != candidate) {
            candidate = key;
            candidateFrames = 1;
            reported = false;
            return 0;
        }
        candidateFrames++;
        if (candidateFrames >= 2 && !reported) {
            reported = true;
            return key;
        }
        return 0;
    }

    static char detect(short[] frame) {
        double total = 0;
        for (short s : frame) {
            total += (double) s * s;
        }
        if (total / frame.length < 4e4) {   // below about -45 dBm0: silence
            return 0;
        }
        double[] rows = powers(frame, ROW_COEFF);
        double[] cols = powers(frame, COL_COEFF);
        int r = strongest(rows);
        int c = strongest(cols);
        // Each chosen tone must dominate the other tones of its group, and the pair must carry most of the energy.
        if (!dominates(rows, r) || !dominates(cols, c)) {
            return 0;
        }
        double pair = rows[r] + cols[c];
        double frameEnergy = total * frame.length / 2;
        if (pair < 0.5 * frameEnergy) {
            return 0;
        }
        double twist = rows[r] / cols[c];
        if (twist > 6.3 || twist < 1 / 6.3) {
            return 0;
        }
        return KEYS[r][c];
    }

    private static double[] powers(short[] frame, double[] coeffs) {
        double[] p = new double[coeffs.length];
        for (int k = 0; k < coeffs.length; k++) {
            double s1 = 0;
            double s2 = 0;
            double coeff = coeffs[k];
            for (short sample : frame) {
                double s0 = sample + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            p[k] = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        }
        return p;
    }

    private static int strongest(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static boolean dominates(double[] p, int index) {
        for (int i = 0; i < p.length; i++) {
            if (i != index && p[i] * 8 > p[index]) {
                return false;
            }
        }
        return true;
    }
}

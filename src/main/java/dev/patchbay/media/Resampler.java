package dev.patchbay.media;

/**
 * Sample-rate conversion to 8 kHz. Downsampling first low-passes with a windowed-sinc filter at
 * 3.6 kHz (so speech at 16-48 kHz does not alias into the telephone band), then interpolates.
 */
final class Resampler {

    private Resampler() {
    }

    static short[] to8k(short[] in, int rate) {
        if (rate == Codec.SAMPLE_RATE || in.length == 0) {
            return in;
        }
        if (rate <= 0) {
            throw new MediaException("invalid sample rate " + rate);
        }
        double[] filtered = rate > Codec.SAMPLE_RATE ? lowPass(in, 3600.0 / rate) : toDouble(in);
        int outLength = (int) ((long) in.length * Codec.SAMPLE_RATE / rate);
        short[] out = new short[outLength];
        double step = (double) rate / Codec.SAMPLE_RATE;
        for (int i = 0; i < outLength; i++) {
            double pos = i * step;
            int k = (int) pos;
            double frac = pos - k;
            double a = filtered[Math.min(k, filtered.length - 1)];
            double b = filtered[Math.min(k + 1, filtered.length - 1)];
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(a + (b - a) * frac)));
        }
        return out;
    }

    private static double[] toDouble(short[] in) {
        double[] d = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            d[i] = in[i];
        }
        return d;
    }

    /** FIR low-pass, cutoff as a fraction of the input rate, 63 taps, Hamming window. */
    private static double[] lowPass(short[] in, double cutoff) {
        int taps = 63;
        int half = taps / 2;
        double[] h = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            int n = i - half;
            double sinc = n == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
            h[i] = sinc * (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (taps - 1)));
            sum += h[i];
        }
        for (int i = 0; i < taps; i++) {
            h[i] /= sum;
        }
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            double acc = 0;
            for (int j = 0; j < taps; j++) {
                int k = i + j - half;
                if (k >= 0 && k < in.length) {
                    acc += h[j] * in[k];
                }
            }
            out[i] = acc;
        }
        return out;
    }
}

package dev.patchbay.media;

import java.util.Arrays;

/**
 * Audio to send, pulled one 20 ms frame at a time by the paced sender. Implementations are used
 * by one stream at a time and need not be thread-safe.
 */
public interface AudioSource {

    /** Fills {@code frame} (160 samples at 8 kHz); returns false once the source is exhausted. */
    boolean read(short[] frame);

    /** PCM samples played {@code loops} times (0 = effectively forever, as Twilio's loop=0). */
    static AudioSource of(short[] samples, int loops) {
        return new PcmSource(samples, loops);
    }

    /** Silence of the given length, in whole frames (a part of a frame is a whole one); no samples are held for it. */
    static AudioSource silence(long millis) {
        long samples = Math.max(0, millis) * Codec.SAMPLE_RATE / 1000;
        return new Silence((samples + Codec.FRAME_SAMPLES - 1) / Codec.FRAME_SAMPLES);
    }

    /** Plays each source in turn. */
    static AudioSource concat(AudioSource... sources) {
        return new AudioSource() {
            private int index;

            @Override
            public boolean read(short[] frame) {
                while (index < sources.length) {
                    if (sources[index].read(frame)) {
                        return true;
                    }
                    index++;
                }
                return false;
            }
        };
    }

    /** Loops over fixed PCM; the last partial frame is padded with silence. */
    final class PcmSource implements AudioSource {
        private final short[] samples;
        private final int loops;
        private int position;
        private int played;

        PcmSource(short[] samples, int loops) {
            this.samples = samples;
            this.loops = loops <= 0 ? 1000 : loops;
        }

        @Override
        public boolean read(short[] frame) {
            if (samples.length == 0) {
                return false;
            }
            if (position >= samples.length) {
                played++;
                position = 0;
            }
            if (played >= loops) {
                return false;
            }
            int n = Math.min(frame.length, samples.length - position);
            System.arraycopy(samples, position, frame, 0, n);
            Arrays.fill(frame, n, frame.length, (short) 0);
            position += n;
            return true;
        }
    }

    /** A number of silent frames. */
    final class Silence implements AudioSource {
        private long left;

        Silence(long frames) {
            this.left = frames;
        }

        @Override
        public boolean read(short[] frame) {
            if (left <= 0) {
                return false;
            }
            left--;
            Arrays.fill(frame, (short) 0);
            return true;
        }
    }
}

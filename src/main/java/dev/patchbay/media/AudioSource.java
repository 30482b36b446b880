package dev.patchbay.media;

import java.util.Arrays;

/**
 * Audio to send, pulled one 20 ms frame at a time by the paced sender. Implementations are used
 * by one stream at a time and need not be thread-safe.
 */
public interface AudioSource {

    /** Fills {@code frame} (160 samples at 8 kHz); returns false once the source is exhausted. */
    boolean read(short[] frame);

    /**
     * The next frame encoded in {@code codec} into {@code payload} (160 bytes), {@code frame} being
     * scratch space; false once the source is exhausted. What the sender calls: fixed audio
     * overrides it to hand out bytes encoded once for every stream that plays it.
     */
    default boolean read(Codec codec, short[] frame, byte[] payload) {
        if (!read(frame)) {
            return false;
        }
        codec.encode(frame, payload);
        return true;
    }

    /** PCM samples played {@code loops} times (0 = effectively forever, as Twilio's loop=0). */
    static AudioSource of(short[] samples, int loops) {
        return new PcmSource(samples, loops);
    }

    /** Silence of the given length. */
    static AudioSource silence(long millis) {
        long samples = Math.max(0, millis) * Codec.SAMPLE_RATE / 1000;
        return new Silence((samples + Codec.FRAME_SAMPLES - 1) / Codec.FRAME_SAMPLES);   // a part of a frame is a whole one
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

            @Override
            public boolean read(Codec codec, short[] frame, byte[] payload) {
                while (index < sources.length) {
                    if (sources[index].read(codec, frame, payload)) {
                        return true;
                    }
                    index++;
                }
                return false;
            }
        };
    }

    /**
     * Loops over fixed PCM; the last partial frame is padded with silence. Encoded frames come from
     * the array's shared {@link EncodedPcm}, so a prompt many calls play is encoded once.
     */
    final class PcmSource implements AudioSource {
        private final short[] samples;
        private final int loops;
        private EncodedPcm encoded;
        private int position;
        private int played;

        PcmSource(short[] samples, int loops) {
            this.samples = samples;
            this.loops = loops <= 0 ? 1000 : loops;
        }

        @Override
        public boolean read(short[] frame) {
            int n = advance(frame.length);
            if (n < 0) {
                return false;
            }
            System.arraycopy(samples, position - n, frame, 0, n);
            Arrays.fill(frame, n, frame.length, (short) 0);
            return true;
        }

        @Override
        public boolean read(Codec codec, short[] frame, byte[] payload) {
            int n = advance(payload.length);
            if (n < 0) {
                return false;
            }
            if (encoded == null) {
                encoded = EncodedPcm.of(samples);
            }
            encoded.copy(samples, codec, position - n, n, payload);
            Arrays.fill(payload, n, payload.length, codec.silence());
            return true;
        }

        /** Moves past the next frame's samples (at most {@code max}); returns how many, or -1 when the loops are over. */
        private int advance(int max) {
            if (samples.length == 0) {
                return -1;
            }
            if (position >= samples.length) {
                played++;
                position = 0;
            }
            if (played >= loops) {
                return -1;
            }
            int n = Math.min(max, samples.length - position);
            position += n;
            return n;
        }
    }

    /** A number of silent frames, without samples behind them. */
    final class Silence implements AudioSource {
        private long left;

        Silence(long frames) {
            this.left = frames;
        }

        @Override
        public boolean read(short[] frame) {
            if (left-- <= 0) {
                return false;
            }
            Arrays.fill(frame, (short) 0);
            return true;
        }

        @Override
        public boolean read(Codec codec, short[] frame, byte[] payload) {
            if (left-- <= 0) {
                return false;
            }
            Arrays.fill(payload, codec.silence());
            return true;
        }
    }
}

package dev.patchbay.media;

import java.util.Optional;

/** The audio codecs Patchbay speaks: G.711 at 8 kHz, 20 ms frames of 160 samples. */
public enum Codec {
    PCMU(0), PCMA(8);

    public static final int SAMPLE_RATE = 8000;
    public static final int FRAME_SAMPLES = 160;
    public static final int FRAME_MILLIS = 20;

    private final int payloadType;

    Codec(int payloadType) {
        this.payloadType = payloadType;
    }

    public int payloadType() {
        return payloadType;
    }

    public static Optional<Codec> byPayloadType(int pt) {
        return switch (pt) {
            case 0 -> Optional.of(PCMU);
            case 8 -> Optional.of(PCMA);
            default -> Optional.empty();
        };
    }

    public void encode(short[] pcm, byte[] out) {
        G711.encode(pcm, out, this == PCMU);
    }

    public void decode(byte[] in, int offset, int length, short[] out) {
        for (int i = 0; i < length; i++) {
            out[i] = this == PCMU ? G711.ulawToLinear(in[offset + i]) : G711.alawToLinear(in[offset + i]);
        }
    }
}

package dev.patchbay.media;

import java.nio.ByteBuffer;

/** ITU-T G.711 mu-law (PCMU, payload type 0) and A-law (PCMA, 8) companding, table-driven both ways. */
public final class G711 {

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = ulawDecode((byte) i);
            ALAW_TO_LINEAR[i] = alawDecode((byte) i);
        }
    }

    private G711() {
    }

    /** Encoding by table, indexed by the 16-bit sample as unsigned: the sender encodes every frame of every stream. */
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];

    static {
        for (int i = 0; i < 65536; i++) {
            LINEAR_TO_ULAW[i] = linearToUlaw((short) i);
            LINEAR_TO_ALAW[i] = linearToAlaw((short) i);
        }
    }

    /** Encodes {@code pcm} into {@code out} (one byte per sample), mu-law or A-law. */
    static void encode(short[] pcm, byte[] out, boolean ulaw) {
        byte[] table = ulaw ? LINEAR_TO_ULAW : LINEAR_TO_ALAW;
        for (int i = 0; i < pcm.length; i++) {
            out[i] = table[pcm[i] & 0xffff];
        }
    }

    private static final byte[] ULAW_TO_ALAW = new byte[256];
    private static final byte[] ALAW_TO_ULAW = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_ALAW[i] = linearToAlaw(ulawToLinear((byte) i));
            ALAW_TO_ULAW[i] = linearToUlaw(alawToLinear((byte) i));
        }
    }

    /** Converts G.711 bytes in place from one law to the other, by table (the bridge's transcoding). */
    public static void transcode(ByteBuffer buffer, int offset, int length, boolean ulawToAlaw) {
        byte[] table = ulawToAlaw ? ULAW_TO_ALAW : ALAW_TO_ULAW;
        for (int i = offset; i < offset + length; i++) {
            buffer.put(i, table[buffer.get(i) & 0xff]);
        }
    }

    public static short ulawToLinear(byte b) {
        return ULAW_TO_LINEAR[b & 0xff];
    }

    public static short alawToLinear(byte b) {
        return ALAW_TO_LINEAR[b & 0xff];
    }

    public static byte linearToUlaw(int sample) {
        final int bias = 0x84;
        final int clip = 32635;
        int sign = (sample >> 8) & 0x80;
        if (sign != 0) {
            sample = -sample;
        }
        if (sample > clip) {
            sample = clip;
        }
        sample += bias;
        int exponent = 7;
        for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (sample >> (exponent + 3)) & 0x0f;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static byte linearToAlaw(int sample) {
        int sign = (~sample >> 8) & 0x80;
        if (sign == 0) {
            sample = -sample;
        }
        if (sample > 32635) {
            sample = 32635;
        }
        int compressed;
        if (sample >= 256) {
            int exponent = 7;
            for (int mask = 0x4000; (sample & mask) == 0 && exponent > 1; mask >>= 1) {
                exponent--;
            }
            int mantissa = (sample >> (exponent + 3)) & 0x0f;
            compressed = (exponent << 4) | mantissa;
        } else {
            compressed = sample >> 4;
        }
        return (byte) (compressed ^ (sign ^ 0x55));
    }

    private static short ulawDecode(byte b) {
        int u = ~b & 0xff;
        int sign = u & 0x80;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0f;
        int sample = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short) (sign != 0 ? -sample : sample);
    }

    private static short alawDecode(byte b) {
        int a = (b & 0xff) ^ 0x55;
        int sign = a & 0x80;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0f;
        int sample = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short) (sign != 0 ? sample : -sample);
    }
}

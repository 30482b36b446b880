package dev.patchbay.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * WAV files: reads PCM (8/16/24/32-bit, any rate, any channel count), mu-law and A-law into
 * 8 kHz mono 16-bit PCM; writes 8 kHz mono 16-bit PCM (what recordings are).
 */
public final class Wav {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_ULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private Wav() {
    }

    /** Whether the bytes start like a WAV file. */
    public static boolean looksLikeWav(byte[] data) {
        return data.length >= 12 && data[0] == 'R' && data[1] == 'I' && data[2] == 'F' && data[3] == 'F'
                && data[8] == 'W' && data[9] == 'A' && data[10] == 'V' && data[11] == 'E';
    }

    /** Decodes to 8 kHz mono PCM; throws {@link MediaException} naming what is unsupported. */
    public static short[] decode(byte[] data) {
        if (!looksLikeWav(data)) {
            throw new MediaException("not a RIFF/WAVE file");
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(12);
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (buf.remaining() >= 8) {
            int id = buf.getInt();
            int size = buf.getInt();
            if (size < 0 || size > buf.remaining()) {
                size = buf.remaining();   // streamed files carry bogus sizes; take what is there
            }
            if (id == 0x20746d66) {        // "fmt "
                int start = buf.position();
                format = buf.getShort() & 0xffff;
                channels = buf.getShort() & 0xffff;
                rate = buf.getInt();
                buf.getInt();
                buf.getShort();
                bits = buf.getShort() & 0xffff;
                if (format == FORMAT_EXTENSIBLE && size >= 26) {
                    buf.getShort();
                    buf.getShort();
                    buf.getInt();
                    format = buf.getShort() & 0xffff;
                }
                buf.position(start + size + (size & 1));
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new MediaException("WAV data chunk before its fmt chunk");
                }
                short[] mono = samples(buf, size, format, channels, bits);
                return Resampler.to8k(mono, rate);
            } else {
                buf.position(Math.min(buf.limit(), buf.position() + size + (size & 1)));
            }
        }
        throw new MediaException("WAV file has no data chunk");
    }

    private static short[] samples(ByteBuffer buf, int size, int format, int channels, int bits) {
        if (channels < 1 || channels > 8) {
            throw new MediaException("WAV with " + channels + " channels is not supported");
        }
        int bytesPerSample = switch (format) {
            case FORMAT_PCM -> {
                if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                    throw new MediaException("PCM WAV with " + bits + " bits per sample is not supported");
                }
                yield bits / 8;
            }
            case FORMAT_ULAW, FORMAT_ALAW -> 1;
            default -> throw new MediaException("WAV format code " + format + " is not supported (PCM, mu-law and A-law are)");
        };
        int frames = size / (bytesPerSample * channels);
        short[] out = new short[frames];
        int base = buf.position();
        for (int i = 0; i < frames; i++) {
            int sum = 0;
            for (int ch = 0; ch < channels; ch++) {
                int at = base + (i * channels + ch) * bytesPerSample;
                sum += switch (format) {
                    case FORMAT_ULAW -> G711.ulawToLinear(buf.get(at));
                    case FORMAT_ALAW -> G711.alawToLinear(buf.get(at));
                    default -> switch (bytesPerSample) {
                        case 1 -> ((buf.get(at) & 0xff) - 128) << 8;
                        case 2 -> buf.getShort(at);
                        case 3 -> (buf.get(at + 2) << 8) | (buf.get(at + 1) & 0xff);
                        default -> buf.getInt(at) >> 16;
                    };
                };
            }
            out[i] = (short) (sum / channels);
        }
        return out;
    }

    /** 8 kHz mono 16-bit PCM as a complete WAV file. */
    public static byte[] encode(short[] samples) {
        return encode(samples, 1);
    }

    /** 16-bit PCM at 8 kHz; {@code samples} interleaved when {@code channels} is 2. */
    public static byte[] encode(short[] samples, int channels) {
        ByteBuffer buf = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        writeHeader(buf, samples.length * 2, channels);
        for (short s : samples) {
            buf.putShort(s);
        }
        return buf.array();
    }

    static void writeHeader(ByteBuffer buf, int dataBytes, int channels) {
        buf.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes).put(new byte[] {'W', 'A', 'V', 'E'});
        buf.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) FORMAT_PCM).putShort((short) channels)
                .putInt(Codec.SAMPLE_RATE).putInt(Codec.SAMPLE_RATE * 2 * channels).putShort((short) (2 * channels)).putShort((short) 16);
        buf.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
    }

    public static void write(Path file, short[] samples) throws IOException {
        write(file, samples, 1);
    }

    public static void write(Path file, short[] samples, int channels) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(encode(samples, channels));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

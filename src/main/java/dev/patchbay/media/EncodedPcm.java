package dev.patchbay.media;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The G.711 bytes of one fixed PCM array (a cached prompt, a synthesized phrase, a tone), encoded
 * as far as any stream has played it and kept for every later playback: a prompt heard by
 * thousands of calls is encoded once per codec, not once per call and frame.
 *
 * <p>Shared by the senders' threads. Each codec's bytes are written only up to the sample a
 * stream has reached, then that mark is raised (an atomic maximum after the writes, so a reader
 * that sees the mark sees the bytes). Two threads may encode the same samples at once; they write
 * the same values. Kept per array identity in a weak map: an array no cache holds any more takes its
 * bytes with it (they do not refer to it).
 */
final class EncodedPcm {

    private static final Map<short[], EncodedPcm> SHARED = Collections.synchronizedMap(new WeakHashMap<>());

    private final int length;
    private final AtomicReferenceArray<byte[]> bytes = new AtomicReferenceArray<>(Codec.values().length);
    private final AtomicIntegerArray encodedTo = new AtomicIntegerArray(Codec.values().length);

    private EncodedPcm(int length) {
        this.length = length;
    }

    /** The shared encodings of {@code samples} (arrays are told apart by identity). */
    static EncodedPcm of(short[] samples) {
        return SHARED.computeIfAbsent(samples, s -> new EncodedPcm(s.length));
    }

    /** Copies {@code n} samples of {@code samples} from {@code start}, encoded in {@code codec}, into {@code out}. */
    void copy(short[] samples, Codec codec, int start, int n, byte[] out) {
        if (samples.length != length) {
            throw new IllegalArgumentException("not the array these bytes were made for");
        }
        int k = codec.ordinal();
        byte[] encoded = bytes.get(k);
        if (encoded == null) {
            bytes.compareAndSet(k, null, new byte[length]);
            encoded = bytes.get(k);
        }
        int end = start + n;
        int done = encodedTo.get(k);
        if (done < end) {
            codec.encode(samples, done, end - done, encoded, done);
            encodedTo.accumulateAndGet(k, end, Math::max);
        }
        System.arraycopy(encoded, start, out, 0, n);
    }
}

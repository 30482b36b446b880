package dev.patchbay.media;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Receive-side reordering: packets are released in sequence order; a late duplicate is dropped;
 * a gap is waited for while at most {@code depth} later packets are held, then skipped. Used by
 * one thread (the receiver).
 */
final class JitterBuffer {

    private final int depth;
    /** Held packets keyed by their distance ahead of {@link #expected}. */
    private final TreeMap<Integer, byte[]> held = new TreeMap<>();
    private int expected = -1;
    private int behind;

    JitterBuffer(int depth) {
        this.depth = depth;
    }

    /** Adds a payload with its 16-bit sequence number; returns the payloads now ready, in order. */
    List<byte[]> push(int seq, byte[] payload) {
        List<byte[]> ready = new ArrayList<>(2);
        if (expected < 0) {
            expected = seq;
        }
        int ahead = (seq - expected) & 0xffff;
        if (ahead >= 0x8000) {
            if (++behind <= 2 * depth) {
                return ready;                   // older than what was released: late or duplicate
            }
            reset();                            // a run of "old" packets: the sender restarted lower; follow it
            expected = seq;
            ahead = 0;
        }
        behind = 0;
        if (ahead > 50 * depth) {              // a jump far ahead: the sender restarted; resynchronise
            ready.addAll(held.values());
            held.clear();
            expected = seq;
            ahead = 0;
        }
        held.putIfAbsent(ahead, payload);
        release(ready);
        if (held.size() > depth) {
            advance(held.firstKey());          // give up on the gap
            release(ready);
        }
        return ready;
    }

    /** Forgets the sequence (a new source: the remote's SSRC changed). */
    void reset() {
        held.clear();
        expected = -1;
        behind = 0;
    }

    private void release(List<byte[]> ready) {
        while (!held.isEmpty() && held.firstKey() == 0) {
            ready.add(held.remove(0));
            advance(1);
        }
    }

    private void advance(int by) {
        expected = (expected + by) & 0xffff;
        TreeMap<Integer, byte[]> shifted = new TreeMap<>();
        held.forEach((k, v) -> shifted.put(k - by, v));
        held.clear();
        held.putAll(shifted);
    }
}

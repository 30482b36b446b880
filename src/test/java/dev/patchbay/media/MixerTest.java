package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The mixer's arithmetic: everyone hears the others' sum, never themselves; muted, held and idle lines add nothing. */
class MixerTest {

    private static short[] constant(int value) {
        short[] f = new short[Codec.FRAME_SAMPLES];
        Arrays.fill(f, (short) value);
        return f;
    }

    @Test
    void each_party_hears_the_sum_of_the_others_once_per_tick() {
        AtomicLong tick = new AtomicLong();
        Mixer room = new Mixer(tick::get);
        Mixer.Party a = room.join();
        Mixer.Party b = room.join();
        Mixer.Party c = room.join();
        Mixer.Party idle = room.join();
        c.mute(true);
        a.hear(constant(1000));
        b.hear(constant(2000));
        c.hear(constant(4000));
        idle.hear(constant(30));   // under the silence floor

        tick.incrementAndGet();
        short[] frame = new short[Codec.FRAME_SAMPLES];
        a.read(frame);
        assertThat(frame[0]).isEqualTo((short) 2000);   // b only: not itself, not muted c, not idle
        b.read(frame);
        assertThat(frame[0]).isEqualTo((short) 1000);
        c.read(frame);
        assertThat(frame[0]).isEqualTo((short) 3000);   // a muted party still hears everyone
        idle.read(frame);
        assertThat(frame[0]).isEqualTo((short) 3000);
        assertThat(room.mixes()).isEqualTo(1);

        tick.incrementAndGet();   // nothing new was heard: silence
        a.read(frame);
        assertThat(frame[0]).isZero();

        b.hold(true);
        b.hear(constant(2000));
        a.hear(constant(1000));
        tick.incrementAndGet();
        c.read(frame);
        assertThat(frame[0]).isEqualTo((short) 1000);   // b on hold is not heard
        room.leave(a);
        assertThat(a.read(frame)).isFalse();
        assertThat(room.size()).isEqualTo(3);
    }

    @Test
    void loud_sums_are_clipped_not_wrapped() {
        AtomicLong tick = new AtomicLong(1);
        Mixer room = new Mixer(tick::get);
        Mixer.Party a = room.join();
        Mixer.Party b = room.join();
        Mixer.Party c = room.join();
        b.hear(constant(30000));
        c.hear(constant(30000));
        short[] frame = new short[Codec.FRAME_SAMPLES];
        a.read(frame);
        assertThat(frame[0]).isEqualTo(Short.MAX_VALUE);
    }

    @Test
    void a_recording_holds_everyone_clipped_for_each_tick_mixed_while_it_runs() {
        AtomicLong tick = new AtomicLong();
        Mixer room = new Mixer(tick::get);
        Mixer.Party a = room.join();
        Mixer.Party b = room.join();
        short[] frame = new short[Codec.FRAME_SAMPLES];
        a.hear(constant(1000));
        tick.incrementAndGet();
        a.read(frame);   // before the recording: not in it
        assertThat(room.startRecording(60)).isTrue();
        assertThat(room.startRecording(60)).as("one recording per room").isFalse();
        a.hear(constant(1000));
        b.hear(constant(2000));
        tick.incrementAndGet();
        a.read(frame);
        b.read(frame);
        a.hear(constant(30000));
        b.hear(constant(30000));
        tick.incrementAndGet();
        b.read(frame);
        short[] taped = room.stopRecording();
        assertThat(taped).hasSize(2 * Codec.FRAME_SAMPLES);
        assertThat(taped[0]).isEqualTo((short) 3000);
        assertThat(taped[Codec.FRAME_SAMPLES]).isEqualTo(Short.MAX_VALUE);
        assertThat(room.stopRecording()).isEmpty();
    }
}

package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** RFC 4733 digits as the paced sender sends them, one 20 ms tick at a time. */
class DigitSenderTest {

    @Test
    void a_digit_is_five_updates_of_one_event_the_last_an_end_sent_three_times_then_sixty_ms_of_quiet() {
        DigitSender sender = new DigitSender();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        sender.add("5", sent);

        List<DigitSender.Packet> packets = new ArrayList<>();
        int timestamp = 1000;
        while (sender.ownsTick()) {
            sender.step(timestamp).ifPresent(packets::add);
            timestamp += Codec.FRAME_SAMPLES;
        }

        assertThat(packets).hasSize(5);
        assertThat(packets).extracting(DigitSender.Packet::timestamp).containsOnly(1000);   // one event, one timestamp
        assertThat(packets).extracting(DigitSender.Packet::marker).containsExactly(true, false, false, false, false);
        assertThat(packets).extracting(DigitSender.Packet::copies).containsExactly(1, 1, 1, 1, 3);
        assertThat(packets).extracting(p -> p.payload()[0]).containsOnly((byte) 5);
        assertThat(packets).extracting(p -> (p.payload()[1] & 0x80) != 0).containsExactly(false, false, false, false, true);
        assertThat(packets.getLast().payload()[2] << 8 | packets.getLast().payload()[3] & 0xff).isEqualTo(800);   // 100 ms at 8 kHz
        assertThat(sent).isNotDone();
        assertThat(List.of(sender.takeGap(), sender.takeGap(), sender.takeGap(), sender.takeGap())).containsExactly(true, true, true, false);
        sender.settle();
        assertThat(sent).isDone();
    }

    @Test
    void w_is_half_a_second_of_quiet_before_the_next_digit() {
        DigitSender sender = new DigitSender();
        sender.add("w1", new CompletableFuture<>());

        assertThat(sender.step(0)).isEqualTo(Optional.empty());
        int quiet = 0;
        while (sender.takeGap()) {
            quiet++;
        }
        assertThat(quiet).isEqualTo(25);
        assertThat(sender.ownsTick()).isTrue();
        assertThat(sender.step(4000)).hasValueSatisfying(p -> assertThat(p.payload()[0]).isEqualTo((byte) 1));
    }
}

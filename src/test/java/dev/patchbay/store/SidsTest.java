package dev.patchbay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SidsTest {

    @Test
    void a_sid_has_twilios_shape() {
        assertThat(Sids.looksLike("CA", Sids.next("CA"))).isTrue();
    }

    @Test
    void sids_made_later_sort_after_earlier_ones() {
        long at = Instant.parse("2026-11-26T12:00:00Z").toEpochMilli();
        String earlier = Sids.next("CA", at);
        String later = Sids.next("CA", at + 1);
        String muchLater = Sids.next("CA", Instant.parse("2099-01-01T00:00:00Z").toEpochMilli());

        assertThat(earlier).isLessThan(later);
        assertThat(later).isLessThan(muchLater);
        assertThat(Sids.looksLike("CA", muchLater)).isTrue();
    }

    @Test
    void sids_made_in_the_same_millisecond_differ() {
        long at = Instant.parse("2026-11-26T12:00:00Z").toEpochMilli();
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            sids.add(Sids.next("SG", at));
        }
        assertThat(sids).hasSize(1000);
    }
}

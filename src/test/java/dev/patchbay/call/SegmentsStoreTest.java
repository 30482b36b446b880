package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Control segments on both stores: transitions leave no gap, closing is idempotent, orphans are closed on restart. */
class SegmentsStoreTest {

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void transitions_close_the_open_segment_and_open_the_next_at_the_same_instant(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            Segments segments = new Segments(node.node().db(), "node-a", Clock.systemUTC());
            Instant t0 = Instant.ofEpochMilli(1_800_000_000_000L);

            segments.transition("CA1", acme.sid(), Mode.APPLICATION, "https://app/voice", "answer", t0);
            segments.transition("CA1", acme.sid(), Mode.BASIC, "bridge:sip:bob@x", "verb:Dial", t0.plusMillis(1500));
            segments.transition("CA1", acme.sid(), Mode.APPLICATION, "https://app/voice", "event:callee-hangup", t0.plusMillis(61_250));
            segments.close("CA1", "hangup:caller", t0.plusMillis(62_000));
            segments.close("CA1", "hangup:again", t0.plusMillis(99_000));

            List<Segment> list = segments.list(acme.sid(), "CA1");
            assertThat(list).extracting(Segment::mode).containsExactly(Mode.APPLICATION, Mode.BASIC, Mode.APPLICATION);
            assertThat(list).extracting(Segment::seq).containsExactly(1, 2, 3);
            assertThat(list.get(0).endedAt()).contains(list.get(1).startedAt());
            assertThat(list.get(1).endedAt()).contains(list.get(2).startedAt());
            assertThat(list.get(1).endReason()).contains("transition:event:callee-hangup");
            assertThat(list.get(2).endedAt()).contains(t0.plusMillis(62_000));
            assertThat(list.get(2).endReason()).contains("hangup:caller");
            assertThat(segments.list(node.newAccount("Other").sid(), "CA1")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_restart_closes_the_open_segments_its_node_left_at_their_last_heartbeat(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            Segments mine = new Segments(node.node().db(), "node-a", Clock.systemUTC());
            Segments theirs = new Segments(node.node().db(), "node-b", Clock.systemUTC());
            Instant t0 = Instant.ofEpochMilli(1_800_000_000_000L);
            mine.transition("CA1", acme.sid(), Mode.BASIC, "endpoint:sip:x", "answer", t0);
            theirs.transition("CA2", acme.sid(), Mode.BASIC, "endpoint:sip:y", "answer", t0);
            mine.transition("CA3", acme.sid(), Mode.BASIC, "endpoint:sip:z", "answer", t0.plusSeconds(45));
            mine.heartbeat(t0.plusSeconds(30));   // CA3 started after this heartbeat: it closes at its start
            theirs.heartbeat(t0.plusSeconds(50));

            assertThat(mine.closeOrphans()).isEqualTo(2);

            Segment ca1 = mine.list(acme.sid(), "CA1").getFirst();
            assertThat(ca1.endReason()).contains("node-restart");
            assertThat(ca1.endedAt()).contains(t0.plusSeconds(30));
            assertThat(mine.list(acme.sid(), "CA3").getFirst().endedAt()).contains(t0.plusSeconds(45));
            assertThat(theirs.list(acme.sid(), "CA2").getFirst().endedAt()).isEmpty();
        }
    }
}

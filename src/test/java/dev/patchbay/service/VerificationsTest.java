package dev.patchbay.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.testing.FakeClock;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Verification codes right, wrong, expired, exhausted and rate-limited, on a fake clock; the codes as delivered are recorded. */
class VerificationsTest {

    private static final String TO = "+14155550199";

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void codes_are_right_wrong_expired_exhausted_and_rate_limited(TestStore store) {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-26T12:00:00Z"));
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            List<String> delivered = new ArrayList<>();
            Verifications verifications = new Verifications(node.node().db(), clock, new Random(7), (v, from, code) -> delivered.add(code));

            var started = verifications.start(acme.sid(), TO, "+14155550100", "call", 6);
            assertThat(started.status()).isEqualTo("pending");
            String code = delivered.getLast();
            assertThat(code).matches("[0-9]{6}");
            String wrong = code.equals("000000") ? "111111" : "000000";
            var miss = verifications.check(acme.sid(), TO, wrong);
            assertThat(miss.valid()).isFalse();
            assertThat(miss.attempts()).isEqualTo(1);
            assertThat(verifications.check(acme.sid(), TO, code).status()).isEqualTo("approved");
            assertThatThrownBy(() -> verifications.check(acme.sid(), TO, code)).isInstanceOf(PatchbayException.NotFound.class);   // used up

            // expired after ten minutes
            clock.advance(Duration.ofMinutes(11));
            verifications.start(acme.sid(), TO, "+14155550100", "call", 4);
            String late = delivered.getLast();
            clock.advance(Duration.ofMinutes(10));
            String lateSid = verifications.start(acme.sid(), "+14155550197", "+14155550100", "call", 4).sid();
            assertThatThrownBy(() -> verifications.check(acme.sid(), TO, late)).isInstanceOf(PatchbayException.NotFound.class);
            clock.advance(Duration.ofMinutes(10));
            assertThatThrownBy(() -> verifications.check(acme.sid(), "+14155550197", delivered.getLast())).isInstanceOf(PatchbayException.NotFound.class);
            assertThat(verifications.find(acme.sid(), lateSid).orElseThrow().status()).isEqualTo("expired");

            // five wrong checks end it; a new start cancels the one before
            clock.advance(Duration.ofMinutes(11));
            verifications.start(acme.sid(), TO, "+14155550100", "call", 6);
            String first = delivered.getLast();
            var second = verifications.start(acme.sid(), TO, "+14155550100", "call", 6);
            String current = delivered.getLast();
            if (!first.equals(current)) {
                assertThat(verifications.check(acme.sid(), TO, first).valid()).isFalse();   // the canceled one's code does not count
            }
            String bad = current.equals("999999") ? "888888" : "999999";
            var last = second;
            for (int i = 0; i < 5 && last.status().equals("pending"); i++) {
                last = verifications.check(acme.sid(), TO, bad);
            }
            assertThat(last.status()).isEqualTo("max_attempts_reached");
            assertThat(last.attempts()).isEqualTo(5);   // every check counts, the canceled code's too
            assertThatThrownBy(() -> verifications.check(acme.sid(), TO, current)).isInstanceOf(PatchbayException.NotFound.class);

            // at most five starts to one number in ten minutes
            for (int i = 0; i < 3; i++) {
                verifications.start(acme.sid(), TO, "+14155550100", "call", 6);
            }
            assertThatThrownBy(() -> verifications.start(acme.sid(), TO, "+14155550100", "call", 6))
                    .isInstanceOf(PatchbayException.Conflict.class).satisfies(e -> assertThat(((PatchbayException) e).code()).isEqualTo(60203));
            assertThat(verifications.start(acme.sid(), "+14155550198", "+14155550100", "call", 6).status()).isEqualTo("pending");   // another number
            clock.advance(Duration.ofMinutes(10).plusSeconds(1));
            assertThat(verifications.start(acme.sid(), TO, "+14155550100", "call", 6).status()).isEqualTo("pending");

            // another account's verification is not found
            Account other = node.newAccount("Other");
            assertThat(verifications.find(other.sid(), second.sid())).isEmpty();
            assertThatThrownBy(() -> verifications.check(other.sid(), TO, current)).isInstanceOf(PatchbayException.NotFound.class);
        }
    }
}

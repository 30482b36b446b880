package dev.patchbay.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trunks by prefix and registrations with expiry, on both stores; digest arithmetic against RFC 2617's example. */
class EndpointsStoreTest {

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void the_longest_prefix_wins_and_the_platform_trunk_catches_the_rest(TestStore store) {
        try (TestNode node = TestNode.start(store, Map.of("PATCHBAY_TRUNK_URI", "sip:platform.example.com", "PATCHBAY_TRUNK_PREFIX", "+"))) {
            Account acme = node.newAccount("Acme");
            Trunks trunks = node.node().trunks();
            trunks.create(acme, "na", "+1", "sip:na.example.com", Optional.empty(), Optional.empty());
            trunks.create(acme, "sf", "+1415", "sip:user@sf.example.com:5080;transport=tcp", Optional.of("acme"), Optional.of("pw"));

            assertThat(trunks.forNumber(acme.sid(), "+14155550100").map(Trunk::friendlyName)).contains("sf");
            assertThat(trunks.forNumber(acme.sid(), "+12125550100").map(Trunk::friendlyName)).contains("na");
            assertThat(trunks.forNumber(acme.sid(), "+442071234567").map(Trunk::friendlyName)).contains("platform");
            assertThat(trunks.forNumber(node.newAccount("Other").sid(), "+14155550100").map(Trunk::friendlyName)).contains("platform");
            Trunk sf = trunks.forNumber(acme.sid(), "+14155550100").orElseThrow();
            assertThat(Trunks.uriFor(sf, "+14155550100")).isEqualTo("sip:+14155550100@sf.example.com:5080;transport=tcp");
            assertThat(sf.toString()).doesNotContain("pw");
            assertThatThrownBy(() -> trunks.create(acme, "bad", "1", "sip:x", Optional.empty(), Optional.empty()))
                    .isInstanceOf(PatchbayException.InvalidParameter.class);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void registrations_are_refreshed_removed_and_lapse(TestStore store) {
        try (TestNode node = TestNode.start(store)) {
            Account acme = node.newAccount("Acme");
            SipDomains domains = node.node().sipDomains();
            SipDomain domain = domains.create(acme, "Acme.SIP.example.com", "acme");
            domains.addCredential(domain, "alice", "Correct-Horse-42");

            assertThat(domain.domainName()).isEqualTo("acme.sip.example.com");
            assertThat(domains.ha1(domain, "alice")).contains(Digest.ha1("alice", "acme.sip.example.com", "Correct-Horse-42"));
            domains.register(domain, "alice", "sip:alice@10.0.0.1:5060", 120, "n");
            domains.register(domain, "alice", "sip:alice@10.0.0.2:5060", 120, "n");
            domains.register(domain, "alice", "sip:alice@10.0.0.1:5060", 300, "n");
            assertThat(domains.contacts(acme.sid(), "alice")).containsExactly("sip:alice@10.0.0.1:5060", "sip:alice@10.0.0.2:5060");

            domains.register(domain, "alice", "sip:alice@10.0.0.2:5060", 0, "n");
            assertThat(domains.contacts(domain, "alice")).containsExactly("sip:alice@10.0.0.1:5060");

            node.node().db().write(h -> h.createUpdate("UPDATE sip_registrations SET expires_at = 1").execute());
            assertThat(domains.contacts(acme.sid(), "alice")).isEmpty();
        }
    }

    @Test
    void digest_responses_match_rfc_2617s_worked_example() {
        String ha1 = Digest.ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
        String response = Digest.response(ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", "00000001", "0a4f113b");
        assertThat(response).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void nonces_expire_and_cannot_be_forged() {
        Digest digest = new Digest("secret".getBytes());
        String nonce = digest.nonce(1_000_000L);
        assertThat(digest.isFresh(nonce, 1_000_000L + 60_000)).isTrue();
        assertThat(digest.isFresh(nonce, 1_000_000L + Digest.NONCE_LIFETIME_MILLIS + 1)).isFalse();
        assertThat(new Digest("other".getBytes()).isFresh(nonce, 1_000_000L)).isFalse();
        assertThat(digest.isFresh(Long.toHexString(1_000_000L) + ".0000", 1_000_000L)).isFalse();
    }
}

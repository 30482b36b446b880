package dev.patchbay.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.account.Account;
import dev.patchbay.testing.AppServer;
import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestPhone;
import java.time.Duration;
import javax.sip.header.ContactHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registrar: SIP domains and credentials over REST, REGISTER with digest, and calls to registered clients. */
class RegistrarTest extends CallTestBase {

    private static final String PASSWORD = "Correct-Horse-42";

    private TestPhone alice;
    private RestClient rest;
    private String sip;

    @BeforeEach
    void domain() {
        alice = new TestPhone();
        rest = node.client(account);
        sip = "/2010-04-01/Accounts/" + account.sid() + "/SIP/Domains";
        RestClient.Response domain = rest.post(sip + ".json", "DomainName", "acme.sip.test");
        assertThat(domain.status()).isEqualTo(201);
        RestClient.Response credential = rest.post(sip + "/" + domain.text("sid") + "/Credentials.json", "Username", "alice", "Password", PASSWORD);
        assertThat(credential.status()).isEqualTo(201);
        assertThat(credential.body()).doesNotContain(PASSWORD);
    }

    @AfterEach
    void stopAlice() {
        alice.close();
    }

    @Test
    void register_with_good_credentials_is_accepted_and_lists_the_contact() {
        Response ok = alice.register("alice", "acme.sip.test", PASSWORD, node.sipPort(), 300);

        assertThat(ok.getStatusCode()).isEqualTo(200);
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        assertThat(contact.getAddress().getURI().toString()).isEqualTo(alice.uri("alice"));
        assertThat(node.node().sipDomains().contacts(account.sid(), "alice")).containsExactly(alice.uri("alice"));
    }

    @Test
    void register_with_a_wrong_password_or_unknown_user_is_refused() {
        assertThat(alice.register("alice", "acme.sip.test", "Wrong-Password-1", node.sipPort(), 300).getStatusCode()).isEqualTo(401);
        assertThat(alice.register("mallory", "acme.sip.test", PASSWORD, node.sipPort(), 300).getStatusCode()).isEqualTo(401);
        assertThat(alice.register("alice", "unknown.sip.test", PASSWORD, node.sipPort(), 300).getStatusCode()).isEqualTo(404);
        assertThat(node.node().sipDomains().contacts(account.sid(), "alice")).isEmpty();
    }

    @Test
    void expires_zero_unregisters_and_too_brief_an_interval_is_refused() {
        assertThat(alice.register("alice", "acme.sip.test", PASSWORD, node.sipPort(), 30).getStatusCode()).isEqualTo(423);
        assertThat(alice.register("alice", "acme.sip.test", PASSWORD, node.sipPort(), 120).getStatusCode()).isEqualTo(200);
        assertThat(node.node().sipDomains().contacts(account.sid(), "alice")).hasSize(1);

        assertThat(alice.register("alice", "acme.sip.test", PASSWORD, node.sipPort(), 0).getStatusCode()).isEqualTo(200);

        assertThat(node.node().sipDomains().contacts(account.sid(), "alice")).isEmpty();
    }

    @Test
    void a_registration_lapses_at_its_expiry() {
        alice.register("alice", "acme.sip.test", PASSWORD, node.sipPort(), 120);
        var domain = node.node().sipDomains().byName("acme.sip.test").orElseThrow();
        long expiresAt = node.node().db().read(h -> h.createQuery("SELECT expires_at FROM sip_registrations WHERE username = 'alice'")
                .mapTo(Long.class).one());
        assertThat(expiresAt - System.currentTimeMillis()).isBetween(115_000L, 121_000L);

        node.node().db().write(h -> h.createUpdate("UPDATE sip_registrations SET expires_at = ?").bind(0, System.currentTimeMillis() - 1).execute());

        assertThat(node.node().sipDomains().contacts(domain, "alice")).isEmpty();
    }

    @Test
    void a_client_noun_rings_the_registered_user_agent() {
        alice.register("alice", "acme.sip.test", PASSWORD, node.sipPort(), 300);
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Client>alice</Client></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();

        TestPhone.Incoming call = alice.awaitIncoming(Duration.ofSeconds(10));
        call.answeredAt();
        call.hangup();

        AppServer.Request after = app.next("/after");
        assertThat(after.param("DialCallStatus")).isEqualTo("completed");
        JsonAssert.childTo(rest, account, after.param("DialCallSid"), "client:alice");
    }

    @Test
    void a_client_that_is_not_registered_gives_failed_and_a_notification() {
        app.twiml("/voice", "<Response><Dial action=\"/after\"><Client>bob</Client></Dial></Response>");
        app.twiml("/after", "<Response><Hangup/></Response>");
        dial(numberFor("/voice")).awaitAnswered();

        assertThat(app.next("/after").param("DialCallStatus")).isEqualTo("failed");
        assertThat(rest.get("/2010-04-01/Accounts/" + account.sid() + "/Notifications.json").body()).contains("client bob is not registered");
    }

    @Test
    void domains_and_trunks_belong_to_their_account() {
        Account other = node.newAccount("Other");
        RestClient otherRest = node.client(other);
        String domainSid = rest.get(sip + ".json").json().path("domains").path(0).path("sid").asText();
        assertThat(otherRest.get("/2010-04-01/Accounts/" + other.sid() + "/SIP/Domains/" + domainSid + ".json").status()).isEqualTo(404);
        assertThat(otherRest.post("/2010-04-01/Accounts/" + other.sid() + "/SIP/Domains.json", "DomainName", "acme.sip.test").json()
                .path("code").asInt()).isEqualTo(21232);
        assertThat(rest.post(sip + "/" + domainSid + "/Credentials.json", "Username", "weak", "Password", "short").json().path("code").asInt())
                .isEqualTo(21204);

        String trunks = "/2010-04-01/Accounts/" + account.sid() + "/OutboundTrunks";
        RestClient.Response trunk = rest.post(trunks + ".json", "Prefix", "+1", "TerminationUri", "sip:gw.example.com:5060",
                "Username", "acme", "Password", "s3cret-trunk");
        assertThat(trunk.status()).isEqualTo(201);
        assertThat(trunk.body()).doesNotContain("s3cret-trunk");
        assertThat(otherRest.get("/2010-04-01/Accounts/" + other.sid() + "/OutboundTrunks/" + trunk.text("sid") + ".json").status()).isEqualTo(404);
        assertThat(rest.post(trunks + ".json", "TerminationUri", "http://not-sip").json().path("code").asInt()).isEqualTo(20001);
        assertThat(rest.delete(trunks + "/" + trunk.text("sid") + ".json").status()).isEqualTo(204);
    }

    /** Small JSON checks shared by the tests above. */
    static final class JsonAssert {
        static void childTo(RestClient rest, Account account, String callSid, String to) {
            var child = rest.get("/2010-04-01/Accounts/" + account.sid() + "/Calls/" + callSid + ".json").json();
            assertThat(child.path("to").asText()).isEqualTo(to);
        }
    }
}

package dev.patchbay.sip;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.SipFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class SipRequestsTest {

    private static Request parse(String startLine, String from, String extraHeaders, String contentType, String body) throws Exception {
        String message = startLine + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                + "From: <" + from + ">;tag=1\r\n"
                + "To: <sip:+15550001000@127.0.0.1>\r\n"
                + "Call-ID: abc@127.0.0.1\r\n"
                + "CSeq: 1 " + startLine.substring(0, startLine.indexOf(' ')) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + extraHeaders
                + (contentType.isEmpty() ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return SipFactory.getInstance().createMessageFactory().createRequest(message);
    }

    @Test
    void numbers_are_reported_in_e164_and_other_users_as_sip_addresses() throws Exception {
        Request request = parse("INVITE sip:15550001000@127.0.0.1 SIP/2.0", "sip:alice@example.com", "", "", "");
        assertThat(SipRequests.dialled(request)).isEqualTo("15550001000");
        assertThat(SipRequests.address(request.getRequestURI())).isEqualTo("+15550001000");
        assertThat(SipRequests.caller(request)).isEqualTo("sip:alice@example.com");
        assertThat(SipRequests.callId(request)).isEqualTo("abc@127.0.0.1");
        assertThat(SipRequests.body(request)).isEmpty();
    }

    @Test
    void only_x_headers_reach_the_application_with_their_values_trimmed() throws Exception {
        Request request = parse("INVITE sip:+15550001000@127.0.0.1 SIP/2.0", "sip:+15550002000@127.0.0.1",
                "X-Customer-Id:   42 \r\nx-lower: yes\r\nSubject: not custom\r\n", "", "");
        assertThat(SipRequests.customHeaders(request)).containsOnlyKeys("X-Customer-Id", "x-lower")
                .containsEntry("X-Customer-Id", "42").containsEntry("x-lower", "yes");
    }

    @Test
    void info_in_dtmf_relay_form_yields_its_digits_and_nothing_else() throws Exception {
        Request one = parse("INFO sip:+15550001000@127.0.0.1 SIP/2.0", "sip:a@127.0.0.1", "", "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
        Request star = parse("INFO sip:+15550001000@127.0.0.1 SIP/2.0", "sip:a@127.0.0.1", "", "application/dtmf-relay", "signal= *\nDuration=100\n");
        Request empty = parse("INFO sip:+15550001000@127.0.0.1 SIP/2.0", "sip:a@127.0.0.1", "", "application/dtmf-relay", "Signal=\r\n");
        Request none = parse("INFO sip:+15550001000@127.0.0.1 SIP/2.0", "sip:a@127.0.0.1", "", "", "");
        assertThat(SipRequests.infoDigits(one)).isEqualTo("5");
        assertThat(SipRequests.infoDigits(star)).isEqualTo("*");
        assertThat(SipRequests.infoDigits(empty)).isEmpty();
        assertThat(SipRequests.infoDigits(none)).isEmpty();
    }
}

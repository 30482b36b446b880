package dev.patchbay.number;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * A number or SIP address owned by an account, and where its calls go: the voice settings
 * (an application URL), an Application, or Patchbay's own routing targets (a module, a flow, or
 * an endpoint to bridge to). An endpoint may carry {@code voiceEndpointHangupUrl}: the
 * application that takes the caller over when the bridged endpoint hangs up. {@code maxPrice}
 * limits what each call to the number may cost (docs/billing.md).
 */
public record IncomingNumber(
        String sid,
        String accountSid,
        String phoneNumber,
        String friendlyName,
        VoiceSettings voice,
        Optional<String> voiceApplicationSid,
        Optional<String> voiceModuleSid,
        Optional<String> voiceFlowSid,
        Optional<String> voiceEndpoint,
        Optional<String> voiceEndpointHangupUrl,
        Optional<BigDecimal> maxPrice,
        Instant dateCreated,
        Instant dateUpdated) {

    public IncomingNumber withVoice(VoiceSettings value) {
        return new IncomingNumber(sid, accountSid, phoneNumber, friendlyName, value, voiceApplicationSid, voiceModuleSid,
                voiceFlowSid, voiceEndpoint, voiceEndpointHangupUrl, maxPrice, dateCreated, dateUpdated);
    }

    public IncomingNumber withMaxPrice(Optional<BigDecimal> value) {
        return new IncomingNumber(sid, accountSid, phoneNumber, friendlyName, voice, voiceApplicationSid, voiceModuleSid,
                voiceFlowSid, voiceEndpoint, voiceEndpointHangupUrl, value, dateCreated, dateUpdated);
    }

    /** The number routed to a flow (and nothing else). */
    public IncomingNumber withFlow(String flowSid) {
        return new IncomingNumber(sid, accountSid, phoneNumber, friendlyName, voice.withUrl(Optional.empty()), Optional.empty(), Optional.empty(),
                Optional.of(flowSid), Optional.empty(), Optional.empty(), maxPrice, dateCreated, dateUpdated);
    }

    public IncomingNumber withFriendlyName(String value) {
        return new IncomingNumber(sid, accountSid, phoneNumber, value, voice, voiceApplicationSid, voiceModuleSid,
                voiceFlowSid, voiceEndpoint, voiceEndpointHangupUrl, maxPrice, dateCreated, dateUpdated);
    }
}

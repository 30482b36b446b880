package dev.patchbay.number;

import java.time.Instant;
import java.util.Optional;

/**
 * A number or SIP address owned by an account, and where its calls go: the voice settings
 * (an application URL), an Application, or Patchbay's own routing targets (a module, a flow, or
 * an endpoint to bridge to), which later issues bring to life.
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
        Instant dateCreated,
        Instant dateUpdated) {

    public IncomingNumber withVoice(VoiceSettings value) {
        return new IncomingNumber(sid, accountSid, phoneNumber, friendlyName, value, voiceApplicationSid, voiceModuleSid,
                voiceFlowSid, voiceEndpoint, dateCreated, dateUpdated);
    }

    public IncomingNumber withFriendlyName(String value) {
        return new IncomingNumber(sid, accountSid, phoneNumber, value, voice, voiceApplicationSid, voiceModuleSid,
                voiceFlowSid, voiceEndpoint, dateCreated, dateUpdated);
    }
}

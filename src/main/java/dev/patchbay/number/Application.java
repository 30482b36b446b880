package dev.patchbay.number;

import java.time.Instant;

/** Twilio's Application: a named bundle of voice settings that numbers and calls can point at. */
public record Application(String sid, String accountSid, String friendlyName, VoiceSettings voice,
                          Instant dateCreated, Instant dateUpdated) {
}

package dev.patchbay.call;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.billing.Meter;
import dev.patchbay.billing.Spending;
import dev.patchbay.endpoint.SipDomains;
import dev.patchbay.endpoint.Trunks;
import dev.patchbay.linking.Linking;
import dev.patchbay.linking.Module;
import dev.patchbay.media.AudioCache;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.media.Tts;
import dev.patchbay.service.ServiceRuntime;
import dev.patchbay.webhook.AppClient;
import dev.patchbay.webhook.Callbacks;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a call needs from the node, passed once to the router and from there to each call's
 * interpreter. {@code firstAudio} measures a document's arrival to the first RTP packet of its first audio.
 * {@code dialer} is a supplier because the SIP edge that places calls is built after the router.
 * {@code directMedia} re-INVITEs bridged endpoints to send to each other instead of through the relay.
 */
public record CallServices(
        Calls calls,
        Recordings recordings,
        Notifications notifications,
        AppClient apps,
        Callbacks callbacks,
        AudioCache audio,
        Tts tts,
        MediaEngine media,
        Clock clock,
        String nodeId,
        String publicHost,
        Supplier<String> httpBase,
        Timer firstAudio,
        Segments segments,
        Supplier<Dialer> dialer,
        Trunks trunks,
        SipDomains sipDomains,
        boolean directMedia,
        Linking linking,
        Meter meter,
        Spending spending,
        CountedUsage counted,
        ServiceRuntime serviceRuntime,
        Queues queues,
        Conferences conferences) {

    /** Counts usage of the call (recording seconds, TTS characters), with the module in control; {@code key} makes it idempotent. */
    void count(LiveCall call, CountedUsage.Meter meter, long quantity, String key) {
        var module = call.tenure().controller().flatMap(Controller::module);
        counted.add(new CountedUsage.Event(key, call.account().sid(), meter, quantity, Optional.of(call.sid()),
                module.map(Module::sid), module.map(Module::accountSid),
                module.map(Module::sid).orElse("application"), clock.instant()));
    }
}

package dev.patchbay.call;

import dev.patchbay.media.AudioCache;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.media.Tts;
import dev.patchbay.webhook.AppClient;
import dev.patchbay.webhook.Callbacks;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
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
        dev.patchbay.endpoint.Trunks trunks,
        dev.patchbay.endpoint.SipDomains sipDomains,
        boolean directMedia,
        dev.patchbay.linking.Linking linking,
        dev.patchbay.billing.Meter meter,
        dev.patchbay.billing.Spending spending,
        dev.patchbay.billing.CountedUsage counted,
        dev.patchbay.service.ServiceRuntime serviceRuntime,
        Queues queues,
        Conferences conferences) {

    /** Counts usage of the call (recording seconds, TTS characters), with the module in control; {@code key} makes it idempotent. */
    void count(LiveCall call, dev.patchbay.billing.CountedUsage.Meter meter, long quantity, String key) {
        var module = call.tenure().controller().flatMap(Controller::module);
        counted.add(new dev.patchbay.billing.CountedUsage.Event(key, call.account().sid(), meter, quantity, java.util.Optional.of(call.sid()),
                module.map(dev.patchbay.linking.Module::sid), module.map(dev.patchbay.linking.Module::accountSid),
                module.map(dev.patchbay.linking.Module::sid).orElse("application"), clock.instant()));
    }
}

package dev.patchbay.call;

import dev.patchbay.billing.Rating;
import dev.patchbay.number.VoiceSettings.CallEvent;
import dev.patchbay.webhook.WebhookRequest;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Status callbacks for the call progress events the number subscribed to (initiated, ringing,
 * answered, completed), with Twilio's parameters. CallStatus is {@code initiated},
 * {@code ringing}, {@code in-progress}, then the final status. Delivered off the call path.
 */
final class CallProgress {

    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final CallServices services;

    CallProgress(CallServices services) {
        this.services = services;
    }

    void initiated(LiveCall call, VoiceTarget target) {
        send(call, target, CallEvent.INITIATED, "initiated", List.of());
    }

    void ringing(LiveCall call, VoiceTarget target) {
        send(call, target, CallEvent.RINGING, "ringing", List.of());
    }

    void answered(LiveCall call, VoiceTarget target) {
        send(call, target, CallEvent.ANSWERED, "in-progress", List.of());
    }

    void completed(LiveCall call, VoiceTarget target, CallStatus status, int duration, int sipCode) {
        send(call, target, CallEvent.COMPLETED, status.wire(), List.of(
                Map.entry("CallDuration", Integer.toString(duration)),
                Map.entry("Duration", Integer.toString((duration + 59) / 60)),
                Map.entry("SipResponseCode", Integer.toString(sipCode))));
    }

    /**
     * The call nears its cost limit: sent to its status callback whatever events it subscribed to
     * (a Patchbay extension), with {@code CallbackSource=cost-limit}, the cost so far as
     * {@code Price} (negative, Twilio's sign), what it will have cost when it is ended as
     * {@code PriceLimit}, and {@code SecondsLeft}.
     */
    void costWarning(LiveCall call, VoiceTarget target, BigDecimal cost, BigDecimal limit, long secondsLeft) {
        target.statusCallback().ifPresent(url -> post(call, target, url, "in-progress", "cost-limit", List.of(
                Map.entry("Price", cost.negate().setScale(Rating.SCALE).toPlainString()),
                Map.entry("PriceUnit", "USD"),
                Map.entry("PriceLimit", limit.setScale(Rating.SCALE).toPlainString()),
                Map.entry("SecondsLeft", Long.toString(secondsLeft)))));
    }

    private void send(LiveCall call, VoiceTarget target, CallEvent event, String status, List<Map.Entry<String, String>> extra) {
        Optional<String> url = target.statusCallback();
        if (url.isEmpty() || !target.statusCallbackEvents().contains(event)) {
            return;
        }
        post(call, target, url.get(), status, "call-progress-events", extra);
    }

    private void post(LiveCall call, VoiceTarget target, String url, String status, String source, List<Map.Entry<String, String>> extra) {
        List<Map.Entry<String, String>> params = new ArrayList<>(call.baseParams(status));
        params.addAll(extra);
        params.add(Map.entry("Timestamp", RFC_2822.format(services.clock().instant())));
        params.add(Map.entry("CallbackSource", source));
        params.add(Map.entry("SequenceNumber", Integer.toString(call.nextCallbackSequence())));
        services.callbacks().send(call.sid(), new WebhookRequest(url, target.statusCallbackMethod(), params), call.account().authToken());
    }
}

package dev.patchbay;

import dev.patchbay.call.CallRouter;
import dev.patchbay.media.MediaEngine;
import dev.patchbay.sip.SipEdge;
import dev.patchbay.store.GroupCommit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.stream.DoubleStream;

/** What a node shows at {@code /metrics}: the JVM's meters and the platform's own, registered in one place. */
final class NodeMetrics {

    /** First-audio buckets in milliseconds: cumulative, so that a benchmark can diff them over its own run. */
    private static final Duration[] FIRST_AUDIO_BUCKETS = DoubleStream.of(
                    1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000)
            .mapToObj(ms -> Duration.ofNanos((long) (ms * 1_000_000))).toArray(Duration[]::new);

    private NodeMetrics() {
    }

    /** A registry with the JVM's memory, collector, thread and processor meters bound. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        return metrics;
    }

    /** The time from a TwiML document's arrival to the first RTP packet of its first audio. */
    static Timer firstAudio(MeterRegistry metrics) {
        return Timer.builder("patchbay.media.first.audio")
                .description("from a TwiML document's arrival to the first RTP packet of its first audio")
                .publishPercentiles(0.5, 0.99)
                .serviceLevelObjectives(FIRST_AUDIO_BUCKETS)
                .register(metrics);
    }

    /** The started node's gauges: live calls, shed INVITEs, the store's grouped writes, the media engine's streams and pacing. */
    static void gauges(MeterRegistry metrics, CallRouter router, SipEdge sip, GroupCommit grouped, MediaEngine media) {
        Gauge.builder("patchbay.calls.live", router, CallRouter::liveCalls).register(metrics);
        Gauge.builder("patchbay.sip.invites.shed", sip, SipEdge::invitesShed).register(metrics);
        Gauge.builder("patchbay.db.grouped.writes", grouped, GroupCommit::writesCommitted).register(metrics);
        Gauge.builder("patchbay.db.grouped.transactions", grouped, GroupCommit::transactionsCommitted).register(metrics);
        Gauge.builder("patchbay.rtp.streams", media, MediaEngine::activeStreams).register(metrics);
        Gauge.builder("patchbay.rtp.late.ticks", media, MediaEngine::lateTicks).register(metrics);
        Gauge.builder("patchbay.rtp.ticks", media, MediaEngine::ticks).register(metrics);
        Gauge.builder("patchbay.rtp.sends", media, MediaEngine::sends).register(metrics);
        Gauge.builder("patchbay.rtp.late.sends", media, MediaEngine::lateSends).register(metrics);
        Gauge.builder("patchbay.rtp.max.lateness.ms", media, MediaEngine::maxLatenessMillis).register(metrics);
    }
}

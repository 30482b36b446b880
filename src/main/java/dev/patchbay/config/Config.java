package dev.patchbay.config;

import dev.patchbay.billing.CountedUsage;
import dev.patchbay.billing.UsagePlan;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a node needs to start, resolved once from defaults, an optional file and the
 * environment (see {@link ConfigLoader}). Immutable.
 */
public record Config(
        String httpHost,
        int httpPort,
        String sipHost,
        int sipPort,
        int sipMaxRouting,
        PortRange rtpPorts,
        int rtpSenders,
        String publicHost,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        boolean dbGroupCommit,
        Optional<String> accountSid,
        Optional<String> authToken,
        Duration webhookTimeout,
        String ttsEngine,
        long maxRequestBytes,
        String nodeId,
        Optional<TrunkSettings> trunk,
        boolean directMedia,
        Optional<String> natsUrl,
        int maxConcurrentCallsPerAccount,
        Map<String, UsagePlan> modePlans,
        BigDecimal commission,
        Billing billing,
        Optional<String> operatorToken) {

    /**
     * How live calls are metered and limited: how often the node stamps itself alive
     * ({@code heartbeat}), how often live calls' cost limits are checked ({@code guardInterval}),
     * how far ahead a prepaid call reserves its balance ({@code debitInterval}), how long before a
     * cost limit the warning comes ({@code warningMargin}), the payment provider auto-recharge
     * uses ({@code none} or {@code test}), and the prices of counted usage.
     */
    public record Billing(Duration heartbeat, Duration guardInterval, Duration debitInterval, Duration warningMargin, String warningNotice,
                          String payments, CountedUsage.Prices countedPrices) {
    }

    /** The platform-wide outbound trunk: numbers with {@code prefix} leave through {@code uri}. */
    public record TrunkSettings(String uri, String prefix, Optional<String> username, Optional<String> password) {
        @Override
        public String toString() {
            return "TrunkSettings[uri=" + uri + ", prefix=" + prefix + ", username=" + username.orElse("") + "]";   // never the password
        }
    }

    /** Never prints secrets (database password, auth token, NATS credentials, trunk password). */
    @Override
    public String toString() {
        return "Config[http=" + httpHost + ":" + httpPort + ", sip=" + sipHost + ":" + sipPort + ", rtp=" + rtpPorts + ", public=" + publicHost
                + ", data=" + dataDir + ", db=" + dbUrl + ", node=" + nodeId + ", trunk=" + trunk + ", directMedia=" + directMedia
                + ", nats=" + natsUrl.map(u -> u.replaceAll("//[^@/]*@", "//")).orElse("") + "]";
    }

    /** Where recordings live: a folder under the data folder. */
    public Path recordingsDir() {
        return dataDir.resolve("recordings");
    }

    /** The base URL this node's REST API is reachable at, used in RecordingUrl and similar. */
    public String publicHttpBase(int boundHttpPort) {
        return "http://" + publicHost + ":" + boundHttpPort;
    }
}

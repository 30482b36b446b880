package dev.patchbay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchbay.testing.RestClient;
import dev.patchbay.testing.TestNode;
import dev.patchbay.testing.TestStore;
import org.junit.jupiter.api.Test;

class ObservabilityTest {

    @Test
    void health_answers_without_credentials_and_metrics_speak_prometheus() {
        try (TestNode node = TestNode.start(TestStore.H2)) {
            RestClient anonymous = node.client("", "");
            RestClient.Response health = anonymous.get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.text("status")).isEqualTo("ok");

            anonymous.get("/2010-04-01/Accounts.json");
            RestClient.Response metrics = anonymous.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds_count{method=\"GET\",status=\"401\"}");
        }
    }
}

package dev.patchbay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void defaults_match_the_documented_ones() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of());
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.sipPort()).isEqualTo(5060);
        assertThat(config.rtpPorts()).isEqualTo(new PortRange(20000, 29999));
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.dbUrl()).startsWith("jdbc:h2:file:").contains("data").contains("patchbay");
        assertThat(config.webhookTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.accountSid()).isEmpty();
        assertThat(config.dbGroupCommit()).isTrue();
    }

    @Test
    void group_commit_is_switched_off_by_off_and_nothing_else() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_DB_GROUP_COMMIT", "off")).dbGroupCommit()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_DB_GROUP_COMMIT", "no")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PATCHBAY_DB_GROUP_COMMIT").hasMessageContaining("on or off");
    }

    @Test
    void rtp_senders_and_the_routing_limit_are_read_and_bounded() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_RTP_SENDERS", "2", "PATCHBAY_SIP_MAX_ROUTING", "300"));
        assertThat(config.rtpSenders()).isEqualTo(2);
        assertThat(config.sipMaxRouting()).isEqualTo(300);
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ConfigLoader.load(Optional.empty(), Map.of()).rtpSenders()).isEqualTo(Math.min(4, cores));   // one per lane
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_RTP_SENDERS", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PATCHBAY_RTP_SENDERS").hasMessageContaining("1 to 4");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_SIP_MAX_ROUTING", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PATCHBAY_SIP_MAX_ROUTING");
    }

    @Test
    void environment_overrides_the_file_which_overrides_defaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("patchbay.properties");
        Files.writeString(file, "http.port=9000\nsip.port=5070\npublic.host=10.0.0.5\n");
        Config config = ConfigLoader.load(Optional.of(file), Map.of("PATCHBAY_HTTP_PORT", "9100", "PATCHBAY_RTP_PORTS", "30000-30100"));
        assertThat(config.httpPort()).isEqualTo(9100);
        assertThat(config.sipPort()).isEqualTo(5070);
        assertThat(config.publicHost()).isEqualTo("10.0.0.5");
        assertThat(config.rtpPorts().size()).isEqualTo(101);
    }

    @Test
    void every_key_has_an_environment_variable_in_upper_snake_case() {
        assertThat(ConfigLoader.envName("http.port")).isEqualTo("PATCHBAY_HTTP_PORT");
        assertThat(ConfigLoader.envName("rtp.ports")).isEqualTo("PATCHBAY_RTP_PORTS");
        assertThat(ConfigLoader.envName("db.url")).isEqualTo("PATCHBAY_DB_URL");
        for (String key : ConfigLoader.DEFAULTS.keySet()) {
            Config config = ConfigLoader.load(Optional.empty(), Map.of(ConfigLoader.envName(key), ConfigLoader.DEFAULTS.get(key)));
            assertThat(config).isNotNull();
        }
    }

    @Test
    void bad_values_name_the_key_and_its_variable(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_HTTP_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("PATCHBAY_HTTP_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_RTP_PORTS", "30000-20000")))
                .isInstanceOf(ConfigException.class);
        Path file = dir.resolve("patchbay.properties");
        Files.writeString(file, "http.prot=9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.prot");
    }

    @Test
    void trunk_bridge_and_cluster_settings_are_read_and_secrets_never_printed() {
        Config config = ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_TRUNK_URI", "sip:gw.example.com:5060", "PATCHBAY_TRUNK_USERNAME", "acme",
                "PATCHBAY_TRUNK_PASSWORD", "trunk-secret", "PATCHBAY_BRIDGE_MEDIA", "direct", "PATCHBAY_NATS_URL", "nats://node:nats-secret@10.0.0.5:4222",
                "PATCHBAY_DB_PASSWORD", "db-secret"));

        assertThat(config.trunk().orElseThrow().uri()).isEqualTo("sip:gw.example.com:5060");
        assertThat(config.trunk().orElseThrow().prefix()).isEqualTo("+");
        assertThat(config.directMedia()).isTrue();
        assertThat(config.natsUrl()).contains("nats://node:nats-secret@10.0.0.5:4222");
        assertThat(config.toString()).doesNotContain("trunk-secret", "nats-secret", "db-secret").contains("10.0.0.5:4222");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_BRIDGE_MEDIA", "sideways")))
                .hasMessageContaining("PATCHBAY_BRIDGE_MEDIA");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("PATCHBAY_TRUNK_URI", "http://gw")))
                .hasMessageContaining("PATCHBAY_TRUNK_URI");
    }
}

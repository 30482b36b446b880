package dev.patchbay.config;

import dev.patchbay.PatchbayException;
import dev.patchbay.billing.CountedUsage;
import dev.patchbay.billing.PlanDocument;
import dev.patchbay.billing.UsagePlan;
import dev.patchbay.media.MediaEngine;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves a {@link Config}: built-in defaults, then the optional properties file, then the
 * environment. Every key {@code a.b} can be set by the variable {@code PATCHBAY_A_B}.
 */
public final class ConfigLoader {

    /** Every key with its default; the README's configuration table is this map. */
    public static final Map<String, String> DEFAULTS = defaults();

    private ConfigLoader() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("http.host", "0.0.0.0");
        d.put("http.port", "8080");
        d.put("sip.host", "0.0.0.0");
        d.put("sip.port", "5060");
        d.put("sip.max.routing", "0");
        d.put("rtp.ports", "20000-29999");
        d.put("rtp.senders", String.valueOf(MediaEngine.lanes()));   // a sender thread per lane (docs/media.md)
        d.put("public.host", "127.0.0.1");
        d.put("data.dir", "./data");
        d.put("db.url", "");
        d.put("db.user", "");
        d.put("db.password", "");
        d.put("db.group.commit", "on");
        d.put("account.sid", "");
        d.put("auth.token", "");
        d.put("webhook.timeout", "15");
        d.put("tts.engine", "auto");
        d.put("http.max.request.bytes", "65536");
        d.put("node.id", "");
        d.put("bridge.media", "relay");
        d.put("nats.url", "");
        d.put("limits.concurrent.calls", "0");
        d.put("plan.basic", "{\"price\": \"0.004\"}");
        d.put("plan.application", "{\"price\": \"0.0085\"}");
        d.put("plan.service", "{\"price\": \"0.01\"}");
        d.put("billing.commission", "0.30");
        d.put("billing.heartbeat.seconds", "10");
        d.put("billing.guard.millis", "200");
        d.put("billing.debit.interval.seconds", "60");
        d.put("billing.warning.seconds", "60");
        d.put("billing.warning.notice", "");   // spoken to the caller with the warning; empty: the webhook only
        d.put("billing.payments", "none");
        d.put("operator.token", "");
        d.put("price.api.request", "0");
        d.put("price.recording.minute", "0.0025");
        d.put("price.tts.character", "0");
        d.put("trunk.uri", "");
        d.put("trunk.prefix", "+");
        d.put("trunk.username", "");
        d.put("trunk.password", "");
        return Map.copyOf(d);
    }

    /** The environment variable that overrides a key: {@code http.port} is {@code PATCHBAY_HTTP_PORT}. */
    public static String envName(String key) {
        return "PATCHBAY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Loads from {@code PATCHBAY_CONFIG} or {@code ./patchbay.properties} if present, then the process environment. */
    public static Config load() {
        Map<String, String> env = System.getenv();
        Path file = Path.of(env.getOrDefault("PATCHBAY_CONFIG", "patchbay.properties"));
        return load(Files.isRegularFile(file) ? Optional.of(file) : Optional.empty(), env);
    }

    public static Config load(Optional<Path> file, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        file.ifPresent(f -> values.putAll(readFile(f)));
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        return build(values);
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException(file + ": unknown key '" + key + "'; known keys are " + DEFAULTS.keySet());
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static Config build(Map<String, String> v) {
        Path dataDir = Path.of(v.get("data.dir"));
        String dbUrl = v.get("db.url").isBlank()
                ? "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("patchbay") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                : v.get("db.url");
        return new Config(
                v.get("http.host"),
                port(v, "http.port"),
                v.get("sip.host"),
                port(v, "sip.port"),
                nonNegative(v, "sip.max.routing"),
                PortRange.parse(v.get("rtp.ports")),
                rtpSenders(v),
                v.get("public.host"),
                dataDir,
                dbUrl,
                v.get("db.user"),
                v.get("db.password"),
                onOff(v, "db.group.commit"),
                optional(v.get("account.sid")),
                optional(v.get("auth.token")),
                Duration.ofSeconds(positive(v, "webhook.timeout")),
                v.get("tts.engine"),
                positive(v, "http.max.request.bytes"),
                v.get("node.id"),
                trunk(v),
                bridgeMedia(v),
                optional(v.get("nats.url")),
                nonNegative(v, "limits.concurrent.calls"),
                modePlans(v),
                commission(v),
                new Config.Billing(Duration.ofSeconds(positive(v, "billing.heartbeat.seconds")),
                        Duration.ofMillis(positive(v, "billing.guard.millis")),
                        Duration.ofSeconds(positive(v, "billing.debit.interval.seconds")),
                        Duration.ofSeconds(nonNegative(v, "billing.warning.seconds")),
                        v.get("billing.warning.notice").trim(),
                        payments(v),
                        new CountedUsage.Prices(price(v, "price.api.request"), price(v, "price.recording.minute"),
                                price(v, "price.tts.character"))),
                optional(v.get("operator.token")));
    }

    private static int rtpSenders(Map<String, String> v) {
        int n = nonNegative(v, "rtp.senders");
        if (n < 1 || n > 4) {
            throw new ConfigException("rtp.senders (" + envName("rtp.senders") + ") must be 1 to 4, not " + n);
        }
        return n;
    }

    private static BigDecimal price(Map<String, String> v, String key) {
        String value = v.get(key).trim();
        if (!value.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            throw new ConfigException(key + " (" + envName(key) + ") must be a price such as 0.0025, not '" + value + "'");
        }
        return new BigDecimal(value);
    }

    private static String payments(Map<String, String> v) {
        String value = v.get("billing.payments").trim();
        if (!value.equals("none") && !value.equals("test")) {
            throw new ConfigException("billing.payments (" + envName("billing.payments") + ") must be none or test, not '" + value + "'");
        }
        return value;
    }

    /** The operator's usage plan for each operational mode, as plan documents (docs/billing.md). */
    private static Map<String, UsagePlan> modePlans(Map<String, String> v) {
        Map<String, UsagePlan> plans = new LinkedHashMap<>();
        for (String mode : List.of("basic", "application", "service")) {
            String key = "plan." + mode;
            try {
                plans.put(mode, PlanDocument.parse(v.get(key)));
            } catch (PatchbayException e) {
                throw new ConfigException(key + " (" + envName(key) + ") is not a usage plan: " + e.getMessage());
            }
        }
        return Map.copyOf(plans);
    }

    private static BigDecimal commission(Map<String, String> v) {
        String value = v.get("billing.commission").trim();
        if (!value.matches("0(\\.[0-9]{1,6})?|1(\\.0{1,6})?")) {
            throw new ConfigException("billing.commission (" + envName("billing.commission") + ") must be a decimal from 0 to 1 such as 0.30, not '"
                    + value + "'");
        }
        return new BigDecimal(value);
    }

    private static boolean onOff(Map<String, String> v, String key) {
        return switch (v.get(key)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new ConfigException(key + " (" + envName(key) + ") must be on or off, not '" + v.get(key) + "'");
        };
    }

    private static boolean bridgeMedia(Map<String, String> v) {
        return switch (v.get("bridge.media")) {
            case "relay" -> false;
            case "direct" -> true;
            default -> throw new ConfigException("bridge.media (" + envName("bridge.media") + ") must be relay or direct, not '"
                    + v.get("bridge.media") + "'");
        };
    }

    private static Optional<Config.TrunkSettings> trunk(Map<String, String> v) {
        if (v.get("trunk.uri").isBlank()) {
            return Optional.empty();
        }
        if (!v.get("trunk.uri").matches("(?i)sips?:\\S+")) {
            throw new ConfigException("trunk.uri (" + envName("trunk.uri") + ") must be a SIP URI such as sip:gateway.example.com:5060, not '"
                    + v.get("trunk.uri") + "'");
        }
        return Optional.of(new Config.TrunkSettings(v.get("trunk.uri"), v.get("trunk.prefix"), optional(v.get("trunk.username")),
                optional(v.get("trunk.password"))));
    }

    private static Optional<String> optional(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static int port(Map<String, String> v, String key) {
        long port = number(v, key);
        if (port < 0 || port > 65535) {
            throw new ConfigException(key + " (" + envName(key) + ") must be a port 0-65535, not " + v.get(key));
        }
        return (int) port;
    }

    private static int nonNegative(Map<String, String> v, String key) {
        long n = number(v, key);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new ConfigException(key + " (" + envName(key) + ") must be 0 or more, not " + v.get(key));
        }
        return (int) n;
    }

    private static long positive(Map<String, String> v, String key) {
        long n = number(v, key);
        if (n <= 0) {
            throw new ConfigException(key + " (" + envName(key) + ") must be positive, not " + v.get(key));
        }
        return n;
    }

    private static long number(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " (" + envName(key) + ") must be a number, not '" + v.get(key) + "'");
        }
    }
}

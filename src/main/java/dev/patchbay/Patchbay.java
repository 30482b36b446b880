package dev.patchbay;

import dev.patchbay.account.Accounts;
import dev.patchbay.api.RestApi;
import dev.patchbay.config.Config;
import dev.patchbay.number.Applications;
import dev.patchbay.number.Numbers;
import dev.patchbay.store.Database;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of the platform, wired from a {@link Config}: the store, the services, the REST API.
 * This is the composition root; nothing else constructs services.
 */
public final class Patchbay implements AutoCloseable {

    private final Config config;
    private final Database db;
    private final Accounts accounts;
    private final Numbers numbers;
    private final Applications applications;
    private final PrometheusMeterRegistry metrics;
    private final List<AutoCloseable> running = new ArrayList<>();
    private RestApi api;

    private Patchbay(Config config, Database db, Clock clock) {
        this.config = config;
        this.db = db;
        this.accounts = new Accounts(db, clock);
        this.numbers = new Numbers(db, clock);
        this.applications = new Applications(db, clock);
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
    }

    /** Opens the store and applies migrations; call {@link #start()} to serve. */
    public static Patchbay open(Config config, Clock clock) {
        try {
            java.nio.file.Files.createDirectories(config.dataDir());
        } catch (java.io.IOException e) {
            throw new dev.patchbay.config.ConfigException("cannot create data folder " + config.dataDir() + ": " + e.getMessage());
        }
        Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new Patchbay(config, db, clock);
    }

    /** Starts the network edges. */
    public Patchbay start() {
        api = new RestApi(config.httpHost(), config.httpPort(), config.maxRequestBytes(),
                new RestApi.Services(accounts, numbers, applications, metrics, List.of())).start();
        running.add(api);
        return this;
    }

    public Config config() {
        return config;
    }

    public Database db() {
        return db;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Numbers numbers() {
        return numbers;
    }

    public Applications applications() {
        return applications;
    }

    public int httpPort() {
        return api.port();
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Patchbay.class).warn("error while stopping {}", running.get(i), e);
            }
        }
        db.close();
    }
}

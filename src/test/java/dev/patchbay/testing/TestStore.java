package dev.patchbay.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * The two stores every repository test runs on: embedded H2, and a real PostgreSQL. Each call
 * to {@link #freshUrl()} gives an empty database (H2 in memory, or a new PostgreSQL schema; the
 * schemas a test run made are dropped when its JVM exits, so a shared database does not grow).
 *
 * <p>PostgreSQL is found at {@code PATCHBAY_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}). When it is not reachable
 * the PostgreSQL cases are skipped with a message, unless {@code PATCHBAY_TEST_REQUIRE_PG=1}
 * (set by CI), which turns the skip into a failure.
 */
public enum TestStore {
    H2, POSTGRES;

    private static final String PG_URL = System.getenv().getOrDefault("PATCHBAY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getenv().getOrDefault("PATCHBAY_TEST_PG_USER", "postgres");
    private static volatile Boolean pgReachable;
    private static final Set<String> SCHEMAS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean DROP_AT_EXIT = new AtomicBoolean();

    public String freshUrl() {
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (this == H2) {
            return "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        }
        requirePostgres();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("CREATE SCHEMA " + name);
            if (DROP_AT_EXIT.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(TestStore::dropSchemas, "drop-test-schemas"));
            }
            SCHEMAS.add(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema on " + PG_URL, e);
        }
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    public String user() {
        return this == H2 ? "" : PG_USER;
    }

    private static void dropSchemas() {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            for (String name : SCHEMAS) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        } catch (SQLException e) {
            System.err.println("WARNING: test schemas left in " + PG_URL + ": " + e.getMessage());
        }
    }

    private static void requirePostgres() {
        if (pgReachable == null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
                pgReachable = c.isValid(2);
            } catch (SQLException e) {
                pgReachable = false;
            }
        }
        if (!pgReachable) {
            String message = "PostgreSQL is not reachable at " + PG_URL + " as " + PG_USER + ": PostgreSQL tests SKIPPED";
            if ("1".equals(System.getenv("PATCHBAY_TEST_REQUIRE_PG"))) {
                throw new IllegalStateException(message + " (PATCHBAY_TEST_REQUIRE_PG=1 forbids skipping)");
            }
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
    }
}

package dev.patchbay.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.LoggerFactory;

/**
 * The node's connection to the shared store: a pooled data source, the schema migrations, and
 * JDBI on top. H2 (embedded) and PostgreSQL are both supported by the same SQL.
 */
public final class Database implements Transactions, AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    /** Where {@link Pinned} connections come from: the pool on PostgreSQL, a session of their own on H2. */
    private final Jdbi pinnedSessions;
    private final boolean postgres;
    private final ReadWriteLock periods = new ReentrantReadWriteLock();
    private final GroupCommit grouped;

    private Database(HikariDataSource dataSource, Optional<Jdbi> ownSessions, boolean postgres, boolean groupCommit) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.pinnedSessions = ownSessions.orElse(jdbi);
        this.postgres = postgres;
        this.grouped = new GroupCommit(this, "patchbay-group-commit", groupCommit);
    }

    /** The writes of live calls (call rows, control segments) go through here: many calls' writes, one transaction. */
    public GroupCommit grouped() {
        return grouped;
    }

    /** Whether {@code e} is a unique-key violation (SQLSTATE 23505 on both stores): another transaction wrote the same key first. */
    public static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL (else embedded H2): for the few statements whose locking differs between them. */
    public boolean isPostgres() {
        return postgres;
    }

    /** Opens a pool to the URL, live calls' writes grouped; call {@link #migrate()} before use. */
    public static Database open(String url, String user, String password) {
        return open(url, user, password, true);
    }

    /** As {@link #open(String, String, String)}; {@code groupCommit} false: every grouped write is its own transaction. */
    public static Database open(String url, String user, String password, boolean groupCommit) {
        HikariConfig config = new HikariConfig();
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE")) {
            url += ";QUERY_CACHE_SIZE=256";   // H2 parses each statement again past its 8 most recent; a call and its rating use more
        }
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("OPTIMIZE_REUSE_RESULTS")) {
            // H2 would keep each query's last result and, before running it again, walk the query to see whether
            // any table it reads changed since: work on every read for a reuse that never happens here
            url += ";OPTIMIZE_REUSE_RESULTS=FALSE";
        }
        config.setJdbcUrl(url);
        if (!user.isBlank()) {
            config.setUsername(user);
        }
        if (!password.isBlank()) {
            config.setPassword(password);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");   // a batch of inserts goes out as multi-row INSERTs (rating batches)
        }
        config.setMaximumPoolSize(16);
        config.setPoolName("patchbay-db");
        config.setConnectionTimeout(10_000);
        boolean postgres = url.startsWith("jdbc:postgresql:");
        String h2 = url;
        Optional<Jdbi> ownSessions = postgres ? Optional.empty()
                : Optional.of(Jdbi.create(() -> DriverManager.getConnection(h2, user, password)));
        return new Database(new HikariDataSource(config), ownSessions, postgres, groupCommit);
    }

    /** Applies pending Flyway migrations; returns how many ran. */
    public int migrate() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs the callback in one transaction: everything it writes lands together or not at all. */
    @Override
    public <T> T inTransaction(HandleCallback<T, RuntimeException> callback) {
        return jdbi.inTransaction(callback);
    }

    /** A connection held for one long-lived thread's transactions; see {@link Pinned}. */
    public Pinned pin() {
        return new Pinned();
    }

    /**
     * One connection kept by one thread that writes all the time (the group commit's writer, the
     * rating worker), for its transactions only: no checkout per transaction. On H2 it is a session
     * of its own, opened outside the pool, so its statement cache holds just that thread's few
     * statements: H2 walks every cached statement of the session for each table a transaction
     * changes, and a pooled session keeps what other threads ran on it before (up to
     * QUERY_CACHE_SIZE of them). On PostgreSQL it comes from the pool. A transaction that fails
     * closes the connection (a pooled one goes back to the pool) and the next one opens another, so
     * a broken connection is never kept. Not thread-safe: one thread uses it, then closes it.
     */
    public final class Pinned implements Transactions, AutoCloseable {
        /** As the pool (HikariCP's alive-bypass window): a connection idle longer is checked before use. */
        private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

        private Handle handle;
        private long lastUsed;

        private Pinned() {
        }

        @Override
        public <T> T inTransaction(HandleCallback<T, RuntimeException> callback) {
            if (handle != null && System.nanoTime() - lastUsed > CHECK_AFTER_IDLE_NANOS && !valid(handle)) {
                close();   // the store restarted or dropped it while idle: take a fresh one, as the pool would
            }
            if (handle == null) {
                handle = pinnedSessions.open();
            }
            try {
                return handle.inTransaction(callback);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            } finally {
                lastUsed = System.nanoTime();
            }
        }

        private static boolean valid(Handle handle) {
            try {
                return handle.getConnection().isValid(1);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (handle != null) {
                try {
                    handle.close();
                } catch (RuntimeException e) {   // a broken connection: the pool drops it
                    LoggerFactory.getLogger(Database.class).debug("closing a pinned connection failed: {}", e.toString());
                }
                handle = null;
            }
        }
    }

    /**
     * Runs one statement in autocommit mode: atomic on its own and cheaper than a transaction.
     * Use {@link #inTransaction} as soon as two writes belong together.
     */
    public <T> T write(Function<Handle, T> statement) {
        return jdbi.withHandle(statement::apply);
    }

    public <T> T read(Function<Handle, T> query) {
        return jdbi.withHandle(query::apply);
    }

    @Override
    public void close() {
        grouped.close();
        dataSource.close();
    }

    /**
     * On H2, which has no shared row locks, what stands in for the billing period row's shared
     * lock: charges hold the read side, a period's close the write side. H2 is embedded in one
     * node, so a lock in this JVM covers every writer. PostgreSQL locks the row itself.
     */
    public ReadWriteLock periodLock() {
        return periods;
    }

    /**
     * Runs {@code sql} once per row as one JDBC batch inside the caller's transaction; returns the
     * update counts (none for no rows). Plain JDBC, not JDBI's binding: the call path and the
     * rating batches run these for every call, and JDBI's per-argument type resolution was a
     * twentieth of a loaded node's CPU. Values are bound with {@code setObject} (null as null).
     */
    public static int[] batch(Handle h, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement statement = h.getConnection().prepareStatement(sql)) {
            if (rows.size() == 1) {
                bind(statement, rows.getFirst());
                return new int[] {statement.executeUpdate()};
            }
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            return statement.executeBatch();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e.getMessage() + " [statement: " + sql + "]", e, null);
        }
    }

    private static void bind(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }
}

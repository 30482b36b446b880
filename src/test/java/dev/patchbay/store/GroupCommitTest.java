package dev.patchbay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.store.GroupCommit.Row;
import dev.patchbay.store.GroupCommit.Statement;
import dev.patchbay.testing.TestStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writes of many callers grouped into one transaction, on both stores. */
class GroupCommitTest {

    private static final Statement INSERT = new Statement(0, "INSERT INTO tallies (id, n) VALUES (?, ?)");
    private static final Statement ADD = new Statement(10, "UPDATE tallies SET n = n + ? WHERE id = ?");

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void writes_waiting_together_share_one_transaction_and_each_gets_its_own_counts(TestStore store) {
        try (Database db = open(store)) {
            List<CompletableFuture<int[]>> writes = new ArrayList<>();
            long before = db.grouped().transactionsCommitted();

            whileTheWriterWaitsForALock(db, () -> {
                for (int i = 0; i < 50; i++) {   // the update runs after the insert of the same write (its phase is later)
                    writes.add(db.grouped().submit(new Row(ADD, 1000, "t" + i), new Row(INSERT, "t" + i, i)));
                }
                writes.add(db.grouped().submit(new Row(ADD, 1, "nobody")));
            });

            writes.forEach(CompletableFuture::join);
            assertThat(writes.subList(0, 50)).allSatisfy(w -> assertThat(w.join()[0]).isEqualTo(1));
            assertThat(writes.get(50).join()).containsExactly(0);
            assertThat(tallies(db)).hasSize(51).containsEntry("t0", 1000).containsEntry("t49", 1049);
            // the gate's write, then the 51 that queued behind it: in one transaction, two if the
            // writer took the gate's write only after they queued
            assertThat(db.grouped().transactionsCommitted() - before).isBetween(1L, 2L);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_write_that_fails_fails_alone_and_leaves_none_of_its_rows(TestStore store) {
        try (Database db = open(store)) {
            List<CompletableFuture<int[]>> good = new ArrayList<>();
            List<CompletableFuture<int[]>> bad = new ArrayList<>();

            whileTheWriterWaitsForALock(db, () -> {
                for (int i = 0; i < 20; i++) {
                    good.add(db.grouped().submit(new Row(INSERT, "t" + i, i)));
                }
                bad.add(db.grouped().submit(new Row(INSERT, "half-written", 1), new Row(INSERT, "gate", 1)));   // the gate exists
            });

            assertThatThrownBy(() -> bad.getFirst().join()).isInstanceOf(CompletionException.class)
                    .satisfies(e -> assertThat(Database.isDuplicateKey(e)).isTrue());
            good.forEach(CompletableFuture::join);
            assertThat(tallies(db)).hasSize(21).containsKeys("gate", "t0", "t19").doesNotContainKey("half-written");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void a_write_handed_in_after_close_still_commits(TestStore store) {
        try (Database db = open(store)) {
            db.grouped().close();

            assertThat(db.grouped().write(new Row(INSERT, "late", 7), new Row(ADD, 1, "late"))[1]).isEqualTo(1);
            assertThat(tallies(db)).containsEntry("late", 8);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void without_grouping_every_write_is_its_own_transaction(TestStore store) {
        try (Database db = open(store, false)) {
            List<CompletableFuture<int[]>> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                writes.add(db.grouped().submit(new Row(INSERT, "t" + i, i)));
            }

            writes.forEach(CompletableFuture::join);
            assertThat(db.grouped().transactionsCommitted()).isEqualTo(db.grouped().writesCommitted()).isEqualTo(11);
            assertThat(tallies(db)).hasSize(11);
        }
    }

    @Test
    void the_writer_takes_a_fresh_connection_when_the_store_dropped_its_own() throws InterruptedException {
        String url = TestStore.POSTGRES.freshUrl() + "&ApplicationName=patchbay-dropped-connection-test";   // whose backends to end
        try (Database db = open(Database.open(url, TestStore.POSTGRES.user(), "", true))) {
            db.grouped().write(new Row(INSERT, "before", 1));

            int killed = db.read(h -> h.createQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE application_name = 'patchbay-dropped-connection-test' AND pid <> pg_backend_pid()").mapTo(Integer.class).one());
            Thread.sleep(600);   // idle past the half second after which a kept connection is checked before use (real time: the driver's)

            assertThat(killed).isPositive();
            assertThat(db.grouped().write(new Row(INSERT, "after", 2))).containsExactly(1);
            assertThat(tallies(db)).containsEntry("before", 1).containsEntry("after", 2);
        }
    }

    private static Database open(TestStore store) {
        return open(store, true);
    }

    private static Database open(TestStore store, boolean grouping) {
        return open(Database.open(store.freshUrl(), store.user(), "", grouping));
    }

    private static Database open(Database db) {
        db.write(h -> h.execute("CREATE TABLE tallies (id VARCHAR(40) PRIMARY KEY, n INTEGER NOT NULL)"));
        db.grouped().write(new Row(INSERT, "gate", 0));
        return db;
    }

    /**
     * Runs {@code submit} while another transaction holds the gate row and the writer waits for
     * it (its write adds to the gate): what {@code submit} hands in queues behind, as under load.
     */
    private static void whileTheWriterWaitsForALock(Database db, Runnable submit) {
        try (Handle holder = db.jdbi().open()) {
            holder.begin();
            holder.execute("UPDATE tallies SET n = n + 1 WHERE id = 'gate'");
            CompletableFuture<int[]> gate = db.grouped().submit(new Row(ADD, 1, "gate"));
            submit.run();
            holder.commit();
            assertThat(gate.join()).containsExactly(1);
        }
    }

    private static Map<String, Integer> tallies(Database db) {
        return db.read(h -> h.createQuery("SELECT id, n FROM tallies").map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).list())
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}

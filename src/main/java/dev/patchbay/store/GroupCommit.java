package dev.patchbay.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small writes from many callers committed together. A caller hands in a write (a few rows, each
 * for a known {@link Statement}) and waits for its commit; one writer thread takes every write
 * waiting, runs each statement once as a JDBC batch of all the rows for it, in the statements'
 * {@linkplain Statement#phase phase} order, all in one transaction, and gives every caller the
 * update counts of its own rows. Under load the store sees one commit and one round trip per
 * statement for many calls' writes, instead of a transaction each; alone, a write waits for
 * nothing but its own commit (no linger).
 *
 * <p>Rules for writers: a write is atomic (its rows commit together or not at all); writes of one
 * caller commit in the order they were handed in as long as the caller waits for each (as a call
 * does), so two writes in one transaction never touch the same rows, and phases order only the
 * rows of one write (a call row is inserted before it is updated, a segment closes before the
 * next opens). A transaction that fails is retried one write at a time, so one bad write fails
 * its own caller and no other. Never hand in a write while holding a transaction open on the
 * same rows: the writer would wait for it while it waits for the writer.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_WRITES = 256;

    /** A statement of a grouped write: in one transaction, lower phases run first. */
    public record Statement(int phase, String sql) {
    }

    /** One row for {@code statement}: its parameters, by position. */
    public record Row(Statement statement, Object... values) {
    }

    private record Write(List<Row> rows, CompletableFuture<int[]> done) {
    }

    private static final Write STOP = new Write(List.of(), new CompletableFuture<>());

    private final Database db;
    private final LinkedBlockingQueue<Write> waiting = new LinkedBlockingQueue<>();
    private final Optional<Thread> writer;
    private final LongAdder writes = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private volatile boolean closed;

    /** {@code grouping} false: no writer thread, each write commits alone on its caller's thread (for comparison). */
    GroupCommit(Database db, String name, boolean grouping) {
        this.db = db;
        this.writer = grouping ? Optional.of(Thread.ofPlatform().name(name).daemon().start(this::run)) : Optional.empty();
        this.closed = !grouping;
    }

    /** Writes the rows in one transaction, grouped with other callers' writes; returns each row's update count, in order. */
    public int[] write(Row... rows) {
        try {
            return submit(rows).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** As {@link #write}, without waiting: the future completes at the commit, or with what the write failed with. */
    public CompletableFuture<int[]> submit(Row... rows) {
        Write write = new Write(List.of(rows), new CompletableFuture<>());
        synchronized (waiting) {   // never added behind the writer's last look (see close)
            if (!closed) {
                waiting.add(write);
                return write.done();
            }
        }
        commitAlone(write, db);   // after close, or not grouping: the caller's own transaction
        return write.done();
    }

    private void run() {
        try (Database.Pinned pinned = db.pin()) {
            run(pinned);
        }
    }

    private void run(Database.Pinned pinned) {
        List<Write> group = new ArrayList<>(MAX_WRITES);
        while (true) {
            Write first;
            try {
                first = waiting.take();
            } catch (InterruptedException e) {
                return;
            }
            if (first == STOP) {
                break;
            }
            group.add(first);
            waiting.drainTo(group, MAX_WRITES - 1);
            boolean stop = group.remove(STOP);
            commit(group, pinned);
            group.clear();
            if (stop) {
                break;   // nothing is queued after STOP: close adds it last, and later writes commit on their callers' threads
            }
        }
    }

    private void commit(List<Write> group, Database.Pinned pinned) {
        if (group.size() == 1) {
            commitAlone(group.getFirst(), pinned);
            return;
        }
        int[][] counts;
        try {
            counts = pinned.inTransaction(h -> execute(h, group));
        } catch (RuntimeException | Error e) {
            log.debug("a group of {} writes failed ({}); committing each alone", group.size(), e.toString());
            group.forEach(write -> commitAlone(write, pinned));
            return;
        }
        writes.add(group.size());
        transactions.increment();
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(counts[i]);
        }
    }

    private void commitAlone(Write write, Transactions on) {
        try {
            int[] counts = on.inTransaction(h -> execute(h, List.of(write)))[0];
            writes.increment();
            transactions.increment();
            write.done().complete(counts);
        } catch (RuntimeException | Error e) {   // the caller hears it; the writer goes on
            write.done().completeExceptionally(e);
        }
    }

    /** Each statement once, as a batch of every write's rows for it, in phase order; the update counts by write and row. */
    private static int[][] execute(Handle h, List<Write> group) {
        record Place(int write, int row) {
        }
        Map<Statement, List<Place>> byStatement = new LinkedHashMap<>();
        int[][] counts = new int[group.size()][];
        for (int w = 0; w < group.size(); w++) {
            List<Row> rows = group.get(w).rows();
            counts[w] = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                byStatement.computeIfAbsent(rows.get(r).statement(), s -> new ArrayList<>()).add(new Place(w, r));
            }
        }
        List<Statement> order = new ArrayList<>(byStatement.keySet());
        order.sort(Comparator.comparingInt(Statement::phase));
        for (Statement statement : order) {
            List<Place> places = byStatement.get(statement);
            List<Object[]> values = new ArrayList<>(places.size());
            for (Place p : places) {
                values.add(group.get(p.write()).rows().get(p.row()).values());
            }
            int[] result = Database.batch(h, statement.sql(), values);
            for (int i = 0; i < places.size(); i++) {
                counts[places.get(i).write()][places.get(i).row()] = result[i];
            }
        }
        return counts;
    }

    /** Writes committed so far. */
    public long writesCommitted() {
        return writes.sum();
    }

    /** Transactions they took (fewer than the writes when writes were grouped). */
    public long transactionsCommitted() {
        return transactions.sum();
    }

    /** Commits what is waiting and stops the writer; writes handed in later commit on their caller's thread. */
    @Override
    public void close() {
        synchronized (waiting) {
            if (closed) {
                return;
            }
            closed = true;
            waiting.add(STOP);   // the last write the writer takes: anything after it is committed by its caller
        }
        try {
            writer.orElseThrow().join(TimeUnit.SECONDS.toMillis(30));   // never interrupted: an interrupt inside JDBC breaks the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "GroupCommit[" + writer.map(Thread::getName).orElse("not grouping") + ", waiting=" + waiting.size() + "]";
    }
}

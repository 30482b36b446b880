package dev.patchbay.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Timer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP stack's timer as a hashed wheel: one thread ticks every {@value #TICK_MILLIS} ms and
 * runs the tasks due in that tick's slot. JAIN-SIP's default ({@code Timer}) keeps every
 * task in one binary heap, and a node at 1,000 calls/s holds a hundred thousand of them (each
 * finished call's transactions linger 32 s, RFC 3261 timer J): the heap's sift was a quarter of
 * the timer thread's CPU. Here scheduling is an append to a queue and cancelling clears the entry;
 * a task is looked at once per turn of the wheel ({@value #SLOTS} slots, about 10 s) until it is
 * due. Tasks run up to one tick late, which SIP's timers (T1 = 500 ms) do not notice.
 *
 * <p>JAIN-SIP creates it by name ({@code gov.nist.javax.sip.TIMER_CLASS_NAME}). Like the default
 * timer, it runs every task on its one thread, so a task never runs twice at once.
 */
public final class WheelTimer implements SipTimer {

    private static final Logger log = LoggerFactory.getLogger(WheelTimer.class);
    private static final long TICK_MILLIS = 10;
    private static final int SLOTS = 1024;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

    /**
     * A scheduled task: due at tick {@code due}, then every {@code period} ticks if it repeats.
     * Cancelling clears {@code task}, so a cancelled entry waiting for its slot holds no transaction.
     */
    private static final class Entry {
        volatile SIPStackTimerTask task;
        final long period;
        long due;

        Entry(SIPStackTimerTask task, long period) {
            this.task = task;
            this.period = period;
        }
    }

    private final ConcurrentLinkedQueue<Entry> scheduled = new ConcurrentLinkedQueue<>();
    private final List<List<Entry>> slots;
    private final long origin = System.nanoTime();
    private volatile boolean started;
    private volatile Thread thread;
    private long tick;   // the last tick run (timer thread only)

    public WheelTimer() {
        this(SLOTS);
    }

    /** A wheel of {@code slotCount} slots (tests turn a small one quickly). */
    WheelTimer(int slotCount) {
        slots = new ArrayList<>(slotCount);
        for (int i = 0; i < slotCount; i++) {
            slots.add(new ArrayList<>());
        }
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        return add(new Entry(task, 0), delay);
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, not " + period);
        }
        return add(new Entry(task, Math.max(1, ticksCeil(period))), delay);
    }

    private boolean add(Entry entry, long delayMillis) {
        if (!started) {
            throw new IllegalStateException("the SIP stack's timer has stopped: no new tasks can be scheduled");
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must not be negative, not " + delayMillis);
        }
        entry.due = ticksCeil(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin) + delayMillis);
        entry.task.setSipTimerTask(entry);
        scheduled.add(entry);
        return true;
    }

    private static long ticksCeil(long millis) {
        return (millis + TICK_MILLIS - 1) / TICK_MILLIS;
    }

    /** Cancels the task's coming runs (as {@code TimerTask.cancel}: true if this stopped one). */
    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Entry entry) || entry.task == null) {
            return false;
        }
        entry.task = null;
        task.cleanUpBeforeCancel();
        return true;
    }

    @Override
    public void start(SipStackImpl stack, Properties configuration) {
        started = true;
        thread = Thread.ofPlatform().name("patchbay-sip-timer").daemon().start(this::run);
    }

    @Override
    public void stop() {
        started = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    private void run() {
        while (started) {
            long now = (System.nanoTime() - origin) / TICK_NANOS;
            if (tick >= now) {
                LockSupport.parkNanos(origin + (tick + 1) * TICK_NANOS - System.nanoTime());
                continue;
            }
            tick++;   // one tick at a time, so a late thread catches up on every slot it missed
            place();
            runDue(slot(tick));
        }
        scheduled.clear();
        slots.forEach(List::clear);
    }

    /** Moves newly scheduled tasks into their slots (one already due goes into this tick's). */
    private void place() {
        for (Entry e; (e = scheduled.poll()) != null; ) {
            if (e.task != null) {
                slot(Math.max(e.due, tick)).add(e);
            }
        }
    }

    private List<Entry> slot(long dueTick) {
        return slots.get((int) (dueTick % slots.size()));
    }

    private void runDue(List<Entry> slot) {
        for (int i = 0; i < slot.size(); ) {
            Entry e = slot.get(i);
            SIPStackTimerTask task = e.task;
            if (task != null && e.due > tick) {
                i++;   // due in a later turn of the wheel
                continue;
            }
            slot.set(i, slot.getLast());   // out of the slot (which keeps no order: its due tasks all run now)
            slot.removeLast();
            if (task == null) {
                continue;   // cancelled
            }
            try {
                task.runTask();
            } catch (RuntimeException | Error failure) {
                log.warn("a SIP stack timer task failed", failure);
            }
            if (e.period > 0 && e.task != null && started) {
                e.due = tick + e.period;   // later than this tick, so skipped if it lands in this slot again
                slot(e.due).add(e);
            }
        }
    }
}

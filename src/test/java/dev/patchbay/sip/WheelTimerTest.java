package dev.patchbay.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WheelTimerTest {

    private WheelTimer timer;

    private WheelTimer start(WheelTimer t) {
        timer = t;
        t.start(null, new Properties());
        return t;
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    /** A task that counts its runs and its clean-up, and can be waited for. */
    private static final class Counted extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger cleanedUp = new AtomicInteger();
        final CountDownLatch ran;
        final Runnable action;

        Counted(int runsToWaitFor, Runnable action) {
            this.ran = new CountDownLatch(runsToWaitFor);
            this.action = action;
        }

        Counted() {
            this(1, () -> { });
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            action.run();
            ran.countDown();
        }

        @Override
        public void cleanUpBeforeCancel() {
            cleanedUp.incrementAndGet();
        }

        @Override
        public Object getThreadHash() {
            return null;   // no affinity: the timer runs every task on its one thread
        }

        boolean awaitRun() throws InterruptedException {
            return ran.await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_task_runs_once_and_not_before_its_delay() throws Exception {
        WheelTimer t = start(new WheelTimer());
        Counted task = new Counted();
        long before = System.nanoTime();
        t.schedule(task, 50);

        assertThat(task.awaitRun()).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isGreaterThanOrEqualTo(49);
        Counted later = new Counted();
        t.schedule(later, 60);
        assertThat(later.awaitRun()).isTrue();
        assertThat(task.runs).hasValue(1);
    }

    @Test
    void tasks_run_in_the_order_they_fall_due() throws Exception {
        WheelTimer t = start(new WheelTimer());
        List<Integer> order = new CopyOnWriteArrayList<>();
        Counted last = new Counted(1, () -> order.add(3));
        t.schedule(last, 90);
        t.schedule(new Counted(1, () -> order.add(1)), 10);
        t.schedule(new Counted(1, () -> order.add(2)), 50);

        assertThat(last.awaitRun()).isTrue();
        assertThat(order).containsExactly(1, 2, 3);
    }

    @Test
    void a_cancelled_task_never_runs_and_is_cleaned_up_once() throws Exception {
        WheelTimer t = start(new WheelTimer());
        Counted cancelled = new Counted();
        t.schedule(cancelled, 30);

        assertThat(t.cancel(cancelled)).isTrue();
        assertThat(t.cancel(cancelled)).isFalse();
        Counted after = new Counted();
        t.schedule(after, 80);
        assertThat(after.awaitRun()).isTrue();
        assertThat(cancelled.runs).hasValue(0);
        assertThat(cancelled.cleanedUp).hasValue(1);
    }

    @Test
    void a_fixed_delay_task_repeats_until_cancelled() throws Exception {
        WheelTimer t = start(new WheelTimer());
        Counted repeating = new Counted(3, () -> { });
        t.scheduleWithFixedDelay(repeating, 10, 20);
        assertThat(repeating.awaitRun()).isTrue();

        t.cancel(repeating);
        int runs = repeating.runs.get();
        Counted marker = new Counted();
        t.schedule(marker, 100);   // five periods
        assertThat(marker.awaitRun()).isTrue();
        assertThat(repeating.runs.get()).isLessThanOrEqualTo(runs + 1);   // at most the run under way when it was cancelled
    }

    @Test
    void a_task_due_after_a_full_turn_of_the_wheel_waits_for_its_turn() throws Exception {
        WheelTimer t = start(new WheelTimer(4));   // 40 ms per turn
        Counted far = new Counted();
        Counted near = new Counted();
        t.schedule(far, 150);   // the same slot as a task due at 30 ms, three turns later
        t.schedule(near, 30);

        assertThat(near.awaitRun()).isTrue();
        assertThat(far.runs).hasValue(0);
        assertThat(far.awaitRun()).isTrue();
    }

    @Test
    void a_task_that_fails_does_not_stop_the_others() throws Exception {
        WheelTimer t = start(new WheelTimer());
        t.schedule(new Counted(1, () -> {
            throw new IllegalStateException("a broken task");
        }), 10);
        Counted next = new Counted();
        t.schedule(next, 40);

        assertThat(next.awaitRun()).isTrue();
    }

    @Test
    void a_task_may_schedule_another_that_is_due_at_once() throws Exception {
        WheelTimer t = start(new WheelTimer());
        Counted inner = new Counted();
        t.schedule(new Counted(1, () -> t.schedule(inner, 0)), 10);

        assertThat(inner.awaitRun()).isTrue();
    }

    @Test
    void a_stopped_timer_takes_no_tasks() {
        WheelTimer t = start(new WheelTimer());
        t.stop();

        assertThat(t.isStarted()).isFalse();
        assertThatThrownBy(() -> t.schedule(new Counted(), 10)).isInstanceOf(IllegalStateException.class);
    }
}

package io.agentvine.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoopTest {
    static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(20));

    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(Loop.class);

    @BeforeEach
    void captureLogs() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logged);
    }

    private List<ILoggingEvent> events() {
        synchronized (logged.list) {
            return List.copyOf(logged.list);
        }
    }

    @Test
    void an_error_thrown_by_an_iteration_is_logged_and_the_loop_goes_on() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fourMore = new CountDownLatch(4);
        try (Loop loop = new Loop("test-loop", FAST, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("injected");
            }
            fourMore.countDown();
            return Duration.ZERO;
        })) {
            loop.start();
            assertThat(fourMore.await(10, TimeUnit.SECONDS)).as("iterations after the error").isTrue();
            assertThat(loop.isRunning()).isTrue();
        }
        assertThat(events()).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).startsWith("test-loop failed (1 in a row)");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(OutOfMemoryError.class.getName());
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("injected");
        });
    }

    @Test
    void run_once_never_throws_and_backs_off_more_while_failures_follow_each_other() {
        AtomicInteger calls = new AtomicInteger();
        Loop loop = new Loop("direct", new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new AssertionError("failure 1");
            }
            if (n == 2) {
                throw new IllegalStateException("failure 2");
            }
            return Duration.ofMillis(7);
        });

        assertThat(loop.runOnce()).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(loop.runOnce()).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(loop.runOnce()).as("the body's own wait after a success").isEqualTo(Duration.ofMillis(7));

        assertThat(events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.WARN);
        assertThat(events()).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
                .satisfies(m -> assertThat(m.get(0)).startsWith("direct failed (1 in a row)"))
                .satisfies(m -> assertThat(m.get(1)).startsWith("direct failed (2 in a row): java.lang.IllegalStateException: failure 2"));
    }

    @Test
    void close_ends_a_long_wait_at_once_and_is_idempotent() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Loop loop = new Loop("sleepy", FAST, () -> {
            ran.countDown();
            return Duration.ofHours(1);
        }).start();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        loop.close();
        loop.close();

        assertThat(loop.isRunning()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("sleepy");
    }

    @Test
    void the_thread_carries_the_loop_name_and_waits_the_initial_delay_only_until_closed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Loop loop = new Loop("named-loop", FAST, () -> {
            calls.incrementAndGet();
            return Duration.ZERO;
        }).start(Duration.ofHours(1));
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("named-loop");

        loop.close();

        assertThat(loop.isRunning()).isFalse();
        assertThat(calls).hasValue(0);
        loop.start();
        assertThat(loop.isRunning()).as("a closed loop does not start again").isFalse();
    }

    @Test
    void an_iteration_that_fails_because_the_loop_was_closed_is_not_reported_as_a_failure() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Loop> self = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        Loop loop = new Loop("closing", FAST, () -> {
            self.get().close(); // as a shutdown closing the loop and then its connection under the iteration
            failed.countDown();
            throw new IllegalStateException("connection closed");
        });
        self.set(loop);
        loop.start();
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.awaitTermination(java.time.Duration.ofSeconds(10))).as("the thread ended").isTrue();

        assertThat(loop.isRunning()).isFalse();
        assertThat(events()).isEmpty();
    }
}

package io.agentvine.worker.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits with a hard bound. An interrupt does not cut them short (stopping a process tree half-way
 * would leave it running unsupervised) but is kept: the flag is set again when the wait ends.
 */
final class Bounded {
    private Bounded() {
    }

    static long deadline(Duration d) {
        long now = System.nanoTime();
        long nanos = saturatedNanos(d);
        return nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    static long millisLeft(long deadline) {
        long left = deadline - System.nanoTime();
        return left <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(left + 999_999);
    }

    static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.max(0, d.toNanos());
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /** True when the thread ended before the deadline. */
    static boolean join(Thread t, long deadline) {
        boolean interrupted = false;
        try {
            while (t.isAlive()) {
                long ms = millisLeft(deadline);
                if (ms == 0) {
                    return false;
                }
                try {
                    t.join(ms);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True when the future completed (either way) before the deadline. */
    static boolean await(CompletableFuture<?> f, long deadline) {
        boolean interrupted = false;
        try {
            while (!f.isDone()) {
                long ms = millisLeft(deadline);
                if (ms == 0) {
                    return false;
                }
                try {
                    f.get(ms, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    // done exceptionally, or the loop sees the deadline
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        try {
            long ms;
            while ((ms = millisLeft(deadline)) > 0) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.agentvine.queue.testing;

import io.agentvine.model.TaskType;
import io.agentvine.queue.Claim;
import io.agentvine.queue.Claimer;
import io.agentvine.queue.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream of claims and acks for failover tests: claimer threads ({@code failover-claimer-<n>}) claim orders of one
 * type, hold each for {@code work} (standing in for a run), and ack it. It records what a failover could break: an
 * order held by two claimers at once, an order acked successfully more than once, acks refused, errors that
 * reached a claimer, and when every successful ack happened (to measure how long claimers stood still).
 */
public final class ClaimStream implements AutoCloseable {
    private final WorkQueue queue;
    private final TaskType type;
    private final Duration work;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Claimer> claimers = new CopyOnWriteArrayList<>();
    private final Map<String, String> liveHolder = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> successfulAcks = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean stop;

    public ClaimStream(WorkQueue queue, TaskType type, int claimers, Duration work) {
        this.queue = queue;
        this.type = type;
        this.work = work;
        for (int i = 0; i < claimers; i++) {
            String worker = "failover-worker-" + i;
            threads.add(new Thread(() -> loop(worker), "failover-claimer-" + i));
        }
    }

    public ClaimStream start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void loop(String worker) {
        Claimer claimer = queue.newClaimer(worker);
        claimers.add(claimer);
        while (!stop) {
            try {
                Optional<Claim> oc = claimer.claim(List.of(type), Duration.ofMillis(500));
                if (oc.isEmpty()) {
                    continue;
                }
                Claim c = oc.get();
                String holder = worker + "#" + c.token();
                String previous = liveHolder.putIfAbsent(c.id(), holder);
                if (previous != null) {
                    violations.add(c.id() + " claimed by " + holder + " while " + previous + " held it");
                }
                Thread.sleep(work.toMillis()); // the "run" of the order
                liveHolder.remove(c.id(), holder);
                if (queue.ack(c)) {
                    successfulAcks.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
                    ackTimes.add(System.nanoTime());
                    acks.incrementAndGet();
                } else {
                    rejected.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!stop) {
                    errors.add(Thread.currentThread().getName() + ": " + e);
                }
            }
        }
    }

    public long acks() {
        return acks.get();
    }

    public long rejectedAcks() {
        return rejected.get();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public Map<String, AtomicInteger> successfulAcks() {
        return successfulAcks;
    }

    /** The longest time without a successful ack from {@code sinceNanos} (a {@link System#nanoTime()}) to the last ack. */
    public Duration longestPauseSince(long sinceNanos) {
        List<Long> times = new ArrayList<>(ackTimes);
        times.sort(null);
        long previous = sinceNanos;
        long longest = 0;
        for (long t : times) {
            if (t < sinceNanos) {
                continue;
            }
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        return Duration.ofNanos(longest);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(15_000);
        }
        claimers.forEach(Claimer::close);
    }
}

package io.agentvine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.model.Json;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.Claim;
import io.agentvine.queue.Claimer;
import io.agentvine.queue.QueueKeys;
import io.agentvine.queue.QueueSettings;
import io.agentvine.queue.RepositoryLocks;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.WorkQueue;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import redis.clients.jedis.Jedis;

/**
 * The work queue's side of the queue benchmark (benchmarks/run-queue-bench.sh runs it next to the same
 * scenarios on BullMQ and redis-benchmark's LMOVE). Prints one JSON line per scenario to stdout and nothing
 * else (progress and logs go to stderr).
 *
 * <p>Scenarios: {@code enqueue}; {@code claim_ack_worker}, the path the worker runs (its first claim through
 * a {@link Claimer}, as an idle slot does; then each finished order acked with the next one claimed in the
 * same round trip, as a slot that claims again at once does — the path BullMQ's worker runs too); and
 * {@code claim_ack}, ack then claim in two round trips, for reference; {@code wakeup}, an idle claimer woken
 * by an enqueue; {@code floor}, Lettuce's bare LMOVE; {@code jedis}, the worker's ack+claim script through a
 * calling-thread client (system "jedis").
 *
 * <p>Environment: REDIS_URL (default redis://127.0.0.1:6379), JOBS (20000), WAKE_SAMPLES (200),
 * CONCURRENCY_LIST ("1,100"), LOCKS (on; off: orders without repository locks). Each scenario uses a fresh namespace and deletes its keys afterwards.
 */
public final class QueueBenchmark {
    /** LOCKS=off enqueues orders without repository locks (the claim's one-LMPOP path); on (the default) as the controller does. */
    private static final RepositoryLocks LOCKS = "off".equals(env("LOCKS", "on"))
            ? new RepositoryLocks(false, RepositoryLocks.UNLIMITED, Map.of()) : RepositoryLocks.DEFAULT;
    private static final String INSTRUCTIONS = "Add a CSV export of orders to the admin page. ".repeat(9).substring(0, 400);

    private final RedisClient client;
    private final int jobs;

    private QueueBenchmark(RedisClient client, int jobs) {
        this.client = client;
        this.jobs = jobs;
    }

    public static void main(String[] args) throws Exception {
        String url = env("REDIS_URL", "redis://127.0.0.1:6379");
        int jobs = Integer.parseInt(env("JOBS", "20000"));
        int wakeSamples = Integer.parseInt(env("WAKE_SAMPLES", "200"));
        int[] concurrency = Arrays.stream(env("CONCURRENCY_LIST", "1,100").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(60));
        RedisClient client = RedisClient.create(uri);
        try {
            client.connect().close();
        } catch (RuntimeException e) {
            System.err.println("QueueBenchmark: cannot reach Redis at " + url + ": " + e.getMessage());
            System.exit(2);
        }
        try {
            // SCENARIOS (default all): a comma-separated subset of enqueue, claim, wakeup, for a quick look at one
            List<String> scenarios = Arrays.stream(env("SCENARIOS", "enqueue,claim,wakeup,floor,jedis").split(",")).map(String::trim).toList();
            QueueBenchmark b = new QueueBenchmark(client, jobs);
            b.warmUp();
            if (scenarios.contains("enqueue")) {
                b.enqueue(100);
            }
            if (scenarios.contains("claim")) {
                for (int c : concurrency) {
                    b.claimAck(c, false);
                    b.claimAck(c, true);
                }
            }
            if (scenarios.contains("wakeup")) {
                b.wakeUp(wakeSamples);
            }
            if (scenarios.contains("floor")) {
                for (int c : concurrency) {
                    b.clientFloor(c);
                }
            }
            if (scenarios.contains("jedis")) {
                for (int c : concurrency) {
                    b.callingThread(url, c);
                }
            }
        } finally {
            client.shutdown();
        }
    }

    private WorkQueue newQueue() {
        return new WorkQueue(RedisEndpoint.wrap(client), QueueSettings.defaults().withNamespace("bench" + UUID.randomUUID().toString()
                .substring(0, 8)), Clock.systemUTC(), RandomGenerator.getDefault(), LOCKS);
    }

    private static WorkOrder order(long n) {
        return WorkOrder.builder("wo-" + n + "-" + Long.toHexString(System.nanoTime()), TaskType.FEATURE)
                .priority(Priority.P2)
                .repositoryUrl("https://git.example.com/acme/shop.git")
                .branch("main")
                .title("Add order export #" + n)
                .instructions(INSTRUCTIONS)
                .metadata(Map.of())
                .build();
    }

    /** The JIT sees every path once before anything is timed (BullMQ's script has the same chance: none is timed cold either). */
    private void warmUp() throws Exception {
        try (WorkQueue q = newQueue()) {
            fill(q, 5000);
            runClaimers(q, 4, 5000, false);
            fill(q, 5000);
            runClaimers(q, 4, 5000, true);
            cleanup(q);
        }
    }

    private void enqueue(int inFlight) throws Exception {
        try (WorkQueue q = newQueue()) {
            long start = System.nanoTime();
            fill(q, jobs, inFlight);
            double seconds = (System.nanoTime() - start) / 1e9;
            print("{\"system\":\"agentvine\",\"scenario\":\"enqueue\",\"in_flight\":%d,\"jobs\":%d,\"ops_per_s\":%.1f}",
                    inFlight, jobs, jobs / seconds);
            cleanup(q);
        }
    }

    private void fill(WorkQueue q, int n) throws Exception {
        fill(q, n, 100);
    }

    /** Enqueues n orders with at most {@code inFlight} enqueues outstanding (a sliding window, not a batch). */
    private static void fill(WorkQueue q, int n, int inFlight) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            window.acquire();
            q.enqueueAsync(order(i)).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                window.release();
            });
        }
        window.acquire(inFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("enqueue failed", failure.get());
        }
    }

    /**
     * {@code concurrency} worker threads each claim, "process" (nothing) and ack until the queue is
     * empty. With {@code workerPath}, as the worker does: the first claim through a Claimer, then each ack
     * claims the next order in the same round trip.
     */
    private void claimAck(int concurrency, boolean workerPath) throws Exception {
        try (WorkQueue q = newQueue()) {
            fill(q, jobs);
            Run run = runClaimers(q, concurrency, jobs, workerPath);
            double seconds = run.nanos() / 1e9;
            if (run.done() != jobs) {
                throw new IllegalStateException("processed " + run.done() + " of " + jobs);
            }
            print("{\"system\":\"agentvine\",\"scenario\":\"%s\",\"concurrency\":%d,\"jobs\":%d,\"ops_per_s\":%.1f}",
                    workerPath ? "claim_ack_worker" : "claim_ack", concurrency, jobs, jobs / seconds);
            cleanup(q);
        }
    }

    private record Run(int done, long nanos) {
    }

    /**
     * The JVM client's own floor: {@code concurrency} threads sharing one Lettuce connection (as the queue's calls do),
     * each a synchronous LMOVE of one element — the cheapest command there is, no script — until {@code jobs} are done.
     * What the worker's path cannot beat on this machine and client, beside redis-benchmark's LMOVE (C, one thread).
     */
    private void clientFloor(int concurrency) throws Exception {
        String key = "bench-floor-" + UUID.randomUUID();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().rpush(key, "x");
            for (int warm = 0; warm < 2000; warm++) {
                c.sync().lmove(key, key, LMoveArgs.Builder.leftRight());
            }
            AtomicInteger left = new AtomicInteger(jobs);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                threads.add(new Thread(() -> {
                    while (left.getAndDecrement() > 0) {
                        c.sync().lmove(key, key, LMoveArgs.Builder.leftRight());
                    }
                }, "bench-floor-" + t));
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            print("{\"system\":\"lettuce\",\"scenario\":\"lmove\",\"concurrency\":%d,\"jobs\":%d,\"ops_per_s\":%.1f}",
                    concurrency, jobs, jobs / seconds);
            c.sync().del(key);
        }
    }

    /**
     * The worker's path with the other kind of client: the same ack+claim-next script, the same arguments and the
     * same parse of the claimed payload, sent through Jedis, which writes and reads on the calling thread (one
     * connection per thread: nothing is handed to an I/O thread and nobody is woken but the caller). What a change of
     * client would buy the worker's path on this machine (issue #16); the queue itself stays on Lettuce. The first
     * claim of each thread goes through a Claimer, as in claim_ack_worker.
     */
    private void callingThread(String url, int concurrency) throws Exception {
        String ack = script("lib.lua") + "\n" + script("ack.lua"); // as the queue's LuaScripts joins them
        try (WorkQueue q = newQueue()) {
            fill(q, jobs);
            QueueSettings settings = q.settings();
            QueueKeys keys = new QueueKeys(settings.namespace(), TaskType.FEATURE);
            String lease = Long.toString(settings.lease().toMillis());
            String batch = Integer.toString(settings.batch());
            AtomicInteger done = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            List<Claimer> claimers = new ArrayList<>();
            List<Jedis> connections = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                String worker = "bench-worker-" + t;
                Claimer claimer = q.newClaimer(worker);
                claimers.add(claimer);
                Jedis jedis = new Jedis(URI.create(url));
                connections.add(jedis);
                String sha = jedis.scriptLoad(ack);
                threads.add(new Thread(() -> {
                    try {
                        Optional<Claim> first = claimer.claim(List.of(TaskType.FEATURE), Duration.ofMillis(100));
                        String id = first.map(Claim::id).orElse(null);
                        long token = first.map(Claim::token).orElse(0L);
                        long request = 0;
                        while (id != null) {
                            List<?> r = (List<?>) jedis.evalsha(sha, List.of(keys.order(id)), List.of(keys.prefix(), id, worker,
                                    Long.toString(token), Long.toString(System.currentTimeMillis()), "1", lease, batch,
                                    worker + "-" + request++));
                            if (!"ok".equals(r.get(0))) {
                                throw new IllegalStateException("ack of " + id + " rejected: " + r);
                            }
                            done.incrementAndGet();
                            if (!"claimed".equals(r.get(1))) {
                                break;
                            }
                            id = (String) r.get(2);
                            token = (Long) r.get(3);
                            // the same work as the queue's claim parse: the payload with the queue's overlay, one record
                            JsonNode tree = Json.readTree((String) r.get(5));
                            ((ObjectNode) tree).put("attempt", Integer.parseInt((String) r.get(7)) + 1);
                            ((ObjectNode) tree).put("priority", Priority.fromWire((String) r.get(6)).wireName());
                            if (!Json.read(tree, WorkOrder.class).id().equals(id)) {
                                throw new IllegalStateException("payload of " + id + " names another order");
                            }
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-jedis-" + t));
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            claimers.forEach(Claimer::close);
            connections.forEach(Jedis::close);
            if (failure.get() != null || done.get() != jobs) {
                throw new IllegalStateException("processed " + done.get() + " of " + jobs, failure.get());
            }
            print("{\"system\":\"jedis\",\"scenario\":\"claim_ack_worker\",\"concurrency\":%d,\"jobs\":%d,\"ops_per_s\":%.1f}",
                    concurrency, jobs, jobs / seconds);
            cleanup(q);
        }
    }

    private static String script(String file) throws IOException {
        try (InputStream in = WorkQueue.class.getResourceAsStream("/io/agentvine/queue/lua/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the queue's script " + file + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Timed from the threads' start to the last one's end; the worker path's claimers connect before that. */
    private static Run runClaimers(WorkQueue q, int concurrency, int total, boolean workerPath) throws Exception {
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Claimer> claimers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            String worker = "bench-worker-" + t;
            Claimer claimer = workerPath ? q.newClaimer(worker) : null;
            if (claimer != null) {
                claimers.add(claimer);
            }
            Thread thread = new Thread(() -> {
                Optional<Claim> c = workerPath ? claimer.claim(List.of(TaskType.FEATURE), Duration.ofMillis(100))
                        : q.claim(TaskType.FEATURE, worker);
                while (c.isPresent()) {
                    if (workerPath) {
                        WorkQueue.AckResult r = q.ackAndClaimNext(c.get());
                        if (r.acked()) {
                            done.incrementAndGet();
                        }
                        c = r.next();
                    } else {
                        if (q.ack(c.get())) {
                            done.incrementAndGet();
                        }
                        c = q.claim(TaskType.FEATURE, worker);
                    }
                }
            }, "bench-claimer-" + t);
            threads.add(thread);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - start;
        claimers.forEach(Claimer::close);
        return new Run(done.get(), nanos);
    }

    /**
     * An idle claimer blocked on its wake-up; latency from just before the enqueue call to the claim returning. The
     * first WAKE_WARMUP (2000) wake-ups are not timed: the claim scenarios never wait, so the wake-up's own code (the
     * wait's completion, the claim it sends) would otherwise be compiled while the samples run — BullMQ's worker runs
     * the same functions in its claim scenarios, and its side skips as many.
     */
    private void wakeUp(int samples) throws Exception {
        int warm = Integer.parseInt(env("WAKE_WARMUP", "2000"));
        try (WorkQueue q = newQueue(); Claimer claimer = q.newClaimer("bench-idle"); var admin = client.connect()) {
            long[] fromCall = new long[samples];
            long[] fromReply = new long[samples];
            for (int n = -warm; n < samples; n++) {
                CountDownLatch claimed = new CountDownLatch(1);
                AtomicReference<Long> at = new AtomicReference<>();
                Thread waiter = new Thread(() -> {
                    Optional<Claim> c = claimer.claim(List.of(TaskType.FEATURE), Duration.ofSeconds(30));
                    at.set(System.nanoTime());
                    c.ifPresent(x -> q.ack(x));
                    claimed.countDown();
                }, "bench-idle-claimer");
                waiter.start();
                awaitBlockedClient(admin); // the claimer is idle: blocked in BZPOPMIN on its wake-up
                long before = System.nanoTime();
                q.enqueue(order(n + warm));
                long after = System.nanoTime();
                if (!claimed.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("idle claimer was not woken");
                }
                waiter.join();
                if (n >= 0) { // the warm-up's wake-ups (n < 0) are not timed
                    fromCall[n] = at.get() - before;
                    fromReply[n] = at.get() - after;
                }
            }
            Arrays.sort(fromCall);
            Arrays.sort(fromReply);
            print("{\"system\":\"agentvine\",\"scenario\":\"wakeup\",\"samples\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                            + "\"p50_after_add_ms\":%.3f,\"p99_after_add_ms\":%.3f}",
                    samples, ms(pct(fromCall, 50)), ms(pct(fromCall, 99)), ms(pct(fromReply, 50)), ms(pct(fromReply, 99)));
            cleanup(q);
        }
    }

    /**
     * Waits until a client of the server is blocked in BZPOPMIN (CLIENT LIST), i.e. the idle claimer waits. On
     * one connection for all samples: a connection opened and closed per sample would still be winding down
     * (its close, the client's connection events) while the sample is timed.
     */
    private static void awaitBlockedClient(StatefulRedisConnection<String, String> admin) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!admin.sync().clientList().contains("cmd=bzpopmin")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the idle claimer did not block in BZPOPMIN within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static long pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private void cleanup(WorkQueue q) {
        try (var c = client.connect()) {
            String pattern = "{" + q.settings().namespace() + ":*";
            ScanArgs scan = ScanArgs.Builder.matches(pattern).limit(1000);
            KeyScanCursor<String> cursor = c.sync().scan(scan);
            while (true) {
                if (!cursor.getKeys().isEmpty()) {
                    c.sync().unlink(cursor.getKeys().toArray(String[]::new));
                }
                if (cursor.isFinished()) {
                    break;
                }
                cursor = c.sync().scan(cursor, scan);
            }
        }
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

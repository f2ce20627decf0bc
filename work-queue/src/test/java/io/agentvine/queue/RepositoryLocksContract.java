package io.agentvine.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentvine.model.Continuation;
import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.testing.Orders;
import io.agentvine.queue.testing.SettableClock;
import io.agentvine.queue.testing.TestRedis;
import io.agentvine.queue.testing.TestTopologies;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Repository locks (README "Repository locks") with concurrent real claimers against a real Redis of each topology
 * (a subclass per topology: {@link RepositoryLocksTest}, {@link RepositoryLocksSentinelTest},
 * {@link RepositoryLocksClusterTest}). Every test has its own key namespace.
 */
abstract class RepositoryLocksContract extends TopologySuite {
    private static final TaskType FEATURE = TaskType.FEATURE;
    private static final List<String> REPOS = List.of("https://git.example.com/acme/shop.git",
            "git@git.example.com:acme/billing.git", "https://git.example.com/acme/search");
    /** Longer than any test: an order that arrives in time came through a wake-up, never the poll. */
    private static final Duration LONG_POLL = Duration.ofSeconds(30);

    private final List<WorkQueue> queues = new ArrayList<>();
    private final List<Claimer> claimers = new ArrayList<>();

    @AfterEach
    void closeQueues() {
        claimers.forEach(Claimer::close);
        claimers.clear();
        queues.forEach(WorkQueue::close);
        queues.clear();
    }

    private WorkQueue queue(Clock clock, RepositoryLocks locks) {
        QueueSettings settings = QueueSettings.defaults().withNamespace(TestRedis.uniqueNamespace()).withFallbackPoll(LONG_POLL);
        WorkQueue q = new WorkQueue(client, settings, clock, new Random(7), locks);
        queues.add(q);
        return q;
    }

    private Claimer claimer(WorkQueue q, String worker) {
        Claimer c = q.newClaimer(worker);
        claimers.add(c);
        return c;
    }

    private static WorkOrder order(TaskType type, String repo, String taskId) {
        return Orders.builder(type, Priority.P2).repositoryUrl(repo).taskId(taskId).build();
    }

    /** An order that continues {@code branch} (a follow-up): it writes to that branch whatever its task. */
    private static WorkOrder followUp(TaskType type, String repo, String branch) {
        WorkOrder o = Orders.builder(type, Priority.P2).repositoryUrl(repo).build();
        return o.withContinuation(new Continuation("t-parent", branch, null, null, null, null, "the parent"));
    }

    @Test
    void fifty_orders_on_three_repositories_with_a_limit_of_one_run_in_queue_order_without_idle_slots() throws Exception {
        WorkQueue q = queue(Clock.systemUTC(), RepositoryLocks.parse(true, "1", ""));
        Random random = new Random(22);
        Map<String, String> repoOf = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            String repo = REPOS.get(random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(2)); // one busy repository
            WorkOrder o = order(FEATURE, repo, "t-" + i);
            q.enqueue(o);
            repoOf.put(o.id(), repo);
        }
        Map<String, List<String>> started = drain(q, 4, repoOf);
        Map<String, List<String>> enqueued = new HashMap<>();
        repoOf.forEach((id, repo) -> enqueued.computeIfAbsent(repo, r -> new ArrayList<>()).add(id));
        assertThat(started).isEqualTo(enqueued);
    }

    @Test
    void concurrent_claimers_never_run_two_orders_of_one_branch_and_run_different_branches_side_by_side() throws Exception {
        WorkQueue q = queue(Clock.systemUTC(), RepositoryLocks.DEFAULT);
        Map<String, String> branchOf = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String branch = "agentvine/feature/t-" + (i % 3);
            WorkOrder o = followUp(FEATURE, REPOS.get(0), branch);
            q.enqueue(o);
            branchOf.put(o.id(), branch);
        }
        assertThat(drain(q, 6, branchOf)).hasSize(3);
    }

    /**
     * Runs every order with {@code workers} concurrent claimers, at most one at a time per group ({@code groupOf}: an
     * order's repository or branch), and returns the orders of each group in the order they started. A holder keeps
     * its order until every group with work left runs one (as far as there are workers): a free slot idling while an
     * order may run would keep that from happening, and the holder's await fails the test.
     */
    private Map<String, List<String>> drain(WorkQueue q, int workers, Map<String, String> groupOf) throws Exception {
        int total = groupOf.size();
        Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();
        groupOf.values().forEach(g -> remaining.computeIfAbsent(g, x -> new AtomicInteger()).incrementAndGet());
        Map<String, List<String>> started = new ConcurrentHashMap<>();
        Map<String, String> runningPerGroup = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, named("locks-drain"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Claimer c = claimer(q, "w" + w);
                futures.add(pool.submit(() -> {
                    while (done.get() < total) {
                        Optional<Claim> got = c.claim(List.of(FEATURE), Duration.ofMillis(200));
                        if (got.isEmpty()) {
                            continue;
                        }
                        Claim claim = got.get();
                        String group = groupOf.get(claim.id());
                        String other = runningPerGroup.putIfAbsent(group, claim.id());
                        if (other != null) {
                            violation.compareAndSet(null, claim.id() + " runs beside " + other + " on " + group);
                        }
                        started.computeIfAbsent(group, g -> Collections.synchronizedList(new ArrayList<>())).add(claim.id());
                        running.incrementAndGet();
                        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                                .until(() -> running.get() >= Math.min(workers,
                                        remaining.values().stream().filter(n -> n.get() > 0).count()));
                        running.decrementAndGet();
                        remaining.get(group).decrementAndGet();
                        runningPerGroup.remove(group, claim.id());
                        assertThat(q.ack(claim)).isTrue();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violation.get()).as("two running orders of one group").isNull();
        assertThat(q.stats(FEATURE).inFlight()).isZero();
        return new HashMap<>(started);
    }

    @Test
    void a_passed_over_order_keeps_its_place_and_the_listing_says_why() {
        WorkQueue q = queue(new SettableClock(), RepositoryLocks.parse(true, "", "git.example.com/acme/billing=1"));
        WorkOrder first = followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-a");
        WorkOrder sameBranch = followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-a");
        WorkOrder billing1 = order(FEATURE, REPOS.get(1), "t-b1");
        WorkOrder billing2 = order(FEATURE, REPOS.get(1), "t-b2");
        WorkOrder search = order(FEATURE, REPOS.get(2), "t-s");
        for (WorkOrder o : List.of(first, sameBranch, billing1, billing2, search)) {
            q.enqueue(o);
        }
        Claim a = q.claim(FEATURE, "w1").orElseThrow();
        Claim b = q.claim(FEATURE, "w2").orElseThrow();
        assertThat(List.of(a.id(), b.id())).containsExactly(first.id(), billing1.id());

        List<QueueListing.Waiting> waiting = q.waiting(FEATURE, 0, 10).orders();
        assertThat(waiting).extracting(QueueListing.Waiting::id).containsExactly(sameBranch.id(), billing2.id(), search.id());
        assertThat(waiting).extracting(QueueListing.Waiting::blocked).containsExactly("branch_held", "repository_limit", null);

        assertThat(q.pauseRepository("https://GIT.example.com/acme/search/", List.of(FEATURE))).isTrue();
        assertThat(q.waiting(FEATURE, 0, 10).orders().get(2).blocked()).isEqualTo("repository_paused");
        assertThat(q.claim(FEATURE, "w3")).isEmpty();
        assertThat(q.resumeRepository(REPOS.get(2), List.of(FEATURE))).isTrue();
        assertThat(q.claim(FEATURE, "w3")).map(Claim::id).contains(search.id());

        assertThat(q.ack(a)).isTrue();
        assertThat(q.claim(FEATURE, "w1")).map(Claim::id).contains(sameBranch.id());
        assertThat(q.fail(b, "flaky", FailResult.Disposition.RETRY).outcome()).isNotNull();
        assertThat(q.claim(FEATURE, "w2")).map(Claim::id).contains(billing2.id());
    }

    @Test
    void a_holder_that_crashes_frees_its_branch_with_its_lease() {
        SettableClock clock = new SettableClock();
        WorkQueue q = queue(clock, RepositoryLocks.DEFAULT);
        WorkOrder first = order(FEATURE, REPOS.get(0), "t-crash");
        WorkOrder next = followUp(FEATURE, REPOS.get(0), io.agentvine.model.WorkBranches.of(first));
        q.enqueue(first);
        q.enqueue(next);
        Claim held = q.claim(FEATURE, "w-crashed").orElseThrow();
        assertThat(held.id()).isEqualTo(first.id());
        assertThat(q.claim(FEATURE, "w2")).isEmpty();

        clock.advance(q.settings().lease().plusSeconds(1)); // w-crashed stops extending: its lease runs out
        assertThat(q.recoverExpired(FEATURE).requeued()).containsExactly(first.id());
        Claim again = q.claim(FEATURE, "w2").orElseThrow();
        assertThat(again.id()).as("recovered to the head of its level, its branch free").isEqualTo(first.id());
        assertThat(q.ack(held)).as("the crashed holder lost it").isFalse();

        assertThat(q.recoverWorker(FEATURE, "w2").requeued()).containsExactly(first.id());
        assertThat(q.remove(FEATURE, first.id())).isTrue();
        assertThat(q.claim(FEATURE, "w3")).map(Claim::id).contains(next.id());
    }

    @Test
    void a_lock_whose_holder_vanished_holds_nothing_back() {
        WorkQueue q = queue(new SettableClock(), RepositoryLocks.parse(true, "1", ""));
        WorkOrder first = followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-v");
        WorkOrder second = followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-v");
        q.enqueue(first);
        q.enqueue(second);
        q.claim(FEATURE, "w1").orElseThrow();
        assertThat(q.claim(FEATURE, "w2")).isEmpty();
        try (io.agentvine.queue.redis.RedisLink admin = client.connect()) {
            admin.sync().del(q.keys(FEATURE).order(first.id())); // an operator deletes the running order by hand
        }
        assertThat(q.claim(FEATURE, "w2")).map(Claim::id).contains(second.id());
    }

    @Test
    void an_idle_claimer_wakes_when_the_branch_its_order_waits_for_is_released() throws Exception {
        WorkQueue q = queue(Clock.systemUTC(), RepositoryLocks.DEFAULT);
        WorkOrder first = followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-w");
        WorkOrder second = followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-w");
        q.enqueue(first);
        q.enqueue(second);
        Claim held = q.claim(FEATURE, "w1").orElseThrow();
        Claimer idle = claimer(q, "w2");
        ExecutorService pool = Executors.newSingleThreadExecutor(named("locks-wake"));
        try {
            Future<Optional<Claim>> pending = pool.submit(() -> idle.claim(List.of(FEATURE), Duration.ofSeconds(20)));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestTopologies.clientsRunning(topology(), "bzpopmin") >= 1);
            long start = System.nanoTime();
            q.ack(held);
            assertThat(pending.get(10, TimeUnit.SECONDS)).map(Claim::id).contains(second.id());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken, not polled").isLessThan(Duration.ofSeconds(5));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_branch_is_locked_across_worker_types() {
        assumeTrue(topology() != TestTopologies.Kind.CLUSTER, "on a Cluster each type has its own lock domain");
        WorkQueue q = queue(new SettableClock(), RepositoryLocks.DEFAULT);
        q.enqueue(followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-x"));
        WorkOrder docs = followUp(TaskType.DOCS, REPOS.get(0), "agentvine/feature/t-x");
        q.enqueue(docs);
        Claim feature = q.claim(FEATURE, "w1").orElseThrow();
        assertThat(q.claim(TaskType.DOCS, "w2")).isEmpty();
        assertThat(q.waiting(TaskType.DOCS, 0, 10).orders().get(0).blocked()).isEqualTo("branch_held");
        q.ack(feature);
        assertThat(q.claim(TaskType.DOCS, "w2")).map(Claim::id).contains(docs.id());
    }

    @Test
    void orders_enqueued_with_locks_off_are_never_passed_over() {
        WorkQueue q = queue(new SettableClock(), new RepositoryLocks(false, 1, Map.of()));
        q.enqueue(followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-y"));
        q.enqueue(followUp(FEATURE, REPOS.get(0), "agentvine/feature/t-y"));
        assertThat(q.claim(FEATURE, "w1")).isPresent();
        assertThat(q.claim(FEATURE, "w2")).isPresent();
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
    }
}

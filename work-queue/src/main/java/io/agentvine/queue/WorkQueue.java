package io.agentvine.queue;

import io.agentvine.model.QueueOutcome;
import io.agentvine.model.Check;
import io.agentvine.model.FailureReason;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.LifecycleEvent;
import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.Priority;
import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkBranches;
import io.agentvine.model.WorkOrder;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.LuaScripts.Name;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.queue.redis.FailoverRetry;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis work queue shared by the controller and the workers: one set of keys per worker type,
 * every operation one atomic Lua script (one round trip). Thread-safe: all calls share one
 * multiplexed connection; blocking waits use a {@link Claimer}'s own connection.
 *
 * <p>What it guarantees: an order is held by at most one live holder at a time (leases with
 * fencing tokens); an order is never dropped — it ends completed, failed, cancelled or dead-lettered,
 * or stays queued; strict priority high → default → low and FIFO within a level. What it does not:
 * exactly-once execution (a holder that loses its lease may have done work that is redone), and
 * ordering across worker types. See docs/architecture.md.
 */
public final class WorkQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    private static final LuaScripts SCRIPTS = new LuaScripts();
    private static final int MAX_INVALID_PER_CLAIM = 100;
    private static final int MAX_CACHED_TYPES = 256;

    private final RedisEndpoint endpoint;
    private final RedisLink connection;
    private final RedisClusterCommands<String, String> redis;
    private final FailoverRetry retry;
    /** Request ids of claims and acks (see claim.lua): this queue's random prefix and a counter. */
    private final String requestPrefix = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ":";
    private final AtomicLong requests = new AtomicLong();
    private static final Duration UNCONFIRMED_PAUSE = Duration.ofSeconds(5);
    /** 0 while replicas confirm changes; else until when (nanoTime) changes skip the confirmation (none was in sync). */
    private final AtomicLong unconfirmedUntil = new AtomicLong();
    private final QueueSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final String maxLen;
    /** Every call names its type's keys: built (and the namespace checked) once per type, not per call. */
    private final Map<TaskType, QueueKeys> keys = new ConcurrentHashMap<>();
    private final RepositoryLocks locks;

    public WorkQueue(RedisClient client, QueueSettings settings, Clock clock) {
        this(client, settings, clock, RandomGenerator.getDefault());
    }

    public WorkQueue(RedisClient client, QueueSettings settings, Clock clock, RandomGenerator random) {
        this(RedisEndpoint.wrap(client), settings, clock, random);
    }

    public WorkQueue(RedisEndpoint endpoint, QueueSettings settings, Clock clock) {
        this(endpoint, settings, clock, RandomGenerator.getDefault());
    }

    /**
     * A queue on {@code endpoint} (standalone, Sentinel or Cluster). Every call is retried through a failover for
     * up to the endpoint's retry budget: the scripts are safe to repeat (claims and acks carry a request id).
     */
    public WorkQueue(RedisEndpoint endpoint, QueueSettings settings, Clock clock, RandomGenerator random) {
        this(endpoint, settings, clock, random, RepositoryLocks.DEFAULT);
    }

    /** A queue whose enqueues give orders the repository locks of {@code locks} (README "Repository locks"). */
    public WorkQueue(RedisEndpoint endpoint, QueueSettings settings, Clock clock, RandomGenerator random, RepositoryLocks locks) {
        this.endpoint = endpoint;
        this.locks = locks;
        this.retry = new FailoverRetry(endpoint.options().retryBudget());
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.maxLen = Integer.toString(settings.eventsMaxLen());
        this.connection = endpoint.connect();
        this.redis = connection.sync();
        retry.call("script load", attempt -> {
            SCRIPTS.preload(redis);
            return null;
        });
    }

    public QueueSettings settings() {
        return settings;
    }

    public QueueKeys keys(TaskType type) {
        QueueKeys k = keys.get(type);
        if (k == null) {
            k = settings.keys(type);
            if (keys.size() < MAX_CACHED_TYPES) {
                keys.putIfAbsent(type, k);
            }
        }
        return k;
    }

    // ---- producers ------------------------------------------------------------------------------

    /**
     * Adds an order to the tail of its priority level. With an idempotency key seen within
     * {@link QueueSettings#idempotencyTtl()} the existing order's id comes back instead of a second order.
     *
     * @throws WorkQueueException when an order with the same id already exists
     */
    public EnqueueResult enqueue(WorkOrder order) {
        String[] args = enqueueArgs(order);
        return retry.call("enqueue", attempt -> {
            String key = keys(order.type()).order(order.id());
            List<Object> r = SCRIPTS.run(redis, Name.ENQUEUE, key, args);
            awaitReplicas(Name.ENQUEUE, key);
            // Sent again after a lost reply: "id taken" is then our own first attempt (ids are the caller's UUIDs).
            return attempt > 1 && (Long) r.get(0) < 0 ? new EnqueueResult(order.id(), true) : toEnqueueResult(order, r);
        });
    }

    /** {@link #enqueue} without blocking: many enqueues share the connection's pipeline. */
    public CompletionStage<EnqueueResult> enqueueAsync(WorkOrder order) {
        return SCRIPTS.runAsync(connection.async(), Name.ENQUEUE, keys(order.type()).order(order.id()), enqueueArgs(order))
                .thenApply(r -> toEnqueueResult(order, r));
    }

    private String[] enqueueArgs(WorkOrder order) {
        WorkOrder fresh = order.attempt() == 0 ? order : order.withAttempt(0);
        String[] lock = locks.fieldsOf(order);
        return new String[] {keys(order.type()).prefix(), order.id(), Json.write(fresh),
                order.priority().name(), order.queueLevel().wireName(),
                order.idempotencyKey() == null ? "" : order.idempotencyKey(),
                Long.toString(settings.idempotencyTtl().toMillis()), Integer.toString(order.maxAttempts()),
                now(), maxLen, lock[0], lock[1], lock[2], lockDomain(order.type())};
    }

    /**
     * The key prefix of the repository locks that orders of {@code type} take: one domain for every type (a branch is
     * locked across types), except on a Cluster, where a script reaches one slot only: there each type has its own.
     */
    public String lockDomain(TaskType type) {
        return endpoint.mode() == RedisEndpoint.Mode.CLUSTER ? keys(type).prefix() + "lk:" : "{" + settings.namespace() + ":@locks}:";
    }

    /** The repository locks this queue's enqueues give orders. */
    public RepositoryLocks locks() {
        return locks;
    }

    private static EnqueueResult toEnqueueResult(WorkOrder order, List<Object> r) {
        long code = (Long) r.get(0);
        if (code < 0) {
            throw new WorkQueueException("a work order with id " + order.id() + " already exists");
        }
        return new EnqueueResult((String) r.get(1), code == 1);
    }

    // ---- holders --------------------------------------------------------------------------------

    /** Claims the next order of {@code type} without blocking; empty when none is ready or the type is paused. */
    public Optional<Claim> claim(TaskType type, String workerId) {
        return Optional.ofNullable(tryClaim(type, workerId).claim());
    }

    /** One claim attempt with what an idle claimer needs to know to wait well. */
    record Attempt(Claim claim, boolean paused, Instant nextDue) {
    }

    Attempt tryClaim(TaskType type, String workerId) {
        requireWorker(workerId);
        QueueKeys k = keys(type);
        for (int i = 0; i < MAX_INVALID_PER_CLAIM; i++) {
            List<Object> r = run(Name.CLAIM, k.queue(QueueLevel.HIGH), k.prefix(), workerId, now(), leaseMs(), batch(),
                    requestId());
            Attempt a = toAttempt(type, workerId, r, 0);
            if (a != null) {
                return a;
            }
        }
        return new Attempt(null, false, null);
    }

    /**
     * Sends one claim attempt on {@code commands}' connection without waiting for it: a {@link Claimer} sends
     * it from its connection's I/O thread when a wake-up arrives. Read the reply with {@link #readClaim}.
     */
    CompletionStage<List<Object>> sendClaim(RedisClusterAsyncCommands<String, String> commands, TaskType type, String workerId) {
        QueueKeys k = keys(type);
        return SCRIPTS.runAsync(commands, Name.CLAIM, k.queue(QueueLevel.HIGH), k.prefix(), workerId, now(), leaseMs(), batch(),
                requestId());
    }

    /** The order a {@link #sendClaim} reply claimed; null when none (empty, paused, or an unreadable payload dead-lettered). */
    Claim readClaim(TaskType type, String workerId, List<Object> reply) {
        Attempt a = toAttempt(type, workerId, reply, 0);
        return a == null ? null : a.claim();
    }

    /** Parses a claim reply at {@code offset}; null when the claimed payload was unreadable (dead-lettered). */
    private Attempt toAttempt(TaskType type, String workerId, List<Object> r, int offset) {
        String kind = (String) r.get(offset);
        if ("paused".equals(kind)) {
            return new Attempt(null, true, null);
        }
        if ("empty".equals(kind)) {
            String due = (String) r.get(offset + 1);
            return new Attempt(null, false, due.isEmpty() ? null : Instant.ofEpochMilli((long) Double.parseDouble(due)));
        }
        String id = (String) r.get(offset + 1);
        long token = (Long) r.get(offset + 2);
        Instant leaseUntil = Instant.ofEpochMilli((Long) r.get(offset + 3));
        String payload = (String) r.get(offset + 4);
        int failedAttempts = Integer.parseInt((String) r.get(offset + 6));
        int stalls = Integer.parseInt((String) r.get(offset + 8));
        Priority current = Priority.fromWire((String) r.get(offset + 5));
        WorkOrder order;
        try {
            // The queue's attempt and priority overlay the payload's before the order is built: one record
            // (and one validation) per claim instead of one per overlay.
            JsonNode tree = Json.readTree(payload);
            if (tree instanceof ObjectNode fields) {
                fields.put("attempt", failedAttempts + 1);
                fields.put("priority", current.wireName());
            }
            order = Json.read(tree, WorkOrder.class);
            if (!order.id().equals(id) || !order.type().equals(type)) {
                throw new InvalidMessageException("body", "payload is for order " + order.id() + " of type "
                        + order.type() + ", but sits under " + id + " in the " + type + " queue");
            }
        } catch (InvalidMessageException e) {
            // Never hand an unreadable order to a worker, and never let it come back: dead-letter it now.
            String reason = "invalid payload: " + e.getMessage();
            log.warn("dead-lettering work order {} of type {}: {}", id, type, reason);
            FailResult f = fail(new Claim(type, workerId, null, token, leaseUntil, stalls), id, reason,
                    FailResult.Disposition.DEAD_LETTER);
            reportUnreadable(type, workerId, id, payload, failedAttempts + 1, e.getMessage(), f);
            return null;
        }
        return new Attempt(new Claim(type, workerId, order, token, leaseUntil, stalls), false, null);
    }

    /**
     * Tells the controller, on the lifecycle stream, that an order was dead-lettered at its claim: its
     * task must not stay "queued" for an order no worker will ever see. The task id is read leniently
     * from the payload (in the controller's orders it is the order's id).
     */
    private void reportUnreadable(TaskType type, String workerId, String id, String payload, int attempt, String why,
                                  FailResult f) {
        try {
            LifecycleEvent event = LifecycleEvent.builder(UUID.randomUUID().toString(),
                            f.outcome() == QueueOutcome.CANCELLED ? LifecycleEventType.CANCELLED : LifecycleEventType.FAILED,
                            id, workerId, attempt, clock.instant())
                    .taskId(taskIdOf(payload, id)).taskType(type).outcome(FailureReason.INVALID_PAYLOAD)
                    .message("the order cannot be used: " + why)
                    .queueOutcome(f.outcome())
                    .build();
            new LifecycleStream(connection, settings.namespace()).publish(event);
        } catch (RuntimeException e) {
            log.warn("cannot report the dead-lettered order {} on the lifecycle stream: {}", id, e.toString());
        }
    }

    private static String taskIdOf(String payload, String fallback) {
        try {
            String taskId = Json.mapper().readTree(payload).path("task_id").asText(fallback);
            return Check.id(taskId, "task_id");
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return fallback;
        }
    }

    /** Extends the holder's lease; tells it whether to go on, stop for a cancel, or abort because it lost the order. */
    public LeaseStatus extend(Claim claim) {
        QueueKeys k = keys(claim.type());
        List<Object> r = run(Name.EXTEND, k.order(claim.id()), k.prefix(), claim.id(),
                claim.workerId(), Long.toString(claim.token()), now(), leaseMs());
        return switch ((String) r.get(0)) {
            case "ok" -> new LeaseStatus(LeaseStatus.State.ACTIVE, Instant.ofEpochMilli((Long) r.get(1)));
            case "cancel" -> new LeaseStatus(LeaseStatus.State.CANCEL_REQUESTED, Instant.ofEpochMilli((Long) r.get(1)));
            default -> new LeaseStatus(LeaseStatus.State.LOST, null);
        };
    }

    /**
     * Completes the order and removes it from Redis (its history lives in the controller's database).
     * False when this holder no longer holds it: its ack is rejected.
     */
    public boolean ack(Claim claim) {
        return ack(claim, false).acked();
    }

    /**
     * Completes the order and, in the same round trip, claims the next one of the same type. A rejected ack
     * (the holder lost the order) claims nothing.
     */
    public AckResult ackAndClaimNext(Claim claim) {
        return ack(claim, true);
    }

    public record AckResult(boolean acked, Optional<Claim> next) {
    }

    private AckResult ack(Claim claim, boolean claimNext) {
        QueueKeys k = keys(claim.type());
        List<Object> r = run(Name.ACK, k.order(claim.id()), k.prefix(), claim.id(), claim.workerId(),
                Long.toString(claim.token()), now(), claimNext ? "1" : "0", leaseMs(), batch(), requestId());
        boolean acked = "ok".equals(r.get(0));
        if (!acked) {
            log.info("ack of {} by {} rejected: it no longer holds it (state {})", claim.id(), claim.workerId(), r.get(1));
        }
        if (!claimNext || !acked) {
            return new AckResult(acked, Optional.empty()); // a rejected ack claims nothing (ack.lua)
        }
        Attempt a = toAttempt(claim.type(), claim.workerId(), r, 1);
        // null: the next payload was unreadable and is dead-lettered; claim once more on our own.
        return new AckResult(acked, a == null ? claim(claim.type(), claim.workerId()) : Optional.ofNullable(a.claim()));
    }

    /**
     * Records a failed attempt. RETRY schedules the next attempt after an exponential backoff with
     * jitter while attempts are left, then dead-letters; FAIL ends the order as failed; DEAD_LETTER
     * dead-letters at once. A cancel requested meanwhile ends it cancelled whatever the disposition.
     */
    public FailResult fail(Claim claim, String reason, FailResult.Disposition disposition) {
        return fail(claim, claim.id(), reason, disposition);
    }

    private FailResult fail(Claim claim, String id, String reason, FailResult.Disposition disposition) {
        QueueKeys k = keys(claim.type());
        int failedBefore = claim.order() == null ? 0 : claim.order().attempt();
        long delay = settings.retry().delayAfter(Math.max(failedBefore, 1), random).toMillis();
        String d = switch (disposition) {
            case RETRY -> "retry";
            case FAIL -> "fail";
            case DEAD_LETTER -> "dead";
        };
        List<Object> r = run(Name.FAIL, k.order(id), k.prefix(), id, claim.workerId(),
                Long.toString(claim.token()), now(), reason == null ? "" : reason, d, Long.toString(delay),
                Long.toString(settings.finishedTtl().toMillis()), maxLen);
        return switch ((String) r.get(0)) {
            case "delayed" -> new FailResult(QueueOutcome.RETRY_SCHEDULED, ((Long) r.get(2)).intValue(),
                    Instant.ofEpochMilli((Long) r.get(1)));
            case "failed" -> new FailResult(QueueOutcome.FAILED, ((Long) r.get(1)).intValue(), null);
            case "dead" -> new FailResult(QueueOutcome.DEAD, ((Long) r.get(1)).intValue(), null);
            case "cancelled" -> new FailResult(QueueOutcome.CANCELLED, ((Long) r.get(1)).intValue(), null);
            default -> new FailResult(QueueOutcome.LOST, 0, null);
        };
    }

    /**
     * Hands a held order back to the head of its queue without using an attempt (graceful shutdown).
     * False when this holder no longer held it. An order whose cancel was requested ends cancelled instead.
     */
    public boolean release(Claim claim) {
        QueueKeys k = keys(claim.type());
        List<Object> r = run(Name.RELEASE, k.order(claim.id()), k.prefix(), claim.id(),
                claim.workerId(), Long.toString(claim.token()), now(), maxLen);
        return !"lost".equals(r.get(0));
    }

    /** What {@link #park} did. */
    public enum ParkResult {
        /** Out of the lease set, parked until {@link #unpark}: the holder's slot is free. */
        PARKED,
        /** A cancel had been requested: the order ended cancelled instead. */
        CANCELLED,
        /** This holder no longer held the order. */
        LOST
    }

    /**
     * Parks a held order while a human decides (a question or an approval): it leaves the lease set, so no
     * sweeper recovers it and no attempt is used, and waits in the parked set until {@link #unpark}.
     */
    public ParkResult park(Claim claim) {
        return park(claim, "");
    }

    /**
     * {@link #park(Claim)}, keeping {@code report} (the holder's report of the park, JSON) on the parked order: what
     * the controller adopts when the report itself never reaches it ({@link #parkedBefore}).
     */
    public ParkResult park(Claim claim, String report) {
        QueueKeys k = keys(claim.type());
        List<Object> r = run(Name.PARK, k.order(claim.id()), k.prefix(), claim.id(), claim.workerId(),
                Long.toString(claim.token()), now(), maxLen, Long.toString(settings.finishedTtl().toMillis()), report);
        return switch ((String) r.get(0)) {
            case "ok" -> ParkResult.PARKED;
            case "cancelled" -> ParkResult.CANCELLED;
            default -> ParkResult.LOST;
        };
    }

    /** A parked order as {@link #parkedBefore} lists it: who parked it, in which attempt, when, and its report. */
    public record ParkedOrder(String id, String workerId, int attempt, Instant parkedAt, String report) {
    }

    /**
     * Up to {@code limit} orders of {@code type} parked before {@code before}, the longest parked first, from the
     * {@code offset}-th on (a page).
     */
    public List<ParkedOrder> parkedBefore(TaskType type, Instant before, int offset, int limit) {
        QueueKeys k = keys(type);
        List<String> ids = retry.call("zrangebyscore", a -> redis.zrangebyscore(k.prefix() + "parked",
                io.lettuce.core.Range.from(io.lettuce.core.Range.Boundary.unbounded(),
                        io.lettuce.core.Range.Boundary.excluding((double) before.toEpochMilli())), io.lettuce.core.Limit.create(offset, limit)));
        List<ParkedOrder> out = new ArrayList<>();
        for (String id : ids) {
            var f = retry.call("hmget", a -> redis.hmget(k.order(id), "state", "worker", "attempts", "parked_at", "preport"));
            if (!"parked".equals(f.get(0).getValueOrElse(null))) {
                continue; // unparked or cancelled meanwhile
            }
            out.add(new ParkedOrder(id, f.get(1).getValueOrElse(""), Integer.parseInt(f.get(2).getValueOrElse("0")) + 1,
                    Instant.ofEpochMilli(Long.parseLong(f.get(3).getValueOrElse("0"))), f.get(4).getValueOrElse("")));
        }
        return out;
    }

    /**
     * Sends a parked order back to the head of its level with {@code order} (the same order, now carrying the
     * human's decision) as its payload.
     *
     * @return the order's state before: {@link WorkOrderState#PARKED} when it was unparked; empty when Redis does
     *         not have it (lost with a restart: enqueue it again)
     */
    public Optional<WorkOrderState> unpark(WorkOrder order) {
        QueueKeys k = keys(order.type());
        List<Object> r = run(Name.UNPARK, k.order(order.id()), k.prefix(), order.id(), Json.write(order), maxLen);
        if ("ok".equals(r.get(0))) {
            return Optional.of(WorkOrderState.PARKED);
        }
        String state = (String) r.get(1);
        return "missing".equals(state) ? Optional.empty() : Optional.of(WorkOrderState.fromWire(state));
    }

    // ---- operators ------------------------------------------------------------------------------

    public CancelResult cancel(TaskType type, String id) {
        QueueKeys k = keys(type);
        List<Object> r = run(Name.CANCEL, k.order(id), k.prefix(), id, now(),
                Long.toString(settings.finishedTtl().toMillis()), maxLen);
        return switch ((String) r.get(0)) {
            case "removed" -> CancelResult.REMOVED;
            case "flagged" -> CancelResult.FLAGGED;
            case "final" -> CancelResult.ALREADY_FINISHED;
            default -> CancelResult.NOT_FOUND;
        };
    }

    /**
     * Deletes an order no worker holds, with its idempotency key.
     *
     * @return false when there was no such order
     * @throws WorkQueueException when a worker runs it (cancel it instead)
     */
    public boolean remove(TaskType type, String id) {
        QueueKeys k = keys(type);
        List<Object> r = run(Name.REMOVE, k.order(id), k.prefix(), id, maxLen);
        if ("running".equals(r.get(0))) {
            throw new WorkQueueException("work order " + id + " is running; cancel it instead of removing it");
        }
        return "removed".equals(r.get(0));
    }

    /**
     * Moves a queued order to the tail of the level of its new priority.
     *
     * @return false when the order is not waiting (running, finished or unknown)
     */
    public boolean changePriority(TaskType type, String id, Priority priority) {
        return reprioritize(type, id, priority).isEmpty();
    }

    /**
     * {@link #changePriority}, atomically ({@code reprioritize.lua}): a queued order moves to the tail of its new
     * level, a delayed one keeps waiting with its new level.
     *
     * @return empty when it changed; else the order's state in the queue (running, completed, …, or missing)
     */
    public Optional<String> reprioritize(TaskType type, String id, Priority priority) {
        QueueKeys k = keys(type);
        List<Object> r = run(Name.REPRIORITIZE, k.order(id), k.prefix(), id, priority.name(),
                priority.queueLevel().wireName(), maxLen);
        return "ok".equals(r.get(0)) ? Optional.empty() : Optional.of((String) r.get(1));
    }

    /** Where an operator moves a waiting order inside its level. */
    public enum Move {
        /** To the head: it runs next of its level. */
        TOP,
        /** One place towards the head. */
        UP,
        /** One place towards the tail. */
        DOWN,
        /** To the tail. */
        BOTTOM
    }

    /**
     * Where a move left the order: its position in its level (0 runs next) and the level's length; or, when
     * the order was not waiting (claimed, finished, removed or unknown: {@code state}), no move.
     */
    public record MoveResult(boolean moved, QueueLevel level, long position, long length, String state) {
    }

    /**
     * Moves a queued order inside its level, atomically (its priority and level stay as they are): the
     * operator's reorder. Refused, with the order's state, when it is not waiting any more.
     */
    public MoveResult move(TaskType type, String id, Move where) {
        QueueKeys k = keys(type);
        List<Object> r = run(Name.MOVE, k.order(id), k.prefix(), id,
                where.name().toLowerCase(Locale.ROOT), maxLen);
        if (!"ok".equals(r.get(0))) {
            return new MoveResult(false, null, -1, 0, (String) r.get(1));
        }
        return new MoveResult(true, QueueLevel.fromWire((String) r.get(3)), (Long) r.get(1), (Long) r.get(2), "queued");
    }

    /** Operator retry of a dead, failed or cancelled order with a fresh set of attempts. */
    public boolean retry(TaskType type, String id) {
        QueueKeys k = keys(type);
        List<Object> r = run(Name.RETRY, k.order(id), k.prefix(), id, now(), maxLen);
        return "ok".equals(r.get(0));
    }

    /** The operator's pause: claims of {@code type} wait until {@link #resume}. */
    public void pause(TaskType type) {
        QueueKeys k = keys(type);
        run(Name.PAUSE, k.meta(), k.prefix(), "1", maxLen, "paused");
    }

    /** Lifts the operator's pause; a budget pause ({@link #budgetPause}) stays. */
    public void resume(TaskType type) {
        QueueKeys k = keys(type);
        run(Name.PAUSE, k.meta(), k.prefix(), "0", maxLen, "paused");
    }

    /**
     * The budget's pause (the controller's, a cap reached), kept apart from the operator's: claims wait while
     * either is set, and lifting one never lifts the other.
     */
    public void budgetPause(TaskType type, boolean paused) {
        QueueKeys k = keys(type);
        run(Name.PAUSE, k.meta(), k.prefix(), paused ? "1" : "0", maxLen, "budget");
    }

    /**
     * Pauses a repository: claims pass its queued orders over (they keep their places) until {@link #resumeRepository};
     * running ones run on. {@code types}: the types whose claims pause it (all of them share one domain except on a
     * Cluster, see {@link #lockDomain}).
     *
     * @return true when it was running before
     */
    public boolean pauseRepository(String repositoryUrl, Collection<TaskType> types) {
        return repositoryState(repositoryUrl, types, "1");
    }

    /** Ends {@link #pauseRepository}; the claimers that passed its orders over are woken. True when it was paused. */
    public boolean resumeRepository(String repositoryUrl, Collection<TaskType> types) {
        return repositoryState(repositoryUrl, types, "0");
    }

    /** The paused repositories' keys ({@link WorkBranches#repositoryKey}) in the lock domains of {@code types}, sorted. */
    public java.util.SortedSet<String> pausedRepositories(Collection<TaskType> types) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String domain : types.stream().map(this::lockDomain).distinct().toList()) {
            out.addAll(retry.call("smembers", a -> redis.smembers(domain + "paused")));
        }
        return out;
    }

    private boolean repositoryState(String repositoryUrl, Collection<TaskType> types, String paused) {
        String repo = WorkBranches.repositoryKey(
                Check.requiredText(repositoryUrl, "repository", 2000));
        boolean changed = false;
        for (String domain : types.stream().map(this::lockDomain).distinct().toList()) {
            List<Object> r = run(Name.REPOSITORY, domain + "paused", domain, repo, paused);
            changed |= (Long) r.get(0) == 1L;
        }
        return changed;
    }

    // ---- recovery -------------------------------------------------------------------------------

    /** Puts orders whose lease expired back at the head of their queue (poison pills are dead-lettered). */
    public RecoveryReport recoverExpired(TaskType type) {
        QueueKeys k = keys(type);
        RecoveryReport total = RecoveryReport.EMPTY;
        while (true) {
            List<Object> r = run(Name.RECOVER_EXPIRED, k.leases(), k.prefix(), now(), batch(),
                    Integer.toString(settings.maxStalls()), Long.toString(settings.finishedTtl().toMillis()), maxLen);
            RecoveryReport report = toReport(r);
            total = total.plus(report);
            if (report.total() < settings.batch()) {
                return total;
            }
        }
    }

    /** Takes back everything a worker holds of this type (the controller declared the worker dead). */
    public RecoveryReport recoverWorker(TaskType type, String workerId) {
        requireWorker(workerId);
        QueueKeys k = keys(type);
        List<Object> r = run(Name.RECOVER_WORKER, k.leases(), k.prefix(), workerId, now(),
                Integer.toString(settings.maxStalls()), Long.toString(settings.finishedTtl().toMillis()), maxLen);
        return toReport(r);
    }

    private static RecoveryReport toReport(List<Object> r) {
        List<List<String>> parts = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        int part = 0;
        for (Object o : r) {
            if ("|".equals(o)) {
                part++;
            } else {
                parts.get(part).add((String) o);
            }
        }
        return new RecoveryReport(parts.get(0), parts.get(1), parts.get(2));
    }

    // ---- reading --------------------------------------------------------------------------------

    public QueueStats stats(TaskType type) {
        QueueKeys k = keys(type);
        List<Object> r = run(Name.STATS, k.queue(QueueLevel.HIGH), k.prefix());
        return new QueueStats(type, (Long) r.get(0), (Long) r.get(1), (Long) r.get(2), (Long) r.get(3),
                (Long) r.get(4), (Long) r.get(5), (Long) r.get(6) == 1L, (Long) r.get(7) == 1L);
    }

    /** Ids waiting at one level, in the order they will be claimed. */
    public List<String> queuedIds(TaskType type, QueueLevel level, long offset, long limit) {
        return retry.call("lrange", a -> redis.lrange(keys(type).queue(level), offset, offset + limit - 1));
    }

    /** Ids in the dead-letter set, oldest first. */
    public List<String> deadIds(TaskType type, long offset, long limit) {
        return retry.call("zrange", a -> redis.zrange(keys(type).dead(), offset, offset + limit - 1));
    }

    /** A page of the waiting orders in claim order, across the levels (one snapshot). */
    public QueueListing.WaitingPage waiting(TaskType type, long offset, long limit) {
        List<Object> r = list(type, "queued", offset, limit);
        List<?> totals = (List<?>) r.get(0);
        Map<QueueLevel, Long> depth = new java.util.EnumMap<>(QueueLevel.class);
        long total = 0;
        for (QueueLevel level : QueueLevel.values()) {
            long n = (Long) totals.get(level.ordinal());
            depth.put(level, n);
            total += n;
        }
        List<QueueListing.Waiting> orders = new ArrayList<>();
        long position = offset;
        for (Object o : r.subList(1, r.size())) {
            List<?> e = (List<?>) o;
            orders.add(new QueueListing.Waiting(text(e, 0), level(e), position++, Long.parseLong(text(e, 8)), priority(e),
                    millis(text(e, 3)), Integer.parseInt(text(e, 4)), blankToNull(text(e, 9))));
        }
        return new QueueListing.WaitingPage(total, depth, orders);
    }

    /** A page of the orders waiting out a retry backoff, the soonest due first. */
    public QueueListing.Page<QueueListing.Delayed> delayed(TaskType type, long offset, long limit) {
        List<Object> r = list(type, "delayed", offset, limit);
        List<QueueListing.Delayed> orders = new ArrayList<>();
        for (Object o : r.subList(1, r.size())) {
            List<?> e = (List<?>) o;
            orders.add(new QueueListing.Delayed(text(e, 0), level(e), priority(e), millis(text(e, 7)),
                    Integer.parseInt(text(e, 4)), Integer.parseInt(text(e, 5)), blankToNull(text(e, 6)), millis(text(e, 3))));
        }
        return new QueueListing.Page<>((Long) ((List<?>) r.get(0)).get(0), orders);
    }

    /** A page of the dead-lettered orders, the most recent first. */
    public QueueListing.Page<QueueListing.Dead> dead(TaskType type, long offset, long limit) {
        List<Object> r = list(type, "dead", offset, limit);
        List<QueueListing.Dead> orders = new ArrayList<>();
        for (Object o : r.subList(1, r.size())) {
            List<?> e = (List<?>) o;
            orders.add(new QueueListing.Dead(text(e, 0), level(e), priority(e), millis(text(e, 7)),
                    Integer.parseInt(text(e, 4)), blankToNull(text(e, 6)), millis(text(e, 3))));
        }
        return new QueueListing.Page<>((Long) ((List<?>) r.get(0)).get(0), orders);
    }

    private List<Object> list(TaskType type, String section, long offset, long limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative: " + offset + ", " + limit);
        }
        QueueKeys k = keys(type);
        return run(Name.LIST, k.queue(QueueLevel.HIGH), k.prefix(), section, Long.toString(offset),
                Long.toString(limit));
    }

    private static String text(List<?> entry, int i) {
        Object v = entry.get(i);
        return v == null ? "" : v.toString();
    }

    private static String blankToNull(String v) {
        return v.isEmpty() ? null : v;
    }

    private static QueueLevel level(List<?> entry) {
        String v = text(entry, 2);
        return v.isEmpty() ? null : QueueLevel.fromWire(v);
    }

    private static Priority priority(List<?> entry) {
        String v = text(entry, 1);
        return v.isEmpty() ? null : Priority.fromWire(v);
    }

    // Scores come back as Redis formats doubles ("1764662400000"); hash fields as integers in text.
    private static Instant millis(String v) {
        return v.isEmpty() ? null : Instant.ofEpochMilli((long) Double.parseDouble(v));
    }

    public Optional<OrderRecord> get(TaskType type, String id) {
        QueueKeys k = keys(type);
        Map<String, String> h = retry.call("hgetall", a -> redis.hgetall(k.order(id)));
        if (h.isEmpty()) {
            return Optional.empty();
        }
        Double lease = retry.call("zscore", a -> redis.zscore(k.leases(), id));
        return Optional.of(OrderRecord.from(id, h, lease == null ? null : Instant.ofEpochMilli(lease.longValue())));
    }

    /** A claimer with its own connection for blocking waits; close it to stop waiting at once. */
    public Claimer newClaimer(String workerId) {
        requireWorker(workerId);
        return new Claimer(this, endpoint, workerId, clock);
    }

    @Override
    public void close() {
        connection.close();
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A script call, retried through a failover (every script is safe to repeat; see claim.lua for claims). */
    private List<Object> run(Name name, String key, String... args) {
        return retry.call(name.file(), attempt -> {
            List<Object> r = SCRIPTS.run(redis, name, key, args);
            awaitReplicas(name, key);
            return r;
        });
    }

    /**
     * With {@link RedisEndpoint.Options#minReplicas()}, waits until that many replicas have the change a script made.
     * A connection lost meanwhile fails the call, which is then sent again: safe, the scripts are repeatable.
     */
    private void awaitReplicas(Name name, String key) {
        int min = endpoint.options().minReplicas();
        if (min == 0 || name == Name.STATS || name == Name.LIST) {
            return;
        }
        long until = unconfirmedUntil.get();
        if (until != 0) {
            // No replica was in sync at the last look: one caller looks again every UNCONFIRMED_PAUSE, the others go on.
            long now = System.nanoTime();
            if (now - until < 0 || !unconfirmedUntil.compareAndSet(until, now + UNCONFIRMED_PAUSE.toNanos())) {
                return;
            }
        }
        long acked = connection.waitForReplicas(key, min, endpoint.options().replicaTimeout().toMillis());
        if (acked >= min) {
            if (until != 0) {
                unconfirmedUntil.set(0);
                log.info("{}: {} replica(s) confirm changes again", name.file(), acked);
            }
            return;
        }
        // No replica in sync (one is resyncing after a failover, or none is left): waiting on every call would make each
        // call take the whole timeout. Changes go on unconfirmed until a replica confirms one again.
        unconfirmedUntil.set(System.nanoTime() + UNCONFIRMED_PAUSE.toNanos());
        if (until == 0) {
            log.warn("{}: {} of {} replica(s) confirmed within {} ms; changes go on unconfirmed until one does (a master "
                    + "crash meanwhile could undo them)", name.file(), acked, min, endpoint.options().replicaTimeout().toMillis());
        }
    }

    /** The Redis this queue talks to. */
    public RedisEndpoint endpoint() {
        return endpoint;
    }

    FailoverRetry retry() {
        return retry;
    }

    private String requestId() {
        return requestPrefix + requests.incrementAndGet();
    }

    private String now() {
        return Long.toString(clock.millis());
    }

    private String leaseMs() {
        return Long.toString(settings.lease().toMillis());
    }

    private String batch() {
        return Integer.toString(settings.batch());
    }

    Duration fallbackPoll() {
        return settings.fallbackPoll();
    }

    private static void requireWorker(String workerId) {
        if (workerId == null || workerId.isBlank() || workerId.length() > 128 || workerId.contains("|")) {
            throw new IllegalArgumentException("worker id must be 1-128 characters without '|', was " + workerId);
        }
    }
}

package io.agentvine.controller.clarifications;

import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.domain.ConflictException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.domain.DomainException;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.metrics.RunMetrics;
import io.agentvine.controller.domain.ClarificationDecided;
import io.agentvine.controller.persistence.ClarificationRepository;
import io.agentvine.controller.persistence.ClarificationRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.model.Check;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationResponse;
import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.Json;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrderState;
import io.agentvine.queue.ClarificationStreams;
import io.agentvine.queue.OrderRecord;
import io.agentvine.queue.WorkQueue;
import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of the clarification channel: stores each request the workers send (once),
 * lists them for operators, takes one answer per request and sends it to the asking worker's response
 * stream, expires requests nobody answered in time, and marks requests orphaned when the asking worker
 * no longer holds the work order (it died, its order was recovered or ended). A decision is final: a
 * second answer, or an answer to an expired or orphaned request, is refused with 409.
 */
@Singleton
public class ClarificationService {
    private static final Logger log = LoggerFactory.getLogger(ClarificationService.class);

    private final ClarificationRepository clarifications;
    private final TaskRepository tasks;
    private final EventLog events;
    private final WorkQueue queue;
    private final Clock clock;
    private final RedisLink connection;
    private final ClarificationStreams streams;

    private final RunMetrics runMetrics;
    private final ApplicationEventPublisher<ClarificationDecided> decided;

    public ClarificationService(ClarificationRepository clarifications, TaskRepository tasks, EventLog events, WorkQueue queue,
                                RedisEndpoint redis, ControllerSettings settings, Clock clock, RunMetrics runMetrics,
                                ApplicationEventPublisher<ClarificationDecided> decided) {
        this.decided = decided;
        this.clarifications = clarifications;
        this.runMetrics = runMetrics;
        this.tasks = tasks;
        this.events = events;
        this.queue = queue;
        this.clock = clock;
        this.connection = redis.connect();
        this.streams = new ClarificationStreams(connection, settings.getQueueNamespace());
    }

    /** Stores a request from the stream; a redelivered one (same id) changes nothing. */
    @Transactional
    public void receive(ClarificationRequest r) {
        if (clarifications.existsById(r.id())) {
            return;
        }
        Optional<TaskRow> task = tasks.findById(r.taskId());
        ClarificationRow row = new ClarificationRow(r.id(), r.kind().wireName(), "pending", r.workerId(), r.workOrderId(), r.taskId(),
                task.map(TaskRow::type).orElse(null), r.question(), Json.write(r.options()), Json.write(r.context()), r.diffSummary(),
                Json.write(r.changedFiles()), r.conversationId(), r.createdAt(), r.expiresAt(), null, null, null, Json.write(r));
        clarifications.save(row);
        events.append("clarification_requested", r.taskId(), r.workerId(), Map.of("clarification_id", r.id(), "kind",
                r.kind().wireName(), "question", r.question(), "options", r.options(), "expires_at", r.expiresAt().toString()));
        log.info("{} {} from worker {} for task {} stored", r.kind().wireName(), r.id(), r.workerId(), r.taskId());
        if (r.hasExpired(clock.instant())) {
            end(row, ClarificationStatus.EXPIRED, "nobody answered before " + r.expiresAt());
        }
    }

    public List<ClarificationView> list(String status, String taskId) {
        if (status != null) {
            checkStatus(status);
        }
        List<ClarificationRow> rows;
        if (taskId != null) {
            rows = clarifications.findByTaskIdOrderByCreatedAt(Check.id(taskId, "task_id"));
        } else if (status != null) {
            rows = clarifications.findByStatusOrderByCreatedAt(status);
        } else {
            rows = clarifications.findTop500OrderByCreatedAtDesc();
        }
        return rows.stream().filter(r -> status == null || r.status().equals(status)).map(this::view).toList();
    }

    public ClarificationView get(String id) {
        Check.id(id, "id");
        return view(clarifications.findById(id).orElseThrow(() -> new NotFoundException("clarification", id)));
    }

    /**
     * Records the operator's decision and sends it to the worker that asked.
     *
     * @throws DomainException 404 unknown; 400 no answer or decision; 409 already decided, expired, or
     *                      orphaned (the worker no longer runs that task)
     */
    @Transactional(dontRollbackOn = DomainException.class) // an expired or orphaned request stays marked so
    public ClarificationView answer(String id, AnswerRequest body, String callerName) {
        Check.id(id, "id");
        ClarificationRow row = clarifications.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("clarification", id));
        if (!row.pending()) {
            throw new ConflictException("clarification " + id + " is already " + row.status()
                    + (row.answeredBy() == null ? "" : " (by " + row.answeredBy() + " at " + row.answeredAt() + ")")
                    + ": a decision is final");
        }
        Instant now = clock.instant();
        if (!now.isBefore(row.expiresAt())) {
            end(row, ClarificationStatus.EXPIRED, "nobody answered before " + row.expiresAt());
            throw new ConflictException("clarification " + id + " expired at " + row.expiresAt() + "; the worker has moved on");
        }
        if (!held(row)) {
            end(row, ClarificationStatus.ORPHANED, "the asking worker no longer runs this task");
            throw new ConflictException("clarification " + id + " is orphaned: worker " + row.workerId()
                    + " no longer runs task " + row.taskId() + " (it stopped or the order was recovered); the answer was not delivered");
        }
        ClarificationStatus status;
        String answer = body.answer() == null || body.answer().isBlank() ? null : body.answer().strip();
        if (ClarificationKind.APPROVAL.wireName().equals(row.kind())) {
            String d = body.decision() == null ? (answer == null ? "" : answer.toLowerCase(Locale.ROOT)) : body.decision().toLowerCase(Locale.ROOT);
            status = switch (d) {
                case "approve", "approved" -> ClarificationStatus.APPROVED;
                case "reject", "rejected" -> ClarificationStatus.REJECTED;
                default -> throw new InvalidInputException("decision", "must be approve or reject for an approval request, was '"
                        + (body.decision() == null ? "" : body.decision()) + "'");
            };
            if (body.decision() == null) {
                answer = null; // the decision was the whole answer
            }
        } else {
            if (answer == null) {
                throw new InvalidInputException("answer", "is required (the text the agent receives)");
            }
            if (answer.length() > ClarificationResponse.MAX_ANSWER_LENGTH) {
                throw new InvalidInputException("answer", "is longer than " + ClarificationResponse.MAX_ANSWER_LENGTH + " characters");
            }
            status = ClarificationStatus.ANSWERED;
        }
        String by = body.answeredBy() == null || body.answeredBy().isBlank() ? callerName : body.answeredBy().strip();
        ClarificationRow decided = row.decided(status.wireName(), answer, by, now);
        clarifications.update(decided);
        runMetrics.answered(row.kind(), Duration.between(row.createdAt(), now));
        // Inside the transaction: if Redis refuses, the decision is rolled back and the operator can retry.
        streams.publishResponse(row.workerId(), new ClarificationResponse(null, id, status, answer, by, now, Map.of()));
        events.append("clarification_answered", row.taskId(), row.workerId(), Map.of("clarification_id", id, "status",
                status.wireName(), "answered_by", by));
        this.decided.publishEvent(new ClarificationDecided(row.taskId(), id)); // a run parked on it goes back to the queue
        return view(decided);
    }

    /** Expires pending requests past their time and orphans those whose worker no longer holds the order. */
    @Transactional
    public int sweepOnce() {
        int n = 0;
        for (ClarificationRow row : clarifications.findByStatusAndExpiresAtLessThanEquals("pending", clock.instant())) {
            end(row, ClarificationStatus.EXPIRED, "nobody answered before " + row.expiresAt());
            n++;
        }
        for (ClarificationRow row : clarifications.findByStatusOrderByCreatedAt("pending")) {
            if (!held(row)) {
                end(row, ClarificationStatus.ORPHANED, "the asking worker no longer runs this task");
                n++;
            }
        }
        return n;
    }

    /**
     * The attempt of {@code workerId} on this order ended: its open questions can no longer be answered (not called
     * for a run that parked: its question waits for the answer).
     */
    @Transactional
    public void orphan(String workOrderId, String workerId) {
        for (ClarificationRow row : clarifications.findByWorkOrderIdAndStatus(workOrderId, "pending")) {
            if (!row.workerId().equals(workerId)) {
                continue;
            }
            if (!clock.instant().isBefore(row.expiresAt())) {
                end(row, ClarificationStatus.EXPIRED, "nobody answered before " + row.expiresAt()); // the worker gave up first
            } else {
                end(row, ClarificationStatus.ORPHANED, "the attempt ended before an answer");
            }
        }
    }

    private void end(ClarificationRow row, ClarificationStatus status, String why) {
        clarifications.update(row.decided(status.wireName(), null, null, null));
        try {
            streams.publishResponse(row.workerId(), new ClarificationResponse(null, row.id(), status, why, null, null, Map.of()));
        } catch (RuntimeException e) {
            log.warn("cannot tell worker {} that {} is {}: {}", row.workerId(), row.id(), status.wireName(), e.getMessage());
        }
        events.append("clarification_answered", row.taskId(), row.workerId(), Map.of("clarification_id", row.id(), "status",
                status.wireName(), "message", why));
        decided.publishEvent(new ClarificationDecided(row.taskId(), row.id()));
    }

    /**
     * True while the asking worker still holds the work order (running or awaiting approval), or while the task's
     * run is parked on it (it waits for the answer without a worker).
     */
    private boolean held(ClarificationRow row) {
        if (row.taskType() == null) {
            return true; // not a task this controller knows: nothing to check against
        }
        Optional<OrderRecord> order = queue.get(TaskType.of(row.taskType()), row.workOrderId());
        if (order.isPresent() && order.get().state() == WorkOrderState.PARKED) {
            return true; // parked in the queue; the worker's parked event may not be applied yet
        }
        if (order.isPresent() && (order.get().state() == WorkOrderState.RUNNING || order.get().state() == WorkOrderState.AWAITING_APPROVAL)
                && row.workerId().equals(order.get().worker())) {
            return true;
        }
        // a parked task whose order Redis lost still waits for this answer (it is enqueued again with it)
        return tasks.findById(row.taskId()).map(t -> t.state() == WorkOrderState.PARKED).orElse(false);
    }

    private static String checkStatus(String status) {
        List<String> known = List.of("pending", "answered", "approved", "rejected", "expired", "orphaned");
        if (!known.contains(status)) {
            throw new InvalidInputException("status", "must be one of " + String.join(", ", known) + ", was '" + status + "'");
        }
        return status;
    }

    @SuppressWarnings("unchecked")
    private ClarificationView view(ClarificationRow r) {
        Optional<TaskRow> task = tasks.findById(r.taskId());
        return new ClarificationView(r.id(), r.kind(), r.status(), r.taskId(), task.map(TaskRow::title).orElse(null),
                r.taskType(), task.map(TaskRow::repositoryUrl).orElse(null), r.workerId(), r.workOrderId(), r.question(),
                Json.read(r.options(), List.class), Json.read(r.context(), HashMap.class), r.diffSummary(),
                Json.read(r.changedFiles(), List.class), r.conversationId(), r.createdAt(), r.expiresAt(), r.answer(),
                r.answeredBy(), r.answeredAt());
    }

    @PreDestroy
    void close() {
        connection.close();
    }
}

package io.agentvine.worker.runtime;

import io.agentvine.logging.LogContext;
import io.agentvine.model.FailureReason;
import io.agentvine.queue.Claim;
import io.agentvine.worker.agent.output.AgentUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's log lines for an operator: each claim (work order, task, type, attempt, repository
 * without any user part) at INFO, each end (outcome, reason, message, duration, usage) at INFO when
 * completed or handed back, WARN otherwise. Messages are the run's result messages, which the
 * pipeline has already stripped of credentials.
 */
final class RunLog {
    private static final Logger log = LoggerFactory.getLogger(RunLog.class);

    private final Clock clock;

    RunLog(Clock clock) {
        this.clock = clock;
    }

    /** The run's fields on this thread's log lines ({@link LogContext}): worker, task, work order, attempt. */
    static LogContext context(Claim c) {
        return LogContext.run(c.workerId(), c.order().taskId(), c.id(), c.attempt());
    }

    void claimed(Claim c) {
        try (var run = context(c); var e = LogContext.event("claimed")) {
            log.info("claimed {}: task {}, type {}, attempt {}, repository {} (branch {})", c.id(), c.order().taskId(),
                    c.type(), c.attempt(), withoutUser(c.order().repositoryUrl()), c.order().branch());
        }
    }

    void started(Claim c) {
        try (var run = context(c); var e = LogContext.event("started")) {
            log.info("started {} (task {}, attempt {})", c.id(), c.order().taskId(), c.attempt());
        }
    }

    /**
     * @param outcome what became of the order: completed, released, lost, or the queue's verdict
     *                (retry, failed, dead, cancelled)
     * @param reason  why it did not complete; null when it did
     */
    void ended(ActiveRun run, String outcome, FailureReason reason, String message) {
        String took = seconds(Duration.between(run.startedAt, clock.instant()));
        String task = run.claim.order().taskId();
        String event = reason == null || outcome.equals("released") || outcome.equals("lost") ? outcome : "failed";
        try (var r = context(run.claim); var e = LogContext.event(event, reason == null ? null : reason.wireName())) {
            ended(run, outcome, reason, message, took, task);
        }
    }

    private void ended(ActiveRun run, String outcome, FailureReason reason, String message, String took, String task) {
        if (reason == null) {
            log.info("run of {} (task {}) {} after {}; {}", run.claim.id(), task, outcome, took, usage(run));
        } else if (outcome.equals("released")) {
            log.info("run of {} (task {}) released after {} ({}: {}); {}", run.claim.id(), task, took, reason.wireName(), message,
                    usage(run));
        } else {
            log.warn("run of {} (task {}) ended {}: {}: {}; after {}; {}", run.claim.id(), task, outcome, reason.wireName(), message,
                    took, usage(run));
        }
    }

    private static String usage(ActiveRun run) {
        RunWatch w = run.watch;
        AgentUsage u = w == null ? AgentUsage.NONE : w.usage();
        String cost = u.costUsd() == null ? "cost unknown" : String.format(Locale.ROOT, "cost $%.4f", u.costUsd());
        return cost + ", " + u.tokens().total() + " tokens";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** A repository URL without its user part ({@code https://token@host/…}, {@code git@host:…}): a user name may be a token. */
    static String withoutUser(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1").replaceFirst("^[^/:@]+@([^/:]+:)", "$1");
    }
}

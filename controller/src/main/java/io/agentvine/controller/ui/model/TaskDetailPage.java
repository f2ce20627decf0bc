package io.agentvine.controller.ui.model;

import java.util.List;

/**
 * The Task page: the task, its attempts (with the tests' result and the delivery of each), its
 * clarification thread and what the signed-in caller may do. Times are formatted; raw values the
 * page's script needs (attempt numbers, running) are there as they are.
 */
public record TaskDetailPage(Summary task, List<Attempt> attempts, Delivery delivery, Tests tests,
                             List<Clarification> clarifications, boolean admin, boolean canCancel, boolean canRetry,
                             boolean canChangePriority, List<String> priorities, int latestAttempt, boolean running,
                             List<String> dependsOn, List<ChainTask> chain) {

    /** A task of this task's chain (follow-ups, pipeline steps), first task first; {@code current} is this one. */
    public record ChainTask(String id, String title, String type, String state, String step, String continues, String cost,
                            boolean current) {
    }

    public record Summary(String id, String title, String type, String state, String priority, String queue,
                          String repository, String branch, String permissionLevel, String model, String modelTier,
                          String routingReason, String estimatedCost, String worker, String step, String stepFor,
                          String error, String created, String started, String finished, String elapsed,
                          String tokens, String cost) {
    }

    /** One run: worker, when, how long, how it ended and why, what it used. */
    public record Attempt(int attempt, String worker, String model, String started, String ended, String duration,
                          String outcome, String reason, String tokens, String cost, boolean running) {
    }

    /** What the latest run delivered: commit, work branch, pull request, changed files, diff summary. */
    public record Delivery(String commit, String branch, String baseBranch, String prUrl, String prNumber,
                           Boolean pushed, List<String> changedFiles, String diffSummary, String notice) {
        public boolean any() {
            return commit != null || branch != null || prUrl != null || !changedFiles.isEmpty() || diffSummary != null
                    || notice != null;
        }
    }

    /** The tests of the latest run that ran them. */
    public record Tests(boolean ran, String command, Boolean passed, String exitCode, boolean timedOut, String duration,
                        String outputTail, String reason) {
    }

    /** A question or approval of this task; {@code pending} ones can be answered here (admin). */
    public record Clarification(String id, String kind, String status, String question, List<String> options,
                                String diffSummary, String asked, String answer, String answeredBy, String answered,
                                boolean pending) {
    }
}

package io.agentvine.worker.runtime;

import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.WorkOrder;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * The fields of a claimed order a run relies on, checked again on the worker before anything runs:
 * whatever let an unusable order through (an older controller, a hand-made payload) ends it at once,
 * dead-lettered with the reason, instead of an error deep in the run that is retried.
 */
final class OrderCheck {
    private OrderCheck() {
    }

    /** Why the order cannot be run, naming the field; empty when it can. */
    static Optional<String> problem(WorkOrder order) {
        if (order.type() == null || order.title() == null || order.instructions() == null || order.budget() == null
                || order.budget().timeoutSeconds() == null || order.permissionLevel() == null || order.metadata() == null) {
            return Optional.of("a required field (type, title, instructions, budget.timeout_seconds, permission_level or metadata) is missing");
        }
        try {
            WorkOrder.validateRepositoryUrl(order.repositoryUrl());
        } catch (InvalidMessageException e) {
            return Optional.of(e.getMessage());
        }
        String branch = order.branch();
        if (branch != null && (branch.isBlank() || branch.startsWith("-") || branch.equals(Constants.HEAD)
                || !Repository.isValidRefName(Constants.R_HEADS + branch))) {
            return Optional.of("branch: '" + branch + "' is not a branch name git accepts");
        }
        return Optional.empty();
    }
}

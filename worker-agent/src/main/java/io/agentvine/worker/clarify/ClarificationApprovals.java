package io.agentvine.worker.clarify;

import io.agentvine.model.ClarificationKind;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Approvals over the clarification channel: a request of kind approval carrying the diff summary and
 * the changed files; the operator's approve or reject decides whether the worker pushes.
 */
public final class ClarificationApprovals implements Approvals {
    private final ClarificationClient client;
    private final Clock clock;

    public ClarificationApprovals(ClarificationClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The repository, and the branch when the order names one (else the remote's default was cloned). */
    private static Map<String, Object> context(Request r) {
        String url = r.order().repositoryUrl();
        return r.order().branch() == null ? Map.of("repository", url) : Map.of("repository", url, "branch", r.order().branch());
    }

    @Override
    public Answer await(Request r, BooleanSupplier stopped) {
        List<String> files = r.changedFiles().size() > ClarificationRequest.MAX_CHANGED_FILES
                ? r.changedFiles().subList(0, ClarificationRequest.MAX_CHANGED_FILES) : r.changedFiles();
        String question = "Approve pushing " + r.changedFiles().size() + " changed file(s) of task " + r.order().taskId() + " ("
                + r.order().type() + ": " + r.order().title() + ") to its work branch?";
        ClarificationRequest request = new ClarificationRequest(null, UUID.randomUUID().toString(), ClarificationKind.APPROVAL,
                r.workerId(), r.workOrderId(), r.order().taskId(), question, List.of("approve", "reject"),
                context(r), clock.instant(), r.expiresAt(), null,
                r.diffSummary(), files, Map.of());
        Optional<ClarificationResponse> response = client.ask(request, stopped, r.parkAt() == null ? r.expiresAt() : r.parkAt());
        if (stopped.getAsBoolean()) {
            return new Answer(Decision.STOPPED, null);
        }
        if (response.isEmpty() && r.parkAt() != null && !request.hasExpired(clock.instant())) {
            return new Answer(Decision.PARKED, null, request);
        }
        if (response.isEmpty()) {
            return new Answer(Decision.EXPIRED, "nobody decided before " + r.expiresAt());
        }
        ClarificationResponse a = response.get();
        String who = a.answeredBy() == null ? "" : " by " + a.answeredBy();
        return switch (a.status()) {
            case APPROVED -> new Answer(Decision.APPROVED, a.answer());
            case REJECTED -> new Answer(Decision.REJECTED, (a.answer() == null ? "rejected" : a.answer()) + who);
            default -> new Answer(Decision.EXPIRED, a.status().wireName() + (a.answer() == null ? "" : ": " + a.answer()));
        };
    }
}

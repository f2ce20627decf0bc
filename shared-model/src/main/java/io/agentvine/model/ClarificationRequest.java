package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A worker asking a human: a {@code question} it cannot answer itself, or an {@code approval} of a
 * change before it is pushed. Answered by a {@link ClarificationResponse}; if nobody answers before
 * {@code expires_at} the response is {@code expired}.
 *
 * @param kind            question (default) or approval
 * @param taskId          defaults to {@code workOrderId}, as in {@link WorkOrder}
 * @param question        what the human must answer or approve, at most 8000 characters
 * @param options         suggested answers (at most 20, each at most 200 characters, each once);
 *                        whether an answer must be one of them is the controller's call
 * @param context         what the human needs to decide (file excerpts, links); kept as given
 * @param conversationId  groups the requests of one task so follow-ups show as one thread; defaults to {@code taskId}
 * @param diffSummary     approvals only: what the change does
 * @param changedFiles    approvals only: repository paths the change touches
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClarificationRequest(
        Integer schemaVersion,
        String id,
        ClarificationKind kind,
        String workerId,
        String workOrderId,
        String taskId,
        String question,
        List<String> options,
        Map<String, Object> context,
        Instant createdAt,
        Instant expiresAt,
        String conversationId,
        String diffSummary,
        List<String> changedFiles,
        Map<String, Object> metadata) {

    public static final int MAX_QUESTION_LENGTH = 8000;
    public static final int MAX_OPTIONS = 20;
    public static final int MAX_OPTION_LENGTH = 200;
    public static final int MAX_DIFF_SUMMARY_LENGTH = 64 * 1024;
    public static final int MAX_CHANGED_FILES = 10_000;

    public ClarificationRequest {
        schemaVersion = Check.schemaVersion(schemaVersion);
        Check.id(id, "id");
        kind = kind == null ? ClarificationKind.QUESTION : kind;
        Check.id(workerId, "worker_id");
        Check.id(workOrderId, "work_order_id");
        taskId = Check.id(taskId == null ? workOrderId : taskId, "task_id");
        question = Check.requiredText(question, "question", MAX_QUESTION_LENGTH);
        options = Check.distinctList(Check.texts(options, "options", MAX_OPTIONS, MAX_OPTION_LENGTH), "options");
        context = Check.metadata(context, "context");
        Check.required(createdAt, "created_at");
        Check.required(expiresAt, "expires_at");
        if (!expiresAt.isAfter(createdAt)) {
            throw new InvalidMessageException("expires_at",
                    "must be after created_at (" + createdAt + "), was " + expiresAt);
        }
        conversationId = Check.id(conversationId == null ? taskId : conversationId, "conversation_id");
        diffSummary = Check.optionalText(diffSummary, "diff_summary", MAX_DIFF_SUMMARY_LENGTH);
        changedFiles = Check.texts(changedFiles, "changed_files", MAX_CHANGED_FILES, 4096);
        // A question that carries a diff would show the human an approval it cannot give.
        if (kind == ClarificationKind.QUESTION && (diffSummary != null || !changedFiles.isEmpty())) {
            throw new InvalidMessageException(diffSummary != null ? "diff_summary" : "changed_files",
                    "is only allowed when kind is approval");
        }
        metadata = Check.metadata(metadata, "metadata");
    }

    /** True once {@code now} has reached {@code expires_at}. */
    public boolean hasExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}

package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/**
 * How a {@link ClarificationRequest} ended, delivered to the worker that asked.
 *
 * <p>An {@code answered} response carries the answer. Whether it had to be one of the request's
 * options is checked by the controller, which has the request; this record does not. A decision
 * by a person ({@link ClarificationStatus#byHuman()}) says when it was taken; {@code rejected}
 * may explain itself in {@code answer}.
 *
 * @param answer      the human's answer, at most 8000 characters; required when answered
 * @param answeredBy  who answered, as the controller knows them (user name, API key name)
 * @param answeredAt  when the decision was taken; required when a person decided
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClarificationResponse(
        Integer schemaVersion,
        String requestId,
        ClarificationStatus status,
        String answer,
        String answeredBy,
        Instant answeredAt,
        Map<String, Object> metadata) {

    public static final int MAX_ANSWER_LENGTH = 8000;

    public ClarificationResponse {
        schemaVersion = Check.schemaVersion(schemaVersion);
        Check.id(requestId, "request_id");
        Check.required(status, "status");
        answer = status == ClarificationStatus.ANSWERED
                ? Check.requiredText(answer, "answer", MAX_ANSWER_LENGTH)
                : Check.optionalText(answer, "answer", MAX_ANSWER_LENGTH);
        answeredBy = Check.optionalText(answeredBy, "answered_by", 200);
        if (status.byHuman() && answeredAt == null) {
            throw new InvalidMessageException("answered_at", "is required when status is " + status.wireName());
        }
        metadata = Check.metadata(metadata, "metadata");
    }
}

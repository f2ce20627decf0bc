package io.agentvine.controller.clarifications;

import io.agentvine.controller.input.Texts;
import io.agentvine.model.ClarificationResponse;
import io.agentvine.model.InvalidMessageException;
import java.util.List;
import java.util.Locale;

/**
 * An operator's answer. For a question: {@code answer}. For an approval: {@code decision}
 * ({@code approve} or {@code reject}) and an optional {@code answer} as the comment.
 * {@code answeredBy} names the person; by default the API key's name.
 */
public record AnswerRequest(String answer, String decision, String answeredBy) {
    private static final List<String> DECISIONS = List.of("approve", "reject", "approved", "rejected");

    public AnswerRequest {
        Texts.text(answer, "answer", ClarificationResponse.MAX_ANSWER_LENGTH);
        if (decision != null && !DECISIONS.contains(decision.toLowerCase(Locale.ROOT))) {
            throw new InvalidMessageException("decision", "must be approve or reject, was '" + decision + "'");
        }
        Texts.line(answeredBy, "answered_by", 200);
    }
}

package io.agentvine.controller.clarifications;

/**
 * An operator's answer. For a question: {@code answer}. For an approval: {@code decision}
 * ({@code approve} or {@code reject}) and an optional {@code answer} as the comment.
 * {@code answeredBy} names the person; by default the API key's name.
 */
public record AnswerRequest(String answer, String decision, String answeredBy) {
}

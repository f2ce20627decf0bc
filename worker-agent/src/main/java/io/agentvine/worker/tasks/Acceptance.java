package io.agentvine.worker.tasks;

import java.util.Locale;

/**
 * What "done" means for a task type once its agent has exited.
 *
 * <ul>
 *   <li>{@code tests}: run the test command (the order's, or detected); failing tests end the
 *       attempt as tests_failed, and nothing is delivered;
 *   <li>{@code review}: the agent's report is the result; the working tree must be unchanged;
 *       nothing is committed or pushed;
 *   <li>{@code none}: the agent's clean exit is enough; the change is delivered.
 * </ul>
 */
public enum Acceptance {
    TESTS, REVIEW, NONE;

    public static Acceptance parse(String value, String where) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": acceptance '" + value + "' is not one of tests, review, none");
        }
    }
}

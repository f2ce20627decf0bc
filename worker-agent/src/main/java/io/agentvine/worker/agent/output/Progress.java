package io.agentvine.worker.agent.output;

import java.util.Optional;

/** Shapes text into progress messages: short, one line, never blank. */
final class Progress {
    /** A plain output line passed on as progress. */
    static final int MAX_LINE = 2000;
    /** An excerpt of an agent's text, a command or a path. */
    static final int MAX_SNIPPET = 200;

    private Progress() {
    }

    /** A plain line as progress: trimmed and capped; blank lines are skipped. */
    static Optional<String> line(String line) {
        if (line == null || line.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(abbreviate(line.strip(), MAX_LINE));
    }

    /** The start of a text on one line (runs of white space become one space), or null if blank. */
    static String snippet(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return abbreviate(text.strip().replaceAll("\\s+", " "), MAX_SNIPPET);
    }

    static Optional<String> of(String message) {
        return message == null || message.isBlank() ? Optional.empty() : Optional.of(message);
    }

    static String abbreviate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return text.substring(0, end) + "…";
    }
}

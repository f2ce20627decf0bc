package io.agentvine.logging;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code AGENTVINE_LOG_FORMAT}: {@code text} (the default) or {@code json}, read by logback.xml. An
 * unknown value would silence the log (logback finds no appender by that name), so the applications
 * refuse it at start with this message.
 */
public final class LogFormat {
    public static final String VARIABLE = "AGENTVINE_LOG_FORMAT";

    private LogFormat() {
    }

    /** Empty when {@code value} (null: unset) is a format; otherwise what is wrong, naming the variable. */
    public static Optional<String> problem(String value) {
        if (value == null || value.isEmpty() || value.equals("text") || value.equals("json")) {
            return Optional.empty();
        }
        String hint = value.strip().toLowerCase(Locale.ROOT);
        return Optional.of(VARIABLE + " must be 'text' or 'json', was '" + value + "'"
                + (hint.equals("text") || hint.equals("json") ? " (write it '" + hint + "')" : ""));
    }
}

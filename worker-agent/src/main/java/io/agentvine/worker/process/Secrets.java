package io.agentvine.worker.process;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The values of an agent's secret variables, masked wherever we write or hand on text: the loggable
 * description of a command, the log file, the line listener. An agent that prints its environment (a
 * tool call running {@code env} is enough) must not put its API key into a log that operators read.
 */
public final class Secrets {
    static final String MASK = "***";
    /** Shorter values are not credentials, and masking every "1" or "yes" would mangle ordinary output. */
    static final int MIN_LENGTH = 4;
    static final Secrets NONE = new Secrets(List.of());

    // Longest first, so that a secret containing another one is masked whole.
    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** The secrets among {@code environment}: the values of the variables named in {@code names}. */
    public static Secrets of(Set<String> names, Map<String, String> environment) {
        List<String> values = names.stream()
                .map(environment::get)
                .filter(Objects::nonNull)
                .filter(v -> v.length() >= MIN_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        return values.isEmpty() ? NONE : new Secrets(values);
    }

    public String redact(String text) {
        String out = text;
        for (String v : values) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }
}

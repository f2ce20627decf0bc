package io.agentvine.worker.tasks;

/**
 * How one task type is executed: the instructions template the agent gets and the acceptance applied
 * after it exits. {@code source} says where the template came from (built-in, a file), for the log.
 */
public record TaskProfile(String type, String template, Acceptance acceptance, String source) {
    public TaskProfile {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("task type " + type + ": the template is empty");
        }
        if (!template.contains("{{instructions}}")) {
            // Without the order's own instructions the agent would not know what to do.
            throw new IllegalArgumentException("task type " + type + " (" + source + "): the template must contain {{instructions}}");
        }
    }
}

package io.agentvine.worker.config;

import java.util.List;

/** The worker's configuration is unusable; the message lists every problem, one per line, naming the setting. */
public class WorkerConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public WorkerConfigException(List<String> problems) {
        super("invalid worker configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

package io.agentvine.worker.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to run for one agent run: the argv (executed as-is, never through a shell, so no value from a
 * task can become another argument or command), its working directory, environment additions, the
 * names of the variables that hold secrets (their values never reach a log), and the log file.
 */
public record AgentCommand(List<String> argv, Path workingDir, Map<String, String> environment, Set<String> secretNames,
                           Path logFile) {
    public AgentCommand {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i) == null) {
                throw new IllegalArgumentException("argv[" + i + "] is null");
            }
        }
        if (workingDir == null || logFile == null) {
            throw new IllegalArgumentException("workingDir and logFile are required");
        }
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        secretNames = Set.copyOf(secretNames == null ? Set.of() : secretNames);
    }

    /** A loggable description: argv, directory and variable names with secret values masked. */
    public String describe() {
        Map<String, String> shown = new TreeMap<>();
        environment.forEach((k, v) -> shown.put(k, secretNames.contains(k) ? "***" : v));
        return "argv=" + argv + " dir=" + workingDir + " env=" + shown;
    }

    @Override
    public String toString() {
        return "AgentCommand[" + describe() + "]";
    }
}

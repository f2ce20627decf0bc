package io.agentvine.worker.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to run for one agent run.
 *
 * <ul>
 *   <li>{@code argv}: the program and its arguments, executed as-is, never through a shell, so that no
 *       value from a task can become another argument or command;
 *   <li>{@code workingDir}: where it runs (the workspace clone);
 *   <li>{@code environment}: variables added to the ones the worker JVM passes on;
 *   <li>{@code secretNames}: the names of the variables whose values are secrets; their values never
 *       reach a log (see {@link #describe()}); a name may also refer to an inherited variable;
 *   <li>{@code logFile}: where the run's output goes, conventionally {@code logs/<task-id>.log};
 *   <li>{@code stdinFile}: what the agent reads on its standard input (the prompt, for CLIs that take it
 *       there rather than as an argument), or null for an empty input.
 * </ul>
 *
 * {@link #toString()} is {@link #describe()}: a record's default would print the secret values.
 */
public record AgentCommand(List<String> argv, Path workingDir, Map<String, String> environment, Set<String> secretNames,
                           Path logFile, Path stdinFile) {
    public AgentCommand(List<String> argv, Path workingDir, Map<String, String> environment, Set<String> secretNames,
                        Path logFile) {
        this(argv, workingDir, environment, secretNames, logFile, null);
    }

    public AgentCommand {
        argv = validArgv(argv);
        if (workingDir == null) {
            throw new IllegalArgumentException("workingDir is required");
        }
        if (logFile == null) {
            throw new IllegalArgumentException("logFile is required");
        }
        environment = validEnvironment(environment);
        secretNames = validSecretNames(secretNames);
    }

    /** The program that runs: {@code argv[0]}. */
    public String program() {
        return argv.get(0);
    }

    /**
     * What may be logged about this command: the argv (with secret values masked, should one have been
     * put into an argument), the directory, the names of the added variables (secret ones marked, no
     * values at all: a value not declared secret may still be one) and the log file.
     */
    public String describe() {
        Secrets secrets = Secrets.of(secretNames, environment);
        List<String> shownArgv = argv.stream().map(secrets::redact).toList();
        List<String> names = new ArrayList<>();
        for (String name : new TreeSet<>(environment.keySet())) {
            names.add(secretNames.contains(name) ? name + "(secret)" : name);
        }
        return "argv=" + shownArgv + " dir=" + workingDir + " env=" + names + " log=" + logFile
                + (stdinFile == null ? "" : " stdin=" + stdinFile);
    }

    @Override
    public String toString() {
        return "AgentCommand[" + describe() + "]";
    }

    private static List<String> validArgv(List<String> argv) {
        if (argv == null || argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program to run");
        }
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg == null) {
                throw new IllegalArgumentException("argv[" + i + "] is null");
            }
            // The OS takes arguments as C strings: a NUL would silently cut one short.
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("argv[" + i + "] contains a NUL character");
            }
        }
        if (argv.get(0).isBlank()) {
            throw new IllegalArgumentException("argv[0] (the program) is blank");
        }
        return List.copyOf(argv);
    }

    private static Map<String, String> validEnvironment(Map<String, String> environment) {
        if (environment == null) {
            throw new IllegalArgumentException("environment is required (Map.of() for none)");
        }
        environment.forEach((name, value) -> {
            checkName(name, "environment");
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + name + " has a null value");
            }
            if (value.indexOf('\0') >= 0) {
                // Naming the variable is safe; its value may be a secret, so it stays out of the message.
                throw new IllegalArgumentException("environment variable " + name + " contains a NUL character");
            }
        });
        return Map.copyOf(environment);
    }

    private static Set<String> validSecretNames(Set<String> secretNames) {
        if (secretNames == null) {
            throw new IllegalArgumentException("secretNames is required (Set.of() for none)");
        }
        secretNames.forEach(name -> checkName(name, "secretNames"));
        return Set.copyOf(secretNames);
    }

    private static void checkName(String name, String where) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(where + " has an empty or null variable name");
        }
        if (name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(where + " has an invalid variable name (contains '=' or NUL): " + name);
        }
    }
}

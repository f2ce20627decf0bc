package io.agentvine.worker.agent.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Codex keeps a session in {@code <CODEX_HOME>/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl} ({@code CODEX_HOME}
 * defaults to {@code ~/.codex}); {@code codex exec resume <id>} finds it there by its id, whatever the
 * working directory.
 */
public final class CodexSessionFiles implements SessionFiles {
    private final Path home;

    public CodexSessionFiles(Path home) {
        this.home = home;
    }

    /** {@code CODEX_HOME} of the agent's environment, else {@code ~/.codex} of the worker's user. */
    public static CodexSessionFiles of(String codexHomeVariable) {
        return new CodexSessionFiles(codexHomeVariable != null && !codexHomeVariable.isBlank() ? Path.of(codexHomeVariable)
                : Path.of(System.getProperty("user.home"), ".codex"));
    }

    @Override
    public Path directory(Path workspace) {
        return home.resolve("sessions");
    }

    @Override
    public List<Path> files(Path directory, String id) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(directory, 4)) {
            return all.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith("-" + id + ".jsonl"))
                    .map(directory::relativize).toList();
        }
    }
}

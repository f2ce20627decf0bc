package io.agentvine.worker.agent.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Claude Code keeps a session in {@code <config>/projects/<cwd>/<id>.jsonl} (and {@code <id>/} beside it:
 * subagents, tool results), {@code <config>} being {@code CLAUDE_CONFIG_DIR} or {@code ~/.claude} and
 * {@code <cwd>} the run's real working directory with every character but letters and digits turned into
 * {@code -}. {@code --resume <id>} looks only in the current directory's folder, so a follow-up in another
 * workspace gets the files put into its own.
 */
public final class ClaudeSessionFiles implements SessionFiles {
    private final Path configDir;

    public ClaudeSessionFiles(Path configDir) {
        this.configDir = configDir;
    }

    /** {@code CLAUDE_CONFIG_DIR} of the agent's environment, else {@code ~/.claude} of the worker's user. */
    public static ClaudeSessionFiles of(String configDirVariable) {
        return new ClaudeSessionFiles(configDirVariable != null && !configDirVariable.isBlank() ? Path.of(configDirVariable)
                : Path.of(System.getProperty("user.home"), ".claude"));
    }

    @Override
    public Path directory(Path workspace) throws IOException {
        return configDir.resolve("projects").resolve(encode(workspace.toRealPath()));
    }

    static String encode(Path cwd) {
        return cwd.toString().replaceAll("[^A-Za-z0-9]", "-");
    }

    @Override
    public List<Path> files(Path directory, String id) throws IOException {
        List<Path> files = new ArrayList<>();
        Path transcript = directory.resolve(id + ".jsonl");
        if (Files.isRegularFile(transcript)) {
            files.add(directory.relativize(transcript));
        }
        Path beside = directory.resolve(id);
        if (Files.isDirectory(beside)) {
            try (Stream<Path> all = Files.walk(beside)) {
                all.filter(Files::isRegularFile).map(directory::relativize).forEach(files::add);
            }
        }
        return files;
    }
}

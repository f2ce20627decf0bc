package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.Io;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Writes an answer in the user's editor ({@code $VISUAL}, else {@code $EDITOR}, else {@code vi}), as
 * {@code git commit} does: the question as {@code #} lines, which are dropped from the answer.
 */
final class Editor {
    private final Io io;

    Editor(Io io) {
        this.io = io;
    }

    String write(String question, JsonNode options) throws InterruptedException {
        String editor = io.env("VISUAL") != null ? io.env("VISUAL") : io.env("EDITOR") != null ? io.env("EDITOR") : "vi";
        Path file = null;
        try {
            file = Files.createTempFile("vine-answer-", ".md");
            StringBuilder b = new StringBuilder("\n# Write the answer above. Lines starting with # are dropped; an empty answer sends nothing.\n#\n");
            question.lines().forEach(l -> b.append("# ").append(l).append('\n'));
            if (options.isArray() && !options.isEmpty()) {
                b.append("#\n# options:");
                options.forEach(o -> b.append(' ').append(o.asText()));
                b.append('\n');
            }
            Files.writeString(file, b);
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "vine-editor", file.toString()).inheritIO();
            pb.environment().putAll(io.env());
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new CliException(ExitCodes.ERROR, "editor_failed", "the editor (" + editor + ") exited with " + code + ": nothing sent");
            }
            return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")).strip();
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "editor_failed", "cannot run the editor (" + editor + "): " + e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }
}

package io.agentvine.worker.agent.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * AgentVine's scripted DEMO agent: no AI model, no API key, a small deterministic change per task type.
 * It exists so a local fleet and the compose smoke test run end to end; it is not a test fake, and the
 * worker says loudly whenever it is in use. It reads what every agent gets (AGENTVINE_TASK_TYPE,
 * AGENTVINE_TASK_ID, AGENTVINE_TASK_TITLE, AGENTVINE_PROMPT_FILE, AGENTVINE_REVIEW_FILE; its working
 * directory is the clone) and prints {@code Token usage:} lines like an agent that reports usage.
 *
 * <ul>
 *   <li>feature: adds {@code agentvine-demo/features/<task-id>.md};
 *   <li>bugfix: appends a line to {@code agentvine-demo/CHANGELOG.md};
 *   <li>test: adds {@code agentvine-demo/tests/<task-id>.md};
 *   <li>docs: appends a section to {@code README.md} (creates it if missing);
 *   <li>refactor: adds {@code agentvine-demo/refactor/<task-id>.md};
 *   <li>review: writes a findings report to AGENTVINE_REVIEW_FILE and changes nothing;
 *   <li>a custom type: adds {@code agentvine-demo/<type>/<task-id>.md}.
 * </ul>
 */
public final class DemoAgent {
    /** Milliseconds to pause between steps (0 by default), to watch a run or stop a worker mid-task. */
    public static final String STEP_DELAY_MS = "AGENTVINE_DEMO_STEP_DELAY_MS";

    private DemoAgent() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String type = env("AGENTVINE_TASK_TYPE", "feature");
        String taskId = env("AGENTVINE_TASK_ID", "demo");
        String title = env("AGENTVINE_TASK_TITLE", "demo task");
        long delay = Long.parseLong(env(STEP_DELAY_MS, "0"));
        Path workspace = Path.of("").toAbsolutePath();
        String prompt = Files.readString(Path.of(env("AGENTVINE_PROMPT_FILE", "/dev/null")), StandardCharsets.UTF_8);

        say("AgentVine DEMO agent: scripted, no AI model is used; the change it makes is canned");
        say("task " + taskId + " (" + type + "): " + title);
        say("read the instructions: " + prompt.lines().count() + " lines");
        usage(900 + prompt.length() / 4, 120);
        pause(delay);
        if (type.equals("review")) {
            String report = review(workspace, title);
            Files.writeString(Path.of(env("AGENTVINE_REVIEW_FILE", "review.md")), report, StandardCharsets.UTF_8);
            report.lines().forEach(DemoAgent::say);
        } else {
            Path changed = change(workspace, type, taskId, title);
            say("edited " + workspace.relativize(changed));
        }
        pause(delay);
        usage(1400, 260);
        say("done");
    }

    private static Path change(Path ws, String type, String taskId, String title) throws IOException {
        String note = "Made by the AgentVine demo agent (scripted, no AI) for task " + taskId + ".\n";
        return switch (type) {
            case "feature" -> write(ws.resolve("agentvine-demo/features/" + taskId + ".md"), "# Feature: " + title + "\n\n" + note);
            case "bugfix" -> append(ws.resolve("agentvine-demo/CHANGELOG.md"), "- fixed: " + title + " (" + taskId + ")\n");
            case "test" -> write(ws.resolve("agentvine-demo/tests/" + taskId + ".md"), "# Test plan: " + title + "\n\n" + note);
            case "docs" -> append(ws.resolve("README.md"), "\n## " + title + "\n\n" + note);
            case "refactor" -> write(ws.resolve("agentvine-demo/refactor/" + taskId + ".md"), "# Refactor: " + title + "\n\n" + note);
            default -> write(ws.resolve("agentvine-demo/" + type.toLowerCase(Locale.ROOT) + "/" + taskId + ".md"),
                    "# " + type + ": " + title + "\n\n" + note);
        };
    }

    /** Findings from simple, real checks of the clone (TODO markers, very long lines), at most ten. */
    static String review(Path ws, String title) throws IOException {
        List<String> findings = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ws)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !ws.relativize(p).startsWith(".git")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException notText) {
                continue;
            }
            for (int i = 0; i < lines.size() && findings.size() < 10; i++) {
                String line = lines.get(i);
                String where = "`" + ws.relativize(file) + ":" + (i + 1) + "`";
                if (line.contains("TODO") || line.contains("FIXME")) {
                    findings.add("- " + where + " — an open TODO/FIXME: decide it or track it in an issue");
                } else if (line.length() > 120) {
                    findings.add("- " + where + " — line of " + line.length() + " characters: hard to read in a diff");
                }
            }
        }
        StringBuilder report = new StringBuilder("# Review: " + title + "\n\n")
                .append("_Scripted AgentVine demo review (no AI): ").append(files.size()).append(" files read._\n\n## Findings\n\n");
        if (findings.isEmpty()) {
            report.append("- no findings\n");
        } else {
            findings.forEach(f -> report.append(f).append('\n'));
        }
        return report.toString();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static Path append(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }

    private static void usage(long input, long output) {
        System.out.println("Token usage: input=" + input + ", output=" + output + ", cache_read=0, cache_creation=0");
        System.out.flush();
    }

    private static void say(String line) {
        System.out.println("[demo agent] " + line);
        System.out.flush();
    }

    private static void pause(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

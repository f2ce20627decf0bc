package io.agentvine.worker.tasks;

import io.agentvine.model.ParkedRun;
import io.agentvine.model.WorkOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a task type's template for one order. Placeholders: {@code {{title}}}, {@code {{instructions}}},
 * {@code {{type}}}, {@code {{task_id}}}, {@code {{repository}}} (the model refuses URLs with credentials), {@code {{branch}}},
 * {@code {{review_file}}}, {@code {{test_hint}}} (the test command the worker will run) and
 * {@code {{agent_instructions}}}: the repository's own instructions for agents (AGENTS.md, CLAUDE.md,
 * .github/copilot-instructions.md), appended at the end when the template does not place them.
 * Rendering is one pass: text from the order that looks like a placeholder stays as it is.
 */
public final class Prompts {
    /** Repository instruction files, in the order they are included. */
    public static final List<String> AGENT_FILES = List.of("AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md");
    static final int MAX_AGENT_FILE_CHARS = 32 * 1024;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    private Prompts() {
    }

    /** @param baseBranch the branch the workspace was cloned from (the order's, or the remote's default) */
    public static String render(TaskProfile profile, WorkOrder order, Path workspace, String baseBranch, Path reviewFile,
                                Optional<String> testCommand) {
        String agentInstructions = agentInstructions(workspace);
        String template = profile.template();
        if (!template.contains("{{agent_instructions}}") && !agentInstructions.isEmpty()) {
            template = template + "\n{{agent_instructions}}\n";
        }
        Map<String, String> values = Map.of(
                "title", order.title(),
                "instructions", order.instructions(),
                "type", order.type().name(),
                "task_id", order.taskId(),
                "repository", order.repositoryUrl(),
                "branch", baseBranch,
                "review_file", reviewFile.toString(),
                "test_hint", testCommand.map(c -> "- When you are done, AgentVine runs `" + c + "`; it must pass.").orElse(""),
                "agent_instructions", agentInstructions);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        out.append(continuation(order));
        return out.toString().replaceAll("\n{3,}", "\n\n");
    }

    /**
     * For a task that continues another's work branch (a follow-up, a chain's next step): where it stands and
     * what the earlier task did, so that an agent starting a fresh session knows the work it builds on.
     */
    static String continuation(WorkOrder order) {
        var c = order.continuation();
        if (c == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\n## This task continues earlier work\n\n");
        sb.append("You are on the branch `").append(c.workBranch()).append("`, which already holds the work of task ")
                .append(c.taskId()).append(". Build on it: keep what is there unless the instructions say otherwise.");
        if (c.pullRequestUrl() != null) {
            sb.append(" Its pull request, ").append(c.pullRequestUrl()).append(", is updated with your commit.");
        }
        sb.append('\n');
        if (!c.summary().isBlank()) {
            sb.append("\nWhat the earlier task reported:\n\n").append(c.summary().strip()).append('\n');
        }
        return sb.toString();
    }

    /** The next message of a resumed session whose question was answered while its run was parked. */
    public static String answered(ParkedRun parked, String answer) {
        return "The operator answered your question.\n\nYour question: " + parked.question().strip() + "\n\nThe answer: "
                + answer.strip() + "\n\nContinue the task from where you stopped; your work so far is in the workspace.\n";
    }

    /** For a fresh session resuming a parked run: what the earlier run asked, the answer, and where its work is. */
    public static String parkedSection(ParkedRun parked, String answer) {
        return "\n## This run resumes earlier work of this task\n\nAn earlier run of this task asked the operator a question and "
                + "stopped until the answer came. " + (parked.commit() == null ? "It had changed nothing yet."
                : "Its work so far is in the workspace (committed on your branch): continue from there.")
                + "\n\nThe question: " + parked.question().strip() + "\n\nThe answer: " + answer.strip() + "\n";
    }

    static String agentInstructions(Path workspace) {
        StringBuilder sb = new StringBuilder();
        for (String name : AGENT_FILES) {
            Path file = workspace.resolve(name);
            if (!Files.isRegularFile(file) || Files.isSymbolicLink(file)) {
                continue; // a symlink could point outside the clone
            }
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (text.length() > MAX_AGENT_FILE_CHARS) {
                    text = text.substring(0, MAX_AGENT_FILE_CHARS) + "\n[… truncated by AgentVine]";
                }
                sb.append("\n## The repository's instructions for agents (").append(name).append(")\n\n").append(text.strip()).append('\n');
            } catch (IOException | RuntimeException unreadable) {
                // not UTF-8 or unreadable: the agent can still open it itself
            }
        }
        return sb.toString();
    }
}

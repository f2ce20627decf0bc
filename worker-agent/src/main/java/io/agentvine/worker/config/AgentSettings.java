package io.agentvine.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the worker runs its coding agent, beyond which adapter ({@link WorkerConfig#agent()}).
 *
 * @param binary           the CLI to run (claude, codex, aider by default; a path for pinned installs)
 * @param permissionMode   Claude Code {@code --permission-mode}
 * @param allowedTools     Claude Code {@code --allowedTools}
 * @param defaultMaxTurns  Claude Code {@code --max-turns} when the order's budget has none
 * @param codexSandbox     Codex {@code --sandbox}
 * @param stallTimeout     a run with no output for this long is stopped (outcome stalled)
 * @param pricesFile       price table overrides (USD per million tokens per model), empty: built-in prices
 * @param templatesDir     {@code <type>.md} files that replace the built-in instruction templates
 * @param taskTypesFile    custom task types: name → template and acceptance
 * @param demoStepDelay    the demo agent's pause between its steps (to watch it, or stop a worker mid-task)
 * @param approvalTimeout  how long a human_required change waits for its approval
 * @param questionTimeout  how long an agent's question waits for an answer (an order may set its own:
 *                         metadata.clarification_timeout_seconds)
 * @param stopOnUnanswered what an unanswered question does: false — the agent goes on on its own
 *                         judgement; true — the task ends as needs_clarification (metadata.clarification_policy
 *                         continue or fail overrides it per order)
 * @param parkAfter        how long a question or an approval holds the run before it parks (its work saved, its
 *                         slot freed; the order goes back to the queue when the human decides); zero: at once;
 *                         empty: never (an order may set its own: metadata.park_after_seconds, 0 at once, -1 never)
 */
public record AgentSettings(
        String binary,
        String permissionMode,
        List<String> allowedTools,
        int defaultMaxTurns,
        String codexSandbox,
        Duration stallTimeout,
        Optional<Path> pricesFile,
        Optional<Path> templatesDir,
        Optional<Path> taskTypesFile,
        Duration demoStepDelay,
        Duration approvalTimeout,
        Duration questionTimeout,
        boolean stopOnUnanswered,
        Optional<Duration> parkAfter) {

    public static final List<String> PERMISSION_MODES = List.of("acceptEdits", "bypassPermissions", "default", "dontAsk", "plan");
    public static final List<String> CODEX_SANDBOXES = List.of("read-only", "workspace-write", "danger-full-access");
    public static final List<String> DEFAULT_ALLOWED_TOOLS = List.of("Read", "Edit", "MultiEdit", "Write", "Glob", "Grep", "Bash");
    public static final int DEFAULT_MAX_TURNS = 50;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(10);
    /** Humans answer in hours: a parked run holds no worker meanwhile. */
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(8);
    public static final Duration DEFAULT_QUESTION_TIMEOUT = Duration.ofHours(8);
    public static final Duration DEFAULT_PARK_AFTER = Duration.ofMinutes(2);

    public AgentSettings {
        allowedTools = List.copyOf(allowedTools);
    }

    /** Defaults for the given adapter: what a worker gets with no agent settings at all. */
    public static AgentSettings defaults(String agent) {
        return new AgentSettings(defaultBinary(agent), "acceptEdits", DEFAULT_ALLOWED_TOOLS, DEFAULT_MAX_TURNS, "workspace-write",
                DEFAULT_STALL_TIMEOUT, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO,
                DEFAULT_APPROVAL_TIMEOUT, DEFAULT_QUESTION_TIMEOUT, false, Optional.of(DEFAULT_PARK_AFTER));
    }

    static String defaultBinary(String agent) {
        return switch (agent) {
            case "claude-code" -> "claude";
            case "codex" -> "codex";
            case "aider" -> "aider";
            default -> "";
        };
    }
}

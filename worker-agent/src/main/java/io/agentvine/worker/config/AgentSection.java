package io.agentvine.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The agent section of the settings: the CLI, its flags, the stall, approval and question limits, and the files that override built-ins. */
final class AgentSection {
    private AgentSection() {
    }

    static AgentSettings read(Settings s, String agent) {
        AgentSettings d = AgentSettings.defaults(agent);
        String binary = s.text("AGENTVINE_AGENT_BINARY", d.binary());
        String mode = s.text("AGENTVINE_CLAUDE_PERMISSION_MODE", d.permissionMode());
        if (!AgentSettings.PERMISSION_MODES.contains(mode)) {
            s.problem("AGENTVINE_CLAUDE_PERMISSION_MODE: '" + mode + "' is not one of " + String.join(", ", AgentSettings.PERMISSION_MODES));
        }
        String toolsText = s.text("AGENTVINE_CLAUDE_ALLOWED_TOOLS", String.join(",", d.allowedTools()));
        List<String> tools = List.of(toolsText.trim().split("\\s*,\\s*"));
        for (String tool : tools) {
            // Each tool becomes one argument; one that looks like a flag would be read as one.
            if (tool.isEmpty() || tool.startsWith("-")) {
                s.problem("AGENTVINE_CLAUDE_ALLOWED_TOOLS: '" + tool + "' is not a tool name (e.g. Read,Edit,Bash(git diff:*))");
            }
        }
        int maxTurns = (int) s.number("AGENTVINE_CLAUDE_MAX_TURNS", d.defaultMaxTurns(), 1, 10_000);
        String sandbox = s.text("AGENTVINE_CODEX_SANDBOX", d.codexSandbox());
        if (!AgentSettings.CODEX_SANDBOXES.contains(sandbox)) {
            s.problem("AGENTVINE_CODEX_SANDBOX: '" + sandbox + "' is not one of " + String.join(", ", AgentSettings.CODEX_SANDBOXES));
        }
        Duration stall = s.duration("AGENTVINE_STALL_TIMEOUT", d.stallTimeout());
        Optional<Path> prices = s.file("AGENTVINE_PRICES_FILE", false);
        Optional<Path> templates = s.file("AGENTVINE_TEMPLATES_DIR", true);
        Optional<Path> types = s.file("AGENTVINE_TASK_TYPES_FILE", false);
        String delayText = s.raw("AGENTVINE_DEMO_STEP_DELAY");
        Duration delay = delayText == null || delayText.equals("0") ? Duration.ZERO : s.duration("AGENTVINE_DEMO_STEP_DELAY", Duration.ZERO);
        Duration approval = s.duration("AGENTVINE_APPROVAL_TIMEOUT", d.approvalTimeout());
        Duration question = s.duration("AGENTVINE_CLARIFICATION_TIMEOUT", d.questionTimeout());
        String policy = s.text("AGENTVINE_CLARIFICATION_POLICY", "continue");
        if (!policy.equals("continue") && !policy.equals("fail")) {
            s.problem("AGENTVINE_CLARIFICATION_POLICY: '" + policy + "' is not continue or fail");
        }
        Optional<Duration> parkAfter = d.parkAfter();
        String park = s.raw("AGENTVINE_PARK_AFTER");
        if (park != null && park.strip().equalsIgnoreCase("off")) {
            parkAfter = Optional.empty();
        } else if (park != null && park.strip().equals("0")) {
            parkAfter = Optional.of(Duration.ZERO);
        } else if (park != null) {
            parkAfter = Optional.of(s.duration("AGENTVINE_PARK_AFTER", AgentSettings.DEFAULT_PARK_AFTER));
        }
        if ((agent.equals("claude-code") || agent.equals("codex") || agent.equals("aider")) && binary.isBlank()) {
            s.problem("AGENTVINE_AGENT_BINARY: must name the " + agent + " program");
        }
        return new AgentSettings(binary, mode, tools, maxTurns, sandbox, stall, prices, templates, types, delay, approval, question,
                policy.equals("fail"), parkAfter);
    }
}

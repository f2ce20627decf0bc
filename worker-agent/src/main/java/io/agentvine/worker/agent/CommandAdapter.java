package io.agentvine.worker.agent;

import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any other agent: a configured argv template ({@code AGENTVINE_AGENT_COMMAND}), run without a shell.
 * Placeholders are replaced inside each argument, so a value never splits into several:
 * {@code {prompt_file}}, {@code {review_file}}, {@code {workspace}}, {@code {model}},
 * {@code {task_id}}, {@code {type}}. The same values are in the environment (see
 * {@link AgentRun#environment()}). Usage is read from {@code Token usage: input=…, output=…} lines.
 */
public final class CommandAdapter extends CliAdapter {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    static final Set<String> PLACEHOLDERS = Set.of("prompt_file", "review_file", "workspace", "model", "task_id", "type");

    private final List<String> template;

    public CommandAdapter(List<String> template, AgentSettings settings, Map<String, String> passEnv, Set<String> secretNames,
                          PriceTable prices) {
        super(settings, passEnv, secretNames, prices);
        if (template.isEmpty()) {
            throw new IllegalArgumentException("the command adapter needs a command (AGENTVINE_AGENT_COMMAND)");
        }
        for (String arg : template) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw new IllegalArgumentException("AGENTVINE_AGENT_COMMAND: unknown placeholder {" + m.group(1) + "}; known: "
                            + String.join(", ", PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList()));
                }
            }
        }
        this.template = List.copyOf(template);
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    public AgentCommand command(AgentRun run) {
        Map<String, String> values = Map.of("prompt_file", run.promptFile().toString(), "review_file", run.reviewFile().toString(),
                "workspace", run.workspace().toString(), "model", run.model(), "task_id", run.order().taskId(),
                "type", run.order().type().name());
        List<String> argv = new ArrayList<>(template.size());
        for (String arg : template) {
            argv.add(PLACEHOLDER.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1)))));
        }
        return new AgentCommand(argv, run.workspace(), environment(run), secretNames, run.logFile());
    }
}

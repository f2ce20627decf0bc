package io.agentvine.worker.agent;

import io.agentvine.worker.agent.session.CodexSessionFiles;
import io.agentvine.worker.agent.session.SessionFiles;
import java.util.Optional;

import io.agentvine.worker.agent.output.PriceTable;
import io.agentvine.worker.config.AgentSettings;
import io.agentvine.worker.process.AgentCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Codex CLI: {@code codex exec --json --sandbox=<mode> --model=<model> -}, the instructions on
 * standard input ({@code -}). Codex reports tokens per turn but no cost: the price table prices them.
 */
public final class CodexAdapter extends CliAdapter {
    public CodexAdapter(AgentSettings settings, Map<String, String> passEnv, Set<String> secretNames, PriceTable prices) {
        super(settings, passEnv, secretNames, prices);
    }

    @Override
    public String name() {
        return "codex";
    }

    @Override
    public Optional<SessionFiles> sessionFiles() {
        return Optional.of(CodexSessionFiles.of(passed("CODEX_HOME")));
    }

    @Override
    public AgentCommand command(AgentRun run) {
        List<String> argv = run.resumeSession() == null
                ? List.of(settings.binary(), "exec", "--json", Arguments.flag("--sandbox", settings.codexSandbox()),
                        Arguments.flag("--model", run.model()), "--skip-git-repo-check", "-")
                // codex exec resume takes no --sandbox: the same setting as a configuration override; the session id
                // (letters, digits, . _ : - and never a leading dash) and then the prompt on stdin
                : List.of(settings.binary(), "exec", "resume", "--json", "-c", "sandbox_mode=\"" + settings.codexSandbox() + "\"",
                        Arguments.flag("--model", run.model()), "--skip-git-repo-check", run.resumeSession(), "-");
        return new AgentCommand(argv, run.workspace(), environment(run), secretNames, run.logFile(), run.promptFile());
    }

    @Override
    public boolean reportsOutcome() {
        return true;
    }
}

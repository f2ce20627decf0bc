package io.agentvine.cli.commands;

import io.agentvine.cli.Vine;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vine completion bash|zsh}: a completion script (picocli's; zsh loads it through bashcompinit). */
@Command(name = "completion", description = "Print a shell completion script: source <(vine completion bash).")
public final class CompletionCommand extends ApiCommand {
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("vine", new CommandLine(new Vine(io())));
        if (shell == Shell.zsh) {
            io().out().println("autoload -U +X compinit && compinit");
            io().out().println("autoload -U +X bashcompinit && bashcompinit");
        }
        io().out().print(script);
        io().out().flush();
        return 0;
    }
}

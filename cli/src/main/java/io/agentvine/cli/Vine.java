package io.agentvine.cli;

import io.agentvine.cli.commands.AskCommand;
import io.agentvine.cli.commands.CompletionCommand;
import io.agentvine.cli.commands.ContextCommand;
import io.agentvine.cli.commands.Decisions;
import io.agentvine.cli.commands.DoctorCommand;
import io.agentvine.cli.commands.EventsCommand;
import io.agentvine.cli.commands.LoginCommand;
import io.agentvine.cli.commands.BudgetCommand;
import io.agentvine.cli.commands.QueueCommand;
import io.agentvine.cli.commands.StatusCommand;
import io.agentvine.cli.commands.TaskCommand;
import io.agentvine.cli.commands.VersionCommand;
import io.agentvine.cli.commands.WorkerCommand;
import io.agentvine.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code vine}: the controller's API from a terminal or a script. The global options are inherited by
 * every subcommand ({@code vine task list -o json}); {@link #run} executes one command line and
 * returns its exit code (see {@link ExitCodes}).
 */
@Command(name = "vine", mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
        description = "The AgentVine command line: tasks, questions, queues, workers and events of a controller.",
        subcommands = {TaskCommand.class, AskCommand.class, Decisions.Approve.class, Decisions.Reject.class, QueueCommand.class, BudgetCommand.class,
            WorkerCommand.class, EventsCommand.class, StatusCommand.class, DoctorCommand.class, LoginCommand.class,
            ContextCommand.class, CompletionCommand.class, VersionCommand.class, UpCommand.class},
        footerHeading = "%nConnection:%n",
        footer = {"  server: --server, else VINE_SERVER, else the context's, else " + Connection.DEFAULT_SERVER,
            "  key:    --key, else VINE_KEY, else the context's key or key command",
            "  contexts: $XDG_CONFIG_HOME/agentvine/config.yaml (default ~/.config/...)",
            "  NO_COLOR turns colour off; COLUMNS sets the width of tables."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:ok",
            "1:error (server unreachable, refused request, not found, conflict)",
            "2:usage (unknown command or option, bad value)",
            "4:authentication or authorization (HTTP 401/403)",
            "5:the task failed, died or was cancelled (--wait, --exit-status)",
            "6:the task waits for a human (a question or an approval)",
            "130:interrupted (Ctrl-C)"})
public final class Vine implements Runnable {
    private final Io io;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table, wide, json or yaml (default: table).")
    Format output = Format.table;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL", description = "The controller's URL.")
    String server;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "The API key (prefer VINE_KEY or a context: a flag shows in the process list).")
    String key;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME", description = "The context to use.")
    String context;

    private Connection connection;
    private ApiClient api;

    public Vine(Io io) {
        this.io = io;
    }

    public Io io() {
        return io;
    }

    public Printer printer() {
        return new Printer(io, output);
    }

    public ConfigStore config() {
        return new ConfigStore(io.configDir());
    }

    public String serverFlag() {
        return server;
    }

    public Connection connection() {
        if (connection == null) {
            connection = Connection.resolve(server, key, context, io, config().load());
        }
        return connection;
    }

    public ApiClient api() {
        if (api == null) {
            api = new ApiClient(connection().server(), connection().key());
        }
        return api;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(io.out());
    }

    /** Runs one command line against {@code io}; returns the exit code. */
    public static int run(Io io, String... args) {
        Vine vine = new Vine(io);
        CommandLine cli = new CommandLine(vine);
        cli.setOut(io.out()).setErr(io.err()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> failed(vine, e));
        int code = cli.execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    private static int failed(Vine vine, Exception e) {
        CliException failure;
        if (e instanceof CliException c) {
            failure = c;
        } else if (e instanceof InterruptedException) {
            failure = new CliException(ExitCodes.INTERRUPTED, "interrupted", "interrupted");
        } else {
            failure = new CliException(ExitCodes.ERROR, "error", String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        }
        vine.printer().error(failure);
        return failure.exitCode();
    }
}

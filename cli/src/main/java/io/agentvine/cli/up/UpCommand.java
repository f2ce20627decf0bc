package io.agentvine.cli.up;

import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.commands.ApiCommand;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vine up}: the local fleet in one command (what the {@code ./fleet} script did, which now runs
 * this). The flags map the script's variables; a flag wins over its variable.
 */
@Command(name = "up", sortOptions = false,
        description = {"Run a local fleet (Redis, the controller, one worker per type) under ./data; --smoke tests it.",
            "Redis, the controller (H2) and one worker per task type with the demo agent, all under ./data. Prints the dashboard's URL "
                + "and what to do next once every worker has registered; Ctrl-C stops the fleet in order (workers, the controller, "
                + "the Redis started here). One fleet per data folder; what a killed run left is stopped first."},
        footerHeading = "%nEnvironment (a flag wins over its variable):%n",
        footer = {"  AGENTVINE_PORT               the controller's port (8080)",
            "  REDIS_URL                    a Redis to use, if it answers",
            "  FLEET_REDIS_PORT             the first port tried for that Redis (6380)",
            "  FLEET_TYPES                  " + FleetSettings.DEFAULT_TYPES,
            "  FLEET_DATA                   the data folder, relative to the checkout (data)",
            "  FLEET_READY_TIMEOUT          seconds to wait for the fleet (180)",
            "  FLEET_SMOKE_TIMEOUT          seconds to wait for the smoke tasks (300)",
            "  FLEET_CONTROLLER_JAVA_OPTS   the controller's JVM options",
            "  FLEET_WORKER_JAVA_OPTS       the workers' JVM options",
            "  AGENTVINE_ALLOWED_GIT_HOSTS  git hosts tasks may use (this machine's loopback)",
            "  Workers inherit the rest (AGENTVINE_AGENT, ANTHROPIC_API_KEY, ...)."})
public final class UpCommand extends ApiCommand {
    @Option(names = "--smoke", description = "Start, run one task per type to completion, check their commits, stop; exit 1 on a failure.")
    boolean smoke;
    @Option(names = "--rebuild", description = "Build the controller's and the worker's jars even if they look current.")
    boolean rebuild;
    @Option(names = "--no-build", description = "Never build: use the jars in controller/target and worker-agent/target as they are.")
    boolean noBuild;
    @Option(names = "--data", paramLabel = "DIR", description = "The data folder (FLEET_DATA; default ./data of the checkout).")
    Path data;
    @Option(names = "--port", paramLabel = "PORT", description = "The controller's port (AGENTVINE_PORT; default 8080).")
    Integer port;
    @Option(names = "--redis-port", paramLabel = "PORT", description = "The first port tried for a local Redis (FLEET_REDIS_PORT; default 6380).")
    Integer redisPort;
    @Option(names = "--types", paramLabel = "LIST", description = "One worker per type, comma-separated (FLEET_TYPES).")
    String types;
    @Option(names = "--ready-timeout", paramLabel = "SECONDS", description = "How long to wait for the fleet (FLEET_READY_TIMEOUT; default 180).")
    Integer readyTimeout;
    @Option(names = "--smoke-timeout", paramLabel = "SECONDS", description = "How long to wait for the smoke tasks (FLEET_SMOKE_TIMEOUT; default 300).")
    Integer smokeTimeout;

    @Override
    public Integer call() throws InterruptedException {
        Path root = checkout();
        FleetSettings settings = FleetSettings.resolve(root, new FleetSettings.Flags(data, port, redisPort, types, readyTimeout, smokeTimeout),
                io().env(), Path.of("").toAbsolutePath());
        return new Fleet(settings, new FleetOutput(io(), root), io().clock()).run(smoke, rebuild, !noBuild);
    }

    /** The checkout this command runs from: the first folder above its classes (or jar) that holds mvnw and the modules. */
    static Path checkout() {
        try {
            Path p = Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("controller")) && Files.isDirectory(p.resolve("worker-agent"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the message below
        }
        throw new CliException(ExitCodes.ERROR, "no_checkout", "vine up runs from an AgentVine checkout (./vine up): "
                + "no folder above this program holds mvnw, controller/ and worker-agent/");
    }
}

package io.agentvine.cli.up;

import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * The local fleet's supervisor ({@code vine up}): takes the data folder's lock, stops what a killed run
 * left, then starts Redis, the controller and one worker per type, waits until all are up, and either
 * runs the smoke test or prints the next steps and watches the processes until it is stopped.
 * {@link #stop()} — from the JVM's shutdown hook on Ctrl-C or SIGTERM, or at the end of a smoke run — stops
 * them in order (workers, which release their orders; the controller; the Redis it started); it runs
 * once, and a second call waits for the first.
 */
public final class Fleet {
    private static final Duration WORKER_STOP = Duration.ofSeconds(90);
    private static final Duration CONTROLLER_STOP = Duration.ofSeconds(30);
    private static final Duration REDIS_STOP = Duration.ofSeconds(20);
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

    private final FleetSettings settings;
    private final FleetOutput out;
    private final Clock clock;
    private final ProcessStopper stopper;
    private final ProcessLauncher launcher;
    private final FleetJvms jvms;
    private final StateFile state;
    private final Object lock = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, Process> workers = new LinkedHashMap<>();
    private final Set<String> reportedExits = new HashSet<>();
    private Process controller;
    private Process redis;
    private boolean stopping;
    private boolean started;
    private FleetLock fleetLock;
    private Instant t0;

    public Fleet(FleetSettings settings, FleetOutput out, Clock clock) {
        this.settings = settings;
        this.out = out;
        this.clock = clock;
        this.stopper = new ProcessStopper(out, clock);
        this.launcher = new ProcessLauncher(settings.env(), clock);
        this.jvms = new FleetJvms(settings);
        this.state = new StateFile(settings.run());
    }

    /** Runs the fleet: until stopped (0), or through the smoke test (0 passed, 1 failed); 1 when it cannot start. */
    public int run(boolean smoke, boolean rebuild, boolean build) throws InterruptedException {
        t0 = clock.instant();
        if (!SampleRepository.gitAvailable()) {
            out.warn("git is needed (the sample repository and the smoke run's checks): install it and try again");
            return ExitCodes.ERROR;
        }
        try {
            for (Path dir : List.of(settings.logs(), settings.run(), settings.data().resolve("redis"), settings.data().resolve("controller"))) {
                Files.createDirectories(dir);
            }
            fleetLock = FleetLock.acquire(settings.run(), settings.data(), out);
        } catch (IOException | UncheckedIOException | FleetStartException e) {
            out.warn(e.getMessage());
            return ExitCodes.ERROR;
        }
        Thread hook = new Thread(this::stop, "vine-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            new Leftovers(state, stopper, out).stopAll();
            return start(smoke, rebuild, build);
        } catch (FleetStartException | CliException | UncheckedIOException e) {
            if (isStopping()) {
                return ExitCodes.INTERRUPTED;
            }
            out.warn(e.getMessage());
            if (e instanceof FleetStartException f) {
                out.tail(f.log(), 25);
            }
            return ExitCodes.ERROR;
        } finally {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what runs now
            }
        }
    }

    private int start(boolean smoke, boolean rebuild, boolean build) throws InterruptedException {
        List<Path> jars = new FleetJars(settings.root(), out).ensure(rebuild, build, settings.logs().resolve("build.log"));
        if (Ports.busy(settings.port())) {
            throw new FleetStartException("port " + settings.port() + " is in use: set AGENTVINE_PORT (or --port) to a free port");
        }
        // The workers' class-data-sharing archive (~9 s the first time per jar) is made while Redis and the controller start.
        FutureTask<Path> archiveTask = new FutureTask<>(() -> jvms.workerArchive(jars.get(1), settings.logs().resolve("worker-cds.log")));
        Thread archiving = new Thread(archiveTask, "vine-up-worker-archive");
        archiving.setDaemon(true);
        archiving.start();
        try {
            return startWith(jars, archiveTask, smoke);
        } finally {
            archiveTask.cancel(true); // stops the archiving JVM when the fleet stops before the workers started
        }
    }

    private int startWith(List<Path> jars, FutureTask<Path> archiveTask, boolean smoke) throws InterruptedException {
        RedisChoice.Chosen chosen = new RedisChoice(settings, new RedisBinary(settings.root(), settings.data(), settings.env(), out), launcher, out,
                clock).choose(p -> register("redis", p));
        FleetKeys keys = FleetKeys.load(settings.data());
        SampleRepository sample = new SampleRepository(settings.sampleRepository());
        if (!Files.isDirectory(sample.path())) {
            out.say("preparing the sample repository " + out.rel(sample.path()) + "...");
            sample.createIfMissing();
        }

        out.say("starting the controller on " + settings.baseUrl() + " (H2 database in " + out.rel(settings.data().resolve("controller")) + ")...");
        Instant since = clock.instant(); // sessions of this run register after this instant (the database keeps earlier runs' workers)
        register("controller", launcher.start(jvms.controllerCommand(jars.get(0)), settings.data().resolve("controller"),
                jvms.controllerEnv(chosen.url(), keys), settings.logs().resolve("controller.log")));
        ApiClient api = new ApiClient(URI.create(settings.baseUrl()), keys.admin());
        Readiness readiness = new Readiness(api, out, clock, since);
        readiness.await(List.of(), settings.readyTimeout(), this::exited); // a worker that finds no controller backs off for up to 30 s

        warnIfAgentMissing();
        Path archive = archive(archiveTask);
        out.say("starting " + settings.types().size() + " worker(s) (" + String.join(", ", settings.types()) + ") with the "
                + settings.agent() + " agent...");
        for (String type : settings.types()) {
            Path dir = jvms.workerDir(type);
            try {
                Files.createDirectories(dir.resolve("workspaces"));
                Files.createDirectories(dir.resolve("logs"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            register("worker-" + type, launcher.start(jvms.workerCommand(jars.get(1), archive), dir, jvms.workerEnv(type, chosen.url(), keys),
                    settings.logs().resolve("worker-" + type + ".log")));
        }
        readiness.await(settings.types().stream().map(FleetJvms::workerName).toList(), settings.readyTimeout(), this::exited);
        out.say("ready in " + Duration.between(t0, clock.instant()).toSeconds() + " s.");

        if (smoke) {
            return smoke(api, sample);
        }
        out.say(NextSteps.text(settings, out, keys, chosen, sample).stripTrailing());
        while (!stopped.await(WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
            runOnce();
        }
        return ExitCodes.OK;
    }

    /** The archive once made; null (the workers start without one) when it could not be. */
    private static Path archive(FutureTask<Path> task) throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            return null;
        }
    }

    private int smoke(ApiClient api, SampleRepository sample) throws InterruptedException {
        out.say("");
        out.say("smoke run: one task per type against " + out.rel(sample.path()));
        Instant s0 = clock.instant();
        boolean ok = new SmokeRun(api, sample, out, clock).run(settings.types(), settings.smokeTimeout());
        if (ok) {
            out.say("smoke run passed in " + Duration.between(s0, clock.instant()).toSeconds() + " s (fleet up to all tasks checked: "
                    + Duration.between(t0, clock.instant()).toSeconds() + " s)");
        } else {
            out.warn("smoke run FAILED (logs: " + out.rel(settings.logs()) + "/, agent output: " + out.rel(settings.data()) + "/workers/<type>/logs/)");
        }
        stop();
        return ok ? ExitCodes.OK : ExitCodes.ERROR;
    }

    /**
     * One look at the fleet's processes while it runs: Redis or the controller gone ends the fleet (a
     * {@link FleetStartException} naming its log); a worker gone is reported once, the others keep running.
     */
    void runOnce() {
        if (isStopping()) {
            return;
        }
        if (!controller.isAlive()) {
            throw new FleetStartException("the controller exited", settings.logs().resolve("controller.log"));
        }
        if (redis != null && !redis.isAlive()) {
            throw new FleetStartException("Redis exited", settings.logs().resolve("redis.log"));
        }
        synchronized (lock) {
            workers.forEach((name, p) -> {
                if (!p.isAlive() && reportedExits.add(name)) {
                    out.warn("the " + name.substring("worker-".length()) + " worker exited (see " + out.rel(settings.logs().resolve(name + ".log"))
                            + "); the others keep running");
                }
            });
        }
    }

    /** Stops the fleet in order; idempotent (a second call waits for the first to finish). */
    public void stop() {
        List<Process> ws;
        Process c;
        Process r;
        synchronized (lock) {
            if (stopping) {
                ws = null;
                c = null;
                r = null;
            } else {
                stopping = true;
                ws = new ArrayList<>(workers.values());
                c = controller;
                r = redis;
            }
        }
        if (ws == null) {
            awaitStopped();
            return;
        }
        try {
            Instant s0 = clock.instant();
            if (!ws.isEmpty()) {
                out.say("stopping " + ws.size() + " worker(s): running tasks get " + settings.shutdownGrace()
                        + ", then their orders are released...");
                stopper.stop(ws.stream().map(Process::toHandle).toList(), WORKER_STOP);
                workers.forEach((name, p) -> {
                    if (!p.isAlive() && p.exitValue() != 0 && p.exitValue() != 143 && !reportedExits.contains(name)) {
                        out.warn(name + " (pid " + p.pid() + ") exited with status " + p.exitValue());
                    }
                    state.remove(name);
                });
            }
            if (c != null) {
                out.say("stopping the controller...");
                stopper.stop(List.of(c.toHandle()), CONTROLLER_STOP);
                state.remove("controller");
            }
            if (r != null) {
                out.say("stopping Redis (started here)...");
                stopper.stop(List.of(r.toHandle()), REDIS_STOP);
                state.remove("redis");
            }
            state.clear();
            if (started) {
                out.say("fleet stopped (" + Duration.between(s0, clock.instant()).toSeconds() + " s).");
            }
        } finally {
            if (fleetLock != null) {
                fleetLock.close();
            }
            stopped.countDown();
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** Takes a started process into the fleet (recorded in the state file); one started while stopping is killed at once. */
    private void register(String name, Process p) {
        synchronized (lock) {
            if (stopping) {
                p.destroyForcibly();
                throw new FleetStartException("stopped while starting " + name);
            }
            String marker = name.equals("redis") ? "redis-server" : jvms.marker();
            state.add(name, p.toHandle(), marker);
            started = true;
            if (name.equals("redis")) {
                redis = p;
            } else if (name.equals("controller")) {
                controller = p;
            } else {
                workers.put(name, p);
            }
        }
    }

    /** The first process of the fleet that has exited, with its log; null while all run. */
    private Map.Entry<String, Path> exited() {
        synchronized (lock) {
            if (redis != null && !redis.isAlive()) {
                return new AbstractMap.SimpleEntry<>("Redis", settings.logs().resolve("redis.log"));
            }
            if (controller != null && !controller.isAlive()) {
                return new AbstractMap.SimpleEntry<>("the controller", settings.logs().resolve("controller.log"));
            }
            for (var w : workers.entrySet()) {
                if (!w.getValue().isAlive()) {
                    return new AbstractMap.SimpleEntry<>("the " + w.getKey().substring("worker-".length()) + " worker",
                            settings.logs().resolve(w.getKey() + ".log"));
                }
            }
            return null;
        }
    }

    private void warnIfAgentMissing() {
        String agent = settings.agent();
        String cli = switch (agent) {
            case "claude-code" -> "claude";
            case "codex", "aider" -> agent;
            default -> null;
        };
        String binary = settings.env("AGENTVINE_AGENT_BINARY") != null ? settings.env("AGENTVINE_AGENT_BINARY") : cli;
        if (binary != null && !binary.contains("/") && RedisBinary.onPath(binary, settings.env()).isEmpty()) {
            out.warn("'" + binary + "' is not on PATH: the " + agent + " agent's tasks will fail until it is");
        }
    }
}

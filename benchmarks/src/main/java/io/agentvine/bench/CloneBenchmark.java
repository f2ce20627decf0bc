package io.agentvine.bench;

import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.GitCredentials;
import io.agentvine.worker.workspace.RepositoryCacheSettings;
import io.agentvine.worker.workspace.Workspace;
import io.agentvine.worker.workspace.WorkspaceManager;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a worker's {@code WorkspaceManager.prepare} costs on a large repository ({@link LargeRepository}:
 * FILES files, COMMITS commits, default 20,000 and 2,000), served by {@code git daemon} on 127.0.0.1,
 * against git's own commands doing the same job, ROUNDS rounds (default 5), the systems taking turns
 * at going first, each step after a {@code sync}; every round is printed, then the medians:
 * <ul>
 * <li>{@code cold}: prepare with the repository cache on and empty (the mirror is cloned: full history);</li>
 * <li>{@code reset}: from the cold task's workspace closed to the worker's recycler done resetting it for
 *     the next task (off the task's path: the worker does it after the run; awaited before the next step);</li>
 * <li>{@code warm}: the next task's prepare on that cache after 10 new upstream commits (an
 *     incremental fetch, then the kept workspace switched to the new tip);</li>
 * <li>{@code warm-fresh}: the same after 10 more commits with no workspace kept
 *     ({@code AGENTVINE_REPO_CACHE_WORKSPACES=0}: the fetch, then a full checkout from the mirror);</li>
 * <li>{@code shallow}: prepare with the cache off (a depth-1 JGit clone of the branch);</li>
 * <li>{@code git-clone}: {@code git clone --depth 1 --branch main --no-tags};</li>
 * <li>{@code git-fetch+worktree}: on a bare mirror git keeps, {@code git fetch} of main after the same
 *     10 new commits and {@code git worktree add} of a new branch.</li>
 * </ul>
 * Workspaces go to CLONE_DIR (default {@code /dev/shm} if there, else the temp directory), closed (deleted,
 * or kept by the cache) after each step outside the timings. The generated repository is kept under REPO_CACHE (default
 * {@code benchmarks/target/clone-bench}).
 */
public final class CloneBenchmark {
    private static final String[] SYSTEMS = {"cold", "reset", "warm", "warm-fresh", "shallow", "git-clone", "git-fetch+worktree"};

    private CloneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int files = Integer.parseInt(env.getOrDefault("FILES", "20000"));
        int commits = Integer.parseInt(env.getOrDefault("COMMITS", "2000"));
        int rounds = Integer.parseInt(env.getOrDefault("ROUNDS", "5"));
        Path repoCache = Files.createDirectories(Path.of(env.getOrDefault("REPO_CACHE", "benchmarks/target/clone-bench")));
        Path places = Path.of(env.getOrDefault("CLONE_DIR", Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm"
                : System.getProperty("java.io.tmpdir")));
        Path generated = LargeRepository.get(repoCache.toAbsolutePath(), files, commits);

        Path work = Files.createTempDirectory(Files.createDirectories(places), "agentvine-clone-bench");
        Path served = work.resolve("served");
        Bench.git(work, "clone", "-q", "--bare", generated.toString(), served.resolve("large.git").toString());
        Path upstream = served.resolve("large.git");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1", "--port=" + port,
                "--base-path=" + served, served.toString()).redirectErrorStream(true).redirectOutput(work.resolve("daemon.log").toFile()).start();
        try {
            Bench.awaitPort(port);
            String url = "git://127.0.0.1:" + port + "/large.git";
            System.out.printf("repository: %d files, %d commits, %s (packed %s); workspaces in %s; git daemon on 127.0.0.1%n", files,
                    commits, generated, Bench.run(work, "du", "-sh", upstream.toString()).split("\\s")[0], places);
            Map<String, List<Long>> times = new LinkedHashMap<>();
            for (String s : SYSTEMS) {
                times.put(s, new ArrayList<>());
            }
            Path gitMirror = work.resolve("git-mirror.git");
            Bench.git(work, "clone", "-q", "--bare", url, gitMirror.toString()); // git's own cache, made once
            int nextCommit = commits;
            for (int round = -1; round < rounds; round++) { // round -1: warm-up, not counted
                Path cacheDir = work.resolve("cache-" + round);
                WorkspaceManager cached = manager(work.resolve("ws"), RepositoryCacheSettings.at(cacheDir));
                WorkspaceManager noneKept = manager(work.resolve("ws"),
                        new RepositoryCacheSettings(true, cacheDir, RepositoryCacheSettings.DEFAULT_MAX_BYTES, 0));
                WorkspaceManager shallow = manager(work.resolve("ws"), RepositoryCacheSettings.off());
                Map<String, Long> r = new LinkedHashMap<>();
                boolean jgitFirst = (round & 1) == 0;
                // Cold: the cache's first task, against git's shallow clone and JGit's shallow clone.
                for (String s : jgitFirst ? List.of("cold", "git-clone", "shallow") : List.of("shallow", "git-clone", "cold")) {
                    r.put(s, switch (s) {
                        case "cold" -> {
                            long cold = prepare(cached, url, "cold-" + round);
                            long resetStarted = System.nanoTime(); // its workspace, closed, is being reset: before the next step
                            if (!cached.awaitKeptWorkspaces(Duration.ofMinutes(5))) {
                                throw new IllegalStateException("the kept workspace was not reset within 5 minutes");
                            }
                            r.put("reset", System.nanoTime() - resetStarted);
                            yield cold;
                        }
                        case "shallow" -> prepare(shallow, url, "shallow-" + round);
                        default -> timed(() -> Bench.git(work, "clone", "-q", "--depth", "1", "--branch", "main", "--no-tags", url,
                                work.resolve("git-clone").toString()), work.resolve("git-clone"));
                    });
                }
                LargeRepository.fastImport(upstream, nextCommit, 10, files, 10); // 10 new upstream commits
                nextCommit += 10;
                for (String s : jgitFirst ? List.of("warm", "git-fetch+worktree") : List.of("git-fetch+worktree", "warm")) {
                    Path tree = work.resolve("git-worktree");
                    String branch = "work-" + round;
                    r.put(s, s.equals("warm") ? prepare(cached, url, "warm-" + round) : timed(() -> {
                        Bench.git(gitMirror, "fetch", "-q", "--no-tags", url, "+refs/heads/main:refs/heads/main");
                        Bench.git(gitMirror, "worktree", "add", "-q", "-b", branch, tree.toString(), "main");
                    }, tree));
                }
                LargeRepository.fastImport(upstream, nextCommit, 10, files, 10); // 10 more: the same fetch, no workspace kept
                nextCommit += 10;
                r.put("warm-fresh", prepare(noneKept, url, "warm-fresh-" + round));
                Bench.git(gitMirror, "fetch", "-q", "--no-tags", url, "+refs/heads/main:refs/heads/main"); // git's mirror in step, untimed
                Bench.git(gitMirror, "worktree", "prune");
                for (WorkspaceManager m : List.of(cached, noneKept, shallow)) {
                    m.awaitKeptWorkspaces(Duration.ofMinutes(5));
                    m.close();
                }
                Bench.run(work, "rm", "-rf", cacheDir.toString());
                StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1)).append(jgitFirst ? " (JGit first):" : " (git first):");
                for (String s : SYSTEMS) {
                    line.append(String.format(Locale.ROOT, " %s %d ms,", s, r.get(s) / 1_000_000));
                    if (round >= 0) {
                        times.get(s).add(r.get(s));
                    }
                }
                System.out.println(line.substring(0, line.length() - 1));
            }
            Map<String, Double> median = new LinkedHashMap<>();
            StringBuilder line = new StringBuilder("medians of " + rounds + ":");
            for (String s : SYSTEMS) {
                List<Long> sorted = times.get(s).stream().sorted().toList();
                median.put(s, sorted.get(sorted.size() / 2) / 1e6);
                line.append(String.format(Locale.ROOT, " %s %.0f ms,", s, median.get(s)));
            }
            System.out.println(line.substring(0, line.length() - 1));
            System.out.printf(Locale.ROOT, "warm / cold %.1f %% (goal <= 10 %%); warm / git fetch+worktree %.2fx (goal <= 1); "
                            + "warm-fresh / cold %.1f %%; shallow / git clone --depth 1 %.2fx%n", 100 * median.get("warm") / median.get("cold"),
                    median.get("warm") / median.get("git-fetch+worktree"), 100 * median.get("warm-fresh") / median.get("cold"),
                    median.get("shallow") / median.get("git-clone"));
        } finally {
            daemon.destroy();
            Bench.run(Path.of("/"), "rm", "-rf", work.toString());
        }
    }

    private static WorkspaceManager manager(Path root, RepositoryCacheSettings cache) {
        return new WorkspaceManager(root, WorkspaceManager.DEFAULT_DEPTH, false, GitCredentials.none(), WorkspaceManager.DEFAULT_TIMEOUT,
                cache, Clock.systemUTC());
    }

    /** Nanoseconds of {@code prepare} of a new order (after a sync); its workspace closed after the timing (deleted, or kept by the cache). */
    private static long prepare(WorkspaceManager workspaces, String url, String id) throws Exception {
        WorkOrder order = WorkOrder.builder(id, TaskType.FEATURE).taskId(id).repositoryUrl(url).branch("main").title("clone")
                .instructions("clone").build();
        Bench.run(Path.of("/"), "sync");
        long t0 = System.nanoTime();
        try (Workspace ws = workspaces.prepare(order)) {
            return System.nanoTime() - t0;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Nanoseconds of {@code step} (after a sync); {@code output} deleted after the timing. */
    private static long timed(Step step, Path output) throws Exception {
        Bench.run(Path.of("/"), "sync");
        long t0 = System.nanoTime();
        step.run();
        long t = System.nanoTime() - t0;
        Bench.run(Path.of("/"), "rm", "-rf", output.toString());
        return t;
    }
}

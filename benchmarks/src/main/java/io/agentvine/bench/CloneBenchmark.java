package io.agentvine.bench;

import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.GitCredentials;
import io.agentvine.worker.workspace.GitSha1;
import io.agentvine.worker.workspace.Workspace;
import io.agentvine.worker.workspace.WorkspaceManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker's shallow clone ({@code WorkspaceManager.prepare}: JGit fetch, checkout, work branch)
 * against {@code git clone --depth 1 --branch main} of the same repository, ROUNDS times each after
 * WARMUP warm-ups (default 5, for the JIT), taking turns at going first, each starting after a {@code sync}; prints the medians and the ratio, per source repository:
 * <ul>
 * <li>{@code packed}: the repository after {@code git gc}, as every hosting server keeps them;</li>
 * <li>{@code loose}: the same history with every object loose, so the server side must compute
 *     deltas (over file:// JGit does the server's side in-process, in Java).</li>
 * </ul>
 * The repository is generated: FILES source files of ~2 KB over COMMITS commits. Clones go to CLONE_DIR
 * (default: the JVM's temp directory) and are deleted after each round, outside the timings, as a
 * worker deletes its workspace after a task. TRANSPORT=daemon fetches from {@code git daemon} on the
 * loopback instead of file://. SHA1=detect makes JGit use its collision-detecting SHA-1 (the worker's
 * {@code AGENTVINE_GIT_SHA1_COLLISION_DETECTION=true}); by default it picks what workers pick
 * ({@link GitSha1}: the unrolled one in a JVM without C2, else the JDK's).
 */
public final class CloneBenchmark {
    private CloneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = Integer.parseInt(System.getenv().getOrDefault("FILES", "3000"));
        int commits = Integer.parseInt(System.getenv().getOrDefault("COMMITS", "30"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "7"));
        int warmUps = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "5"));
        List<String> sources = List.of(System.getenv().getOrDefault("SOURCES", "packed,loose").split(","));
        boolean daemon = "daemon".equals(System.getenv().getOrDefault("TRANSPORT", "file"));
        boolean detect = "detect".equals(System.getenv().getOrDefault("SHA1", "jdk"));
        boolean detail = System.getenv("DETAIL") != null; // every round's two times, warm-ups (negative) too
        Path cloneDir = Path.of(System.getenv().getOrDefault("CLONE_DIR", System.getProperty("java.io.tmpdir")));
        GitSha1 sha1 = WorkspaceManager.selectSha1(detect);

        Path tmp = Files.createTempDirectory("agentvine-clone-bench");
        Path clones = Files.createTempDirectory(Files.createDirectories(cloneDir), "agentvine-clones");
        Process server = null;
        try {
            Path seed = generate(tmp, files, commits);
            for (String source : sources) {
                Path bare = tmp.resolve(source + ".git");
                git(tmp, "clone", "-q", "--bare", seed.toString(), bare.toString());
                if (source.equals("packed")) {
                    git(bare, "gc", "-q");
                } else if (!source.equals("loose")) {
                    throw new IllegalArgumentException("SOURCES: '" + source + "' is not packed or loose");
                }
            }
            String base = "file://" + tmp.toAbsolutePath();
            if (daemon) {
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                server = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1", "--port=" + port,
                        "--base-path=" + tmp, tmp.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
                base = "git://127.0.0.1:" + port;
                awaitPort(port);
            }
            for (String source : sources) {
                String url = base + "/" + source + ".git";
                // What the worker does: WorkspaceManager.prepare (shallow fetch, checkout, work branch).
                WorkspaceManager workspaces = new WorkspaceManager(clones.resolve("ws"), 1, true, GitCredentials.none());
                long[] jgit = new long[rounds];
                long[] cli = new long[rounds];
                for (int i = -warmUps; i < rounds; i++) { // negative: warm-up rounds, not counted
                    WorkOrder order = WorkOrder.builder("bench-" + source + (i + warmUps), TaskType.FEATURE)
                            .repositoryUrl(url).branch("main").title("clone").instructions("clone").build();
                    Path b = clones.resolve("cli-" + source + i);
                    // Alternating who goes first; each starts on a flushed file system (sync, outside the timings).
                    long tj = 0;
                    long tc = 0;
                    for (int side = 0; side < 2; side++) {
                        sync();
                        long t0 = System.nanoTime();
                        if ((side + i) % 2 == 0) {
                            try (Workspace ws = workspaces.prepare(order)) {
                                ws.workBranch();
                            }
                            tj = System.nanoTime() - t0;
                        } else {
                            git(clones, "clone", "-q", "--depth", "1", "--branch", "main", url, b.toString());
                            tc = System.nanoTime() - t0;
                        }
                    }
                    if (i >= 0) {
                        jgit[i] = tj;
                        cli[i] = tc;
                    }
                    if (detail) {
                        System.out.printf("  round %d (%s first): JGit %d ms, git CLI %d ms%n", i,
                                i % 2 == 0 ? "JGit" : "git", tj / 1_000_000, tc / 1_000_000);
                    }
                    delete(clones.resolve("ws"));
                    delete(b);
                }
                Arrays.sort(jgit);
                Arrays.sort(cli);
                double mj = jgit[rounds / 2] / 1e6;
                double mc = cli[rounds / 2] / 1e6;
                System.out.printf("%s source, %d files (%d commits), %s, clones in %s, SHA-1 %s, medians of %d after %d warm-ups: "
                                + "JGit %.0f ms, git CLI %.0f ms, ratio %.2f×%n", source, files, commits,
                        daemon ? "git daemon (loopback)" : "file://", cloneDir, sha1,
                        rounds, warmUps, mj, mc, mj / mc);
            }
        } finally {
            if (server != null) {
                server.destroy();
            }
            delete(clones);
            delete(tmp);
        }
    }

    /** FILES files of ~2 KB on main; commit c rewrites every COMMITS-th file, starting at file c. */
    private static Path generate(Path tmp, int files, int commits) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        git(seed, "init", "-q");
        String line = "    public int value() { return 42; } // padding to make a realistic source file\n";
        for (int c = 0; c < commits; c++) {
            for (int f = c; f < files; f += commits) {
                Path p = seed.resolve("src/pkg" + (f % 50) + "/File" + f + ".java");
                Files.createDirectories(p.getParent());
                Files.writeString(p, "class File" + f + " { // rev " + c + "\n" + line.repeat(25) + "}\n");
            }
            git(seed, "add", "-A");
            git(seed, "commit", "-q", "-m", "commit " + c);
        }
        return seed;
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("git daemon did not listen on port " + port);
    }

    private static void sync() throws Exception {
        new ProcessBuilder("sync").start().waitFor(120, TimeUnit.SECONDS);
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(120, TimeUnit.SECONDS);
        }
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Bench", "-c", "user.email=b@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
        }
    }
}

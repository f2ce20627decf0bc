package io.agentvine.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker's shallow clone ({@code WorkspaceManager.prepare}: JGit fetch, checkout, work branch) against {@code git clone --depth 1} of the same repository
 * over file://, alternating, ROUNDS times each; prints the medians and the ratio. The repository is
 * generated: FILES source files of ~2 KB over COMMITS commits.
 */
public final class CloneBenchmark {
    public static void main(String[] args) throws Exception {
        int files = Integer.parseInt(System.getenv().getOrDefault("FILES", "3000"));
        int commits = Integer.parseInt(System.getenv().getOrDefault("COMMITS", "30"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "7"));
        Path tmp = Files.createTempDirectory("agentvine-clone-bench");
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
        Path bare = tmp.resolve("repo.git");
        git(tmp, "clone", "-q", "--bare", seed.toString(), bare.toString());
        // TRANSPORT=file (default): file://, where JGit also does the server's side (packing) in-process;
        // TRANSPORT=daemon: both clients fetch from `git daemon` on the loopback, a native git server.
        boolean daemon = "daemon".equals(System.getenv().getOrDefault("TRANSPORT", "file"));
        Process server = null;
        String url = bare.toUri().toString();
        if (daemon) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            server = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1", "--port=" + port,
                    "--base-path=" + tmp, tmp.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
            url = "git://127.0.0.1:" + port + "/repo.git";
            for (int i = 0; i < 100; i++) {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(50);
                }
            }
        }
        // What the worker does: WorkspaceManager.prepare (shallow fetch, checkout, work branch).
        var workspaces = new io.agentvine.worker.workspace.WorkspaceManager(tmp.resolve("ws"), 1, true,
                io.agentvine.worker.workspace.GitCredentials.none());
        long[] jgit = new long[rounds];
        long[] cli = new long[rounds];
        for (int i = -2; i < rounds; i++) { // two warm-up rounds each
            Path a = tmp.resolve("jgit-" + i);
            long t0 = System.nanoTime();
            io.agentvine.model.WorkOrder order = io.agentvine.model.WorkOrder.builder("bench-" + (i + 2), io.agentvine.model.TaskType.FEATURE)
                    .repositoryUrl(url).branch("main").title("clone").instructions("clone").build();
            try (var ws = workspaces.prepare(order)) {
                ws.workBranch();
            }
            long t1 = System.nanoTime();
            Path b = tmp.resolve("cli-" + i);
            git(tmp, "clone", "-q", "--depth", "1", "--branch", "main", url, b.toString());
            long t2 = System.nanoTime();
            if (i >= 0) {
                jgit[i] = t1 - t0;
                cli[i] = t2 - t1;
            }
        }
        Arrays.sort(jgit);
        Arrays.sort(cli);
        double mj = jgit[rounds / 2] / 1e6;
        double mc = cli[rounds / 2] / 1e6;
        System.out.printf("shallow clone of %d files (%d commits) over %s, medians of %d: JGit %.0f ms, git CLI %.0f ms, ratio %.2f×%n",
                files, commits, daemon ? "git daemon (loopback)" : "file://", rounds, mj, mc, mj / mc);
        if (server != null) {
            server.destroy();
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

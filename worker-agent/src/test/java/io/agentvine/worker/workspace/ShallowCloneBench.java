package io.agentvine.worker.workspace;

import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.api.Git;

/**
 * Benchmark hook, not a test: clones one local repository {@code rounds} times each with JGit at
 * depth 1 (as {@link WorkspaceManager} does), through {@link WorkspaceManager#prepare} (clone, work
 * branch, delete on close) and with {@code git clone --depth 1}, interleaved, and prints the medians.
 *
 * <pre>
 * ./mvnw -q -pl worker-agent test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * java -cp worker-agent/target/test-classes:worker-agent/target/classes:$(cat worker-agent/target/test.cp) \
 *     io.agentvine.worker.workspace.ShallowCloneBench [rounds, default 7] [bare repository]
 * </pre>
 *
 * Without a repository it generates one: {@code FILES} (default 3000) files of ~2 KB on {@code main},
 * each rewritten in every third of {@code COMMITS} (default 30) commits. Both sides clone a file://
 * URL, because git ignores {@code --depth} for a plain local path (it hard-links the objects instead).
 */
public final class ShallowCloneBench {
    private ShallowCloneBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
        }
        Path tmp = Files.createTempDirectory("agentvine-shallow-bench");
        try {
            Path bare = args.length > 1 ? Path.of(args[1]).toAbsolutePath() : generate(tmp,
                    Integer.parseInt(System.getenv().getOrDefault("FILES", "3000")),
                    Integer.parseInt(System.getenv().getOrDefault("COMMITS", "30")));
            String url = bare.toUri().toString();
            String branch = TestRepositories.git(bare, "symbolic-ref", "--short", "HEAD");
            WorkspaceManager manager = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
            long[] jgit = new long[rounds];
            long[] prepare = new long[rounds];
            long[] cli = new long[rounds];
            for (int i = -2; i < rounds; i++) { // two warm-up rounds
                Path a = tmp.resolve("jgit-" + i);
                long t0 = System.nanoTime();
                try (Git g = Git.cloneRepository().setURI(url).setDirectory(a.toFile()).setDepth(1).setNoTags()
                        .setBranch(branch).setBranchesToClone(java.util.List.of("refs/heads/" + branch)).call()) {
                    g.getRepository().getBranch();
                }
                long t1 = System.nanoTime();
                WorkOrder order = WorkOrder.builder("bench-" + (i + 2), TaskType.FEATURE).repositoryUrl(url).branch(branch)
                        .title("bench").build();
                try (Workspace ws = manager.prepare(order)) {
                    ws.workBranch();
                }
                long t2 = System.nanoTime();
                TestRepositories.git(tmp, "clone", "-q", "--depth", "1", "--single-branch", "--no-tags", "--branch", branch,
                        url, tmp.resolve("cli-" + i).toString());
                long t3 = System.nanoTime();
                Trees.delete(a);
                Trees.delete(tmp.resolve("cli-" + i));
                if (i >= 0) {
                    jgit[i] = t1 - t0;
                    prepare[i] = t2 - t1;
                    cli[i] = t3 - t2;
                }
            }
            System.out.printf("shallow clone of %s (%s files at HEAD), medians of %d rounds:%n", bare,
                    TestRepositories.git(bare, "ls-tree", "-r", "--name-only", branch).lines().count(), rounds);
            System.out.printf("  JGit clone --depth 1          %7.1f ms%n", median(jgit));
            System.out.printf("  WorkspaceManager.prepare+close %6.1f ms%n", median(prepare));
            System.out.printf("  git clone --depth 1           %7.1f ms%n", median(cli));
            System.out.printf("  JGit / git                    %7.2f x%n", median(jgit) / median(cli));
        } finally {
            Trees.delete(tmp);
        }
    }

    private static Path generate(Path tmp, int files, int commits) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        TestRepositories.git(seed, "init", "-q");
        String line = "    public int value() { return 42; } // padding to make a realistic source file\n";
        for (int c = 0; c < commits; c++) {
            // The first commit adds every file, later ones each rewrite a third: history a shallow clone skips.
            for (int f = c == 0 ? 0 : c % 3; f < files; f += c == 0 ? 1 : 3) {
                Path p = seed.resolve("src/pkg" + (f % 50) + "/File" + f + ".java");
                Files.createDirectories(p.getParent());
                Files.writeString(p, "class File" + f + " { // rev " + c + "\n" + line.repeat(25) + "}\n");
            }
            TestRepositories.git(seed, "add", "-A");
            TestRepositories.git(seed, "commit", "-q", "-m", "commit " + c);
        }
        Path bare = tmp.resolve("repo.git");
        TestRepositories.git(tmp, "clone", "-q", "--bare", seed.toString(), bare.toString());
        return bare;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}

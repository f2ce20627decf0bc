package io.agentvine.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A generated repository for the clone benchmark, written with {@code git fast-import} (seconds, where
 * committing file by file would take hours): FILES source files of ~2 KB in 100 packages of 10
 * directories, and COMMITS commits on {@code main}, the first adding every file and each later one
 * rewriting 10 of them; repacked as hosting servers keep repositories ({@code git gc}). Deterministic:
 * the same arguments give the same repository, which is kept and reused.
 */
final class LargeRepository {
    private static final long EPOCH = 1_700_000_000L;

    private LargeRepository() {
    }

    /** The bare repository for {@code files} and {@code commits} under {@code cache}, generated if not there yet. */
    static Path get(Path cache, int files, int commits) throws Exception {
        Path bare = cache.resolve("large-" + files + "-" + commits + ".git");
        if (Files.exists(bare.resolve("generated"))) {
            return bare;
        }
        Bench.run(cache, "rm", "-rf", bare.toString());
        Files.createDirectories(bare);
        Bench.git(bare, "init", "-q", "--bare");
        long t0 = System.nanoTime();
        fastImport(bare, 0, commits, files, 10);
        Bench.git(bare, "gc", "-q");
        Files.writeString(bare.resolve("generated"), "ok\n");
        System.err.printf("generated %s in %d s%n", bare, (System.nanoTime() - t0) / 1_000_000_000L);
        return bare;
    }

    /**
     * Adds commits {@code from} to {@code from + count - 1} on main of {@code bare}: the first one of the
     * repository adds all {@code files}; each other rewrites {@code perCommit} of them.
     */
    static void fastImport(Path bare, int from, int count, int files, int perCommit) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "fast-import", "--quiet", "--done"));
        Process p = new ProcessBuilder(cmd).directory(bare.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
            for (int c = from; c < from + count; c++) {
                String msg = "commit " + c + "\n";
                write(out, "commit refs/heads/main\ncommitter Bench <bench@example.com> " + (EPOCH + c) + " +0000\ndata "
                        + msg.length() + "\n" + msg);
                if (c == from && from > 0) {
                    write(out, "from refs/heads/main^0\n");
                }
                if (c == 0) {
                    for (int f = 0; f < files; f++) {
                        file(out, f, c);
                    }
                } else {
                    for (int k = 0; k < perCommit; k++) {
                        file(out, (int) ((c * 7919L + k * 104729L) % files), c);
                    }
                }
                write(out, "\n");
            }
            write(out, "done\n");
        }
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git fast-import failed in " + bare);
        }
    }

    private static void file(OutputStream out, int f, int rev) throws IOException {
        byte[] data = content(f, rev);
        write(out, "M 100644 inline src/pkg" + (f % 100) + "/sub" + (f / 100 % 10) + "/File" + f + ".java\ndata " + data.length + "\n");
        out.write(data);
        write(out, "\n");
    }

    /** ~2 KB of Java-like text, different per file and revision (some of it random, so packs compress as real code does). */
    static byte[] content(int f, int rev) {
        SplittableRandom random = new SplittableRandom(f * 31L + rev);
        StringBuilder s = new StringBuilder("package pkg").append(f % 100).append(";\n\nclass File").append(f)
                .append(" { // revision ").append(rev).append('\n');
        for (int line = 0; line < 30; line++) {
            s.append("    int field").append(line).append(" = compute(").append(random.nextInt(1_000_000)).append(", \"")
                    .append(Long.toHexString(random.nextLong())).append("\");\n");
        }
        return s.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}

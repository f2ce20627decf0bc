package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Real repositories for tests, made with the git CLI (the independent reference JGit is checked
 * against). Identity, default branch and signing are fixed per command so that the machine's git
 * configuration does not matter.
 */
public final class TestRepositories {
    private TestRepositories() {
    }

    /** Runs {@code git args} in {@code dir}; fails the test with git's output when git fails. */
    public static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git " + String.join(" ", args) + " timed out: " + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + out);
        }
        return out.trim();
    }

    /**
     * A bare repository {@code <remotes>/shop.git}: {@code main} with two commits ("first" adds
     * README.md, "second" adds Total.java) and {@code release-1} one commit ahead of it (adds
     * RELEASE); HEAD is {@code main}.
     */
    public static Path shop(Path tmp) throws IOException, InterruptedException {
        Path remotes = Files.createDirectories(tmp.resolve("remotes"));
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        git(seed, "init", "-q");
        Files.writeString(seed.resolve("README.md"), "# shop\n");
        git(seed, "add", ".");
        git(seed, "commit", "-q", "-m", "first");
        Files.writeString(seed.resolve("Total.java"), "class Total {}\n");
        git(seed, "add", ".");
        git(seed, "commit", "-q", "-m", "second");
        git(seed, "tag", "v1");
        git(seed, "checkout", "-q", "-b", "release-1");
        Files.writeString(seed.resolve("RELEASE"), "1\n");
        git(seed, "add", ".");
        git(seed, "commit", "-q", "-m", "release");
        git(seed, "checkout", "-q", "main");
        Path bare = remotes.resolve("shop.git");
        git(tmp, "clone", "-q", "--bare", seed.toString(), bare.toString());
        return bare;
    }

    /** The branch names in {@code repo} (bare or not), sorted. */
    public static List<String> branches(Path repo) throws IOException, InterruptedException {
        String out = git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads/");
        return out.isEmpty() ? List.of() : out.lines().sorted().toList();
    }

    /** Writes the entries of a hand-made root tree (and the objects they name). */
    public interface TreeWriter {
        void write(ObjectInserter ins, TreeFormatter root) throws Exception;
    }

    /** Inserts a blob of {@code text}. */
    public static ObjectId blob(ObjectInserter ins, String text) throws Exception {
        return ins.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Makes {@code main} of the bare repository a commit of a tree written object by object (trees
     * git cannot commit: hostile names, duplicates).
     */
    public static void commitTree(Path bare, TreeWriter writer) throws Exception {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build(); ObjectInserter ins = repo.newObjectInserter()) {
            TreeFormatter root = new TreeFormatter();
            writer.write(ins, root);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(ins.insert(root));
            commit.setParentId(repo.resolve("refs/heads/main"));
            PersonIdent who = new PersonIdent("Mallory", "m@example.com");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("hostile tree\n");
            ObjectId id = ins.insert(commit);
            ins.flush();
            RefUpdate main = repo.updateRef("refs/heads/main");
            main.setNewObjectId(id);
            assertThat(main.forceUpdate()).isIn(RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD);
        }
    }
}

package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.worker.workspace.FreshCheckout.Written;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamingCheckout} on real fetches (depth 1, file://): what it writes while the pack is
 * parsed, what it leaves to {@link FreshCheckout}, and that the two together give the tree git sees clean.
 */
class StreamingCheckoutTest {
    @TempDir
    Path tmp;

    /** main: 400 files in nested directories, two of them equal, an executable and a symbolic link; plus {@code extra} files. */
    private Path repo(String... extra) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        TestRepositories.git(seed, "init", "-q", "-b", "main");
        for (int i = 0; i < 400; i++) {
            Path f = seed.resolve("src/pkg" + (i % 9) + "/sub" + (i % 2) + "/File" + i + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "file " + i + "\n".repeat(i % 5));
        }
        Files.writeString(seed.resolve("same-a.txt"), "same\n");
        Files.writeString(seed.resolve("same-b.txt"), "same\n");
        Files.createDirectories(seed.resolve("bin"));
        Files.writeString(seed.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
        assertThat(seed.resolve("bin/run.sh").toFile().setExecutable(true)).isTrue();
        Files.createSymbolicLink(seed.resolve("link"), Path.of("same-a.txt"));
        for (int i = 0; i < extra.length; i += 2) {
            Path f = seed.resolve(extra[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, extra[i + 1]);
        }
        TestRepositories.git(seed, "add", "-A");
        TestRepositories.git(seed, "-c", "user.name=a", "-c", "user.email=a@a", "commit", "-q", "-m", "seed");
        Path bare = tmp.resolve("r.git");
        TestRepositories.git(tmp, "clone", "-q", "--bare", seed.toString(), bare.toString());
        TestRepositories.git(bare, "gc", "-q");
        return bare;
    }

    private record Clone(FreshRepository repo, Map<String, Written> written) {
    }

    /** What WorkspaceManager does for a fresh clone, with the given budget, up to the written files. */
    private Clone fetch(Path bare, long budget) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("clone"));
        FileRepositoryBuilder b = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setGitDir(dir.resolve(".git").toFile());
        b.setup();
        FreshRepository repo = new FreshRepository(b);
        repo.create();
        StreamingCheckout stream = new StreamingCheckout(repo, budget);
        repo.checkFirstPackWith(stream);
        try {
            Git.wrap(repo).fetch().setRemote(bare.toUri().toString()).setDepth(1)
                    .setRefSpecs(new RefSpec("+refs/heads/main:refs/remotes/origin/main")).call();
            return new Clone(repo, stream.finish());
        } finally {
            stream.abort();
        }
    }

    /** The rest of the checkout, as WorkspaceManager.startWorkBranch does it. */
    private static void checkout(Clone c) throws Exception {
        ObjectId tip = c.repo().resolve("refs/remotes/origin/main");
        RevCommit commit;
        try (RevWalk walk = new RevWalk(c.repo())) {
            commit = walk.parseCommit(tip);
        }
        RefUpdate head = c.repo().updateRef(Constants.HEAD, true);
        head.setNewObjectId(tip);
        head.forceUpdate();
        DirCache index = c.repo().lockDirCache();
        try {
            FreshCheckout.checkout(c.repo(), index, commit.getTree(), c.written());
        } finally {
            index.unlock();
        }
    }

    private static boolean writerRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("checkout-writer") && t.isAlive());
    }

    @Test
    void every_regular_file_is_written_during_the_fetch_and_the_checkout_adds_the_link_and_the_index() throws Exception {
        Clone c = fetch(repo(), 64L << 20);
        Path dir = c.repo().getWorkTree().toPath();
        Set<String> regular = TestRepositories.git(tmp.resolve("seed"), "ls-files", "-s").lines()
                .filter(l -> !l.startsWith("120000")).map(l -> l.substring(l.indexOf('\t') + 1)).collect(Collectors.toSet());
        assertThat(regular).hasSize(403);
        assertThat(c.written().keySet()).as("written while the pack was parsed").isEqualTo(regular);
        assertThat(writerRunning()).as("the writer has stopped").isFalse();
        assertThat(dir.resolve("src/pkg4/sub1/File13.txt")).content().isEqualTo("file 13\n\n\n");
        assertThat(dir.resolve("same-b.txt")).content().isEqualTo("same\n");
        assertThat(Files.getPosixFilePermissions(dir.resolve("bin/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(dir.resolve("link")).as("symbolic links only after the fetch").doesNotExist();

        checkout(c);
        assertThat(Files.readSymbolicLink(dir.resolve("link"))).isEqualTo(Path.of("same-a.txt"));
        assertThat(TestRepositories.git(dir, "status", "--porcelain")).as("git sees the tree, clean").isEmpty();
        assertThat(TestRepositories.git(dir, "ls-files", "-s")).isEqualTo(TestRepositories.git(tmp.resolve("seed"), "ls-files", "-s"));
        c.repo().close();
    }

    @Test
    void without_budget_nothing_is_written_early_and_the_checkout_writes_it_all() throws Exception {
        Clone c = fetch(repo(), 0);
        assertThat(c.written()).isEmpty();
        checkout(c);
        Path dir = c.repo().getWorkTree().toPath();
        assertThat(TestRepositories.git(dir, "status", "--porcelain")).isEmpty();
        assertThat(TestRepositories.git(dir, "ls-files").lines().count()).isEqualTo(404);
        c.repo().close();
    }

    @Test
    void a_tree_with_attributes_is_left_to_jgits_checkout() throws Exception {
        Clone c = fetch(repo(".gitattributes", "*.txt text eol=crlf\n"), 64L << 20);
        assertThat(c.written()).isEmpty();
        assertThat(c.repo().getWorkTree().toPath().resolve("src")).doesNotExist();
        checkout(c);
        assertThat(c.repo().getWorkTree().toPath().resolve("same-a.txt")).content().isEqualTo("same\r\n");
        c.repo().close();
    }

    @Test
    void a_file_and_a_directory_of_one_name_are_not_streamed() throws Exception {
        // git cannot commit that; a hand-made tree can: "a" the file, and "a/b" under a directory "a".
        Path bare = repo();
        try (org.eclipse.jgit.lib.Repository r = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
                org.eclipse.jgit.lib.ObjectInserter ins = r.newObjectInserter()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, "x\n".getBytes());
            org.eclipse.jgit.lib.TreeFormatter sub = new org.eclipse.jgit.lib.TreeFormatter();
            sub.append("b", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
            ObjectId subTree = ins.insert(sub);
            org.eclipse.jgit.lib.TreeFormatter top = new org.eclipse.jgit.lib.TreeFormatter();
            top.append("a", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
            top.append("a", org.eclipse.jgit.lib.FileMode.TREE, subTree);
            org.eclipse.jgit.lib.CommitBuilder cb = new org.eclipse.jgit.lib.CommitBuilder();
            cb.setTreeId(ins.insert(top));
            org.eclipse.jgit.lib.PersonIdent who = new org.eclipse.jgit.lib.PersonIdent("a", "a@a");
            cb.setAuthor(who);
            cb.setCommitter(who);
            cb.setMessage("hostile");
            ObjectId commit = ins.insert(cb);
            ins.flush();
            RefUpdate u = r.updateRef("refs/heads/main");
            u.setNewObjectId(commit);
            u.forceUpdate();
        }
        Clone c = fetch(bare, 64L << 20);
        assertThat(c.written()).isEmpty();
        assertThat(c.repo().getWorkTree().toPath().resolve("a")).doesNotExist();
        c.repo().close();
    }

    @Test
    void abort_stops_the_writer() throws Exception {
        Path bare = repo();
        Path dir = Files.createDirectories(tmp.resolve("clone"));
        FileRepositoryBuilder b = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setGitDir(dir.resolve(".git").toFile());
        b.setup();
        try (FreshRepository repo = new FreshRepository(b)) {
            repo.create();
            StreamingCheckout stream = new StreamingCheckout(repo, 64L << 20);
            repo.checkFirstPackWith(stream);
            Git.wrap(repo).fetch().setRemote(bare.toUri().toString()).setDepth(1)
                    .setRefSpecs(new RefSpec("+refs/heads/main:refs/remotes/origin/main")).call();
            stream.abort();
            assertThat(writerRunning()).isFalse();
            assertThat(stream.held()).as("nothing held after it stopped").isZero();
            stream.abort(); // again: nothing happens
        }
    }
}

package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.blob;
import static io.agentvine.worker.workspace.TestRepositories.commitTree;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.worker.workspace.FreshCheckout.Written;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
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
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("checkout-writer") && t.isAlive());
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
        // "a" the file, and "a/b" under a directory "a".
        Path bare = repo();
        commitTree(bare, (ins, root) -> {
            ObjectId x = blob(ins, "x\n");
            TreeFormatter sub = new TreeFormatter();
            sub.append("b", FileMode.REGULAR_FILE, x);
            root.append("a", FileMode.REGULAR_FILE, x);
            root.append("a", FileMode.TREE, ins.insert(sub));
        });
        Clone c = fetch(bare, 64L << 20);
        assertThat(c.written()).isEmpty();
        assertThat(c.repo().getWorkTree().toPath().resolve("a")).doesNotExist();
        c.repo().close();
    }

    @Test
    void directories_named_dot_dot_or_absolute_are_never_made_and_empty_ones_neither() throws Exception {
        // A file, a directory ".." holding an empty "planted", one named "/tmp/...", and an empty "x".
        Path bare = repo();
        Path absolute = tmp.resolve("absolute");
        commitTree(bare, (ins, root) -> {
            ObjectId empty = ins.insert(new TreeFormatter());
            TreeFormatter up = new TreeFormatter();
            up.append("planted", FileMode.TREE, empty);
            root.append("..", FileMode.TREE, ins.insert(up));
            root.append(absolute.toString(), FileMode.TREE, empty);
            root.append("a.txt", FileMode.REGULAR_FILE, blob(ins, "x\n"));
            root.append("x", FileMode.TREE, empty);
        });
        Clone c = fetch(bare, 64L << 20);
        checkout(c);
        Path dir = c.repo().getWorkTree().toPath();
        assertThat(tmp.resolve("planted")).doesNotExist();
        assertThat(absolute).doesNotExist();
        assertThat(dir.resolve("x")).as("no empty directory, as git").doesNotExist();
        assertThat(dir.resolve("a.txt")).content().isEqualTo("x\n");
        c.repo().close();
    }

    @Test
    void empty_trees_in_a_plain_tree_make_no_directories() throws Exception {
        Path bare = repo();
        commitTree(bare, (ins, root) -> {
            root.append("a.txt", FileMode.REGULAR_FILE, blob(ins, "x\n"));
            root.append("empty", FileMode.TREE, ins.insert(new TreeFormatter()));
        });
        Clone c = fetch(bare, 64L << 20);
        assertThat(c.written()).containsOnlyKeys("a.txt");
        checkout(c);
        assertThat(c.repo().getWorkTree().toPath().resolve("empty")).doesNotExist();
        c.repo().close();
    }

    /** A checker on a fresh repository, fed objects by hand as the pack parser would. */
    private StreamingCheckout checker() throws Exception {
        Path dir = Files.createTempDirectory(tmp, "by-hand");
        FileRepositoryBuilder b = new FileRepositoryBuilder().setWorkTree(dir.toFile()).setGitDir(dir.resolve(".git").toFile());
        b.setup();
        FreshRepository repo = new FreshRepository(b);
        repo.create();
        repo.close();
        return new StreamingCheckout(repo, 64L << 20);
    }

    private static final ObjectInserter.Formatter IDS = new ObjectInserter.Formatter();

    private static void feedCommit(StreamingCheckout s, ObjectId tree) {
        byte[] raw = ("tree " + tree.name() + "\nauthor a <a@a> 0 +0000\ncommitter a <a@a> 0 +0000\n\nm\n").getBytes();
        s.check(IDS.idFor(Constants.OBJ_COMMIT, raw), Constants.OBJ_COMMIT, raw);
    }

    /**
     * Feeds a commit of a chain of trees, top first as the pack parser might: {@code levels} trees
     * above one holding the file "f" ({@code blob}), each naming the one below by each of {@code names}.
     */
    private static void feedChain(StreamingCheckout s, ObjectId blob, int levels, String... names) {
        TreeFormatter leaf = new TreeFormatter();
        leaf.append("f", FileMode.REGULAR_FILE, blob);
        List<TreeFormatter> chain = new ArrayList<>(List.of(leaf));
        ObjectId below = IDS.idFor(leaf);
        for (int i = 0; i < levels; i++) {
            TreeFormatter t = new TreeFormatter();
            for (String name : names) {
                t.append(name, FileMode.TREE, below);
            }
            below = IDS.idFor(t);
            chain.add(t);
        }
        feedCommit(s, below);
        for (int i = chain.size() - 1; i >= 0; i--) {
            byte[] raw = chain.get(i).toByteArray();
            s.check(IDS.idFor(Constants.OBJ_TREE, raw), Constants.OBJ_TREE, raw);
        }
    }

    @Test
    void a_tree_repeated_under_many_names_is_not_expanded_past_the_limit() throws Exception {
        // 2^20 paths from 21 small trees: each level names the one below twice.
        StreamingCheckout s = checker();
        byte[] x = "x\n".getBytes();
        ObjectId blob = IDS.idFor(Constants.OBJ_BLOB, x);
        feedChain(s, blob, 20, "a", "b");
        s.check(blob, Constants.OBJ_BLOB, x);
        assertThat(s.gaveUp()).as("gave up at %d paths", StreamingCheckout.MAX_PATHS).isTrue();
        assertThat(writerRunning()).isFalse();
        assertThat(s.finish()).isEmpty();
    }

    @Test
    void a_malformed_tree_or_commit_is_left_to_the_fetch_and_the_checkout_to_report() throws Exception {
        StreamingCheckout s = checker();
        byte[] truncated = "100644 name\0\1\2".getBytes(); // an entry whose id is cut short
        ObjectId tree = IDS.idFor(Constants.OBJ_TREE, truncated);
        feedCommit(s, tree);
        s.check(tree, Constants.OBJ_TREE, truncated);
        assertThat(s.gaveUp()).isTrue();
        assertThat(s.finish()).isEmpty();

        StreamingCheckout t = checker();
        byte[] commit = "tree not-a-hex-id-of-forty-characters-at-all!!\n\nm\n".getBytes();
        t.check(IDS.idFor(Constants.OBJ_COMMIT, commit), Constants.OBJ_COMMIT, commit);
        assertThat(t.gaveUp()).isTrue();
    }

    @Test
    void a_tree_nested_deeper_than_the_limit_is_left_to_fresh_checkout() throws Exception {
        StreamingCheckout s = checker();
        feedChain(s, IDS.idFor(Constants.OBJ_BLOB, new byte[0]), StreamingCheckout.MAX_DEPTH + 2, "d");
        assertThat(s.gaveUp()).isTrue();
        assertThat(s.finish()).isEmpty();
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

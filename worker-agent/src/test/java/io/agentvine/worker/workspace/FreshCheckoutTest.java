package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.agentvine.worker.workspace.TestRepositories.blob;
import static io.agentvine.worker.workspace.TestRepositories.commitTree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh workspace (fetch, then one checkout straight onto the work branch, {@link FreshCheckout}),
 * judged by the git CLI and by JGit's own checkout: the tree (nested directories, an executable, a
 * symlink) is exactly the commit's, the index is what JGit's checkout writes and git sees it clean,
 * HEAD is the work branch, .gitattributes and submodules go through JGit's checkout, and a hostile
 * tree (a {@code .git} path, a symlink with a file under the same name) writes nothing outside.
 */
class FreshCheckoutTest {
    /** Entries in a tree large enough to be written on several threads. */
    static final int LARGE = 600;

    @TempDir
    Path tmp;

    private Path repo(String... files) throws Exception {
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        TestRepositories.git(seed, "init", "-q", "-b", "main");
        for (int i = 0; i < files.length; i += 2) {
            Path f = seed.resolve(files[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, files[i + 1]);
        }
        for (int i = 0; i < 300; i++) {
            Path f = seed.resolve("src/pkg" + (i % 7) + "/deep/File" + i + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "file " + i + "\n");
        }
        TestRepositories.git(seed, "add", "-A");
        TestRepositories.git(seed, "-c", "user.name=a", "-c", "user.email=a@a", "commit", "-q", "-m", "seed");
        Path bare = tmp.resolve("r.git");
        TestRepositories.git(tmp, "clone", "-q", "--bare", seed.toString(), bare.toString());
        return bare;
    }

    /** A second commit on main: bin/run.sh made executable and a symbolic link {@code link} → {@code target}. */
    private void pushExecutableAndLink(Path bare, String link, String target) throws Exception {
        Path seed = tmp.resolve("seed");
        Files.createSymbolicLink(seed.resolve(link), Path.of(target));
        assertThat(seed.resolve("bin/run.sh").toFile().setExecutable(true)).isTrue();
        TestRepositories.git(seed, "add", "-A");
        TestRepositories.git(seed, "-c", "user.name=a", "-c", "user.email=a@a", "commit", "-q", "-m", "exec and link");
        TestRepositories.git(seed, "push", "-q", bare.toString(), "main");
    }

    @Test
    void the_written_tree_is_the_commits_tree_and_git_sees_a_clean_index() throws Exception {
        Path bare = repo("bin/run.sh", "#!/bin/sh\necho hi\n", "README.md", "# r\n");
        pushExecutableAndLink(bare, "docs-link", "README.md");

        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        try (Workspace ws = workspaces.prepare(ShopFixture.order(bare.toUri().toString(), "main"))) {
            Path dir = ws.dir();
            assertThat(dir.resolve("src/pkg3/deep/File3.txt")).content().isEqualTo("file 3\n");
            assertThat(Files.getPosixFilePermissions(dir.resolve("bin/run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
            assertThat(Files.isSymbolicLink(dir.resolve("docs-link"))).isTrue();
            assertThat(Files.readSymbolicLink(dir.resolve("docs-link"))).isEqualTo(Path.of("README.md"));
            assertThat(TestRepositories.git(dir, "status", "--porcelain")).as("git sees nothing changed").isEmpty();
            assertThat(TestRepositories.git(dir, "ls-files").lines().count()).isEqualTo(303);
            assertThat(TestRepositories.git(dir, "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo(ws.workBranch());
            assertThat(ws.changedFiles()).isEmpty();
            Files.writeString(dir.resolve("src/pkg0/deep/File0.txt"), "changed\n");
            assertThat(ws.changedFiles()).containsExactly("src/pkg0/deep/File0.txt");
        }
    }

    @Test
    void gitattributes_are_applied_at_checkout() throws Exception {
        Path bare = repo(".gitattributes", "*.txt text eol=crlf\n", "notes.txt", "one\ntwo\n");
        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        try (Workspace ws = workspaces.prepare(ShopFixture.order(bare.toUri().toString(), "main"))) {
            assertThat(Files.readString(ws.dir().resolve("notes.txt"))).isEqualTo("one\r\ntwo\r\n");
            assertThat(ws.changedFiles()).isEmpty();
        }
    }

    @Test
    void the_index_is_the_one_jgits_own_checkout_writes() throws Exception {
        Path bare = repo("bin/run.sh", "#!/bin/sh\n", "a/b/c/d.txt", "deep\n", "empty.txt", "");
        pushExecutableAndLink(bare, "link", "a/b");

        List<String> ours = new ArrayList<>();
        List<String> jgits = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve("co-" + i);
            try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(dir.toFile()).setNoCheckout(true).call()) {
                Repository repo = git.getRepository();
                RevCommit tip;
                try (RevWalk walk = new RevWalk(repo)) {
                    tip = walk.parseCommit(repo.resolve("refs/remotes/origin/main"));
                }
                DirCache index = repo.lockDirCache();
                try {
                    if (i == 0) {
                        FreshCheckout.checkout(repo, index, tip.getTree());
                    } else {
                        new DirCacheCheckout(repo, index, tip.getTree()).checkout();
                    }
                } finally {
                    index.unlock();
                }
                DirCache written = repo.readDirCache();
                for (int e = 0; e < written.getEntryCount(); e++) {
                    DirCacheEntry d = written.getEntry(e);
                    Path f = dir.resolve(d.getPathString());
                    (i == 0 ? ours : jgits).add(d.getPathString() + " " + d.getFileMode() + " " + d.getObjectId().name() + " "
                            + d.getLength() + " " + (Files.isSymbolicLink(f) ? "-> " + Files.readSymbolicLink(f)
                            : Files.readString(f).hashCode() + (Files.isExecutable(f) ? " x" : "")));
                }
                assertThat(TestRepositories.git(dir, "status", "--porcelain")).isEmpty();
            }
        }
        assertThat(ours).hasSize(304).isEqualTo(jgits);
    }

    @Test
    void a_submodule_goes_through_jgits_checkout() throws Exception {
        Path bare = repo("README.md", "# r\n");
        Path seed = tmp.resolve("seed");
        String someCommit = TestRepositories.git(seed, "rev-parse", "HEAD");
        TestRepositories.git(seed, "update-index", "--add", "--cacheinfo", "160000," + someCommit + ",vendor/lib");
        TestRepositories.git(seed, "-c", "user.name=a", "-c", "user.email=a@a", "commit", "-q", "-m", "submodule");
        TestRepositories.git(seed, "push", "-q", bare.toString(), "main");
        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        try (Workspace ws = workspaces.prepare(ShopFixture.order(bare.toUri().toString(), "main"))) {
            assertThat(ws.dir().resolve("vendor/lib")).isEmptyDirectory();
            assertThat(ws.dir().resolve("README.md")).content().isEqualTo("# r\n");
            assertThat(TestRepositories.git(ws.dir(), "ls-files", "--stage", "vendor/lib")).startsWith("160000 " + someCommit);
        }
    }

    @Test
    void a_tree_with_a_git_directory_is_refused_and_nothing_is_written() throws Exception {
        Path bare = repo("README.md", "# r\n");
        commitTree(bare, (ins, root) -> {
            TreeFormatter hooks = new TreeFormatter();
            hooks.append("post-commit", FileMode.EXECUTABLE_FILE, blob(ins, "#!/bin/sh\ntouch " + tmp.resolve("pwned") + "\n"));
            TreeFormatter dotGit = new TreeFormatter();
            dotGit.append("hooks", FileMode.TREE, ins.insert(hooks));
            root.append(".git", FileMode.TREE, ins.insert(dotGit));
            root.append("README.md", FileMode.REGULAR_FILE, blob(ins, "# r\n"));
        });
        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        assertThatThrownBy(() -> workspaces.prepare(ShopFixture.order(bare.toUri().toString(), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(WorkspaceException.Kind.CLONE_FAILED))
                .hasMessageContaining("cannot be checked out: .git/hooks/post-commit");
        assertThat(tmp.resolve("ws/wo-42")).doesNotExist();
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void a_symlink_and_a_directory_of_the_same_name_cannot_redirect_a_write() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path bare = repo("README.md", "# r\n");
        commitTree(bare, (ins, root) -> {
            TreeFormatter sub = new TreeFormatter();
            sub.append("x.txt", FileMode.REGULAR_FILE, blob(ins, "written through the link\n"));
            // Unsorted and duplicated on purpose: git would never write this tree, an attacker can.
            root.append("a", FileMode.SYMLINK, blob(ins, outside.toString()));
            root.append("a", FileMode.TREE, ins.insert(sub));
        });
        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        assertThatThrownBy(() -> workspaces.prepare(ShopFixture.order(bare.toUri().toString(), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(WorkspaceException.Kind.CLONE_FAILED));
        assertThat(outside).isEmptyDirectory();
        assertThat(tmp.resolve("ws/wo-42")).doesNotExist();
    }

    @Test
    void a_large_tree_naming_a_file_twice_fails_the_clone_and_leaves_nothing() throws Exception {
        Path bare = repo("README.md", "# r\n");
        commitTree(bare, (ins, root) -> {
            root.append("dup.txt", FileMode.REGULAR_FILE, blob(ins, "one\n"));
            root.append("dup.txt", FileMode.REGULAR_FILE, blob(ins, "two\n"));
            for (int i = 0; i < FreshCheckoutTest.LARGE; i++) { // enough for several writer threads
                root.append(String.format("f%04d.txt", i), FileMode.REGULAR_FILE, blob(ins, "f" + i + "\n"));
            }
        });
        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        assertThatThrownBy(() -> workspaces.prepare(ShopFixture.order(bare.toUri().toString(), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(WorkspaceException.Kind.CLONE_FAILED))
                .hasMessageContaining("the tree names dup.txt twice");
        assertThat(tmp.resolve("ws/wo-42")).doesNotExist();
    }
}

package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh workspace (fetch, then one checkout straight onto the work branch), judged by the git CLI:
 * the tree (nested directories, an executable, a symlink) is exactly the commit's, git sees a clean
 * index, HEAD is the work branch, and .gitattributes are applied.
 */
class FreshCheckoutTest {
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

    @Test
    void the_written_tree_is_the_commits_tree_and_git_sees_a_clean_index() throws Exception {
        Path bare = repo("bin/run.sh", "#!/bin/sh\necho hi\n", "README.md", "# r\n");
        Path seed = tmp.resolve("seed");
        Files.createSymbolicLink(seed.resolve("docs-link"), Path.of("README.md"));
        assertThat(seed.resolve("bin/run.sh").toFile().setExecutable(true)).isTrue();
        TestRepositories.git(seed, "add", "-A");
        TestRepositories.git(seed, "-c", "user.name=a", "-c", "user.email=a@a", "commit", "-q", "-m", "exec and link");
        TestRepositories.git(seed, "push", "-q", bare.toString(), "main");

        WorkspaceManager workspaces = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none());
        try (Workspace ws = workspaces.prepare(WorkspaceTest.order(bare.toUri().toString(), "main"))) {
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
        try (Workspace ws = workspaces.prepare(WorkspaceTest.order(bare.toUri().toString(), "main"))) {
            assertThat(Files.readString(ws.dir().resolve("notes.txt"))).isEqualTo("one\r\ntwo\r\n");
            assertThat(ws.changedFiles()).isEmpty();
        }
    }
}

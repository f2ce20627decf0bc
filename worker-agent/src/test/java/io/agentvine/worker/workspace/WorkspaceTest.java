package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.branches;
import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real git over file://: a bare repository made with the git CLI, cloned, committed to and pushed to
 * with JGit, and every outcome checked with the git CLI.
 */
class WorkspaceTest extends ShopFixture {
    @Test
    void the_file_system_probe_makes_the_workspace_root_and_leaves_jgit_its_measure() throws Exception {
        Thread probe = manager().probeFileSystem();
        assertThat(probe.getName()).isEqualTo("workspace-fs-probe");
        assertThat(probe.isDaemon()).isTrue();
        probe.join(30_000);
        assertThat(probe.isAlive()).as("done within JGit's own timeout").isFalse();
        assertThat(root).isDirectory();
        assertThat(org.eclipse.jgit.util.FS.FileStoreAttributes.get(root).getFsTimestampResolution())
                .as("measured, not JGit's 2 s fallback").isLessThan(org.eclipse.jgit.util.FS.FileStoreAttributes.FALLBACK_TIMESTAMP_RESOLUTION);
    }

    @Test
    void a_clone_of_main_is_shallow_and_on_its_work_branch() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            assertThat(ws.dir()).isEqualTo(root.resolve("wo-42"));
            assertThat(ws.baseBranch()).isEqualTo("main");
            assertThat(ws.workBranch()).isEqualTo("agentvine/feature/t-42");
            assertThat(git(ws.dir(), "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("agentvine/feature/t-42");
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(git(bare, "rev-parse", "main"));
            assertThat(git(ws.dir(), "rev-parse", "--is-shallow-repository")).isEqualTo("true");
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).as("depth 1: one commit of history").isEqualTo("1");
            assertThat(git(ws.dir(), "branch", "-r", "--format=%(refname:short)")).as("only the base branch is fetched")
                    .isEqualTo("origin/main");
            assertThat(git(ws.dir(), "tag")).as("no tags").isEmpty();
            assertThat(ws.dir().resolve("Total.java")).exists();
            assertThat(ws.changedFiles()).isEmpty();
            // As `git clone --depth 1 --branch main --no-tags` leaves it, bar automatic GC (the clone is thrown away)
            assertThat(git(ws.dir(), "config", "remote.origin.url")).isEqualTo(url);
            assertThat(git(ws.dir(), "config", "remote.origin.fetch")).isEqualTo("+refs/heads/main:refs/remotes/origin/main");
            assertThat(git(ws.dir(), "config", "remote.origin.tagopt")).isEqualTo("--no-tags");
            assertThat(git(ws.dir(), "config", "branch.main.merge")).isEqualTo("refs/heads/main");
            assertThat(git(ws.dir(), "rev-parse", "main")).isEqualTo(git(bare, "rev-parse", "main"));
            assertThat(git(ws.dir(), "config", "fetch.autogc")).isEqualTo("false");
            assertThat(git(ws.dir(), "status", "--porcelain")).isEmpty();
            git(ws.dir(), "fsck", "--strict", "--no-dangling");
        }
    }

    @Test
    void clone_commit_and_push_make_the_ids_git_makes() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            String sha = ws.commit("Add CSV export", author, committer).orElseThrow();
            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
            assertThat(git(bare, "cat-file", "-p", sha + ":Export.java")).isEqualTo("class Export {}");
            assertThat(git(ws.dir(), "hash-object", "Export.java")).as("git's id of the file")
                    .isEqualTo(git(ws.dir(), "rev-parse", "HEAD:Export.java"));
            assertThat(git(ws.dir(), "status", "--porcelain")).as("git agrees with the index JGit wrote").isEmpty();
        }
        git(bare, "fsck", "--strict", "--no-dangling");
    }

    @Test
    void a_clone_of_another_named_branch_starts_from_that_branch() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "release-1"))) {
            assertThat(ws.baseBranch()).isEqualTo("release-1");
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(git(bare, "rev-parse", "release-1"));
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
            assertThat(ws.dir().resolve("RELEASE")).exists();
        }
    }

    @Test
    void without_a_branch_the_remote_default_branch_is_cloned() throws Exception {
        // Not "main", so that guessing the usual name would be caught.
        git(bare, "symbolic-ref", "HEAD", "refs/heads/release-1");
        try (Workspace ws = manager().prepare(order(url, null))) {
            assertThat(ws.baseBranch()).isEqualTo("release-1");
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(git(bare, "rev-parse", "release-1"));
            assertThat(git(ws.dir(), "branch", "-r", "--format=%(refname:short)")).isEqualTo("origin/release-1");
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
        }
    }

    @Test
    void depth_zero_clones_the_full_history() throws Exception {
        try (Workspace ws = new WorkspaceManager(root, 0, false, GitCredentials.none()).prepare(order(url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "--is-shallow-repository")).isEqualTo("false");
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("2");
        }
    }

    @Test
    void an_edit_is_committed_with_the_given_identities_and_only_the_work_branch_is_pushed() throws Exception {
        String mainBefore = git(bare, "rev-parse", "main");
        String releaseBefore = git(bare, "rev-parse", "release-1");
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            Files.writeString(ws.dir().resolve("README.md"), "# shop\nCSV export.\n");
            Files.delete(ws.dir().resolve("Total.java"));
            Files.createDirectories(ws.dir().resolve("src/csv"));
            Files.writeString(ws.dir().resolve("src/csv/Writer.java"), "class Writer {}\n");
            assertThat(ws.changedFiles()).containsExactly("Export.java", "README.md", "Total.java", "src/csv/Writer.java");

            String sha = ws.commit("Add CSV export\n\nAgentVine task t-42", author, committer).orElseThrow();
            assertThat(ws.push()).isTrue();

            String work = "agentvine/feature/t-42";
            assertThat(git(bare, "rev-parse", work)).isEqualTo(sha);
            assertThat(git(bare, "log", "-1", "--format=%an <%ae> %aI|%cn <%ce> %cI", work))
                    .isEqualTo("Ada Agent <ada@agentvine.io> 2024-05-01T10:00:00+00:00|AgentVine <bot@agentvine.io> 2024-05-01T10:05:00+00:00");
            assertThat(git(bare, "log", "-1", "--format=%B", work)).isEqualTo("Add CSV export\n\nAgentVine task t-42");
            assertThat(git(bare, "rev-parse", work + "^")).as("on top of the base").isEqualTo(mainBefore);
            assertThat(git(bare, "diff", "--name-status", "main", work).lines().sorted().toList())
                    .containsExactly("A\tExport.java", "A\tsrc/csv/Writer.java", "D\tTotal.java", "M\tREADME.md");
            assertThat(git(ws.dir(), "status", "--porcelain")).as("nothing left behind").isEmpty();
        }
        assertThat(branches(bare)).containsExactly("agentvine/feature/t-42", "main", "release-1");
        assertThat(git(bare, "rev-parse", "main")).as("the base branch is untouched").isEqualTo(mainBefore);
        assertThat(git(bare, "rev-parse", "release-1")).isEqualTo(releaseBefore);
    }

    @Test
    void ignored_files_are_neither_listed_nor_committed() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            Files.writeString(ws.dir().resolve(".gitignore"), "target/\n");
            Files.createDirectories(ws.dir().resolve("target"));
            Files.writeString(ws.dir().resolve("target/Total.class"), "bytes");
            assertThat(ws.changedFiles()).containsExactly(".gitignore");
            String sha = ws.commit("Ignore build output", author, committer).orElseThrow();
            assertThat(git(ws.dir(), "show", "--name-only", "--format=", sha)).isEqualTo(".gitignore");
        }
    }

    @Test
    void when_nothing_changed_there_is_no_commit_and_nothing_is_pushed() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            Files.writeString(ws.dir().resolve("README.md"), "# shop\n"); // rewritten, same content
            assertThat(ws.changedFiles()).isEmpty();
            assertThat(ws.commit("nothing", author, committer)).isEmpty();
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).as("no empty commit").isEqualTo("1");
            assertThat(ws.push()).isFalse();
        }
        assertThat(branches(bare)).containsExactly("main", "release-1");
    }

    @Test
    void commits_the_agent_made_itself_are_delivered_too() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            git(ws.dir(), "add", ".");
            git(ws.dir(), "commit", "-q", "-m", "agent: add export");
            String agentsCommit = git(ws.dir(), "rev-parse", "HEAD");

            assertThat(ws.changedFiles()).containsExactly("Export.java");
            assertThat(ws.commit("Add CSV export", author, committer)).contains(agentsCommit);
            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(agentsCommit);
        }
    }

    @Test
    void a_missing_branch_fails_the_clone_and_leaves_nothing_behind() {
        assertThatThrownBy(() -> manager().prepare(order(url, "nope")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED))
                .hasMessageContaining("branch nope");
        assertThat(root.resolve("wo-42")).doesNotExist();
    }

    @Test
    void a_missing_repository_fails_the_clone() {
        assertThatThrownBy(() -> manager().prepare(order(tmp.resolve("remotes/none.git").toUri().toString(), null)))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED))
                .hasMessageContaining("none.git");
        assertThat(root.resolve("wo-42")).doesNotExist();
    }

    @Test
    void leftovers_of_an_earlier_attempt_are_replaced() throws Exception {
        Path leftover = Files.createDirectories(root.resolve("wo-42/.git/objects/pack")).resolve("old.pack");
        Files.writeString(leftover, "old");
        leftover.toFile().setReadOnly();
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            assertThat(leftover).doesNotExist();
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
        }
    }

    @Test
    void an_order_id_cannot_point_outside_the_workspace_root() throws Exception {
        Files.createDirectories(root);
        for (String id : List.of("..", ".")) {
            assertThatThrownBy(() -> manager().prepare(order(id, "t-1", url, "main")))
                    .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED))
                    .hasMessageContaining("cannot name a workspace directory");
        }
        assertThat(root).isDirectory();
        assertThat(bare.resolve("HEAD")).exists();
    }

    @Test
    void a_task_id_that_is_not_valid_in_a_ref_gets_a_stable_valid_work_branch() throws Exception {
        String branch = WorkspaceManager.workBranch(order("wo-7", "jira:SHOP-7..a.lock", url, "main"));
        assertThat(branch).matches("agentvine/feature/jira-SHOP-7--a-lock-[0-9a-f]{8}");
        assertThat(WorkspaceManager.workBranch(order("wo-8", "jira:SHOP-7..a.lock", url, "main"))).isEqualTo(branch);
        assertThat(WorkspaceManager.workBranch(order("wo-9", "jira-SHOP-7..a-lock", url, "main"))).isNotEqualTo(branch);
        assertThat(WorkspaceManager.workBranch(order("wo-10", "SHOP-7.1", url, "main"))).isEqualTo("agentvine/feature/SHOP-7.1");
        try (Workspace ws = manager().prepare(order("wo-7", "jira:SHOP-7..a.lock", url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo(branch);
        }
    }

    @Test
    void closing_deletes_the_clone_even_with_read_only_files_but_not_what_links_point_to() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep me");
        outside.toFile().setReadOnly();
        Path dir;
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            dir = ws.dir();
            Path locked = Files.createDirectories(dir.resolve("locked/deeper"));
            Files.writeString(locked.resolve("file.txt"), "x").toFile().setReadOnly();
            locked.toFile().setReadOnly();
            locked.getParent().toFile().setReadOnly();
            Files.createSymbolicLink(dir.resolve("link.txt"), outside);
            Files.createSymbolicLink(dir.resolve("link-dir"), tmp.resolve("remotes"));
        }
        assertThat(dir).doesNotExist();
        assertThat(outside).hasContent("keep me");
        assertThat(Files.getPosixFilePermissions(outside)).as("the link target keeps its permissions")
                .doesNotContain(PosixFilePermission.OWNER_WRITE);
        assertThat(bare.resolve("HEAD")).exists();
    }

    @Test
    void a_kept_clone_stays_after_close() throws Exception {
        Path dir;
        try (Workspace ws = new WorkspaceManager(root, 1, true, GitCredentials.none()).prepare(order(url, "main"))) {
            dir = ws.dir();
        }
        assertThat(dir.resolve(".git")).isDirectory();
        assertThat(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("agentvine/feature/t-42");
    }
}

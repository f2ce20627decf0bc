package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.model.PermissionLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real git: bare repositories made with the git CLI, cloned and pushed with JGit over file:// and HTTP. */
class WorkspaceTest {
    @TempDir
    Path tmp;
    Path remotes;
    Path bare;
    Path workspaces;
    final PersonIdent author = new PersonIdent("AgentVine", "agentvine@example.com");

    static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
        return out.trim();
    }

    @BeforeEach
    void repository() throws Exception {
        remotes = Files.createDirectories(tmp.resolve("remotes"));
        workspaces = tmp.resolve("workspaces");
        Path seed = Files.createDirectories(tmp.resolve("seed"));
        git(seed, "init");
        Files.writeString(seed.resolve("README.md"), "# shop\n");
        git(seed, "add", ".");
        git(seed, "commit", "-m", "first");
        Files.writeString(seed.resolve("Total.java"), "class Total {}\n");
        git(seed, "add", ".");
        git(seed, "commit", "-m", "second");
        git(seed, "checkout", "-b", "release-1");
        Files.writeString(seed.resolve("RELEASE"), "1\n");
        git(seed, "add", ".");
        git(seed, "commit", "-m", "release");
        git(seed, "checkout", "main");
        bare = remotes.resolve("shop.git");
        git(tmp, "clone", "--bare", seed.toString(), bare.toString());
    }

    private WorkOrder order(String url, String branch) {
        return WorkOrder.builder("wo-42", TaskType.FEATURE).taskId("t-42").repositoryUrl(url).branch(branch)
                .title("Add CSV export").permissionLevel(PermissionLevel.AUTONOMOUS).build();
    }

    private WorkspaceManager manager(GitCredentials c, boolean keep) {
        return new WorkspaceManager(workspaces, WorkspaceManager.DEFAULT_DEPTH, keep, c);
    }

    @Test
    void a_clone_is_shallow_and_sits_on_its_work_branch() throws Exception {
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "main"))) {
            assertThat(ws.workBranch()).isEqualTo("agentvine/feature/t-42");
            assertThat(ws.baseBranch()).isEqualTo("main");
            assertThat(git(ws.dir(), "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("agentvine/feature/t-42");
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).as("depth 1").isEqualTo("1");
            assertThat(ws.dir().resolve("Total.java")).exists();
        }
    }

    @Test
    void another_branch_or_the_remote_default_can_be_cloned() throws Exception {
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "release-1"))) {
            assertThat(ws.baseBranch()).isEqualTo("release-1");
            assertThat(ws.dir().resolve("RELEASE")).exists();
        }
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), null))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
    }

    @Test
    void changes_are_committed_with_the_given_identity_and_only_the_work_branch_is_pushed() throws Exception {
        String mainBefore = git(bare, "rev-parse", "main");
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "main"))) {
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            Files.writeString(ws.dir().resolve("README.md"), "# shop\nCSV export.\n");
            Files.delete(ws.dir().resolve("Total.java"));
            assertThat(ws.changedFiles()).containsExactly("Export.java", "README.md", "Total.java");
            String sha = ws.commit("Add CSV export (t-42)", author, author).orElseThrow();
            ws.push();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
            assertThat(git(bare, "log", "-1", "--format=%an <%ae>|%cn|%s", "agentvine/feature/t-42"))
                    .isEqualTo("AgentVine <agentvine@example.com>|AgentVine|Add CSV export (t-42)");
            assertThat(git(bare, "show", "--name-status", "--format=", "agentvine/feature/t-42"))
                    .contains("A\tExport.java").contains("M\tREADME.md").contains("D\tTotal.java");
        }
        assertThat(git(bare, "rev-parse", "main")).as("the base branch is untouched").isEqualTo(mainBefore);
    }

    @Test
    void nothing_changed_means_no_commit() {
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "main"))) {
            assertThat(ws.changedFiles()).isEmpty();
            assertThat(ws.commit("nothing", author, author)).isEmpty();
        }
    }

    @Test
    void pushing_the_base_branch_is_refused() {
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "main"))) {
            // A workspace whose work branch is the base branch (what a bug elsewhere could produce).
            Workspace sneaky = new Workspace(org.eclipse.jgit.api.Git.wrap(openRepo(ws.dir())), ws.dir(), "main", "main",
                    GitCredentials.none(), true);
            assertThatThrownBy(sneaky::push).isInstanceOfSatisfying(WorkspaceException.class,
                    e -> assertThat(e.kind()).isEqualTo(WorkspaceException.Kind.PUSH_FAILED))
                    .hasMessageContaining("never the base branch");
            sneaky.close(); // keep=true: closes the repository, leaves the clone to ws
        }
    }

    private static org.eclipse.jgit.lib.Repository openRepo(Path dir) {
        try {
            return new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setWorkTree(dir.toFile()).build();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_missing_branch_or_repository_fails_the_clone_clearly() {
        assertThatThrownBy(() -> manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "nope")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(WorkspaceException.Kind.CLONE_FAILED))
                .hasMessageContaining("branch nope");
        assertThat(workspaces.resolve("wo-42")).doesNotExist();
    }

    @Test
    void over_http_with_a_token_clone_and_push_work_and_the_token_is_never_stored_or_shown() throws Exception {
        try (GitHttpServer server = new GitHttpServer(remotes, "x-access-token", "ghp-secret-token-77")) {
            GitCredentials good = new GitCredentials(Map.of("AGENTVINE_GIT_TOKEN", "ghp-secret-token-77"));
            try (Workspace ws = manager(good, false).prepare(order(server.url("shop.git"), "main"))) {
                assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
                Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
                String sha = ws.commit("Add CSV export (t-42)", author, author).orElseThrow();
                ws.push();
                assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
                assertThat(Files.readString(ws.dir().resolve(".git/config"))).doesNotContain("ghp-secret-token-77");
            }
            GitCredentials wrong = new GitCredentials(Map.of("AGENTVINE_GIT_TOKEN", "ghp-wrong-token-00"));
            assertThatThrownBy(() -> manager(wrong, false).prepare(order(server.url("shop.git"), "main")))
                    .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(WorkspaceException.Kind.CLONE_FAILED))
                    .hasMessageNotContaining("ghp-wrong-token-00");
            assertThat(server.unauthorizedRequests()).isPositive();
            assertThat(wrong.toString()).doesNotContain("ghp-wrong-token-00");
        }
    }

    @Test
    void closing_deletes_the_clone_unless_kept() {
        Path dir;
        try (Workspace ws = manager(GitCredentials.none(), false).prepare(order(bare.toUri().toString(), "main"))) {
            dir = ws.dir();
        }
        assertThat(dir).doesNotExist();
        try (Workspace ws = manager(GitCredentials.none(), true).prepare(order(bare.toUri().toString(), "main"))) {
            dir = ws.dir();
        }
        assertThat(dir.resolve(".git")).exists();
    }
}

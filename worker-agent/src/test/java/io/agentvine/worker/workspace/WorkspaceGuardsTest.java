package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.branches;
import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

/**
 * What the agent cannot do to a workspace (real git over file://, checked with the git CLI): leave the
 * work branch, push the base branch, send the push elsewhere by repointing origin, run hooks.
 */
class WorkspaceGuardsTest extends ShopFixture {
    @Test
    void a_commit_is_refused_when_the_agent_left_the_work_branch() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            git(ws.dir(), "checkout", "-q", "-b", "elsewhere");
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            assertThatThrownBy(() -> ws.commit("Add CSV export", author, committer))
                    .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.COMMIT_FAILED))
                    .hasMessageContaining("'elsewhere'").hasMessageContaining("agentvine/feature/t-42");
        }
    }

    @Test
    void a_push_is_refused_when_the_work_branch_would_be_the_base_branch() throws Exception {
        String mainBefore = git(bare, "rev-parse", "main");
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            git(ws.dir(), "checkout", "-q", "main");
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            git(ws.dir(), "add", ".");
            git(ws.dir(), "commit", "-q", "-m", "straight onto main");
            // What a bug elsewhere could produce; prepare() never does.
            for (String work : List.of("main", "release-1")) {
                GitTransport transport = new GitTransport(GitCredentials.none(), WorkspaceManager.DEFAULT_TIMEOUT);
                try (Workspace onBase = Workspace.open(Git.open(ws.dir().toFile()), url, "main", work, transport, true, () -> { }, Workspace.Reuse.NONE)) {
                    assertThatThrownBy(onBase::push)
                            .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PUSH_FAILED))
                            .hasMessageContaining("never the base branch 'main'");
                }
            }
        }
        assertThat(git(bare, "rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(branches(bare)).containsExactly("main", "release-1");
    }

    @Test
    void the_push_goes_to_the_orders_repository_even_if_the_agent_repointed_origin() throws Exception {
        Path decoy = tmp.resolve("decoy.git");
        git(tmp, "clone", "-q", "--bare", bare.toString(), decoy.toString());
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            git(ws.dir(), "remote", "set-url", "origin", decoy.toUri().toString());
            git(ws.dir(), "config", "remote.origin.pushurl", decoy.toUri().toString());
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            String sha = ws.commit("Add CSV export", author, committer).orElseThrow();
            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
            assertThat(Files.readString(ws.dir().resolve(".git/config"))).as("restored").doesNotContain("decoy");
        }
        assertThat(branches(decoy)).containsExactly("main", "release-1");
    }

    @Test
    void hooks_the_agent_installed_do_not_run_on_commit_or_push() throws Exception {
        try (Workspace ws = manager().prepare(order(url, "main"))) {
            Path ran = tmp.resolve("hook-ran");
            String script = "#!/bin/sh\necho \"$0\" >> '" + ran + "'\nexit 1\n";
            for (String dir : List.of(".git/hooks", ".husky")) {
                for (String hook : List.of("pre-commit", "commit-msg", "post-commit", "pre-push")) {
                    Path p = ws.dir().resolve(dir).resolve(hook);
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, script);
                    p.toFile().setExecutable(true);
                }
            }
            git(ws.dir(), "config", "core.hooksPath", ".husky"); // what `npm install` with husky does
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");

            assertThat(ws.commit("Add CSV export", author, committer)).isPresent();
            assertThat(ws.push()).isTrue();
            assertThat(ran).doesNotExist();
        }
    }

}

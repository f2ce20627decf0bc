package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git over SSH on the loopback ({@link GitSshServer}): the key and known_hosts come from the
 * environment map; a token is configured too, to show that it is never offered to an SSH server.
 */
class WorkspaceOverSshTest {
    static final String TOKEN = "ghp_never_over_ssh_42";

    @TempDir
    Path tmp;
    Path bare;
    Path key;
    Path knownHosts;
    GitSshServer server;
    final PersonIdent bot = new PersonIdent("AgentVine", "bot@agentvine.io");

    @BeforeEach
    void serve() throws Exception {
        bare = TestRepositories.shop(tmp);
        key = GitSshServer.newClientKey(tmp.resolve("keys"));
        server = new GitSshServer(bare.getParent(), key.resolveSibling("id_ecdsa.pub"));
        knownHosts = Files.writeString(tmp.resolve("known_hosts"), server.knownHostsLine() + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    WorkspaceManager manager(Path key, Path knownHosts) {
        return new WorkspaceManager(tmp.resolve("workspaces"), 1, false, new GitCredentials(Map.of(
                GitCredentials.SSH_KEY, key.toString(), GitCredentials.KNOWN_HOSTS, knownHosts.toString(),
                GitCredentials.TOKEN, TOKEN)));
    }

    @Test
    void with_the_key_from_the_environment_clone_and_push_succeed() throws Exception {
        try (Workspace ws = manager(key, knownHosts).prepare(ShopFixture.order(server.url("shop.git"), "main"))) {
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            String sha = ws.commit("Add CSV export", bot, bot).orElseThrow();
            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
            assertThat(Files.readString(ws.dir().resolve(".git/config"))).doesNotContain(TOKEN).doesNotContain("id_ecdsa");
        }
        assertThat(server.commands()).anyMatch(c -> c.startsWith("git-receive-pack"));
        assertThat(server.passwordAttempts()).isEmpty();
    }

    @Test
    void an_unknown_host_key_fails_the_clone() throws Exception {
        Path otherHosts = Files.writeString(tmp.resolve("other_known_hosts"), "");
        assertThatThrownBy(() -> manager(key, otherHosts).prepare(ShopFixture.order(server.url("shop.git"), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED);
                    assertThat(e.getMessage()).contains("Server key did not validate");
                });
        assertThat(server.commands()).isEmpty();
    }

    @Test
    void a_key_the_server_does_not_accept_fails_the_clone_and_the_token_is_not_tried_as_a_password() throws Exception {
        Path stranger = GitSshServer.newClientKey(tmp.resolve("stranger"));
        assertThatThrownBy(() -> manager(stranger, knownHosts).prepare(ShopFixture.order(server.url("shop.git"), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED);
                    assertThat(e.getMessage()).contains("Cannot log in").doesNotContain(TOKEN);
                });
        assertThat(server.passwordAttempts()).isEmpty();
        assertThat(server.commands()).isEmpty();
    }
}

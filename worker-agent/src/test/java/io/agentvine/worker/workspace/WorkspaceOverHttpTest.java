package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.branches;
import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network transport with credentials: smart HTTP on the loopback, served by {@code git
 * http-backend} behind Basic authentication ({@link GitHttpServer}), the token coming from the
 * environment map as in production.
 */
class WorkspaceOverHttpTest {
    static final String TOKEN = "ghs_Secret+Token/77=";
    static final String WRONG = "ghs_Wrong+Token/00=";

    @TempDir
    Path tmp;
    Path bare;
    Path root;
    GitHttpServer server;
    final PersonIdent bot = new PersonIdent("AgentVine", "bot@agentvine.io");

    @BeforeEach
    void serve() throws Exception {
        bare = TestRepositories.shop(tmp);
        GitHttpServer.enablePush(bare);
        server = new GitHttpServer(bare.getParent(), GitCredentials.DEFAULT_USERNAME, TOKEN);
        root = tmp.resolve("workspaces");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    WorkspaceManager manager(String token) {
        return new WorkspaceManager(root, WorkspaceManager.DEFAULT_DEPTH, false,
                new GitCredentials(Map.of(GitCredentials.TOKEN, token)));
    }

    @Test
    void with_the_token_from_the_environment_clone_and_push_succeed() throws Exception {
        String mainBefore = git(bare, "rev-parse", "main");
        try (Workspace ws = manager(TOKEN).prepare(ShopFixture.order(server.url("shop.git"), "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "--is-shallow-repository")).isEqualTo("true");
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
            assertThat(ws.workBranch()).isEqualTo("agentvine/feature/t-42");
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            String sha = ws.commit("Add CSV export", bot, bot).orElseThrow();

            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
        }
        assertThat(git(bare, "rev-parse", "main")).isEqualTo(mainBefore);
        assertThat(server.pushes()).isEqualTo(1);
        assertThat(server.requests()).filteredOn(r -> r.status() != 401)
                .allSatisfy(r -> assertThat(r.user()).isEqualTo("x-access-token"));
        assertThat(server.backendErrors()).isEmpty();
    }

    @Test
    void the_token_is_not_stored_in_the_clone() throws Exception {
        try (Workspace ws = manager(TOKEN).prepare(ShopFixture.order(server.url("shop.git"), "main"))) {
            String config = Files.readString(ws.dir().resolve(".git/config"));
            assertThat(config).contains("url = " + server.url("shop.git") + "\n")
                    .doesNotContain(TOKEN).doesNotContain(basic(TOKEN)).doesNotContain("Secret");
            try (var files = Files.walk(ws.dir().resolve(".git"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain(TOKEN).doesNotContain(basic(TOKEN));
                }
            }
        }
    }

    @Test
    void with_a_wrong_token_the_clone_fails_and_the_message_does_not_show_the_token() throws Exception {
        assertThatThrownBy(() -> manager(WRONG).prepare(ShopFixture.order(server.url("shop.git"), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED);
                    assertThat(e.getMessage()).contains("shop.git")
                            .doesNotContain(WRONG).doesNotContain(basic(WRONG)).doesNotContain("Wrong");
                    assertThat(e.getCause()).isNull();
                });
        assertThat(server.unauthorizedRequests()).isPositive();
        assertThat(root.resolve("wo-42")).doesNotExist();
    }

    @Test
    void without_a_token_the_clone_fails_with_clone_failed() {
        WorkspaceManager anonymous = new WorkspaceManager(root, 1, false, GitCredentials.none());
        assertThatThrownBy(() -> anonymous.prepare(ShopFixture.order(server.url("shop.git"), "main")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED));
    }

    @Test
    void without_a_branch_the_remote_default_is_found_over_http_too() throws Exception {
        git(bare, "symbolic-ref", "HEAD", "refs/heads/release-1");
        try (Workspace ws = manager(TOKEN).prepare(ShopFixture.order(server.url("shop.git"), null))) {
            assertThat(ws.baseBranch()).isEqualTo("release-1");
            assertThat(ws.dir().resolve("RELEASE")).exists();
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("1");
        }
    }

    @Test
    void when_nothing_changed_nothing_goes_over_the_wire() throws Exception {
        try (Workspace ws = manager(TOKEN).prepare(ShopFixture.order(server.url("shop.git"), "main"))) {
            assertThat(ws.commit("nothing", bot, bot)).isEmpty();
            assertThat(ws.push()).isFalse();
        }
        assertThat(server.requests()).noneMatch(r -> r.query().contains("git-receive-pack") || r.isPush());
        assertThat(branches(bare)).containsExactly("main", "release-1");
    }

    @Test
    void with_the_cache_the_token_is_in_no_file_of_the_cache_and_the_push_goes_to_the_server() throws Exception {
        Path cache = tmp.resolve("cache");
        for (String url : List.of(server.url("shop.git"), server.url("shop.git").replace(".git", ""))) {
            WorkspaceManager cached = new WorkspaceManager(root, WorkspaceManager.DEFAULT_DEPTH, false,
                    new GitCredentials(Map.of(GitCredentials.TOKEN, TOKEN)), WorkspaceManager.DEFAULT_TIMEOUT,
                    RepositoryCacheSettings.at(cache), Clock.systemUTC());
            try (Workspace ws = cached.prepare(ShopFixture.order(url, "main"))) {
                assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).isEqualTo("2");
                Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
                String sha = ws.commit("Add CSV export", bot, bot).orElseThrow();
                assertThat(ws.push()).isTrue();
                assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
            }
            assertThat(cached.awaitKeptWorkspaces(Duration.ofSeconds(30))).isTrue();
            cached.close();
        }
        try (var files = Files.walk(cache)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).as("one mirror for both spellings of the URL, its lock file, and the workspace kept for the next task")
                    .anyMatch(f -> f.getFileName().toString().endsWith(".lock"))
                    .anyMatch(f -> f.getFileName().toString().endsWith(".pack"))
                    .anyMatch(f -> f.toString().contains(WorkspacePool.DIR) && f.getFileName().toString().equals("Total.java"));
            for (Path f : all) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain(TOKEN).doesNotContain(basic(TOKEN)).doesNotContain("Secret")
                        .doesNotContain(URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)).doesNotContain(GitCredentials.DEFAULT_USERNAME);
            }
        }
        try (var mirrors = Files.list(cache)) {
            assertThat(mirrors.filter(p -> p.toString().endsWith(".git")).count()).isEqualTo(1);
        }
        assertThat(server.backendErrors()).isEmpty();
    }

    private static String basic(String token) {
        return Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
    }
}

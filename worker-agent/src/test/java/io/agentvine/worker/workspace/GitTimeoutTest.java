package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network timeouts on every git transport against a real loopback server that accepts connections and
 * never answers ({@link SilentServer}): each clone or push fails within the timeout (2 s here) and a
 * margin, naming the server and the wait, and leaves nothing on disk. A real {@code git daemon}
 * shows that git:// (served by {@link GitDaemonTransport}) still clones and pushes.
 */
class GitTimeoutTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration WITHIN = TIMEOUT.plusSeconds(5);

    @TempDir
    Path tmp;
    SilentServer silent;
    Path root;

    @BeforeEach
    void start() throws Exception {
        silent = new SilentServer();
        root = tmp.resolve("workspaces");
    }

    @AfterEach
    void stop() throws Exception {
        silent.close();
    }

    WorkspaceManager manager(GitCredentials credentials) {
        return new WorkspaceManager(root, 1, false, credentials, TIMEOUT);
    }

    /** Runs {@code step} on its own thread and waits for its failure at most {@link #WITHIN}. */
    static WorkspaceException failsWithin(Supplier<?> step) {
        CompletableFuture<?> f = CompletableFuture.supplyAsync(step);
        await().atMost(WITHIN).until(f::isDone);
        try {
            f.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(WorkspaceException.class);
            return (WorkspaceException) e.getCause();
        }
        throw new AssertionError("the step did not fail");
    }

    void cloneFailsNamingTheServer(GitCredentials credentials, String url, String branch) {
        WorkOrder order = ShopFixture.order(url, branch);
        WorkspaceException e = failsWithin(() -> manager(credentials).prepare(order));
        assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED);
        assertThat(e.getMessage()).contains("no data from git server 127.0.0.1:" + silent.port() + " for 2 s");
        assertThat(root.resolve(order.id())).doesNotExist();
        assertThat(silent.connections()).isPositive();
    }

    @Test
    void a_clone_over_git_from_a_silent_daemon_fails_after_the_timeout() {
        cloneFailsNamingTheServer(GitCredentials.none(), silent.url("git", "shop.git"), "main");
    }

    @Test
    void a_clone_over_http_from_a_silent_server_fails_after_the_timeout() {
        cloneFailsNamingTheServer(GitCredentials.none(), silent.url("http", "shop.git"), "main");
    }

    @Test
    void asking_a_silent_server_for_its_default_branch_fails_after_the_timeout() {
        cloneFailsNamingTheServer(GitCredentials.none(), silent.url("git", "shop.git"), null);
    }

    @Test
    void a_clone_over_ssh_from_a_silent_server_fails_after_the_timeout() throws Exception {
        Path key = GitSshServer.newClientKey(tmp.resolve("keys"));
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
        cloneFailsNamingTheServer(new GitCredentials(Map.of(GitCredentials.SSH_KEY, key.toString(),
                GitCredentials.KNOWN_HOSTS, knownHosts.toString())), "ssh://git@127.0.0.1:" + silent.port() + "/shop.git", "main");
    }

    @Test
    void the_next_attempt_of_an_order_waits_until_a_clone_given_up_on_has_left_its_directory() throws Exception {
        String good = TestRepositories.shop(tmp).toUri().toString();
        WorkspaceManager workspaces = manager(GitCredentials.none());
        CompletableFuture<Workspace> stuck = CompletableFuture.supplyAsync(
                () -> workspaces.prepare(ShopFixture.order(silent.url("git", "shop.git"), "main")));
        await().atMost(WITHIN).until(() -> silent.connections() > 0);

        CompletableFuture<Workspace> next = CompletableFuture.supplyAsync(() -> workspaces.prepare(ShopFixture.order(good, "main")));

        await().atMost(WITHIN).until(() -> stuck.isDone() && next.isDone());
        assertThat(stuck).isCompletedExceptionally();
        try (Workspace ws = next.join()) {
            assertThat(ws.dir()).isEqualTo(root.resolve("wo-42"));
            assertThat(ws.dir().resolve("README.md")).as("not deleted by the failed clone's clean-up").isRegularFile();
            assertThat(git(ws.dir(), "status", "--porcelain")).isEmpty();
        }
    }

    /** A clone of {@code bare} kept on disk and handed to a workspace whose pushes go to {@code pushUrl}. */
    Workspace cloneThatPushesTo(Path bare, String id, String pushUrl, Runnable released) throws Exception {
        Path dir;
        try (Workspace kept = new WorkspaceManager(root, 1, true, GitCredentials.none(), TIMEOUT)
                .prepare(ShopFixture.order(id, "t-" + id, bare.toUri().toString(), "main"))) {
            dir = kept.dir();
        }
        Workspace ws = Workspace.open(Git.open(dir.toFile()), pushUrl, "main", "agentvine/feature/t-" + id,
                new GitTransport(GitCredentials.none(), TIMEOUT), false, released, Workspace.Reuse.NONE);
        Files.writeString(dir.resolve("Export.java"), "class Export {}\n");
        PersonIdent bot = new PersonIdent("AgentVine", "bot@agentvine.io");
        ws.commit("Add CSV export", bot, bot).orElseThrow();
        return ws;
    }

    @Test
    void a_push_to_a_silent_server_fails_after_the_timeout_naming_it() throws Exception {
        Path bare = TestRepositories.shop(tmp);
        for (String scheme : new String[] {"git", "http"}) {
            try (Workspace ws = cloneThatPushesTo(bare, "wo-" + scheme, silent.url(scheme, "shop.git"), () -> { })) {
                WorkspaceException e = failsWithin(ws::push);
                assertThat(e.kind()).isEqualTo(Kind.PUSH_FAILED);
                assertThat(e.getMessage()).contains("no data from git server 127.0.0.1:" + silent.port() + " for 2 s");
            }
        }
    }

    @Test
    void a_close_during_a_push_leaves_the_clone_to_the_push_which_deletes_it_when_it_ends() throws Exception {
        CompletableFuture<Void> released = new CompletableFuture<>();
        Workspace ws = cloneThatPushesTo(TestRepositories.shop(tmp), "wo-1", silent.url("git", "shop.git"), () -> released.complete(null));
        CompletableFuture<Boolean> push = CompletableFuture.supplyAsync(ws::push);
        await().atMost(WITHIN).until(() -> silent.connections() > 0);

        ws.close(); // as a run that gave up on the push does

        assertThat(ws.dir()).as("the push still uses it").isDirectory();
        await().atMost(WITHIN).until(push::isDone);
        assertThat(push).isCompletedExceptionally();
        assertThat(released).isDone();
        assertThat(ws.dir()).as("deleted once the push ended").doesNotExist();
    }

    @Test
    void git_daemon_clones_and_pushes_go_through_the_timed_transport() throws Exception {
        Path bare = TestRepositories.shop(tmp);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process daemon = new ProcessBuilder("git", "daemon", "--export-all", "--enable=receive-pack", "--reuseaddr",
                "--listen=127.0.0.1", "--port=" + port, "--base-path=" + bare.getParent(), bare.getParent().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
        try {
            String url = "git://127.0.0.1:" + port + "/" + bare.getFileName();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !git(tmp, "ls-remote", url).isEmpty());
            PersonIdent bot = new PersonIdent("AgentVine", "bot@agentvine.io");
            for (String branch : new String[] {"main", null}) {
                try (Workspace ws = manager(GitCredentials.none()).prepare(ShopFixture.order(url, branch))) {
                    assertThat(ws.baseBranch()).isEqualTo("main");
                    Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
                    String sha = ws.commit("Add CSV export", bot, bot).orElseThrow();
                    assertThat(ws.push()).isTrue();
                    assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
                }
            }
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

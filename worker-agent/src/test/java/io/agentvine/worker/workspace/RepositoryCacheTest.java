package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository cache on real repositories (file://, made and checked with the git CLI): a mirror
 * per repository, fetched into incrementally, workspaces borrowing its objects and pushing to the
 * real remote; force-pushes upstream, concurrent tasks, eviction (also against a second JVM holding a
 * mirror), damaged mirrors.
 */
class RepositoryCacheTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path tmp;
    Path bare;
    String url;
    Path root;
    Path cacheDir;
    final PersonIdent bot = new PersonIdent("AgentVine", "bot@agentvine.io");

    @BeforeEach
    void shop() throws Exception {
        bare = TestRepositories.shop(tmp);
        url = bare.toUri().toString();
        root = tmp.resolve("workspaces");
        cacheDir = root.resolve(RepositoryCacheSettings.DEFAULT_DIR_NAME);
    }

    final List<WorkspaceManager> managers = new ArrayList<>();

    @AfterEach
    void closeManagers() {
        managers.forEach(WorkspaceManager::close); // no workspace is being reset when the directory goes
    }

    /** A manager keeping no finished workspace: these tests are about the mirrors (WorkspacePoolTest: the kept workspaces). */
    WorkspaceManager manager(long maxBytes, Instant now) {
        WorkspaceManager m = new WorkspaceManager(root, WorkspaceManager.DEFAULT_DEPTH, false, GitCredentials.none(),
                WorkspaceManager.DEFAULT_TIMEOUT, new RepositoryCacheSettings(true, cacheDir, maxBytes, 0), Clock.fixed(now, ZoneOffset.UTC));
        managers.add(m);
        return m;
    }

    WorkspaceManager manager() {
        return manager(RepositoryCacheSettings.DEFAULT_MAX_BYTES, T0);
    }

    Path mirror(String repositoryUrl) {
        return cacheDir.resolve(MirrorKey.of(repositoryUrl) + ".git");
    }

    /** A new commit on main of the shop, pushed from a clone. */
    String pushToMain(String file, String content) throws Exception {
        Path dev = tmp.resolve("dev");
        if (!Files.exists(dev)) {
            git(tmp, "clone", "-q", url, dev.toString());
        }
        git(dev, "pull", "-q", "--ff-only", "origin", "main");
        Files.writeString(dev.resolve(file), content);
        git(dev, "add", "-A");
        git(dev, "commit", "-q", "-m", "add " + file);
        git(dev, "push", "-q", "origin", "main");
        return git(bare, "rev-parse", "main");
    }

    static Set<String> packs(Path mirror) throws Exception {
        try (Stream<Path> files = Files.list(mirror.resolve("objects/pack"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pack")).collect(Collectors.toSet());
        }
    }

    @Test
    void the_workspace_borrows_the_mirrors_objects_and_pushes_to_the_real_remote() throws Exception {
        String main = git(bare, "rev-parse", "main");
        try (Workspace ws = manager().prepare(ShopFixture.order(url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(main);
            assertThat(git(ws.dir(), "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("agentvine/feature/t-42");
            assertThat(git(ws.dir(), "rev-list", "--count", "HEAD")).as("the full history, from the mirror").isEqualTo("2");
            assertThat(git(ws.dir(), "config", "remote.origin.url")).isEqualTo(url);
            assertThat(ws.dir().resolve(".git/objects/info/alternates")).content()
                    .isEqualTo(mirror(url).resolve("objects").toAbsolutePath() + "\n");
            assertThat(git(ws.dir(), "count-objects", "-v")).contains("in-pack: 0").contains("count: 0");
            assertThat(git(ws.dir(), "status", "--porcelain")).isEmpty();
            Files.writeString(ws.dir().resolve("Export.java"), "class Export {}\n");
            String sha = ws.commit("Add CSV export", bot, bot).orElseThrow();
            assertThat(ws.changedFiles()).containsExactly("Export.java");
            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-42")).isEqualTo(sha);
        }
        assertThat(git(bare, "rev-parse", "main")).isEqualTo(main);
        git(bare, "fsck", "--strict", "--no-dangling");
        assertThat(TestRepositories.branches(mirror(url))).as("the mirror holds what tasks started from").containsExactly("main");
        assertThat(root.resolve("wo-42")).doesNotExist();
    }

    @Test
    void a_second_task_fetches_only_what_changed() throws Exception {
        try (Workspace ws = manager().prepare(ShopFixture.order(url, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
        Set<String> before = packs(mirror(url));
        String tip = pushToMain("CHANGELOG.md", "- export\n");

        try (Workspace ws = manager().prepare(ShopFixture.order("wo-43", "t-43", url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(tip);
            assertThat(ws.dir().resolve("CHANGELOG.md")).content().isEqualTo("- export\n");
        }
        Set<String> after = packs(mirror(url));
        assertThat(after).containsAll(before).hasSize(before.size() + 1);
        String added = after.stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
        String index = mirror(url).resolve("objects/pack/" + added.replace(".pack", ".idx")).toString();
        List<String> objects = git(tmp, "verify-pack", "-v", index).lines().filter(l -> l.matches("[0-9a-f]{40} .*"))
                .map(l -> l.substring(0, 40)).toList();
        // The new commit, its tree and blob (and, as git's index-pack --fix-thin does, the old tree its new one is a delta of).
        assertThat(objects).contains(tip, git(bare, "rev-parse", "main:CHANGELOG.md"))
                .as("nothing fetched twice").doesNotContain(git(bare, "rev-parse", "main~1"), git(bare, "rev-parse", "main~2"),
                        git(bare, "rev-parse", "main:README.md"))
                .hasSizeLessThanOrEqualTo(4);
        assertThat(Files.exists(mirror(url).resolve("FETCH_HEAD"))).isFalse();
    }

    @Test
    void an_upstream_force_push_replaces_the_branch() throws Exception {
        String old = pushToMain("A.txt", "a\n");
        try (Workspace ws = manager().prepare(ShopFixture.order(url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(old);
        }
        Path dev = tmp.resolve("dev");
        git(dev, "reset", "-q", "--hard", "HEAD~1");
        Files.writeString(dev.resolve("B.txt"), "b\n");
        git(dev, "add", "-A");
        git(dev, "commit", "-q", "-m", "rewritten");
        git(dev, "push", "-q", "--force", "origin", "main");
        String rewritten = git(bare, "rev-parse", "main");

        try (Workspace ws = manager().prepare(ShopFixture.order("wo-43", "t-43", url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(rewritten);
            assertThat(ws.dir().resolve("B.txt")).exists();
            assertThat(ws.dir().resolve("A.txt")).doesNotExist();
            assertThat(ws.changedFiles()).isEmpty();
        }
        assertThat(git(mirror(url), "rev-parse", "main")).isEqualTo(rewritten);
    }

    @Test
    void two_tasks_at_once_share_one_mirror() throws Exception {
        WorkspaceManager workspaces = manager();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> pushed = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String task = "t-" + i;
                pushed.add(pool.submit(() -> {
                    start.await();
                    try (Workspace ws = workspaces.prepare(ShopFixture.order("wo-" + task, task, url, "main"))) {
                        Files.writeString(ws.dir().resolve(task + ".txt"), task + "\n");
                        String sha = ws.commit("work of " + task, bot, bot).orElseThrow();
                        assertThat(ws.push()).isTrue();
                        return sha;
                    }
                }));
            }
            start.countDown();
            for (int i = 0; i < 2; i++) {
                String sha = pushed.get(i).get(60, TimeUnit.SECONDS);
                assertThat(git(bare, "rev-parse", "agentvine/feature/t-" + i)).isEqualTo(sha);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> entries = Files.list(cacheDir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".git")).toList())
                    .containsExactly(MirrorKey.of(url) + ".git");
        }
        git(mirror(url), "fsck", "--strict");
    }

    @Test
    void over_the_cap_the_least_recently_used_mirror_not_in_use_is_evicted() throws Exception {
        Path tools = TestRepositories.shop(tmp.resolve("second"));
        String toolsUrl = tools.toUri().toString();
        try (Workspace ws = manager(RepositoryCacheSettings.DEFAULT_MAX_BYTES, T0).prepare(ShopFixture.order(url, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
        try (Workspace ws = manager(RepositoryCacheSettings.DEFAULT_MAX_BYTES, T0.plusSeconds(60))
                .prepare(ShopFixture.order("wo-43", "t-43", toolsUrl, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
        long both = MirrorEviction.bytes(mirror(url)) + MirrorEviction.bytes(mirror(toolsUrl));

        // Room for one: the shop, used longer ago, goes; but not while a task uses it.
        Workspace shopTask = manager(both - 1, T0.plusSeconds(120)).prepare(ShopFixture.order("wo-44", "t-44", url, "main"));
        try (Workspace ws = manager(1, T0.plusSeconds(180)).prepare(ShopFixture.order("wo-45", "t-45", toolsUrl, "main"))) {
            assertThat(mirror(url)).as("in use by wo-44").isDirectory();
            assertThat(mirror(toolsUrl)).as("in use by wo-45").isDirectory();
        }
        assertThat(git(shopTask.dir(), "log", "--oneline")).contains("second");
        shopTask.close();

        try (Workspace ws = manager(both - 1, T0.plusSeconds(240)).prepare(ShopFixture.order("wo-46", "t-46", toolsUrl, "main"))) {
            assertThat(mirror(url)).as("the shop, least recently used (120 s against 180 s)").doesNotExist();
            assertThat(mirror(toolsUrl)).isDirectory();
        }
        try (Workspace ws = manager().prepare(ShopFixture.order("wo-47", "t-47", url, "main"))) {
            assertThat(ws.dir().resolve("Total.java")).exists(); // cloned again
        }
    }

    @Test
    void a_mirror_another_jvm_uses_is_never_evicted() throws Exception {
        try (Workspace ws = manager().prepare(ShopFixture.order(url, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
        Path tools = TestRepositories.shop(tmp.resolve("second"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MirrorLockHolder.class.getName(),
                cacheDir.toString(), MirrorKey.of(url)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("held");
            try (Workspace ws = manager(1, T0.plusSeconds(60)).prepare(ShopFixture.order("wo-43", "t-43", tools.toUri().toString(), "main"))) {
                assertThat(mirror(url)).as("held by the other JVM").isDirectory();
            }
            other.getOutputStream().close();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            other.destroy();
        }
        try (Workspace ws = manager(1, T0.plusSeconds(120)).prepare(ShopFixture.order("wo-44", "t-44", tools.toUri().toString(), "main"))) {
            assertThat(mirror(url)).as("given back: evicted").doesNotExist();
        }
    }

    @Test
    void a_damaged_mirror_is_dropped_and_cloned_again() throws Exception {
        try (Workspace ws = manager().prepare(ShopFixture.order(url, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
        // Every pack of the mirror overwritten with garbage.
        Set<String> damaged = packs(mirror(url));
        for (String pack : damaged) {
            Path p = mirror(url).resolve("objects/pack/" + pack);
            assertThat(p.toFile().setWritable(true)).isTrue();
            Files.writeString(p, "not a pack at all");
        }
        String tip = pushToMain("C.txt", "c\n");
        try (Workspace ws = manager().prepare(ShopFixture.order("wo-43", "t-43", url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(tip);
            assertThat(git(ws.dir(), "status", "--porcelain")).isEmpty();
        }
        assertThat(packs(mirror(url))).doesNotContainAnyElementsOf(damaged);
        git(mirror(url), "fsck", "--strict");

        // A configuration that does not parse.
        Files.writeString(mirror(url).resolve("config"), "[core\n\tbare = ");
        try (Workspace ws = manager().prepare(ShopFixture.order("wo-44", "t-44", url, "main"))) {
            assertThat(git(ws.dir(), "rev-parse", "HEAD")).isEqualTo(tip);
        }
        git(mirror(url), "fsck", "--strict");
    }

    @Test
    void a_failed_fetch_fails_the_task_and_keeps_the_mirror() throws Exception {
        try (Workspace ws = manager().prepare(ShopFixture.order(url, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
        Set<String> before = packs(mirror(url));
        assertThatThrownBy(() -> manager().prepare(ShopFixture.order("wo-43", "t-43", url, "no-such-branch")))
                .isInstanceOfSatisfying(WorkspaceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLONE_FAILED))
                .hasMessageContaining("no-such-branch");
        assertThat(packs(mirror(url))).isEqualTo(before);
        assertThat(root.resolve("wo-43")).doesNotExist();
    }

    @Test
    void no_order_id_names_the_cache_directory() {
        assertThatThrownBy(() -> manager().prepare(ShopFixture.order(RepositoryCacheSettings.DEFAULT_DIR_NAME, "t-1", url, "main")))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("cannot name a workspace directory");
    }
}

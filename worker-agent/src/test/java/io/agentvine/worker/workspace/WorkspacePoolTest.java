package io.agentvine.worker.workspace;

import static io.agentvine.worker.workspace.TestRepositories.git;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * Finished workspaces kept in the repository cache ({@link WorkspacePool}): reset by content after
 * the task, then switched to the next task's commit. Every check compares the reused workspace with
 * what git itself says the tree is (real git, real repositories).
 */
class WorkspacePoolTest {
    @TempDir
    Path tmp;
    Path bare;
    String url;
    Path root;
    Path cacheDir;
    final PersonIdent bot = new PersonIdent("AgentVine", "bot@agentvine.io");
    final List<WorkspaceManager> managers = new ArrayList<>();

    @BeforeEach
    void shop() throws Exception {
        bare = TestRepositories.shop(tmp);
        url = bare.toUri().toString();
        root = tmp.resolve("workspaces");
        cacheDir = root.resolve(RepositoryCacheSettings.DEFAULT_DIR_NAME);
    }

    @AfterEach
    void closeManagers() throws Exception {
        for (WorkspaceManager m : managers) {
            assertThat(m.awaitKeptWorkspaces(Duration.ofSeconds(60))).isTrue(); // nothing resets while the directory goes
            m.close();
        }
    }

    WorkspaceManager manager(int kept, long maxBytes) {
        WorkspaceManager m = new WorkspaceManager(root, WorkspaceManager.DEFAULT_DEPTH, false, GitCredentials.none(),
                WorkspaceManager.DEFAULT_TIMEOUT, new RepositoryCacheSettings(true, cacheDir, maxBytes, kept), Clock.systemUTC());
        managers.add(m);
        return m;
    }

    WorkspaceManager manager() {
        return manager(RepositoryCacheSettings.DEFAULT_WORKSPACES, RepositoryCacheSettings.DEFAULT_MAX_BYTES);
    }

    Path mirror() {
        return cacheDir.resolve(MirrorKey.of(url) + ".git");
    }

    /** The names of the mirror's kept workspaces, once every closed one is reset. */
    List<String> kept(WorkspaceManager m) throws Exception {
        assertThat(m.awaitKeptWorkspaces(Duration.ofSeconds(60))).as("kept workspaces reset").isTrue();
        Path pool = mirror().resolve(WorkspacePool.DIR);
        if (!Files.isDirectory(pool)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(pool)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A task on main of the shop that changes nothing: its workspace prepared, then closed. */
    void finishTask(WorkspaceManager m, String n) {
        try (Workspace ws = m.prepare(ShopFixture.order("wo-" + n, "t-" + n, url, "main"))) {
            assertThat(ws.baseBranch()).isEqualTo("main");
        }
    }

    /** Marks the kept workspaces (a file in their .git), so that a task can tell it got one: a fresh workspace has no mark. */
    void markKept(WorkspaceManager m) throws Exception {
        for (String name : kept(m)) {
            Files.writeString(mirror().resolve(WorkspacePool.DIR).resolve(name).resolve(".git/kept-mark"), "kept\n");
        }
    }

    static boolean reused(Workspace ws) {
        return Files.exists(ws.dir().resolve(".git/kept-mark"));
    }

    /** A commit on main of the shop, made in a developer's clone and pushed ({@code force}: after a rewrite). */
    String push(boolean force, String... pathsAndContents) throws Exception {
        Path dev = tmp.resolve("dev");
        if (!Files.exists(dev)) {
            git(tmp, "clone", "-q", url, dev.toString());
        }
        if (!force) {
            git(dev, "pull", "-q", "--ff-only", "origin", "main");
        }
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = dev.resolve(pathsAndContents[i]);
            if (pathsAndContents[i + 1] == null) {
                git(dev, "rm", "-q", "-r", pathsAndContents[i]);
            } else {
                Files.createDirectories(file.getParent());
                Files.writeString(file, pathsAndContents[i + 1]);
            }
        }
        git(dev, "add", "-A");
        git(dev, "commit", "-q", "-m", "upstream change");
        if (force) {
            git(dev, "push", "-q", "--force", "origin", "HEAD:main");
        } else {
            git(dev, "push", "-q", "origin", "main");
        }
        return git(bare, "rev-parse", "main");
    }

    /** The workspace is exactly {@code commit}'s tree, git sees nothing changed or ignored, and only the two branches exist. */
    void assertExactly(Workspace ws, String commit) throws Exception {
        Path dir = ws.dir();
        assertThat(git(dir, "rev-parse", "HEAD")).isEqualTo(commit);
        Set<String> tree = new TreeSet<>(git(dir, "ls-tree", "-r", "--name-only", commit).lines().toList());
        Set<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> !p.startsWith(dir.resolve(".git")) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).as("the files of the workspace").isEqualTo(tree);
        for (String path : tree) {
            assertThat(Files.readString(dir.resolve(path))).as(path).isEqualTo(git(dir, "show", commit + ":" + path) + "\n");
        }
        assertThat(git(dir, "status", "--porcelain", "--ignored", "--untracked-files=all")).as("git status").isEmpty();
        assertThat(TestRepositories.branches(dir)).containsExactlyInAnyOrder("main", ws.workBranch());
        assertThat(ws.changedFiles()).isEmpty();
        git(dir, "fsck", "--no-dangling");
    }

    @Test
    void what_an_agent_left_is_undone_and_the_next_task_starts_from_the_kept_workspace_at_the_new_tip() throws Exception {
        push(false, "NOTICE", "the shop's notice\n");
        Path twin = Files.writeString(tmp.resolve("twin.txt"), "the shop's notice\n");
        WorkspaceManager m = manager();
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "not the agent's\n");
        try (Workspace ws = m.prepare(ShopFixture.order("wo-1", "t-1", url, "main"))) {
            Path dir = ws.dir();
            Files.writeString(dir.resolve("README.md"), "# shoq\n"); // same length, other content
            Files.delete(dir.resolve("Total.java"));
            Files.createSymbolicLink(dir.resolve("Total.java"), outside); // a link where a file was
            Files.writeString(dir.resolve("untracked.txt"), "left behind\n");
            Files.delete(dir.resolve("NOTICE"));
            Files.createLink(dir.resolve("NOTICE"), twin); // a hard link out of the workspace, the blob's very bytes
            Files.writeString(dir.resolve(".gitignore"), "build/\n");
            Files.createDirectories(dir.resolve("build/classes"));
            Files.writeString(dir.resolve("build/classes/Total.class"), "ignored output\n");
            Files.writeString(dir.resolve(".git/hooks/post-checkout"), "#!/bin/sh\necho pwned > /tmp/pwned\n");
            git(dir, "config", "user.email", "agent@example.com");
            git(dir, "checkout", "-q", "-b", "agent-side-branch");
            assertThat(ws.dir().resolve("README.md")).content().isEqualTo("# shoq\n");
        }
        assertThat(Files.readString(outside)).isEqualTo("not the agent's\n");
        assertThat(kept(m)).singleElement().asString().startsWith("clean-" + git(bare, "rev-parse", "main"));
        assertThat(root.resolve("wo-1")).doesNotExist();
        markKept(m);

        String tip = push(false, "README.md", "# shop, now with exports\n", "src/Export.java", "class Export {}\n",
                "Total.java", null);
        try (Workspace ws = m.prepare(ShopFixture.order("wo-2", "t-2", url, "main"))) {
            assertThat(reused(ws)).as("the kept workspace").isTrue();
            assertThat(kept(m)).as("taken by this task").isEmpty();
            assertExactly(ws, tip);
            assertThat(ws.dir().resolve(".git/config")).content().doesNotContain("agent@example.com");
            assertThat(ws.dir().resolve(".git/hooks/post-checkout")).doesNotExist();
            assertThat(Files.getAttribute(ws.dir().resolve("NOTICE"), "unix:nlink")).as("written anew, not the link").isEqualTo(1);
            Files.writeString(ws.dir().resolve("NOTICE"), "the next agent's edit\n");
            assertThat(twin).content().isEqualTo("the shop's notice\n");
            Files.writeString(ws.dir().resolve("src/Import.java"), "class Import {}\n");
            String sha = ws.commit("Add import", bot, bot).orElseThrow();
            assertThat(ws.push()).isTrue();
            assertThat(git(bare, "rev-parse", "agentvine/feature/t-2")).isEqualTo(sha);
        }
        assertThat(Files.readString(outside)).isEqualTo("not the agent's\n");
        assertThat(kept(m)).singleElement().asString().startsWith("clean-" + tip);
    }

    @Test
    void after_an_upstream_force_push_the_kept_workspace_is_switched_to_the_rewritten_history() throws Exception {
        WorkspaceManager m = manager();
        try (Workspace ws = m.prepare(ShopFixture.order("wo-1", "t-1", url, "main"))) {
            Files.writeString(ws.dir().resolve("README.md"), "agent edit\n");
        }
        markKept(m);
        Path dev = tmp.resolve("dev");
        git(tmp, "clone", "-q", url, dev.toString());
        git(dev, "checkout", "-q", "--orphan", "rewrite");
        git(dev, "rm", "-q", "-r", "--cached", ".");
        Files.delete(dev.resolve("README.md"));
        Files.delete(dev.resolve("Total.java"));
        String rewritten = push(true, "docs/INDEX.md", "rewritten\n", "lib/Sum.java", "class Sum {}\n");
        git(dev, "push", "-q", "--force", "origin", "rewrite:main");
        rewritten = git(bare, "rev-parse", "main");
        try (Workspace ws = m.prepare(ShopFixture.order("wo-2", "t-2", url, "main"))) {
            assertThat(reused(ws)).isTrue();
            assertExactly(ws, rewritten);
            assertThat(ws.dir().resolve("README.md")).doesNotExist();
        }
    }

    @Test
    void two_tasks_at_once_with_one_kept_workspace_one_reuses_it_the_other_is_made_afresh() throws Exception {
        WorkspaceManager m = manager();
        finishTask(m, "0");
        assertThat(kept(m)).hasSize(1);
        markKept(m);
        String tip = push(false, "CHANGELOG.md", "- exports\n");
        List<Boolean> reuses = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch bothPrepared = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> pushed = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                String task = "t-" + i;
                pushed.add(threads.submit(() -> {
                    start.await();
                    try (Workspace ws = m.prepare(ShopFixture.order("wo-" + task, task, url, "main"))) {
                        bothPrepared.countDown();
                        assertThat(bothPrepared.await(60, TimeUnit.SECONDS)).isTrue(); // both hold one at once
                        assertExactly(ws, tip);
                        reuses.add(reused(ws));
                        Files.writeString(ws.dir().resolve(task + ".txt"), task + "\n");
                        String sha = ws.commit("work of " + task, bot, bot).orElseThrow();
                        assertThat(ws.push()).isTrue();
                        return sha;
                    }
                }));
            }
            start.countDown();
            for (int i = 1; i <= 2; i++) {
                String sha = pushed.get(i - 1).get(60, TimeUnit.SECONDS);
                assertThat(git(bare, "rev-parse", "agentvine/feature/t-" + i)).isEqualTo(sha);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(reuses).as("one took the kept workspace, the other was made afresh").containsExactlyInAnyOrder(true, false);
        assertThat(kept(m)).as("both kept (the cap is " + RepositoryCacheSettings.DEFAULT_WORKSPACES + ")").hasSize(2)
                .allSatisfy(name -> assertThat(name).startsWith("clean-" + tip));
    }

    @Test
    void no_more_than_the_cap_are_kept_and_zero_keeps_none() throws Exception {
        WorkspaceManager one = manager(1, RepositoryCacheSettings.DEFAULT_MAX_BYTES);
        Workspace a = one.prepare(ShopFixture.order("wo-a", "t-a", url, "main"));
        Workspace b = one.prepare(ShopFixture.order("wo-b", "t-b", url, "main"));
        a.close();
        b.close();
        assertThat(kept(one)).hasSize(1);
        assertThat(root.resolve("wo-a")).doesNotExist();
        assertThat(root.resolve("wo-b")).doesNotExist();

        WorkspaceManager none = manager(0, RepositoryCacheSettings.DEFAULT_MAX_BYTES);
        try (Workspace ws = none.prepare(ShopFixture.order("wo-c", "t-c", url, "main"))) {
            assertExactly(ws, git(bare, "rev-parse", "main"));
        }
        assertThat(kept(none)).as("the one kept before is not taken with reuse off").hasSize(1);
        assertThat(root.resolve("wo-c")).doesNotExist();
    }

    @Test
    void a_damaged_kept_workspace_is_not_used_and_the_task_gets_a_fresh_one() throws Exception {
        WorkspaceManager m = manager();
        finishTask(m, "1");
        Path entry = mirror().resolve(WorkspacePool.DIR).resolve(kept(m).get(0));
        Files.write(entry.resolve(".git/index"), new byte[] {'D', 'I', 'R', 'C', 0, 0, 0, 9, 1, 2, 3}); // not an index
        markKept(m);
        String tip = push(false, "README.md", "# shop 2\n");
        try (Workspace ws = m.prepare(ShopFixture.order("wo-2", "t-2", url, "main"))) {
            assertThat(reused(ws)).isFalse();
            assertExactly(ws, tip);
        }
        assertThat(entry).doesNotExist();
    }

    @Test
    void once_the_manager_is_closed_a_finished_workspace_is_deleted_and_closing_again_does_nothing() throws Exception {
        WorkspaceManager m = manager();
        Workspace ws = m.prepare(ShopFixture.order("wo-1", "t-1", url, "main"));
        m.close();
        m.close();
        ws.close();
        assertThat(root.resolve("wo-1")).doesNotExist();
        assertThat(kept(m)).isEmpty();
    }

    @Test
    void a_tree_with_attributes_is_not_kept() throws Exception {
        push(false, ".gitattributes", "*.txt text eol=crlf\n");
        WorkspaceManager m = manager();
        try (Workspace ws = m.prepare(ShopFixture.order("wo-1", "t-1", url, "main"))) {
            assertThat(ws.dir().resolve(".gitattributes")).exists();
        }
        assertThat(kept(m)).isEmpty();
        assertThat(root.resolve("wo-1")).doesNotExist();
    }

    @Test
    void over_the_size_cap_kept_workspaces_go_before_the_mirror() throws Exception {
        WorkspaceManager m = manager();
        finishTask(m, "1");
        assertThat(kept(m)).hasSize(1);
        long mirrorOnly = MirrorEviction.bytes(mirror());
        WorkspaceManager tight = manager(2, mirrorOnly + 1);
        try (Workspace ws = tight.prepare(ShopFixture.order("wo-2", "t-2", url, "main"))) {
            assertThat(kept(tight)).as("the one kept after wo-1 went, the mirror stays").isEmpty();
            assertExactly(ws, git(bare, "rev-parse", "main"));
        }
        assertThat(mirror()).isDirectory();
        assertThat(kept(tight)).as("kept, over the cap until the next task's update").hasSize(1);
        WorkspaceManager again = manager(2, mirrorOnly + 1);
        try (Workspace ws = again.prepare(ShopFixture.order("wo-3", "t-3", url, "main"))) {
            assertThat(kept(again)).as("the one kept after wo-2 went, the mirror stays").isEmpty();
            assertThat(mirror()).isDirectory();
        }
    }
}

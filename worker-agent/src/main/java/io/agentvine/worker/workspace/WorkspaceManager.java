package io.agentvine.worker.workspace;

import io.agentvine.model.WorkBranches;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares one {@link Workspace} per work order under {@code <root>/<order-id>}, with a new work
 * branch {@code agentvine/<type>/<task-id>} checked out at the tip of the order's branch (or of the
 * remote's default branch when the order names none).
 *
 * <p>With the repository cache on ({@link RepositoryCache}), the order's branch is fetched into the
 * worker's mirror of the repository, incrementally, and the workspace borrows the mirror's objects:
 * a workspace an earlier task left, reset, switched to the new tip writing only what differs
 * ({@link WorkspacePool}, {@link TreeSwitch}), or else a new one ({@link MirrorClone}); a closed
 * workspace goes back to the pool; with it off, the workspace is a shallow clone of the one branch, without tags,
 * {@code depth} commits deep ({@link ShallowClone}). Either way {@code origin} is the order's URL and
 * credentials come from {@link GitCredentials} per operation, never stored.
 *
 * <p>Every network step has a connect and read-idle timeout ({@link GitTransport}), so a silent
 * server fails a clone or push after that long. A caller may stop waiting for a step sooner (a
 * cancel, a deadline) and leave it to end on its thread: an order's directory is held from
 * {@code prepare} until its clone failed or its {@link Workspace} is closed, and a later
 * {@code prepare} of the same order waits for that, so an abandoned clone and the next attempt's
 * never share, or delete, one directory.
 *
 * <p>Thread-safe: workspaces of different orders share nothing but the credentials and the cache.
 */
public final class WorkspaceManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceManager.class);
    /** History depth of a clone without the cache: the agent needs the tree, not the history. */
    public static final int DEFAULT_DEPTH = 1;
    /** Connect and read-idle limit of every network step ({@code AGENTVINE_GIT_TIMEOUT}'s default). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final int depth;
    private final boolean keep;
    private final GitTransport transport;
    private final ShallowClone shallow;
    private final RepositoryCache cache; // null: off
    /** Directories in use, each with the latch its user opens when done (see the class comment). */
    private final ConcurrentHashMap<Path, CountDownLatch> held = new ConcurrentHashMap<>();

    /** Without the repository cache, with the {@link #DEFAULT_TIMEOUT} on every network step. */
    public WorkspaceManager(Path root, int depth, boolean keep, GitCredentials credentials) {
        this(root, depth, keep, credentials, DEFAULT_TIMEOUT);
    }

    /** Without the repository cache. */
    public WorkspaceManager(Path root, int depth, boolean keep, GitCredentials credentials, Duration timeout) {
        this(root, depth, keep, credentials, timeout, RepositoryCacheSettings.off(), Clock.systemUTC());
    }

    /**
     * @param root        directory holding one sub-directory per order
     * @param depth       commits of history a clone without the cache fetches; 0 clones the full history
     * @param keep        leave clones on disk after {@link Workspace#close()} (for debugging)
     * @param credentials what to authenticate clones and pushes with
     * @param timeout     connect and read-idle limit of every clone, fetch and push (at least 1 s)
     * @param cache       the repository cache's settings ({@link RepositoryCacheSettings#off()}: none)
     * @param clock       stamps the cache's mirrors when used (least recently used ones go first)
     */
    public WorkspaceManager(Path root, int depth, boolean keep, GitCredentials credentials, Duration timeout,
            RepositoryCacheSettings cache, Clock clock) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be 0 (full) or more, was " + depth);
        }
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.depth = depth;
        this.keep = keep;
        this.transport = new GitTransport(Objects.requireNonNull(credentials, "credentials"), timeout);
        this.shallow = new ShallowClone(transport, depth);
        this.cache = cache.enabled() ? new RepositoryCache(cache, transport, clock) : null;
    }

    /**
     * Starts measuring, on a daemon thread {@code workspace-fs-probe}, what JGit needs to know of the
     * workspace's file system before it writes an index: its timestamp resolution and racy interval.
     * JGit measures that at its first index write on a file system it has not seen, which took ~4 s
     * here on a fresh ext4 volume, and keeps the result in {@code ~/.config/jgit/config}; a worker in a
     * new container would pay it on its first clone. Started at boot, it is done (or under way) by
     * the first claim. The thread ends by itself once JGit has measured (JGit waits at most 10 s).
     *
     * @return the thread, started
     */
    public Thread probeFileSystem() {
        Thread probe = new Thread(() -> {
            try {
                PackCache.configure();
                Files.createDirectories(root);
                FS.FileStoreAttributes.get(root);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot measure the file system of {}: {} (the first clone measures it)", root, e.toString());
            }
        }, "workspace-fs-probe");
        probe.setDaemon(true);
        probe.start();
        return probe;
    }

    /** The work branch of {@code order}: see {@link WorkBranches#of}, the one place that names it. */
    public static String workBranch(WorkOrder order) {
        return WorkBranches.of(order);
    }

    /**
     * Clones the order's repository into {@code <root>/<order-id>} (replacing leftovers of an earlier
     * attempt there, once that attempt's clone or workspace is done with it) and checks out its work branch.
     *
     * @throws WorkspaceException CLONE_FAILED, with a redacted message; nothing is left on disk then
     */
    public Workspace prepare(WorkOrder order) {
        PackCache.configure();
        long started = System.nanoTime();
        Path dir = directory(order);
        Runnable release = hold(dir);
        try {
            return prepare(order, dir, started, release);
        } catch (RuntimeException | Error e) {
            release.run(); // prepare(...) deleted what it cloned
            throw e;
        }
    }

    private Workspace prepare(WorkOrder order, Path dir, long started, Runnable release) {
        IOException leftover = Directories.delete(dir);
        if (leftover != null) {
            throw new WorkspaceException(Kind.CLONE_FAILED, "cannot clear " + dir + " of an earlier attempt: " + leftover);
        }
        String url = order.repositoryUrl();
        String work = workBranch(order);
        Cloned cloned;
        try {
            Files.createDirectories(dir);
            String base = order.branch() != null ? order.branch() : shallow.remoteDefaultBranch(url);
            cloned = clone(url, base, work, dir);
        } catch (GitAPIException | IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            Directories.delete(dir);
            throw new WorkspaceException(Kind.CLONE_FAILED, "clone of " + transport.redact(url)
                    + (order.branch() == null ? "" : " (branch " + order.branch() + ")") + " failed: "
                    + transport.reason(e, url, started));
        }
        try {
            boolean continued = false;
            if (order.continuation() != null) {
                continued = ContinuedBranch.start(cloned.git(), url, order.continuation(), transport) != null;
            }
            // a continued branch holds objects of its own, not in the mirror: its workspace is not kept for reuse
            Workspace ws = Workspace.open(cloned.git(), url, cloned.base(), work, transport, keep, () -> {
                cloned.release().run();
                release.run();
            }, order.continuation() == null ? cloned.reuse() : Workspace.Reuse.NONE, continued);
            log.info("cloned {} ({}, {}) into {} on {} in {} ms", transport.redact(url), cloned.base(), cloned.how(), dir, work,
                    (System.nanoTime() - started) / 1_000_000);
            return ws;
        } catch (GitAPIException | IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            cloned.git().close();
            cloned.release().run();
            Directories.delete(dir);
            throw new WorkspaceException(Kind.CLONE_FAILED, "cannot start " + work + " from " + cloned.base() + ": "
                    + transport.reason(e, url, started));
        }
    }

    /**
     * A clone with its work branch checked out; {@code release} gives back what it borrowed (its
     * mirror), {@code reuse} may keep its directory when it is closed.
     */
    private record Cloned(Git git, String base, Runnable release, String how, Workspace.Reuse reuse) {
        Cloned(Git git, String base, Runnable release, String how) {
            this(git, base, release, how, Workspace.Reuse.NONE);
        }
    }

    /**
     * The workspace's repository: from the cache's mirror when the cache is on and the base branch is
     * known (a mirror found damaged is dropped and cloned again, once), else a clone from the remote.
     */
    private Cloned clone(String url, String base, String work, Path dir) throws IOException, GitAPIException {
        String how = depth == 0 ? "full clone" : "depth " + depth;
        if (base == null) {
            Git git = shallow.cloneAny(url, dir);
            try {
                String cloned = git.getRepository().getBranch();
                git.checkout().setCreateBranch(true).setName(work).call();
                return new Cloned(git, cloned, () -> { }, how);
            } catch (IOException | GitAPIException | RuntimeException e) {
                git.close();
                throw e;
            }
        }
        if (cache == null) {
            return new Cloned(shallow.cloneBranch(url, base, work, dir), base, () -> { }, how);
        }
        for (int attempt = 1; ; attempt++) {
            RepositoryCache.Lease lease = cache.update(url, base);
            Workspace.Reuse reuse = (closed, started) -> cache.pool().give(lease.key(), lease.mirror(), closed, started);
            try {
                Git kept = reuseKept(lease, dir, url, base, work);
                if (kept != null) {
                    return new Cloned(kept, base, lease.release(), "from the cache, a kept workspace", reuse);
                }
                return new Cloned(MirrorClone.create(dir, lease, url, base, work, transport.redact(url)), base, lease.release(),
                        "from the cache", reuse);
            } catch (IOException | RuntimeException e) {
                if (attempt > 1 || !RepositoryCache.isDamage(e)) {
                    lease.release().run();
                    throw e;
                }
                log.warn("the mirror {} cannot be checked out ({}): dropping it", lease.mirror(), transport.redact(e.toString()));
                cache.drop(lease);
                IOException failure = Directories.delete(dir);
                if (failure != null) {
                    throw failure;
                }
                Files.createDirectories(dir);
            }
        }
    }

    /**
     * A workspace kept from an earlier task on the repository ({@link WorkspacePool}) moved to the
     * empty {@code dir} and switched to the lease's tip ({@link TreeSwitch}), or null when none is kept
     * or the kept one cannot be used ({@code dir} is empty again then).
     */
    private Git reuseKept(RepositoryCache.Lease lease, Path dir, String url, String base, String work) throws IOException {
        Files.delete(dir); // empty: the kept workspace takes its place in one rename
        ObjectId from = cache.pool().take(lease.mirror(), dir, lease.tip());
        if (from == null) {
            Files.createDirectories(dir);
            return null;
        }
        Git git = null;
        try {
            git = Git.open(dir.toFile());
            WorkBranchCheckout.configureOrigin(git.getRepository(), url, base);
            int changed = TreeSwitch.apply(git.getRepository(), from, lease.tip());
            WorkBranchCheckout.branches(git.getRepository(), base, work, lease.tip(), transport.redact(url));
            log.debug("a kept workspace at {} switched to {}: {} paths changed", from.name(), lease.tip().name(), changed);
            return git;
        } catch (IOException | RuntimeException e) {
            if (git != null) {
                git.close();
            }
            log.info("the kept workspace of {} at {} is not used ({}): making one afresh", transport.redact(url), from.name(),
                    transport.redact(e.toString()));
            IOException failure = Directories.delete(dir);
            if (failure != null) {
                throw failure;
            }
            Files.createDirectories(dir);
            return null;
        }
    }

    /**
     * Waits until every workspace closed so far has been reset for reuse, or deleted (benchmarks and
     * tests; the worker never waits for it).
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitKeptWorkspaces(Duration timeout) throws InterruptedException {
        return cache == null || cache.pool().awaitRecycled(timeout);
    }

    /** Stops the thread resetting kept workspaces (waiting at most 2 s for the reset under way). Idempotent. */
    @Override
    public void close() {
        if (cache != null) {
            cache.pool().close();
        }
    }

    /**
     * Takes {@code dir} for one user, first waiting until an earlier user is done with it (an
     * abandoned clone or push ends by itself within the git timeout); returns what gives it back.
     */
    private Runnable hold(Path dir) {
        CountDownLatch mine = new CountDownLatch(1);
        try {
            for (CountDownLatch earlier = held.putIfAbsent(dir, mine); earlier != null; earlier = held.putIfAbsent(dir, mine)) {
                log.info("{} is still in use by an earlier attempt; waiting for it to end", dir);
                earlier.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Kind.CLONE_FAILED, "interrupted while an earlier attempt still used " + dir);
        }
        return () -> {
            held.remove(dir, mine);
            mine.countDown();
        };
    }

    private Path directory(WorkOrder order) {
        Path dir = root.resolve(order.id()).normalize();
        // Ids may be "." or "..": those must not turn into the root or its parent, which we would wipe.
        // Nor the repository cache's directory, which the default puts under the root.
        if (!root.equals(dir.getParent()) || cache != null && cache.root().equals(dir)) {
            throw new WorkspaceException(Kind.CLONE_FAILED, "order id '" + order.id() + "' cannot name a workspace directory");
        }
        return dir;
    }
}

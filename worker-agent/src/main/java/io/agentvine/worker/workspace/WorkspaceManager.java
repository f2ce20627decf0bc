package io.agentvine.worker.workspace;

import io.agentvine.model.WorkOrder;
import io.agentvine.worker.workspace.FreshCheckout.Written;
import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.SubmoduleConfig.FetchRecurseSubmodulesMode;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares one {@link Workspace} per work order under {@code <root>/<order-id>}: a shallow JGit clone
 * of the order's branch (or of the remote's default branch when the order names none), with a new
 * work branch {@code agentvine/<type>/<task-id>} checked out.
 *
 * <p>Only the one base branch is fetched, without tags, {@code depth} commits deep. Credentials come
 * from {@link GitCredentials} per operation and are never stored in the clone.
 *
 * <p>Every network step has a connect and read-idle timeout ({@link GitTransport}), so a silent
 * server fails a clone or push after that long. A caller may stop waiting for a step sooner (a
 * cancel, a deadline) and leave it to end on its thread: an order's directory is held from
 * {@code prepare} until its clone failed or its {@link Workspace} is closed, and a later
 * {@code prepare} of the same order waits for that, so an abandoned clone and the next attempt's
 * never share, or delete, one directory.
 *
 * <p>Thread-safe: workspaces of different orders do not share anything but the credentials.
 */
public final class WorkspaceManager {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceManager.class);
    /** History depth of a clone: the agent needs the tree, not the history. */
    public static final int DEFAULT_DEPTH = 1;
    /** Bytes of fetched blobs a clone may hold for its {@link StreamingCheckout}: an eighth of the heap. */
    private static final long STREAMING_BUDGET = Runtime.getRuntime().maxMemory() / 8;
    /** Connect and read-idle limit of every network step ({@code AGENTVINE_GIT_TIMEOUT}'s default). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path root;
    private final int depth;
    private final boolean keep;
    private final GitTransport transport;
    /** Directories in use, each with the latch its user opens when done (see the class comment). */
    private final ConcurrentHashMap<Path, CountDownLatch> held = new ConcurrentHashMap<>();

    /** With the {@link #DEFAULT_TIMEOUT} on every network step. */
    public WorkspaceManager(Path root, int depth, boolean keep, GitCredentials credentials) {
        this(root, depth, keep, credentials, DEFAULT_TIMEOUT);
    }

    /**
     * @param root        directory holding one sub-directory per order
     * @param depth       commits of history to fetch; 0 clones the full history
     * @param keep        leave clones on disk after {@link Workspace#close()} (for debugging)
     * @param credentials what to authenticate clones and pushes with
     * @param timeout     connect and read-idle limit of every clone, fetch and push (at least 1 s)
     */
    public WorkspaceManager(Path root, int depth, boolean keep, GitCredentials credentials, Duration timeout) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be 0 (full) or more, was " + depth);
        }
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.depth = depth;
        this.keep = keep;
        this.transport = new GitTransport(Objects.requireNonNull(credentials, "credentials"), timeout);
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

    /**
     * Chooses the SHA-1 JGit computes object ids with, in this whole JVM (clones, commits): see
     * {@link GitSha1}. Without collision detection, the JDK's, or in a JVM without C2 an unrolled one
     * twice as fast there: indexing a fetched pack of 3,000 files takes ~60 ms with the JDK's under
     * C2 and ~95 ms with JGit's own, which checks every object for the SHAttered collision pattern
     * (git's default since 2.13). A worker only hashes what it fetched from the repository the order
     * names and what its agent wrote, and it trusts both already (the agent runs the repository's
     * code); the hosting servers check pushed objects for collisions. So workers do without detection
     * by default; {@code AGENTVINE_GIT_SHA1_COLLISION_DETECTION=true} selects the detecting one.
     *
     * @return the SHA-1 chosen
     */
    public static GitSha1 selectSha1(boolean collisionDetection) {
        return GitSha1.select(collisionDetection);
    }

    /**
     * The work branch of {@code order}: {@code agentvine/<type>/<task-id>}. A task id that is not
     * valid in a ref name (it may contain ':' or "..") is made valid and suffixed with a hash of
     * the original, so that every attempt of a task, and no other task, lands on the same branch.
     */
    public static String workBranch(WorkOrder order) {
        String prefix = Workspace.WORK_BRANCH_PREFIX + order.type().name() + "/";
        String taskId = order.taskId();
        if (Repository.isValidRefName(Constants.R_HEADS + prefix + taskId)) {
            return prefix + taskId;
        }
        return prefix + taskId.replaceAll("[^A-Za-z0-9_-]", "-") + "-" + shortHash(taskId);
    }

    /**
     * Clones the order's repository into {@code <root>/<order-id>} (replacing leftovers of an earlier
     * attempt there, once that attempt's clone or workspace is done with it) and checks out its work branch.
     *
     * @throws WorkspaceException CLONE_FAILED, with a redacted message; nothing is left on disk then
     */
    public Workspace prepare(WorkOrder order) {
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
        IOException leftover = Trees.delete(dir);
        if (leftover != null) {
            throw new WorkspaceException(Kind.CLONE_FAILED, "cannot clear " + dir + " of an earlier attempt: " + leftover);
        }
        String url = order.repositoryUrl();
        Git git;
        String base;
        boolean fetchOnly;
        Map<String, Written> written = Map.of();
        try {
            Files.createDirectories(dir);
            base = order.branch() != null ? order.branch() : remoteDefaultBranch(url);
            // A known branch: fetch only, then one checkout straight onto the work branch (startWorkBranch);
            // JGit's clone would check out the base branch and the work branch would need a second pass.
            fetchOnly = base != null;
            if (fetchOnly) {
                Fetched f = fetchBranch(url, base, dir);
                git = f.git();
                written = f.written();
            } else {
                git = clone(url, dir).call();
            }
        } catch (GitAPIException | IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            Trees.delete(dir);
            throw new WorkspaceException(Kind.CLONE_FAILED, "clone of " + transport.redact(url)
                    + (order.branch() == null ? "" : " (branch " + order.branch() + ")") + " failed: "
                    + transport.reason(e, url, started));
        }
        String work = workBranch(order);
        try {
            if (fetchOnly) {
                startWorkBranch(git.getRepository(), base, work, written);
            } else {
                base = git.getRepository().getBranch();
                git.checkout().setCreateBranch(true).setName(work).call();
            }
            Workspace ws = Workspace.open(git, url, base, work, transport, keep, release);
            log.info("cloned {} ({}, depth {}) into {} on {} in {} ms", transport.redact(url), base,
                    depth == 0 ? "full" : depth, dir, work, (System.nanoTime() - started) / 1_000_000);
            return ws;
        } catch (GitAPIException | IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            git.close();
            Trees.delete(dir);
            throw new WorkspaceException(Kind.CLONE_FAILED, "cannot start " + work + " from " + base + ": "
                    + transport.reason(e, url, started));
        }
    }

    /**
     * After a fetch-only clone: the work branch at the tip of the fetched base branch, HEAD on it, and
     * its tree checked out once ({@link FreshCheckout}: attributes, line endings and filters applied). The
     * local copy of the base branch JGit's clone made stays, unused: only the work branch is ever pushed.
     */
    private static void startWorkBranch(Repository repo, String base, String work, Map<String, Written> written)
            throws IOException {
        ObjectId tip = repo.resolve(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + base);
        if (tip == null) {
            throw new IOException("branch '" + base + "' was not fetched");
        }
        RevCommit commit;
        try (RevWalk walk = new RevWalk(repo)) {
            commit = walk.parseCommit(tip);
        }
        RefUpdate branch = repo.updateRef(Constants.R_HEADS + work);
        branch.setNewObjectId(commit);
        branch.setRefLogMessage("branch: Created from " + base, false);
        check(branch.forceUpdate(), "create " + work);
        RefUpdate head = repo.updateRef(Constants.HEAD);
        head.disableRefLog();
        check(head.link(Constants.R_HEADS + work), "point HEAD at " + work);
        DirCache index = repo.lockDirCache();
        try {
            FreshCheckout.checkout(repo, index, commit.getTree(), written);
        } finally {
            index.unlock();
        }
    }

    private static void check(RefUpdate.Result r, String what) throws IOException {
        switch (r) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new IOException("cannot " + what + ": " + r);
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
        if (!root.equals(dir.getParent())) {
            throw new WorkspaceException(Kind.CLONE_FAILED, "order id '" + order.id() + "' cannot name a workspace directory");
        }
        return dir;
    }

    /**
     * What {@code git clone --depth <depth> --branch <base> --no-tags --no-checkout} does, into a
     * {@link FreshRepository} (no collision lookups for the first pack): {@code origin} with its
     * URL, the one branch's refspec and no tags, the local base branch tracking it, no automatic GC
     * after the fetch (the clone is thrown away after the task; a background GC would race its
     * deletion). At depth 1 a {@link StreamingCheckout} writes the files while the pack is parsed; HEAD,
     * the rest of the checkout and the index are left to {@link #startWorkBranch}.
     */
    private Fetched fetchBranch(String url, String base, Path dir) throws IOException, GitAPIException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setWorkTree(dir.toFile())
                .setGitDir(dir.resolve(Constants.DOT_GIT).toFile());
        builder.setup();
        FreshRepository repo = new FreshRepository(builder);
        StreamingCheckout stream = null;
        Git git = new Git(repo) {
            @Override
            public void close() {
                repo.close(); // Git(repo) alone would leave it open: the workspace owns it
            }
        };
        try {
            repo.create();
            String branch = Constants.R_HEADS + base;
            RefSpec spec = new RefSpec("+" + branch + ":" + Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + base);
            StoredConfig config = repo.getConfig();
            RemoteConfig origin = new RemoteConfig(config, Constants.DEFAULT_REMOTE_NAME);
            origin.addURI(new URIish(url));
            origin.addFetchRefSpec(spec);
            origin.setTagOpt(TagOpt.NO_TAGS);
            origin.update(config);
            config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, base, ConfigConstants.CONFIG_KEY_REMOTE, Constants.DEFAULT_REMOTE_NAME);
            config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, base, ConfigConstants.CONFIG_KEY_MERGE, branch);
            config.setBoolean(ConfigConstants.CONFIG_FETCH_SECTION, null, "autogc", false);
            config.save();
            FetchCommand fetch = transport.applyTo(git.fetch(), url).setRemote(Constants.DEFAULT_REMOTE_NAME)
                    .setRefSpecs(spec).setTagOpt(TagOpt.NO_TAGS)
                    .setRecurseSubmodules(FetchRecurseSubmodulesMode.NO); // else it walks the whole tree for gitlinks
            if (depth > 0) {
                fetch.setDepth(depth);
            }
            if (depth == 1 && config.get(TransferConfig.KEY).newObjectChecker() == null) {
                // One commit in the pack: its tree is the one checked out. Not when fsck is asked for
                // (transfer.fsckObjects, fetch.fsckObjects): the streaming checker would replace git's.
                stream = new StreamingCheckout(repo, STREAMING_BUDGET);
                repo.checkFirstPackWith(stream);
            }
            Ref fetched = fetch.call().getAdvertisedRef(branch);
            Map<String, Written> written = stream == null ? Map.of() : stream.finish();
            stream = null;
            if (fetched == null || fetched.getObjectId() == null) {
                throw new IOException("the remote has no branch '" + base + "'");
            }
            RefUpdate local = repo.updateRef(branch);
            local.setNewObjectId(fetched.getObjectId());
            local.setRefLogMessage("clone: from " + transport.redact(url), false);
            check(local.forceUpdate(), "create " + base);
            return new Fetched(git, written);
        } catch (URISyntaxException e) {
            git.close();
            throw new IOException("not a git URL: " + e.getMessage(), e);
        } catch (IOException | GitAPIException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            git.close();
            throw e;
        } finally {
            if (stream != null) {
                stream.abort(); // the fetch failed: the writer stops before the caller deletes the clone
            }
        }
    }

    private record Fetched(Git git, Map<String, Written> written) {
    }

    private CloneCommand clone(String url, Path dir) {
        CloneCommand clone = transport.applyTo(Git.cloneRepository(), url)
                .setURI(url).setDirectory(dir.toFile()).setNoTags().setCloneSubmodules(false);
        if (depth > 0) {
            clone.setDepth(depth);
        }
        return clone;
    }

    /**
     * The branch the remote's HEAD points to, or null when the remote does not say (then the clone
     * fetches every branch and checks out what JGit picks). Asking costs a round trip, but spares
     * fetching the tip of every branch of a repository that has hundreds.
     */
    private String remoteDefaultBranch(String url) throws GitAPIException {
        Map<String, Ref> refs = transport.applyTo(Git.lsRemoteRepository(), url).setRemote(url).callAsMap();
        Ref head = refs.get(Constants.HEAD);
        if (head == null || !head.isSymbolic() || !head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return null;
        }
        return head.getTarget().getName().substring(Constants.R_HEADS.length());
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

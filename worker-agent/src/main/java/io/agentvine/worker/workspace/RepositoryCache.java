package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Objects;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.CorruptPackIndexException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.PackInvalidException;
import org.eclipse.jgit.errors.PackMismatchException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.lib.SubmoduleConfig.FetchRecurseSubmodulesMode;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's repository cache: one bare mirror per repository, {@code <dir>/<key>.git} ({@link
 * MirrorKey}: SHA-256 of the normalised URL), holding the branches tasks were started from with their
 * full history. Each task fetches only what changed on its branch since the last one (an incremental
 * fetch, {@code +refs/heads/<b>:refs/heads/<b>}, so a force-push upstream replaces the branch), and its
 * workspace borrows the mirror's objects ({@link MirrorClone}).
 *
 * <p>No remote is configured in a mirror: the URL is given per fetch, credentials per operation
 * ({@link GitTransport}), and {@code FETCH_HEAD}, the one file JGit writes the URL into, is deleted
 * after each fetch; reflogs are off. So no URL, user or token is written into the mirror.
 *
 * <p>Safe with several tasks at once and with several worker JVMs on one cache directory ({@link
 * MirrorLocks}); over {@link RepositoryCacheSettings#maxBytes()} the least recently used mirrors that
 * no task uses are deleted ({@link MirrorEviction}). A mirror that cannot be read (a damaged pack,
 * index or configuration) is dropped and cloned again.
 */
final class RepositoryCache {
    private static final Logger log = LoggerFactory.getLogger(RepositoryCache.class);

    private final Path root;
    private final GitTransport transport;
    private final Clock clock;
    private final MirrorLocks locks;
    private final MirrorEviction eviction;
    private final WorkspacePool pool;

    RepositoryCache(RepositoryCacheSettings settings, GitTransport transport, Clock clock) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the repository cache is off");
        }
        this.root = settings.dir();
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.locks = MirrorLocks.of(root);
        this.pool = new WorkspacePool(settings.workspaces(), locks, clock);
        this.eviction = new MirrorEviction(root, settings.maxBytes(), locks, pool);
    }

    /** The finished workspaces kept for reuse, inside their mirrors. */
    WorkspacePool pool() {
        return pool;
    }

    Path root() {
        return root;
    }

    /**
     * A mirror in use by one workspace: its objects are borrowed until {@link #release} runs.
     *
     * @param tip the commit of the branch as fetched for this task
     */
    record Lease(String key, Path mirror, ObjectId tip, Runnable release) {
    }

    /**
     * Brings the mirror of {@code url} up to date with {@code branch} (creating it, or dropping and
     * recreating a damaged one), marks it in use and then evicts what exceeds the size cap.
     *
     * @throws IOException when the fetch fails (a redacted message; the mirror stays as it was)
     */
    Lease update(String url, String branch) throws IOException {
        String key = MirrorKey.of(url);
        Path mirror = root.resolve(key + ".git");
        Files.createDirectories(root);
        Runnable release = locks.use(key);
        try {
            ObjectId tip = locks.update(key, () -> fetchOrRecreate(mirror, url, branch));
            evict();
            return new Lease(key, mirror, tip, release);
        } catch (IOException | RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    /**
     * Keeps the cache under its cap. Housekeeping: a failure (a mirror another worker deletes while it is measured,
     * a full disk) is logged and the task whose fetch succeeded goes on.
     */
    private void evict() {
        try {
            eviction.run();
        } catch (IOException | RuntimeException e) {
            log.warn("the repository cache's eviction did not finish ({}); the next fetch tries again", e.toString());
        }
    }

    /** Deletes the damaged mirror of {@code lease} (the next task clones it again) and gives the lease back. */
    void drop(Lease lease) {
        try {
            locks.update(lease.key(), () -> {
                delete(lease.mirror());
                return null;
            });
        } catch (IOException e) {
            log.warn("cannot drop the damaged mirror {}: {}", lease.mirror(), e.toString());
        } finally {
            lease.release().run();
        }
    }

    /** Whether {@code e} says a repository's files are damaged (as opposed to a network or remote failure). */
    static boolean isDamage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingObjectException || t instanceof CorruptObjectException || t instanceof PackInvalidException
                    || t instanceof PackMismatchException || t instanceof CorruptPackIndexException
                    || t instanceof ConfigInvalidException) {
                return true;
            }
        }
        return false;
    }

    private ObjectId fetchOrRecreate(Path mirror, String url, String branch) throws IOException {
        if (!usable(mirror)) {
            delete(mirror);
            create(mirror);
        }
        try {
            return fetch(mirror, url, branch);
        } catch (IOException | RuntimeException e) {
            if (!isDamage(e)) {
                throw e;
            }
            log.warn("the mirror {} of {} is damaged ({}): cloning it again", mirror, transport.redact(url), transport.redact(e.toString()));
            delete(mirror);
            create(mirror);
            return fetch(mirror, url, branch);
        }
    }

    private ObjectId fetch(Path mirror, String url, String branch) throws IOException {
        long started = System.nanoTime();
        String ref = Constants.R_HEADS + branch;
        try (Repository repo = open(mirror); Git git = Git.wrap(repo)) {
            Ref fetched = transport.applyTo(git.fetch(), url).setRemote(url).setRefSpecs(new RefSpec("+" + ref + ":" + ref))
                    .setTagOpt(TagOpt.NO_TAGS).setRecurseSubmodules(FetchRecurseSubmodulesMode.NO)
                    .call().getAdvertisedRef(ref);
            if (fetched == null || fetched.getObjectId() == null) {
                throw new IOException("the remote has no branch '" + branch + "'");
            }
            ObjectId tip = fetched.getObjectId().copy();
            try (RevWalk walk = new RevWalk(repo)) {
                walk.parseCommit(tip).getTree(); // a damaged mirror fails here rather than in the checkout
            }
            Files.deleteIfExists(mirror.resolve("FETCH_HEAD")); // JGit writes the URL there
            Files.setLastModifiedTime(mirror, FileTime.from(clock.instant())); // eviction's "last used"
            log.info("mirror of {} ({}) at {} after {} ms", transport.redact(url), branch, tip.name(),
                    (System.nanoTime() - started) / 1_000_000);
            return tip;
        } catch (GitAPIException e) {
            throw new IOException(transport.redact(e.getMessage()), e);
        }
    }

    /**
     * A mirror that opens: HEAD, objects, a configuration that parses, and the commit and root tree
     * of every branch readable (JGit reads around a damaged pack as if its objects were missing). Only damage
     * ({@link #isDamage}, a missing HEAD or object folder) condemns it: any other failure to read it (too many open
     * files, a stale handle on a shared volume) is thrown, and the mirror — which other tasks may be using — stays.
     */
    private static boolean usable(Path mirror) throws IOException {
        if (!Files.isRegularFile(mirror.resolve(Constants.HEAD)) || !Files.isDirectory(mirror.resolve("objects"))) {
            return false;
        }
        try (Repository repo = open(mirror); RevWalk walk = new RevWalk(repo)) {
            repo.getConfig().load();
            for (Ref branch : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                walk.parseTree(walk.parseCommit(branch.getObjectId()).getTree());
            }
            return true;
        } catch (IOException | ConfigInvalidException | RuntimeException e) {
            // JGit reports a configuration it cannot read as an IllegalArgumentException when it opens the repository
            if (!isDamage(e) && !(e instanceof RepositoryNotFoundException) && !(e instanceof IllegalArgumentException)) {
                throw new IOException("cannot read the mirror " + mirror + ": " + e, e);
            }
            log.warn("the mirror {} does not open ({}): cloning it again", mirror, e.toString());
            return false;
        }
    }

    private static void create(Path mirror) throws IOException {
        try (Git git = Git.init().setBare(true).setDirectory(mirror.toFile()).call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES, "false");
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_FETCH_SECTION, null, "autogc", false);
            config.save();
        } catch (GitAPIException e) {
            throw new IOException("cannot create the mirror " + mirror + ": " + e.getMessage(), e);
        }
    }

    private static Repository open(Path mirror) throws IOException {
        return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setMustExist(true).build();
    }

    /** Moves the mirror aside in one step (no task finds it half-deleted), then deletes it. */
    static void delete(Path mirror) throws IOException {
        if (!Files.exists(mirror)) {
            return;
        }
        Path aside = mirror.resolveSibling(mirror.getFileName() + ".deleted-" + System.nanoTime());
        Files.move(mirror, aside);
        IOException failure = Directories.delete(aside);
        if (failure != null) {
            log.warn("{} not fully deleted: {}", aside, failure.toString());
        }
    }
}

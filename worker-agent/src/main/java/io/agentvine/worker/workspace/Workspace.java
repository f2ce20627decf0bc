package io.agentvine.worker.workspace;

import io.agentvine.model.ParkedRun;
import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.EmptyCommitException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One work order's clone, checked out on its work branch {@code agentvine/<type>/<task-id>} (see
 * {@link WorkspaceManager#prepare}). The agent edits {@link #dir()}; {@link #commit} records what it
 * changed, {@link #push} sends the work branch, and only the work branch, to the order's repository.
 * Nothing here ever updates the base branch on the remote.
 *
 * <p>The agent is not trusted with the clone's git configuration: before committing and pushing, the
 * {@code .git/config} written at clone time is put back (an agent could have pointed {@code origin}
 * elsewhere, or set a proxy, and the push carries the token), hooks are switched off (a hook runs
 * with the worker's environment), and the push goes to the order's URL, not to whatever
 * {@code origin} says by then.
 *
 * <p>Not thread-safe: the worker thread running the order uses it, after the agent has exited; only
 * {@link #push} may run on a thread of its own (a caller that stops waiting for it), and a
 * {@link #close} meanwhile waits for it to end before the clone is deleted.
 */
public final class Workspace implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workspace.class);
    /** Pushes refuse work branches outside this namespace, whatever the caller asks. */
    public static final String WORK_BRANCH_PREFIX = "agentvine/";

    private final Git git;
    private final Path dir;
    private final String remoteUrl;
    private final String baseBranch;
    private final String workBranch;
    private final ObjectId baseCommit;
    private final GitTransport transport;
    private final boolean keep;
    private final Runnable released;
    private final Reuse reuse;
    private final SealedConfig config;
    private final boolean continued;
    private boolean closed; // guarded by this, with the two below
    private boolean pushing;
    private boolean closeWhenPushed;

    private Workspace(Git git, String remoteUrl, String baseBranch, String workBranch, ObjectId baseCommit,
            GitTransport transport, boolean keep, Runnable released, Reuse reuse, SealedConfig config, boolean continued) {
        this.continued = continued;
        this.git = git;
        this.dir = git.getRepository().getWorkTree().toPath();
        this.remoteUrl = remoteUrl;
        this.baseBranch = baseBranch;
        this.workBranch = workBranch;
        this.baseCommit = baseCommit;
        this.transport = transport;
        this.keep = keep;
        this.released = released;
        this.reuse = reuse;
        this.config = config;
    }

    /** What may take a closed workspace's directory over instead of it being deleted ({@link WorkspacePool}). */
    interface Reuse {
        /** No reuse: closed workspaces are deleted. */
        Reuse NONE = (dir, base) -> false;

        /**
         * Takes {@code dir} (its repository closed; the workspace started from {@code base}) over.
         *
         * @return false when it did not: the workspace deletes it
         */
        boolean give(Path dir, ObjectId base);
    }

    /**
     * Takes over {@code git}, whose HEAD is the freshly created work branch at the base commit:
     * switches hooks off and remembers the configuration and the base commit. {@code released} runs
     * once the clone is closed (and deleted, or given to {@code reuse}).
     */
    static Workspace open(Git git, String remoteUrl, String baseBranch, String workBranch, GitTransport transport,
            boolean keep, Runnable released, Reuse reuse) throws IOException {
        return open(git, remoteUrl, baseBranch, workBranch, transport, keep, released, reuse, false);
    }

    /**
     * As above; {@code continued}: HEAD is the head of a work branch another task pushed (a follow-up), which is
     * pushed again only as a fast-forward — never over commits someone else pushed on it meanwhile.
     */
    static Workspace open(Git git, String remoteUrl, String baseBranch, String workBranch, GitTransport transport,
            boolean keep, Runnable released, Reuse reuse, boolean continued) throws IOException {
        Repository repo = git.getRepository();
        ObjectId base = repo.resolve(Constants.HEAD);
        if (base == null) {
            throw new IOException("'" + baseBranch + "' has no commit to start from (is the repository empty?)");
        }
        return new Workspace(git, remoteUrl, baseBranch, workBranch, base.copy(), transport, keep, released, reuse,
                SealedConfig.seal(repo), continued);
    }

    /** The clone's working tree, where the agent works. */
    public Path dir() {
        return dir;
    }

    /** The branch that was cloned: the order's branch or the remote's default. Never pushed. */
    public String baseBranch() {
        return baseBranch;
    }

    /** The branch the work is committed on and pushed as, {@code agentvine/<type>/<task-id>}. */
    public String workBranch() {
        return workBranch;
    }

    /**
     * Paths added, changed or deleted since the clone, sorted: uncommitted changes against HEAD
     * (untracked files included, ignored ones not) plus whatever the agent committed itself.
     */
    public List<String> changedFiles() {
        try {
            config.restore(); // an agent's core.excludesFile must not hide its changes
            return WorkspaceChanges.changedFiles(git, baseCommit);
        } catch (GitAPIException | IOException e) {
            throw new WorkspaceException(Kind.COMMIT_FAILED, "cannot list the changed files: " + transport.redact(e.getMessage()));
        }
    }

    /**
     * What the committed work changes against the base: a {@code git diff --stat}-like line per file
     * (status, lines added and removed) and the patch itself, cut at {@code maxChars}. For a human
     * who approves the change before it is pushed.
     */
    public String diffSummary(int maxChars) {
        try {
            return WorkspaceChanges.diffSummary(git.getRepository(), baseCommit, maxChars);
        } catch (IOException e) {
            throw new WorkspaceException(Kind.COMMIT_FAILED, "cannot summarise the diff: " + transport.redact(e.getMessage()));
        }
    }

    /**
     * Commits everything the agent changed (additions, edits and deletions; ignored files stay out)
     * on the work branch, with the given identities and without running hooks.
     *
     * @return the sha of the work branch's new head; if the agent committed on its own and left
     *         nothing uncommitted, its head commit; empty when nothing changed (no empty commits)
     * @throws WorkspaceException COMMIT_FAILED, also when the agent left the work branch
     */
    public Optional<String> commit(String message, PersonIdent author, PersonIdent committer) {
        try {
            config.restore();
            Repository repo = git.getRepository();
            String branch = repo.getBranch();
            if (!workBranch.equals(branch)) {
                throw new WorkspaceException(Kind.COMMIT_FAILED, "the workspace is on '" + branch + "', not on its work branch '"
                        + workBranch + "': the agent must not switch branches");
            }
            if (!git.status().call().isClean()) {
                git.add().addFilepattern(".").call();
                git.add().addFilepattern(".").setUpdate(true).call(); // deletions
                try {
                    RevCommit c = git.commit().setMessage(message).setAuthor(author).setCommitter(committer)
                            .setSign(false).setNoVerify(true).setAllowEmpty(false).call();
                    log.info("committed {} on {} in {}", c.getName(), workBranch, dir);
                    return Optional.of(c.getName());
                } catch (EmptyCommitException e) {
                    // Dirty in name only (e.g. a file rewritten with the same content): fall through.
                }
            }
            ObjectId head = repo.resolve(Constants.HEAD);
            return head == null || head.equals(baseCommit) ? Optional.empty() : Optional.of(head.getName());
        } catch (GitAPIException | IOException e) {
            throw new WorkspaceException(Kind.COMMIT_FAILED, "commit on " + workBranch + " failed: " + transport.redact(e.getMessage()));
        }
    }

    /**
     * Pushes the work branch to {@code refs/heads/<work branch>} of the order's repository, replacing
     * what an earlier attempt of the same task pushed there (the branch belongs to the task). Only
     * that one ref is pushed; a work branch that is the base branch, or outside
     * {@value #WORK_BRANCH_PREFIX}, is refused before anything goes over the wire.
     *
     * @return true when pushed; false when the work branch has no commit of its own (nothing is
     *         pushed then)
     * @throws WorkspaceException PUSH_FAILED, with a redacted message
     */
    public boolean push() {
        synchronized (this) {
            if (closed) {
                throw new WorkspaceException(Kind.PUSH_FAILED, "the workspace of " + workBranch + " is closed");
            }
            pushing = true;
        }
        try {
            return pushWorkBranch();
        } finally {
            boolean close;
            synchronized (this) {
                pushing = false;
                close = closeWhenPushed;
            }
            if (close) {
                close();
            }
        }
    }

    private boolean pushWorkBranch() {
        long started = System.nanoTime();
        String ref = Constants.R_HEADS + workBranch;
        // the task's own branch is replaced (an earlier attempt's push); a continued one only fast-forwards
        RefSpec spec = new RefSpec((continued ? "" : "+") + ref + ":" + ref);
        refuseBaseBranch(spec);
        try {
            config.restore();
            Ref local = git.getRepository().exactRef(ref);
            if (local == null) {
                throw new WorkspaceException(Kind.PUSH_FAILED, "the work branch " + workBranch + " is gone from the clone");
            }
            if (local.getObjectId().equals(baseCommit)) {
                log.info("nothing to push: {} has no commit of its own", workBranch);
                return false;
            }
            Iterable<PushResult> results = transport.applyTo(git.push(), remoteUrl)
                    .setRemote(remoteUrl).setRefSpecs(spec).call();
            for (PushResult r : results) {
                for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                    if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new WorkspaceException(Kind.PUSH_FAILED, "push of " + workBranch + " rejected: " + u.getStatus()
                                + (u.getMessage() == null ? "" : " (" + transport.redact(u.getMessage()) + ")"));
                    }
                }
            }
            log.info("pushed {} ({}) to {}", workBranch, local.getObjectId().getName(), transport.redact(remoteUrl));
            return true;
        } catch (GitAPIException | IOException e) {
            throw new WorkspaceException(Kind.PUSH_FAILED, "push of " + workBranch + " to " + transport.redact(remoteUrl)
                    + " failed: " + transport.reason(e, remoteUrl, started));
        }
    }

    /**
     * Saves the run's work while it parks: everything is committed on the work branch ({@link #commit}) and that
     * commit pushed, with force, to the private ref {@code ref} ({@code refs/agentvine/parked/<task>}: the task's
     * own, outside the branches), where any worker can fetch it when the run resumes.
     *
     * @return the saved commit; empty when the run has changed nothing (nothing is pushed then)
     * @throws WorkspaceException COMMIT_FAILED or PUSH_FAILED
     */
    public Optional<String> saveParked(String ref, String message, PersonIdent who) {
        if (!ref.startsWith(ParkedRun.REF_PREFIX)) {
            throw new WorkspaceException(Kind.PUSH_FAILED, "refusing to save parked work outside " + ParkedRun.REF_PREFIX + ": " + ref);
        }
        Optional<String> sha = commit(message, who, who);
        if (sha.isEmpty()) {
            return sha;
        }
        long started = System.nanoTime();
        try {
            config.restore();
            for (PushResult r : transport.applyTo(git.push(), remoteUrl).setRemote(remoteUrl)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + workBranch + ":" + ref)).call()) {
                for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                    if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new WorkspaceException(Kind.PUSH_FAILED, "saving the parked work to " + ref + " was rejected: "
                                + u.getStatus() + (u.getMessage() == null ? "" : " (" + transport.redact(u.getMessage()) + ")"));
                    }
                }
            }
            log.info("parked work {} saved to {} of {}", sha.get(), ref, transport.redact(remoteUrl));
            return sha;
        } catch (GitAPIException | IOException e) {
            throw new WorkspaceException(Kind.PUSH_FAILED, "saving the parked work to " + ref + " failed: "
                    + transport.reason(e, remoteUrl, started));
        }
    }

    /**
     * Puts a parked run's saved work back: fetches {@code ref} and moves the work branch to {@code commit} (the
     * commit the parked run saved, on top of this workspace's start), so the resumed run's own commit follows it.
     *
     * @throws WorkspaceException CLONE_FAILED when the saved work is gone from the remote
     */
    public void restoreParked(String ref, String commit) {
        long started = System.nanoTime();
        try {
            config.restore();
            transport.applyTo(git.fetch(), remoteUrl).setRemote(remoteUrl).setRefSpecs(new RefSpec("+" + ref + ":" + ref)).call();
            ObjectId saved = git.getRepository().resolve(commit + "^{commit}");
            if (saved == null) {
                throw new WorkspaceException(Kind.CLONE_FAILED, "the parked work " + commit + " is not on " + ref + " any more");
            }
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(saved.getName()).call();
            log.info("parked work {} restored from {} in {}", commit, ref, dir);
        } catch (GitAPIException | IOException e) {
            throw new WorkspaceException(Kind.CLONE_FAILED, "cannot fetch the parked work " + ref + " from "
                    + transport.redact(remoteUrl) + ": " + transport.reason(e, remoteUrl, started));
        }
    }

    /** Deletes the private ref of a parked run that has been delivered; best effort (a leftover ref harms nothing). */
    public void dropParked(String ref) {
        if (!ref.startsWith(ParkedRun.REF_PREFIX)) {
            return;
        }
        try {
            transport.applyTo(git.push(), remoteUrl).setRemote(remoteUrl).setRefSpecs(new RefSpec(":" + ref)).call();
        } catch (GitAPIException | RuntimeException e) {
            log.info("the parked ref {} was not deleted: {}", ref, transport.redact(String.valueOf(e.getMessage())));
        }
    }

    private void refuseBaseBranch(RefSpec spec) {
        String base = Constants.R_HEADS + baseBranch;
        if (workBranch.equals(baseBranch) || !workBranch.startsWith(WORK_BRANCH_PREFIX)
                || base.equals(spec.getDestination()) || base.equals(spec.getSource())) {
            throw new WorkspaceException(Kind.PUSH_FAILED, "refusing to push '" + workBranch + "': only " + WORK_BRANCH_PREFIX
                    + " work branches are pushed, never the base branch '" + baseBranch + "'");
        }
    }

    /**
     * Closes the repository and deletes the clone (or gives it over for reuse by a later task) unless
     * configured to keep it; during a push, the
     * push's thread does that when the push ends. Idempotent; never throws.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pushing) {
                closeWhenPushed = true;
                return;
            }
            closed = true;
        }
        try {
            git.close();
            if (!keep && !reuse.give(dir, baseCommit)) {
                IOException failure = Directories.delete(dir);
                if (failure != null) {
                    log.warn("workspace {} not fully deleted: {}", dir, failure.toString());
                }
            }
        } finally {
            released.run();
        }
    }

    @Override
    public String toString() {
        return "Workspace[" + dir + ", " + baseBranch + " -> " + workBranch + "]";
    }
}

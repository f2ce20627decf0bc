package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One work order's clone, checked out on its work branch {@code agentvine/<type>/<task-id>}. The agent
 * edits {@link #dir()}; {@link #commit} records its changes (none → no commit); {@link #push} sends the
 * work branch, and only it, to origin — never the base branch.
 */
public final class Workspace implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workspace.class);

    private final Git git;
    private final Path dir;
    private final String baseBranch;
    private final String workBranch;
    private final GitCredentials credentials;
    private final boolean keep;

    Workspace(Git git, Path dir, String baseBranch, String workBranch, GitCredentials credentials, boolean keep) {
        this.git = git;
        this.dir = dir;
        this.baseBranch = baseBranch;
        this.workBranch = workBranch;
        this.credentials = credentials;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    public String baseBranch() {
        return baseBranch;
    }

    public String workBranch() {
        return workBranch;
    }

    /** Paths the agent added, changed or deleted (untracked files included), sorted. */
    public List<String> changedFiles() {
        try {
            Status s = git.status().call();
            TreeSet<String> all = new TreeSet<>();
            all.addAll(s.getAdded());
            all.addAll(s.getChanged());
            all.addAll(s.getModified());
            all.addAll(s.getRemoved());
            all.addAll(s.getMissing());
            all.addAll(s.getUntracked());
            return List.copyOf(all);
        } catch (GitAPIException e) {
            throw new WorkspaceException(WorkspaceException.Kind.COMMIT_FAILED, "git status failed: " + credentials.redact(e.getMessage()));
        }
    }

    /** Commits everything the agent changed; empty when nothing changed (no empty commits). */
    public Optional<String> commit(String message, PersonIdent author, PersonIdent committer) {
        if (changedFiles().isEmpty()) {
            return Optional.empty();
        }
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call(); // stages deletions too
            RevCommit c = git.commit().setMessage(message).setAuthor(author).setCommitter(committer).setSign(false).call();
            return Optional.of(c.getName());
        } catch (GitAPIException e) {
            throw new WorkspaceException(WorkspaceException.Kind.COMMIT_FAILED, "commit failed: " + credentials.redact(e.getMessage()));
        }
    }

    /**
     * Pushes the work branch to origin under the same name, replacing what an earlier attempt of the
     * same task pushed there (the branch belongs to the task); refuses anything that would touch the
     * base branch.
     */
    public void push() {
        if (workBranch.equals(baseBranch) || !workBranch.startsWith("agentvine/")) {
            throw new WorkspaceException(WorkspaceException.Kind.PUSH_FAILED,
                    "refusing to push '" + workBranch + "': only agentvine/ work branches are pushed, never the base branch '"
                            + baseBranch + "'");
        }
        String ref = "refs/heads/" + workBranch;
        try {
            Iterable<PushResult> results = git.push().setRemote("origin").setRefSpecs(new RefSpec("+" + ref + ":" + ref))
                    .setCredentialsProvider(credentials.https()).setTransportConfigCallback(credentials.ssh()).call();
            for (PushResult r : results) {
                for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                    if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        throw new WorkspaceException(WorkspaceException.Kind.PUSH_FAILED, "push of " + workBranch + " rejected: "
                                + u.getStatus() + (u.getMessage() == null ? "" : " (" + credentials.redact(u.getMessage()) + ")"));
                    }
                }
            }
        } catch (GitAPIException e) {
            throw new WorkspaceException(WorkspaceException.Kind.PUSH_FAILED, "push of " + workBranch + " failed: "
                    + credentials.redact(e.getMessage()));
        }
    }

    /** Closes the repository and deletes the clone unless configured to keep it. */
    @Override
    public void close() {
        git.close();
        if (!keep) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                p.toFile().setWritable(true); // pack files are read-only
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            log.warn("cannot clean workspace {}: {}", dir, e.toString());
        }
    }
}

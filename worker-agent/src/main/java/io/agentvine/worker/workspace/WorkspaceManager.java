package io.agentvine.worker.workspace;

import io.agentvine.model.WorkOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Prepares one workspace per work order under {@code root/<order-id>}: a shallow JGit clone of the
 * order's branch (or the remote's default), on a new work branch {@code agentvine/<type>/<task-id>}.
 */
public final class WorkspaceManager {
    public static final int DEFAULT_DEPTH = 1;

    private final Path root;
    private final int depth;
    private final boolean keep;
    private final GitCredentials credentials;

    public WorkspaceManager(Path root, int depth, boolean keep, GitCredentials credentials) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be 0 (full) or more, was " + depth);
        }
        this.root = root;
        this.depth = depth;
        this.keep = keep;
        this.credentials = credentials;
    }

    public static String workBranch(WorkOrder order) {
        return "agentvine/" + order.type().name() + "/" + order.taskId();
    }

    public Workspace prepare(WorkOrder order) {
        Path dir = root.resolve(order.id());
        Workspace.deleteTree(dir); // a previous attempt's leftovers on this machine
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WorkspaceException(WorkspaceException.Kind.CLONE_FAILED, "cannot create " + dir + ": " + e.getMessage());
        }
        Git git;
        try {
            var clone = Git.cloneRepository().setURI(order.repositoryUrl()).setDirectory(dir.toFile())
                    .setCloneAllBranches(false).setCredentialsProvider(credentials.https())
                    .setTransportConfigCallback(credentials.ssh());
            if (order.branch() != null) {
                clone.setBranch(order.branch()).setBranchesToClone(java.util.List.of("refs/heads/" + order.branch()));
            }
            if (depth > 0) {
                clone.setDepth(depth);
            }
            git = clone.call();
        } catch (GitAPIException | RuntimeException e) {
            Workspace.deleteTree(dir);
            throw new WorkspaceException(WorkspaceException.Kind.CLONE_FAILED, "clone of " + credentials.redact(order.repositoryUrl())
                    + (order.branch() == null ? "" : " (branch " + order.branch() + ")") + " failed: " + credentials.redact(String.valueOf(e.getMessage())));
        }
        try {
            String base = git.getRepository().getBranch();
            String work = workBranch(order);
            git.checkout().setCreateBranch(true).setName(work).call();
            return new Workspace(git, dir, base, work, credentials, keep);
        } catch (GitAPIException | IOException e) {
            git.close();
            Workspace.deleteTree(dir);
            throw new WorkspaceException(WorkspaceException.Kind.CLONE_FAILED, "cannot create the work branch: " + e.getMessage());
        }
    }
}

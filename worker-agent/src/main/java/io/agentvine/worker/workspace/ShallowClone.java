package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SubmoduleConfig.FetchRecurseSubmodulesMode;
import org.eclipse.jgit.transport.TagOpt;

/**
 * A workspace cloned straight from the remote, {@code depth} commits deep (0: the full history), with
 * JGit's public API: what the worker does with the repository cache off, or when the remote names no
 * default branch. Credentials come from {@link GitTransport} per operation and are never stored.
 */
final class ShallowClone {
    private final GitTransport transport;
    private final int depth;

    ShallowClone(GitTransport transport, int depth) {
        this.transport = transport;
        this.depth = depth;
    }

    /**
     * What {@code git clone --depth <depth> --branch <base> --no-tags} does, then the work branch
     * checked out ({@link WorkBranchCheckout}): only the one branch is fetched, submodules are not.
     */
    Git cloneBranch(String url, String base, String work, Path dir) throws IOException, GitAPIException {
        try (Repository created = Git.init().setDirectory(dir.toFile()).call().getRepository()) {
            WorkBranchCheckout.configureOrigin(created, url, base);
        }
        Git git = Git.open(dir.toFile());
        try {
            String branch = Constants.R_HEADS + base;
            FetchCommand fetch = transport.applyTo(git.fetch(), url).setRemote(Constants.DEFAULT_REMOTE_NAME)
                    .setRefSpecs(WorkBranchCheckout.originSpec(base)).setTagOpt(TagOpt.NO_TAGS)
                    .setRecurseSubmodules(FetchRecurseSubmodulesMode.NO); // else it walks the whole tree for gitlinks
            if (depth > 0) {
                fetch.setDepth(depth);
            }
            Ref fetched = fetch.call().getAdvertisedRef(branch);
            if (fetched == null || fetched.getObjectId() == null) {
                throw new IOException("the remote has no branch '" + base + "'");
            }
            WorkBranchCheckout.start(git.getRepository(), base, work, fetched.getObjectId(), transport.redact(url));
            return git;
        } catch (IOException | GitAPIException | RuntimeException | Error e) {
            git.close();
            throw e;
        }
    }

    /**
     * JGit's clone of whatever the remote offers (every branch; the one JGit picks checked out): for a
     * remote that names no default branch. The caller starts the work branch there.
     */
    Git cloneAny(String url, Path dir) throws GitAPIException {
        CloneCommand clone = transport.applyTo(Git.cloneRepository(), url)
                .setURI(url).setDirectory(dir.toFile()).setNoTags().setCloneSubmodules(false);
        if (depth > 0) {
            clone.setDepth(depth);
        }
        return clone.call();
    }

    /**
     * The branch the remote's HEAD points to, or null when the remote does not say. Asking costs a
     * round trip, but spares fetching the tip of every branch of a repository that has hundreds.
     */
    String remoteDefaultBranch(String url) throws GitAPIException {
        Map<String, Ref> refs = transport.applyTo(Git.lsRemoteRepository(), url).setRemote(url).callAsMap();
        Ref head = refs.get(Constants.HEAD);
        if (head == null || !head.isSymbolic() || !head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return null;
        }
        return head.getTarget().getName().substring(Constants.R_HEADS.length());
    }
}

package io.agentvine.worker.workspace;

import java.io.IOException;
import java.net.URISyntaxException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;

/**
 * What a new workspace repository gets before the agent sees it, whichever way its objects came (a
 * shallow fetch, or borrowed from the cache's mirror): {@code origin} as {@code git clone --branch
 * <base> --no-tags} writes it, the base branch and the work branch at the base commit, HEAD on the
 * work branch, and that commit's tree checked out once ({@link FreshCheckout}).
 */
final class WorkBranchCheckout {
    private WorkBranchCheckout() {
    }

    /** The refspec of {@code origin}'s one branch: {@code +refs/heads/<base>:refs/remotes/origin/<base>}. */
    static RefSpec originSpec(String base) {
        return new RefSpec("+" + Constants.R_HEADS + base + ":" + Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + base);
    }

    /**
     * {@code origin} with {@code url}, the base branch's refspec and no tags, the local base branch
     * tracking it, and no automatic GC after a fetch (the workspace is thrown away after its task; a
     * background GC would race its deletion).
     */
    static void configureOrigin(Repository repo, String url, String base) throws IOException {
        StoredConfig config = repo.getConfig();
        RemoteConfig origin;
        try {
            origin = new RemoteConfig(config, Constants.DEFAULT_REMOTE_NAME);
            origin.addURI(new URIish(url));
        } catch (URISyntaxException e) {
            throw new IOException("not a git URL: " + e.getMessage(), e);
        }
        origin.addFetchRefSpec(originSpec(base));
        origin.setTagOpt(TagOpt.NO_TAGS);
        origin.update(config);
        config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, base, ConfigConstants.CONFIG_KEY_REMOTE, Constants.DEFAULT_REMOTE_NAME);
        config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, base, ConfigConstants.CONFIG_KEY_MERGE, Constants.R_HEADS + base);
        config.setBoolean(ConfigConstants.CONFIG_FETCH_SECTION, null, "autogc", false);
        config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
        config.save();
    }

    /**
     * {@code refs/remotes/origin/<base>}, {@code refs/heads/<base>} and {@code refs/heads/<work>} at
     * {@code tip}, HEAD on the work branch, and the tip's tree checked out into the empty working
     * tree with its index. {@code from} goes into the reflog (no credentials in it).
     */
    static void start(Repository repo, String base, String work, ObjectId tip, String from) throws IOException {
        RevCommit commit = branches(repo, base, work, tip, from);
        DirCache index = repo.lockDirCache();
        try {
            FreshCheckout.checkout(repo, index, commit.getTree());
        } finally {
            index.unlock();
        }
    }

    /**
     * {@code refs/remotes/origin/<base>}, {@code refs/heads/<base>} and {@code refs/heads/<work>} at
     * {@code tip}, HEAD on the work branch; the working tree is left alone.
     */
    static RevCommit branches(Repository repo, String base, String work, ObjectId tip, String from) throws IOException {
        RevCommit commit;
        try (RevWalk walk = new RevWalk(repo)) {
            commit = walk.parseCommit(tip);
        }
        set(repo, Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + base, commit, null);
        set(repo, Constants.R_HEADS + base, commit, "clone: from " + from);
        set(repo, Constants.R_HEADS + work, commit, "branch: Created from " + base);
        RefUpdate head = repo.updateRef(Constants.HEAD);
        head.disableRefLog();
        check(head.link(Constants.R_HEADS + work), "point HEAD at " + work);
        return commit;
    }

    private static void set(Repository repo, String ref, ObjectId id, String reflog) throws IOException {
        RefUpdate u = repo.updateRef(ref);
        u.setNewObjectId(id);
        if (reflog == null) {
            u.disableRefLog();
        } else {
            u.setRefLogMessage(reflog, false);
        }
        check(u.forceUpdate(), "create " + ref);
    }

    private static void check(RefUpdate.Result r, String what) throws IOException {
        switch (r) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new IOException("cannot " + what + ": " + r);
        }
    }
}

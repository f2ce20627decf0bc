package io.agentvine.worker.workspace;

import io.agentvine.model.Continuation;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A task that continues another's work branch (a follow-up, a chain's next step) starts from that branch's
 * head on the remote: the earlier task's commits and whatever was pushed on the branch since (a reviewer's
 * fix). The workspace, made at the base branch with HEAD on the work branch, is moved there with a hard reset.
 * A branch the earlier task pushed that is gone from the remote (merged and deleted?) is an error; one it never
 * pushed (it changed nothing) is started afresh from the base branch.
 */
final class ContinuedBranch {
    private ContinuedBranch() {
    }

    /** @return the commit the task starts from, or null when it starts from the base branch */
    static ObjectId start(Git git, String url, Continuation c, GitTransport transport) throws IOException, GitAPIException {
        String work = c.workBranch();
        String head = Constants.R_HEADS + work;
        Map<String, Ref> remote = transport.applyTo(Git.lsRemoteRepository(), url).setRemote(url).setHeads(true).callAsMap();
        if (!remote.containsKey(head)) {
            if (c.startCommit() != null) {
                throw new IOException("the work branch " + work + " that task " + c.taskId() + " pushed is gone from the remote "
                        + "(merged and deleted?); nothing to continue");
            }
            return null;
        }
        String tracking = Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + work;
        transport.applyTo(git.fetch(), url).setRemote(url).setRefSpecs(new RefSpec("+" + head + ":" + tracking)).call();
        Ref fetched = git.getRepository().exactRef(tracking);
        if (fetched == null) {
            throw new IOException("the work branch " + work + " was not fetched");
        }
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(fetched.getObjectId().name()).call();
        return fetched.getObjectId().copy();
    }
}
